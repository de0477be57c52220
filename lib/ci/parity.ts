import { parse } from "yaml";
import { isHostedRunner } from "./deploy-metadata";
import { RECOVERY_STEP_NAME } from "./deploy-workflow";
import { SynthesizedStack } from "./synthesized-app";

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, unknown>;
}
interface Job {
  "runs-on"?: string | string[];
  env?: Record<string, unknown>;
  needs?: string | string[];
  steps?: Step[];
}
interface Workflow {
  env?: Record<string, unknown>;
  jobs?: Record<string, Job>;
}

const TERRAFORM_COMMAND = /\bterraform\s+(plan|apply)\b[^\n;&|]*/g;

/**
 * Checks a deploy workflow against the synthesized stacks (the YAML is parsed, not grepped). Returns one message
 * per offender; empty when the workflow is in parity:
 * - every variable of every stack, with or without a default, is exported as `TF_VAR_<name>` in its stack's job,
 *   from the GitHub variable or secret declared with it;
 * - no `TF_VAR_` export matches no variable (strays);
 * - a runtime-written variable (the Key Vault recovery flag) is in no `env:` block, where it would shadow the value
 *   the recovery step writes, and that step runs before `terraform plan`;
 * - every `terraform plan`/`apply` has `-input=false` (a missing variable must fail, not hang on a prompt);
 * - each job needs its stack's dependencies;
 * - a stack that needs the private network does not run on a GitHub-hosted runner.
 */
export function checkParity(workflowText: string, stacks: readonly SynthesizedStack[]): string[] {
  const problems: string[] = [];
  const workflow = (parse(workflowText) ?? {}) as Workflow;
  const jobs = workflow.jobs ?? {};
  const byName = new Map(stacks.map((s) => [s.name, s]));

  for (const key of Object.keys(workflow.env ?? {})) {
    if (key.startsWith("TF_VAR_")) problems.push(`workflow env: ${key} is set for every job; export variables in the job of their stack`);
  }

  for (const [jobName, job] of Object.entries(jobs)) {
    const steps = job.steps ?? [];
    steps.forEach((step, i) => {
      for (const match of (step.run ?? "").matchAll(TERRAFORM_COMMAND)) {
        if (!/(^|\s)-input=false(\s|$)/.test(match[0])) problems.push(`job ${jobName}, step ${step.name ?? i + 1}: "${match[0].trim()}" lacks -input=false (a missing variable would hang the run)`);
      }
    });
    if (jobName !== "synth" && !byName.has(jobName)) {
      const tfVars = Object.keys(job.env ?? {}).filter((k) => k.startsWith("TF_VAR_"));
      if (tfVars.length > 0) problems.push(`job ${jobName}: matches no synthesized stack, yet exports ${tfVars.join(", ")}`);
    }
  }

  for (const stack of stacks) {
    const job = jobs[stack.name];
    if (!job) {
      problems.push(`stack ${stack.name}: no job in the workflow (regenerate it: npm run workflows)`);
      continue;
    }
    const exports = new Map(Object.entries(job.env ?? {}).filter(([k]) => k.startsWith("TF_VAR_")).map(([k, v]) => [k.slice("TF_VAR_".length), String(v)]));
    const steps = job.steps ?? [];
    for (const variable of stack.variables) {
      if ("runtime" in variable.source) {
        if (exports.has(variable.name)) problems.push(`job ${stack.name}: TF_VAR_${variable.name} is set in the job's env:, which shadows the value the recovery step writes to $GITHUB_ENV`);
        steps.forEach((step, i) => {
          if (step.env && `TF_VAR_${variable.name}` in step.env) problems.push(`job ${stack.name}, step ${step.name ?? i + 1}: TF_VAR_${variable.name} is set in a step env:, which shadows the value the recovery step writes`);
        });
        const recovery = steps.findIndex((s) => s.name === RECOVERY_STEP_NAME);
        const plan = steps.findIndex((s) => /\bterraform\s+plan\b/.test(s.run ?? ""));
        if (recovery < 0) problems.push(`job ${stack.name}: no "${RECOVERY_STEP_NAME}" step writes TF_VAR_${variable.name}`);
        else if (plan >= 0 && recovery > plan) problems.push(`job ${stack.name}: "${RECOVERY_STEP_NAME}" runs after terraform plan`);
        continue;
      }
      const expected = `\${{ ${variable.source.github.kind}.${variable.source.github.name} }}`;
      const actual = exports.get(variable.name);
      if (actual === undefined) problems.push(`job ${stack.name}: variable ${variable.name}${variable.hasDefault ? " (has a default)" : ""} has no TF_VAR_${variable.name} export (expected ${expected})`);
      else if (actual.replace(/\s+/g, " ") !== expected) problems.push(`job ${stack.name}: TF_VAR_${variable.name} is "${actual}", but the stack declares ${expected}`);
    }
    const declared = new Set(stack.variables.map((v) => v.name));
    for (const name of exports.keys()) {
      if (!declared.has(name)) problems.push(`job ${stack.name}: TF_VAR_${name} is a stray export (stack ${stack.name} has no variable ${name})`);
    }
    const labels = Array.isArray(job["runs-on"]) ? job["runs-on"] : job["runs-on"] ? [job["runs-on"]] : [];
    if (stack.deployment.network === "private" && isHostedRunner(labels.map(String))) {
      problems.push(`job ${stack.name}: runs on the GitHub-hosted runner ${labels.join(", ")}, but the stack needs the private network (${stack.deployment.networkReason ?? "it calls a private API"})`);
    }
    const needs = new Set(Array.isArray(job.needs) ? job.needs : job.needs ? [job.needs] : []);
    for (const dependency of stack.dependencies) {
      if (!needs.has(dependency)) problems.push(`job ${stack.name}: does not need ${dependency}, which the stack depends on`);
    }
  }
  return problems;
}
