#!/usr/bin/env node
// Runs in CI from dist/ without node_modules: Node built-ins only.
import { spawnSync } from "child_process";
import { appendFileSync, existsSync, readFileSync, statSync } from "fs";
import { TFVARS_FILE } from "../ci/export-variables";
import { basename, join, resolve } from "path";
import { CommandResult, Decision, recoverVault, RecoveryOutcome, vaultTargets } from "../ci/key-vault-recovery";

const FLAG = "TF_VAR_key_vault_recover_soft_deleted";
const USAGE = "usage: medallion-kv-recover --stack-dir <cdktf.out/stacks/STACK> [--check] [--no-move] [--allow-purge]";
const OPTIONS = new Set(["--check", "--no-move", "--allow-purge"]);

/** Outcomes of the CLI itself, before any vault is looked at: they fail the job like an Azure error does. */
type CliDecision = Decision | "usage-error" | "stack-unreadable" | "missing-input";
type Outcome = Omit<RecoveryOutcome, "decision"> & { readonly decision: CliDecision };

function run(tool: "az" | "terraform", args: string[], cwd: string): CommandResult {
  const result = spawnSync(tool, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) return { code: 127, stdout: "", stderr: `${tool}: ${result.error.message}` };
  return { code: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Appends lines to a GitHub file command (`$GITHUB_ENV`, `$GITHUB_STEP_SUMMARY`). A file whose last line has no
 * newline would otherwise glue our first line onto it and corrupt both.
 */
function appendLines(path: string, text: string): void {
  const needsNewline = existsSync(path) && statSync(path).size > 0 && !readFileSync(path, "utf8").endsWith("\n");
  appendFileSync(path, `${needsNewline ? "\n" : ""}${text}`);
}

/** The flag for the following steps, on every path: never left to an inherited value. */
function writeFlag(value: boolean): void {
  const line = `${FLAG}=${value}\n`;
  if (process.env.GITHUB_ENV) appendLines(process.env.GITHUB_ENV, line);
  else process.stdout.write(`(no GITHUB_ENV) ${line}`);
}

function summarize(stack: string, outcomes: Outcome[], flag: boolean): void {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n\s*/g, " ");
  const rows = outcomes.map((o) => `| ${o.vault ?? "—"} | ${o.resourceGroup ?? "—"} | \`${o.decision}\` | ${cell(o.actions.join("; ") || "—")} | ${cell(o.message)} |`);
  appendLines(
    process.env.GITHUB_STEP_SUMMARY,
    [`### Key Vault recovery: ${stack}`, "", `\`${FLAG}=${flag}\``, "", "| vault | resource group | decision | actions | why |", "| --- | --- | --- | --- | --- |", ...rows, "", ""].join("\n"),
  );
}

/** One structured line per outcome on stdout, warnings and errors as workflow commands, the summary, the flag. */
function report(stack: string, outcomes: Outcome[]): number {
  const flag = outcomes.every((o) => o.exitCode === 0) && outcomes.some((o) => o.recoverSoftDeleted);
  writeFlag(flag);
  for (const o of outcomes) {
    for (const w of o.warnings) console.warn(`::warning::kv-recovery ${stack}: ${w}`);
    const line = { stack, vault: o.vault ?? null, resourceGroup: o.resourceGroup ?? null, decision: o.decision, recoverSoftDeleted: o.recoverSoftDeleted, exitCode: o.exitCode, actions: o.actions, pending: o.pending, failure: o.failure };
    console.log(`kv-recovery ${JSON.stringify(line)}`);
    if (o.exitCode !== 0) console.error(`::error::kv-recovery ${stack}: ${o.message}`);
  }
  summarize(stack, outcomes, flag);
  return Math.max(...outcomes.map((o) => o.exitCode));
}

/**
 * The variables the deploy wrote for Terraform (export-variables), as `TF_VAR_` entries: Terraform lets
 * `*.auto.tfvars.json` override the environment, and so does this.
 */
function tfvarsAsEnv(stackDir: string): Record<string, string> {
  const path = join(stackDir, TFVARS_FILE);
  if (!existsSync(path)) return {};
  const values = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v !== "object").map(([k, v]) => [`TF_VAR_${k}`, String(v)]));
}

const failed = (decision: CliDecision, message: string): Outcome => ({ decision, recoverSoftDeleted: false, actions: [], pending: [], warnings: [], message, exitCode: 2 });

export function main(args: string[]): number {
  const i = args.indexOf("--stack-dir");
  const stackDir = i >= 0 ? args[i + 1] : undefined;
  const unknown = args.filter((a, k) => k !== i && k !== i + 1 && !OPTIONS.has(a));
  if (!stackDir || stackDir.startsWith("--") || unknown.length > 0) {
    return report("(unknown)", [failed("usage-error", `${unknown.length > 0 ? `unknown arguments ${unknown.join(" ")}; ` : ""}${USAGE}`)]);
  }
  const stackName = basename(resolve(stackDir));
  const stackFile = join(stackDir, "cdk.tf.json");
  let stack: Record<string, unknown>;
  try {
    stack = JSON.parse(readFileSync(stackFile, "utf8")) as Record<string, unknown>;
  } catch (error) {
    return report(stackName, [failed("stack-unreadable", `cannot read the synthesized stack ${stackFile}: ${(error as Error).message.split("\n")[0]}`)]);
  }
  let targets;
  try {
    targets = vaultTargets(stack, { ...process.env, ...tfvarsAsEnv(stackDir) });
  } catch (error) {
    return report(stackName, [failed("missing-input", (error as Error).message)]);
  }
  const options = {
    allowMove: !args.includes("--no-move"),
    allowPurge: args.includes("--allow-purge"),
    checkOnly: args.includes("--check"),
    maxAttempts: 4,
    retryBaseMs: Number(process.env.MEDALLION_RETRY_BASE_MS ?? 2000),
    maxRetryWaitMs: Number(process.env.MEDALLION_RETRY_MAX_MS ?? 60_000),
    sleep,
  };
  const outcomes: Outcome[] =
    targets.length === 0
      ? [{ decision: "no-vault-in-stack", recoverSoftDeleted: false, actions: [], pending: [], warnings: [], message: "The stack has no Key Vault.", exitCode: 0 }]
      : targets.map((target) => recoverVault(target, (tool, toolArgs) => run(tool, toolArgs, stackDir), options));
  // --check (the plan job, before any approval): a needed change fails the job and waits for the approved recover job.
  const checked = outcomes.map((o): Outcome =>
    o.pending.length > 0 && o.exitCode === 0
      ? { ...o, exitCode: 1, message: `${o.message} Not done before the approval: ${o.pending.join("; ")}. Dispatch the deploy workflow with recover: true — its recover job makes these changes after the environment's approval.` }
      : o,
  );
  return report(stackName, checked);
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
