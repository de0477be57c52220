import { DeployNetwork, isHostedRunner } from "./deploy-metadata";
import { SynthesizedStack } from "./synthesized-app";

/**
 * GitHub's limits on one workflow run: a matrix makes at most 256 jobs, and we keep the whole run under that too, so a
 * run never fails to start however many stacks there are (docs.github.com, "Using a matrix for your jobs").
 */
export const MAX_JOBS_PER_RUN = 256;
/** A workflow file above this size does not start (GitHub's workflow file limit, 512,000 bytes; we stay under 500 KB). */
export const MAX_WORKFLOW_BYTES = 500 * 1024;

/**
 * The stacks of one environment that deploy together: the same dependency wave, site and runner. Its key names the
 * caller job (`[<site>-]wave-<n>-<network>`), static in the workflow; which of its stacks run is decided per run.
 */
export interface WaveGroup {
  readonly key: string;
  readonly environment: string;
  readonly wave: number;
  readonly network: DeployNetwork;
  readonly runner: readonly string[];
  /** The site of the environment (StackDeployment.site), if not its main one. */
  readonly site?: string;
  /** Stack names, in name order. */
  readonly stacks: readonly string[];
}

/** The runner labels of a stack's jobs; a stack that needs the private network never gets a GitHub-hosted runner. */
export function stackRunner(stack: SynthesizedStack): readonly string[] {
  const runner = stack.deployment.runner ?? ["ubuntu-24.04"];
  if (stack.deployment.network === "private" && isHostedRunner(runner)) {
    throw new Error(`stack ${stack.name}: needs the private network (${stack.deployment.networkReason ?? "it calls a private API"}) but would run on the GitHub-hosted runner ${runner.join(", ")}`);
  }
  return runner;
}

/** Each stack's wave: 0 without dependencies, else one more than its deepest dependency (from manifest.json). */
export function stackWaves(stacks: readonly SynthesizedStack[]): Map<string, number> {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const waves = new Map<string, number>();
  const visit = (name: string, path: readonly string[]): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    if (path.includes(name)) throw new Error(`stacks depend on each other in a cycle: ${[...path, name].join(" → ")}`);
    const stack = byName.get(name);
    if (!stack) throw new Error(`stack ${path[path.length - 1]} depends on ${name}, which is not in the synthesized app`);
    const wave = stack.dependencies.length === 0 ? 0 : 1 + Math.max(...stack.dependencies.map((d) => visit(d, [...path, name])));
    waves.set(name, wave);
    return wave;
  };
  for (const stack of stacks) visit(stack.name, []);
  return waves;
}

/** The wave groups of the given environments, in deploy order (wave, then public before private). */
export function waveGroups(stacks: readonly SynthesizedStack[], environments?: readonly string[]): WaveGroup[] {
  const waves = stackWaves(stacks);
  const groups = new Map<string, { environment: string; site?: string; wave: number; network: DeployNetwork; runner: readonly string[]; stacks: string[] }>();
  for (const stack of stacks) {
    const environment = stack.deployment.environment;
    if (environments && !environments.includes(environment)) continue;
    const network = stack.deployment.network ?? "public";
    const wave = waves.get(stack.name)!;
    const site = stack.deployment.site;
    const key = `${environment}:${site ?? ""}:${wave}:${network}`;
    const runner = stackRunner(stack);
    const group = groups.get(key) ?? { environment, site, wave, network, runner, stacks: [] };
    if (JSON.stringify(group.runner) !== JSON.stringify(runner)) {
      throw new Error(`stack ${stack.name}: runs on ${runner.join(", ")}, but ${group.stacks[0]} of the same environment, site, wave and network runs on ${group.runner.join(", ")}; give a site's ${network} stacks one set of runner labels`);
    }
    group.stacks.push(stack.name);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.environment.localeCompare(b.environment) || a.wave - b.wave || (a.site ?? "").localeCompare(b.site ?? "") || a.network.localeCompare(b.network))
    .map((g) => ({ ...g, key: `${environments && environments.length === 1 ? "" : `${g.environment}-`}${g.site ? `${g.site}-` : ""}wave-${g.wave}-${g.network}`, stacks: [...g.stacks].sort() }));
}

/** One matrix entry: stacks deployed one after the other by one plan job and one apply job. */
export interface Chunk {
  readonly id: string;
  /** Space-separated stack names, in dependency-safe order (they share a wave). */
  readonly stacks: string;
  /** The job's time limit: per stack, capped at GitHub-hosted runners' six hours. */
  readonly timeout: number;
}

export interface ChunkOptions {
  /** Jobs each chunk makes (plan and apply: 2; plan only: 1). @default 2 */
  readonly jobsPerChunk?: number;
  /** Jobs of the run besides the chunks (the prepare job). @default 1 */
  readonly fixedJobs?: number;
  /** @default 30 */
  readonly minutesPerStack?: number;
}

/**
 * Splits the selected stacks of each group into chunks, so that the whole run stays within {@link MAX_JOBS_PER_RUN}:
 * every group may have the same number of chunks, and a chunk holds as many stacks as it must. A group with nothing
 * selected gets an empty list (its caller job is skipped).
 */
export function chunkGroups(groups: readonly WaveGroup[], selected: ReadonlySet<string> | undefined, options: ChunkOptions = {}): Record<string, Chunk[]> {
  const jobsPerChunk = options.jobsPerChunk ?? 2;
  const maxChunks = Math.floor((MAX_JOBS_PER_RUN - (options.fixedJobs ?? 1)) / Math.max(1, groups.length * jobsPerChunk));
  if (maxChunks < 1) throw new Error(`${groups.length} wave groups cannot fit in ${MAX_JOBS_PER_RUN} jobs`);
  const minutes = options.minutesPerStack ?? 30;
  const result: Record<string, Chunk[]> = {};
  for (const group of groups) {
    const names = group.stacks.filter((s) => !selected || selected.has(s));
    const count = Math.min(names.length, maxChunks);
    const size = count === 0 ? 0 : Math.ceil(names.length / count);
    const chunks: Chunk[] = [];
    for (let i = 0; i * size < names.length; i++) {
      const part = names.slice(i * size, (i + 1) * size);
      chunks.push({ id: `${group.key}-${i + 1}`, stacks: part.join(" "), timeout: Math.min(360, 15 + minutes * part.length) });
    }
    result[group.key] = chunks;
  }
  return result;
}
