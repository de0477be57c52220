import { existsSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { recoveryReportMarkdown } from "../lib/disaster-recovery/recovery-report";
import { withoutTokenStackTraces } from "../lib/core/token-stack-traces";
import { synthesizeAll } from "../lib/guardrails/synthesize-all";
import { AppConfig } from "./config/load";
import { buildApp } from "./app";

/**
 * Synthesizes every stack, all or nothing (synthesizeAll): a bad input or a guardrail error anywhere leaves `outdir`
 * as it was and writes nothing new; on success the guardrails report and the disaster recovery report
 * (`dr-report.json`, `dr-report.md`) land beside the stacks.
 */
export function synthesize(config: AppConfig, outdir: string): string[] {
  return withoutTokenStackTraces(() => synthesizeApp(config, outdir));
}

function synthesizeApp(config: AppConfig, outdir: string): string[] {
  const existed = existsSync(outdir);
  let built: ReturnType<typeof buildApp>;
  try {
    built = buildApp(config, outdir);
  } catch (error) {
    // cdktf's App creates its output directory at construction; a bad input must not leave even that behind.
    if (!existed) rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  const stacks = synthesizeAll(built.app);
  built.guardrails.writeReport(outdir);
  writeFileSync(join(outdir, "dr-report.json"), `${JSON.stringify({ environments: built.recoveryReports }, null, 2)}\n`);
  writeFileSync(join(outdir, "dr-report.md"), recoveryReportMarkdown(built.recoveryReports));
  return stacks;
}
