import { parse } from "yaml";
import { isHostedRunner } from "./deploy-metadata";
import { githubEnvironments, STACK_WORKFLOW } from "./deploy-workflow";
import { SynthesizedStack } from "./synthesized-app";
import { WaveGroup, waveGroups } from "./waves";

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, unknown>;
}
interface Job {
  env?: Record<string, unknown>;
  needs?: string | string[];
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  env?: Record<string, unknown>;
  jobs?: Record<string, Job>;
}

const TERRAFORM_COMMAND = /\bterraform\s+(plan|apply)\b[^\n;&|>]*/g;
const list = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value ? [value] : []);

/** Static TF_VAR_ exports and commands that would prompt, in one workflow file. */
function fileProblems(file: string, workflow: Workflow, runtimeVariables: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const exports = (where: string, env: Record<string, unknown> | undefined) => {
    for (const key of Object.keys(env ?? {}).filter((k) => k.startsWith("TF_VAR_"))) {
      const name = key.slice("TF_VAR_".length);
      problems.push(
        runtimeVariables.has(name)
          ? `${file} ${where}: ${key} is set in an env:, which shadows the value the recovery step writes for each stack`
          : `${file} ${where}: ${key} is a stray export — a stack's variables come from export-variables, from the GitHub names the stack declares`,
      );
    }
  };
  exports("(workflow env)", workflow.env);
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    exports(`job ${jobName}`, job.env);
    (job.steps ?? []).forEach((step, i) => {
      exports(`job ${jobName}, step ${step.name ?? i + 1}`, step.env);
      for (const match of (step.run ?? "").matchAll(TERRAFORM_COMMAND)) {
        if (!/(^|\s)-input=false(\s|$)/.test(match[0])) problems.push(`${file} job ${jobName}, step ${step.name ?? i + 1}: "${match[0].trim()}" lacks -input=false (a missing variable would hang the run)`);
      }
    });
  }
  return problems;
}

/** The reusable workflow: every plan writes the stack's variables first, and the deploy plan runs the recovery first. */
function stackWorkflowProblems(workflow: Workflow, needsRecovery: boolean): string[] {
  const problems: string[] = [];
  const steps = workflow.jobs?.plan?.steps ?? [];
  const plans = steps.filter((s) => /\bterraform\s+plan\b/.test(s.run ?? ""));
  if (plans.length === 0) problems.push(`${STACK_WORKFLOW}: no job plan step runs terraform plan`);
  for (const step of plans) {
    const run = step.run ?? "";
    const plan = run.search(/\bterraform\s+plan\b/);
    const exportAt = run.search(/\bexport-variables\b/);
    if (exportAt < 0 || exportAt > plan) problems.push(`${STACK_WORKFLOW} step ${step.name}: no export-variables before terraform plan — a stack's variables would be missing`);
    for (const key of ["VARS_JSON", "SECRETS_JSON"]) {
      if (!String(step.env?.[key] ?? "").includes(key === "VARS_JSON" ? "toJSON(vars)" : "toJSON(secrets)")) problems.push(`${STACK_WORKFLOW} step ${step.name}: ${key} is not the job's ${key === "VARS_JSON" ? "toJSON(vars)" : "toJSON(secrets)"}`);
    }
    if (needsRecovery && /deploy/.test(String((step as { if?: string }).if ?? ""))) {
      const recovery = run.search(/medallion-kv-recover/);
      if (recovery < 0) problems.push(`${STACK_WORKFLOW} step ${step.name}: no Key Vault recovery writes TF_VAR_key_vault_recover_soft_deleted`);
      else if (recovery > plan) problems.push(`${STACK_WORKFLOW} step ${step.name}: the Key Vault recovery runs after terraform plan`);
    }
  }
  return problems;
}

/** A caller workflow's wave jobs against the wave groups: one job per group, its runner, its environment, its order. */
function callerProblems(file: string, workflow: Workflow, groups: readonly WaveGroup[], stacks: readonly SynthesizedStack[], expected: { mode: string; planEnvironment: (env: string) => string; applyEnvironment?: (env: string) => string; ordered: boolean }): string[] {
  const problems: string[] = [];
  const jobs = workflow.jobs ?? {};
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const groupOf = new Map(groups.flatMap((g) => g.stacks.map((s) => [s, g] as const)));
  const needsOf = (key: string, seen = new Set<string>()): Set<string> => {
    for (const n of list(jobs[key]?.needs)) if (!seen.has(n)) needsOf(n, seen.add(n));
    return seen;
  };
  for (const group of groups) {
    const job = jobs[group.key];
    if (!job) {
      problems.push(`${file}: no job ${group.key} deploys ${group.stacks.join(", ")} (regenerate it: npm run workflows)`);
      continue;
    }
    if (job.uses !== `./.github/workflows/${STACK_WORKFLOW}`) problems.push(`${file} job ${group.key}: does not call ${STACK_WORKFLOW}`);
    const w = job.with ?? {};
    let labels: string[] = [];
    try {
      labels = (JSON.parse(String(w.runner)) as unknown[]).map(String);
    } catch {
      problems.push(`${file} job ${group.key}: runner ${JSON.stringify(w.runner)} is not a JSON array of labels`);
    }
    for (const name of group.stacks) {
      const stack = byName.get(name)!;
      if (stack.deployment.network === "private" && isHostedRunner(labels)) {
        problems.push(`${file} job ${group.key}: runs ${name} on the GitHub-hosted runner ${labels.join(", ")}, but the stack needs the private network (${stack.deployment.networkReason ?? "it calls a private API"})`);
      }
    }
    if (labels.length && JSON.stringify(labels) !== JSON.stringify(group.runner) && !group.stacks.some((n) => byName.get(n)!.deployment.network === "private" && isHostedRunner(labels))) {
      problems.push(`${file} job ${group.key}: runs on ${labels.join(", ")}, but its stacks declare ${group.runner.join(", ")}`);
    }
    if (w.mode !== expected.mode) problems.push(`${file} job ${group.key}: mode ${String(w.mode)}, expected ${expected.mode}`);
    if (w["plan-environment"] !== expected.planEnvironment(group.environment)) problems.push(`${file} job ${group.key}: plans in ${String(w["plan-environment"])}, expected ${expected.planEnvironment(group.environment)}`);
    if (expected.applyEnvironment && w["apply-environment"] !== expected.applyEnvironment(group.environment)) problems.push(`${file} job ${group.key}: applies in ${String(w["apply-environment"])}, expected ${expected.applyEnvironment(group.environment)}`);
    if (!expected.ordered) continue;
    const needs = needsOf(group.key);
    for (const name of group.stacks) {
      for (const dependency of byName.get(name)!.dependencies) {
        const upstream = groupOf.get(dependency);
        if (upstream && upstream.key !== group.key && !needs.has(upstream.key)) problems.push(`${file} job ${group.key}: does not need ${upstream.key}, where ${dependency} (a dependency of ${name}) deploys`);
      }
    }
  }
  return problems;
}

/**
 * Checks the generated workflows against the synthesized stacks (the YAML is parsed, not grepped). One message per
 * offender; empty when in parity:
 * - no `TF_VAR_` is exported statically anywhere (strays), and the recovery flag is in no `env:` (it would shadow it);
 * - every `terraform plan`/`apply` has `-input=false`;
 * - in the reusable workflow, every plan writes the stack's variables from `toJSON(vars)`/`toJSON(secrets)` first,
 *   and the deploy plan runs the Key Vault recovery before it;
 * - every environment's deploy workflow has a job per wave group, in dependency order, planning in `<env>-plan` and
 *   applying in `<env>`; pull requests plan the first environment in `<env>-pr`, drift plans in `<env>-plan`;
 * - a stack that needs the private network never runs on a GitHub-hosted runner.
 */
export function checkParity(workflows: ReadonlyMap<string, string>, stacks: readonly SynthesizedStack[], promotion?: readonly string[]): string[] {
  const problems: string[] = [];
  const parsed = new Map([...workflows].map(([file, text]) => [file, (parse(text) ?? {}) as Workflow]));
  const runtime = new Set(stacks.flatMap((s) => s.variables.filter((v) => "runtime" in v.source).map((v) => v.name)));
  for (const [file, workflow] of parsed) problems.push(...fileProblems(file, workflow, runtime));

  const stackWorkflow = parsed.get(STACK_WORKFLOW);
  if (!stackWorkflow) problems.push(`${STACK_WORKFLOW}: missing (regenerate it: npm run workflows)`);
  else problems.push(...stackWorkflowProblems(stackWorkflow, runtime.size > 0));

  for (const env of [...new Set(stacks.map((s) => s.deployment.environment))].sort()) {
    const file = `deploy-${env}.yml`;
    const workflow = parsed.get(file);
    if (!workflow) {
      problems.push(`${file}: missing — environment ${env} has stacks (regenerate it: npm run workflows)`);
      continue;
    }
    problems.push(...callerProblems(file, workflow, waveGroups(stacks, [env]), stacks, { mode: "deploy", planEnvironment: (e) => githubEnvironments(e).plan, applyEnvironment: (e) => githubEnvironments(e).apply, ordered: true }));
  }
  // Pull requests plan the first environment of the promotion only, as its pull-request identity; drift, as the plan identity.
  const environments = [...new Set(stacks.map((s) => s.deployment.environment))];
  const prEnvironment = (promotion ?? [...environments].sort()).find((e) => environments.includes(e));
  for (const kind of ["plan", "drift"] as const) {
    const file = `${kind}.yml`;
    const workflow = parsed.get(file);
    const groups = kind === "plan" ? waveGroups(stacks, prEnvironment ? [prEnvironment] : []) : waveGroups(stacks);
    if (!workflow) problems.push(`${file}: missing (regenerate it: npm run workflows)`);
    else problems.push(...callerProblems(file, workflow, groups, stacks, { mode: kind, planEnvironment: (e) => (kind === "plan" ? githubEnvironments(e).pr : githubEnvironments(e).plan), ordered: false }));
  }
  return problems;
}
