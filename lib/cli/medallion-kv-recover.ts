#!/usr/bin/env node
// Runs in CI from dist/ without node_modules: Node built-ins only.
import { spawnSync } from "child_process";
import { appendFileSync, readFileSync } from "fs";
import { basename, join, resolve } from "path";
import { CommandResult, recoverVault, RecoveryOutcome, vaultTargets } from "../ci/key-vault-recovery";

const FLAG = "TF_VAR_key_vault_recover_soft_deleted";
const USAGE = "usage: medallion-kv-recover --stack-dir <cdktf.out/stacks/STACK> [--no-move] [--allow-purge]";

function run(tool: "az" | "terraform", args: string[], cwd: string): CommandResult {
  const result = spawnSync(tool, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) return { code: 127, stdout: "", stderr: `${tool}: ${result.error.message}` };
  return { code: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Writes the flag for the following steps on every path — never left to an inherited value. */
function writeFlag(value: boolean): void {
  const line = `${FLAG}=${value}\n`;
  if (process.env.GITHUB_ENV) appendFileSync(process.env.GITHUB_ENV, line);
  else process.stdout.write(`(no GITHUB_ENV) ${line}`);
}

function summarize(stack: string, outcomes: RecoveryOutcome[], flag: boolean): void {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const rows = outcomes.map((o) => `| ${o.vault ?? "—"} | ${o.resourceGroup ?? "—"} | \`${o.decision}\` | ${o.actions.join("; ") || "—"} | ${o.message.replace(/\n\s*/g, " ")} |`);
  appendFileSync(
    process.env.GITHUB_STEP_SUMMARY,
    [`### Key Vault recovery: ${stack}`, "", `\`${FLAG}=${flag}\``, "", "| vault | resource group | decision | actions | why |", "| --- | --- | --- | --- | --- |", ...rows, "", ""].join("\n"),
  );
}

export function main(args: string[]): number {
  const i = args.indexOf("--stack-dir");
  const stackDir = i >= 0 ? args[i + 1] : undefined;
  if (!stackDir) {
    console.error(USAGE);
    writeFlag(false);
    return 2;
  }
  const stackName = basename(resolve(stackDir));
  let outcomes: RecoveryOutcome[];
  try {
    const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
    const targets = vaultTargets(stack, process.env);
    const options = {
      allowMove: !args.includes("--no-move"),
      allowPurge: args.includes("--allow-purge"),
      maxAttempts: 4,
      retryBaseMs: Number(process.env.MEDALLION_RETRY_BASE_MS ?? 2000),
      sleep,
    };
    outcomes =
      targets.length === 0
        ? [{ decision: "no-vault-in-stack", recoverSoftDeleted: false, actions: [], warnings: [], message: "The stack has no Key Vault.", exitCode: 0 }]
        : targets.map((target) => recoverVault(target, (tool, toolArgs) => run(tool, toolArgs, stackDir), options));
  } catch (error) {
    console.error(`kv-recovery: ${(error as Error).message}`);
    writeFlag(false);
    return 2;
  }
  const flag = outcomes.some((o) => o.recoverSoftDeleted);
  writeFlag(flag);
  for (const o of outcomes) {
    for (const w of o.warnings) console.warn(`::warning::kv-recovery ${stackName}: ${w}`);
    console.log(`kv-recovery ${JSON.stringify({ stack: stackName, vault: o.vault, resourceGroup: o.resourceGroup, decision: o.decision, recoverSoftDeleted: o.recoverSoftDeleted, actions: o.actions })}`);
    if (o.exitCode !== 0) console.error(`::error::kv-recovery ${stackName}: ${o.message}`);
  }
  summarize(stackName, outcomes, flag);
  return Math.max(...outcomes.map((o) => o.exitCode));
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
