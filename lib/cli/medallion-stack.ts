#!/usr/bin/env node
import { readFileSync, writeFileSync } from "fs";
import { basename, join, resolve } from "path";
import { exportVariables, TFVARS_FILE } from "../ci/export-variables";
import type { StackDeployment } from "../ci/deploy-metadata";
import { planRefresh } from "../ci/identities";
import { stateBlobs } from "../ci/state-blobs";
import { readStackVariables } from "../ci/synthesized-app";

const USAGE = `usage: medallion-stack <export-variables --stack-dir DIR | redact-outputs | refresh-mode --stack-dir DIR | state-blobs --stack-dir DIR>
  export-variables  write DIR/${TFVARS_FILE} from the job's GitHub variables and secrets (VARS_JSON, SECRETS_JSON:
                    toJSON(vars), toJSON(secrets)), each from the name its stack declares; fails naming every missing one
  redact-outputs    read \`terraform output -json\` on stdin, write it without sensitive outputs
  refresh-mode      print \`plan\` when the plan identity can refresh the stack, \`deploy\` when only the deploy identity can
                    (the plan runs with -refresh=false, the approved job refreshes before it applies)
  state-blobs       print the state blobs a plan of the stack opens, one per line: self|remote NAME ACCOUNT CONTAINER KEY`;

/** The step's decision, one structured line on every path (house rule: state is explicit). */
function decide(fields: Record<string, unknown>): void {
  console.log(`medallion-stack ${JSON.stringify(fields)}`);
}

function parseContext(name: string): Record<string, string> {
  const text = process.env[name];
  if (text === undefined) throw new Error(`${name} is not set: pass \${{ toJSON(${name === "VARS_JSON" ? "vars" : "secrets"}) }} in the step's env`);
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`${name} is not a JSON object`);
  return parsed as Record<string, string>;
}

function exportCommand(args: string[]): number {
  const i = args.indexOf("--stack-dir");
  const dir = i >= 0 ? args[i + 1] : undefined;
  if (!dir || dir.startsWith("--")) {
    decide({ command: "export-variables", decision: "usage-error" });
    console.error(USAGE);
    return 2;
  }
  const stack = basename(resolve(dir));
  try {
    const variables = readStackVariables(stack, JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Record<string, unknown>);
    const result = exportVariables(variables, parseContext("VARS_JSON"), parseContext("SECRETS_JSON"));
    if (result.missing.length > 0) {
      decide({ command: "export-variables", stack, decision: "missing", missing: result.missing });
      console.error(`::error::${stack}: set these on the GitHub Environment: ${result.missing.join(", ")}`);
      return 1;
    }
    writeFileSync(join(dir, TFVARS_FILE), `${JSON.stringify(result.values, null, 2)}\n`, { mode: 0o600 });
    decide({ command: "export-variables", stack, decision: "written", variables: Object.keys(result.values), runtime: result.runtime });
    return 0;
  } catch (error) {
    decide({ command: "export-variables", stack, decision: "error" });
    console.error(`::error::${stack}: ${(error as Error).message}`);
    return 2;
  }
}

function redactCommand(): number {
  try {
    const outputs = JSON.parse(readFileSync(0, "utf8")) as Record<string, { sensitive?: boolean; value: unknown; type: unknown }>;
    const kept = Object.fromEntries(Object.entries(outputs).filter(([, o]) => o.sensitive !== true));
    const dropped = Object.keys(outputs).filter((k) => !(k in kept));
    process.stdout.write(`${JSON.stringify(kept, null, 2)}\n`);
    console.error(`medallion-stack ${JSON.stringify({ command: "redact-outputs", decision: "written", kept: Object.keys(kept).length, dropped })}`);
    return 0;
  } catch (error) {
    console.error(`medallion-stack ${JSON.stringify({ command: "redact-outputs", decision: "error" })}`);
    console.error(`::error::terraform output -json could not be read: ${(error as Error).message}`);
    return 2;
  }
}

/** The stack directory's synthesized JSON, or a usage error. */
function readStack(command: string, args: string[]): { stack: string; json: Record<string, unknown> } | number {
  const i = args.indexOf("--stack-dir");
  const dir = i >= 0 ? args[i + 1] : undefined;
  if (!dir || dir.startsWith("--")) {
    decide({ command, decision: "usage-error" });
    console.error(USAGE);
    return 2;
  }
  try {
    return { stack: basename(resolve(dir)), json: JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Record<string, unknown> };
  } catch (error) {
    decide({ command, decision: "error" });
    console.error(`::error::${dir}: ${(error as Error).message.split("\n")[0]}`);
    return 2;
  }
}

function refreshModeCommand(args: string[]): number {
  const read = readStack("refresh-mode", args);
  if (typeof read === "number") return read;
  const identities = ((read.json["//"] ?? {}) as { deployment?: StackDeployment }).deployment?.identities;
  // No record: the stack has no databricks side, or was synthesized without one — the plan identity's Azure role reads it all.
  const mode = !identities || planRefresh({ name: read.stack, json: read.json }, identities) ? "plan" : "deploy";
  console.error(`medallion-stack ${JSON.stringify({ command: "refresh-mode", stack: read.stack, decision: mode })}`);
  process.stdout.write(`${mode}\n`);
  return 0;
}

function stateBlobsCommand(args: string[]): number {
  const read = readStack("state-blobs", args);
  if (typeof read === "number") return read;
  try {
    for (const b of stateBlobs(read.stack, read.json)) process.stdout.write(`${b.kind} ${b.name} ${b.storageAccountName} ${b.containerName} ${b.key}\n`);
    return 0;
  } catch (error) {
    console.error(`::error::${(error as Error).message}`);
    return 2;
  }
}

export function main(args: string[]): number {
  if (args[0] === "refresh-mode") return refreshModeCommand(args.slice(1));
  if (args[0] === "state-blobs") return stateBlobsCommand(args.slice(1));
  if (args[0] === "export-variables") return exportCommand(args.slice(1));
  if (args[0] === "redact-outputs") return redactCommand();
  decide({ command: args[0] ?? null, decision: "usage-error" });
  console.error(USAGE);
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
