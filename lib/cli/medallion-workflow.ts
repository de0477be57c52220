#!/usr/bin/env node
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { affectedStacks, removedStacks } from "../ci/affected";
import { DeployWorkflowOptions, generatedWorkflows, variablesDocument } from "../ci/deploy-workflow";
import { federatedSubjects } from "../ci/oidc-subjects";
import { checkParity } from "../ci/parity";
import { readSynthesizedApp } from "../ci/synthesized-app";
import { chunkGroups, waveGroups } from "../ci/waves";
import { runCli } from "./run-cli";

const USAGE = `usage: medallion-workflow <command> [options]
  generate  [--outdir cdktf.out] [--workflows .github/workflows] [--variables-doc FILE]
            write the workflows (and the variables document) from the synthesized app
  check     [same options]  fail, listing each offender, when the committed files differ from a fresh generation
            or the workflows are out of parity with the stacks
  affected  --head DIR [--base DIR]  print the stacks whose synthesized JSON differs, and their dependents (JSON)
  subjects  --repository OWNER/REPO [--owner-id N] [--repository-id N] [--outdir cdktf.out]
            print, for every environment and identity, the OIDC subject its federated credential trusts, in the
            classic form and the immutable-ID form (placeholders without the IDs)
  waves     --head DIR [--base DIR] [--environment ENV] [--site SITE] --mode deploy|plan|drift
            write each wave group's chunks to $GITHUB_OUTPUT (all stacks without --base)`;

/** This repository's way of synthesizing and running its CLIs inside the workflows. */
export const REPOSITORY_OPTIONS: DeployWorkflowOptions = {
  synthCommands: ["npm run synth"],
  artifactPaths: ["cdktf.out", "dist"],
  recoveryCommand: 'node "$GITHUB_WORKSPACE/dist/lib/cli/medallion-kv-recover.js" --stack-dir .',
  workflowCommand: 'node "$GITHUB_WORKSPACE/dist/lib/cli/medallion-stack.js"',
  // The prepare job has node_modules; the stack jobs only the artifact (dist/, cdktf.out/), so they run medallion-stack.
  prepareCommand: 'node "$GITHUB_WORKSPACE/dist/lib/cli/medallion-workflow.js"',
  testWorkflow: "ci",
  promotion: ["dev", "prod"],
};
const GENERATED_MARK = "# GENERATED from the synthesized app";

function option(args: string[], name: string, fallback?: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
}

/** The generated files by path: each workflow and, if asked, the variables document. */
export function generatedFiles(outdir: string, workflowsDir: string, docPath: string | undefined): Map<string, string> {
  const stacks = readSynthesizedApp(outdir);
  const files = new Map<string, string>();
  for (const [name, text] of generatedWorkflows(stacks, REPOSITORY_OPTIONS)) files.set(join(workflowsDir, name), text);
  if (docPath) files.set(docPath, variablesDocument(stacks));
  return files;
}

/** Generated workflows on disk that a fresh generation no longer has (a removed environment). */
function staleWorkflows(workflowsDir: string, files: ReadonlyMap<string, string>): string[] {
  if (!existsSync(workflowsDir)) return [];
  return readdirSync(workflowsDir)
    .map((f) => join(workflowsDir, f))
    .filter((p) => !files.has(p) && readFileSync(p, "utf8").startsWith(GENERATED_MARK));
}

function generateOrCheck(command: "generate" | "check", args: string[]): number {
  const outdir = option(args, "--outdir", "cdktf.out")!;
  const workflowsDir = option(args, "--workflows", ".github/workflows")!;
  const docPath = option(args, "--variables-doc");
  if (!existsSync(join(outdir, "manifest.json"))) {
    console.error(`medallion-workflow: ${outdir}/manifest.json not found — run the synth first (npm run synth)`);
    return 2;
  }
  const files = generatedFiles(outdir, workflowsDir, docPath);
  const stale = staleWorkflows(workflowsDir, files);
  if (command === "generate") {
    for (const path of stale) rmSync(path);
    for (const [path, text] of files) writeFileSync(path, text);
    console.log(`medallion-workflow: wrote ${[...files.keys()].join(", ")}${stale.length ? `; removed ${stale.join(", ")}` : ""}`);
    return 0;
  }
  const problems: string[] = [];
  for (const [path, text] of files) {
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) problems.push(`${path} differs from a fresh generation: run \`npm run workflows\` and commit the result`);
  }
  for (const path of stale) problems.push(`${path} is a generated workflow the app no longer has: run \`npm run workflows\``);
  const committed = new Map(
    [...files.keys()].filter((p) => p.startsWith(workflowsDir) && existsSync(p)).map((p) => [p.slice(workflowsDir.length + 1), readFileSync(p, "utf8")] as const),
  );
  problems.push(...checkParity(committed, readSynthesizedApp(outdir), REPOSITORY_OPTIONS.promotion));
  for (const p of problems) console.error(`medallion-workflow: ${p}`);
  if (problems.length === 0) console.log(`medallion-workflow: the workflows are current and in parity with the synthesized app`);
  return problems.length === 0 ? 0 : 1;
}

function wavesCommand(args: string[]): number {
  const head = option(args, "--head");
  const base = option(args, "--base");
  const environment = option(args, "--environment");
  const site = option(args, "--site");
  const mode = option(args, "--mode");
  if (!head || (mode !== "deploy" && mode !== "plan" && mode !== "drift")) {
    console.error(USAGE);
    return 2;
  }
  const stacks = readSynthesizedApp(head);
  const selected = base ? new Set(affectedStacks(base, head)) : undefined;
  const groups = waveGroups(stacks, environment ? [environment] : undefined).filter((g) => site === undefined || g.site === site);
  if (site !== undefined && groups.length === 0) {
    console.error(`medallion-workflow: no stacks of site ${site}${environment ? ` in ${environment}` : ""}`);
    return 1;
  }
  const chunks = chunkGroups(groups, selected, { jobsPerChunk: 2, fixedJobs: 1 });
  const lines = Object.entries(chunks).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${lines.join("\n")}\n`);
  else console.log(lines.join("\n"));
  const count = Object.values(chunks).reduce((n, c) => n + c.reduce((m, chunk) => m + chunk.stacks.split(" ").length, 0), 0);
  const removed = removedStacks(base, head);
  console.log(`medallion-workflow ${JSON.stringify({ command: "waves", mode, environment: environment ?? "all", site: site ?? "all", decision: base ? "affected" : "all", stacks: count, chunks: Object.values(chunks).reduce((n, c) => n + c.length, 0), removed })}`);
  for (const name of removed) console.log(`::warning::stack ${name} is gone from the app: the deploy does not destroy it (help/operator-runbook.md, "Removing a stack")`);
  if (process.env.GITHUB_STEP_SUMMARY) {
    const rows = Object.entries(chunks).flatMap(([key, list]) => list.map((c) => `| ${key} | ${c.id} | ${c.stacks} |`));
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, [`### ${mode}: ${count} stacks${base ? " (affected)" : ""}`, "", "| group | chunk | stacks |", "| --- | --- | --- |", ...rows, ""].join("\n"));
  }
  return 0;
}

function subjectsCommand(args: string[]): number {
  const repository = option(args, "--repository");
  const [owner, name] = (repository ?? "").split("/");
  if (!owner || !name) {
    console.error(USAGE);
    return 2;
  }
  const outdir = option(args, "--outdir", "cdktf.out")!;
  // The environments that have stacks, in promotion order; without a synthesized app, the whole promotion.
  const present = existsSync(join(outdir, "manifest.json")) ? new Set(readSynthesizedApp(outdir).map((s) => s.deployment.environment)) : undefined;
  const promotion = REPOSITORY_OPTIONS.promotion.filter((e) => !present || present.has(e));
  try {
    const subjects = federatedSubjects({ owner, name, ownerId: option(args, "--owner-id"), repositoryId: option(args, "--repository-id") }, promotion);
    console.log("| environment | identity | GitHub Environment | subject (classic) | subject (immutable IDs) |");
    console.log("| --- | --- | --- | --- | --- |");
    for (const s of subjects) console.log(`| ${s.environment} | ${s.identity} | ${s.githubEnvironment} | \`${s.classic}\` | \`${s.immutable}\` |`);
    return 0;
  } catch (error) {
    console.error(`medallion-workflow subjects: ${(error as Error).message}`);
    return 2;
  }
}

export function main(args: string[]): number {
  const [command, ...rest] = args;
  if (command === "subjects") return subjectsCommand(rest);
  if (command === "generate" || command === "check") return generateOrCheck(command, rest);
  if (command === "waves") return wavesCommand(rest);
  if (command === "affected") {
    const head = option(rest, "--head");
    if (!head) {
      console.error(USAGE);
      return 2;
    }
    console.log(JSON.stringify(affectedStacks(option(rest, "--base"), head)));
    return 0;
  }
  console.error(USAGE);
  return 2;
}

if (require.main === module) process.exitCode = runCli("medallion-workflow", main, process.argv.slice(2));
