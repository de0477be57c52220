import { existsSync, renameSync, rmSync } from "fs";
import { AppConfig } from "./config/load";
import { buildApp } from "./app";

/**
 * Synthesizes every stack into a staging directory and swaps it into `outdir` only when all of them
 * succeeded — and passed the guardrails, whose report lands beside them: a bad input or a guardrail error anywhere
 * leaves the previous output untouched and writes nothing new.
 */
export function synthesize(config: AppConfig, outdir: string): string[] {
  const staging = `${outdir}.staging`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const { app, guardrails } = buildApp(config, staging);
    app.synth();
    guardrails.writeReport(staging);
    rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    return app.node.children.map((c) => c.node.id);
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
}
