import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { DATABRICKS_RIGHTS, DatabricksRight } from "../lib/ci/databricks-authorization";
import { readSynthesizedApp } from "../lib/ci/synthesized-app";
import { rehearse } from "./rehearsal";
import { writeReport } from "./report";
import { providerMirror } from "./terraform";

const USAGE = `usage: npm run rehearse -- [--stacks a,b] [--parallel N] [--tools DIR] [--out DIR] [--keep]
  --stacks    rehearse these stacks (and the stacks they depend on); default: every stack of every environment
  --parallel  terraform runs at once, both environments together (default 6)
  --tools     the folder holding terraform-providers.tar.xz (default ../shared/tools)
  --out       where report.json and report.md go (default rehearsal/)
  --keep      keep the work folder (stack copies, states, logs) and print its path
  --drop-action A  remove action A from every generated role first (a mutation: the rehearsal must then fail)
  --drop-databricks-right R  remove Databricks right R (e.g. metastore-admin) from every identity's bootstrap first
  --app DIR   the synthesized app to rehearse (default cdktf.out)`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--help")) {
    console.log(USAGE);
    return 0;
  }
  const root = resolve(__dirname, "..", "..");
  const tools = resolve(option(args, "--tools") ?? join(root, "..", "shared", "tools"));
  const out = resolve(option(args, "--out") ?? join(root, "rehearsal"));
  const parallel = Number(option(args, "--parallel") ?? "6");
  if (!Number.isInteger(parallel) || parallel < 1) {
    console.error(`--parallel must be a positive integer\n${USAGE}`);
    return 2;
  }
  const select = (option(args, "--stacks") ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  const stacks = readSynthesizedApp(resolve(option(args, "--app") ?? join(root, "cdktf.out")));
  const mirror = providerMirror(join(tools, "terraform-providers.tar.xz"));
  const workdir = mkdtempSync(join(tmpdir(), "medallion-rehearsal-"));
  try {
    const dropAction = option(args, "--drop-action");
    const dropRight = option(args, "--drop-databricks-right");
    if (dropRight !== undefined && !DATABRICKS_RIGHTS.includes(dropRight as DatabricksRight)) {
      console.error(`--drop-databricks-right: expected one of ${DATABRICKS_RIGHTS.join(", ")}\n${USAGE}`);
      return 2;
    }
    const result = await rehearse({ stacks, select, mirror, workdir, parallel, timeoutMs: 20 * 60_000, log: (line) => console.log(line), dropAction, dropDatabricksRight: dropRight as DatabricksRight | undefined });
    const failures = writeReport(result, out, select.length === 0 && !dropAction && !dropRight && !args.includes("--app"));
    console.log(`rehearsal: ${result.outcomes.length} stacks, ${result.emulator.log.records.length} calls, ${(result.ms / 1000).toFixed(0)} s; report in ${join(out, "report.md")}`);
    for (const f of failures) console.error(`rehearsal: ${f}`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    if (args.includes("--keep")) console.log(`rehearsal: work folder kept in ${workdir}`);
    else rmSync(workdir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`rehearsal failed: ${error.message}`);
    process.exit(2);
  },
);
