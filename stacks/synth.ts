import { existsSync, renameSync, rmSync } from "fs";
import { AppConfig } from "./config/load";
import { buildApp } from "./app";

/**
 * Synthesizes every stack into a staging directory and swaps it into `outdir` only when all of them
 * succeeded: a bad input anywhere leaves the previous output untouched and writes nothing new.
 */
export function synthesize(config: AppConfig, outdir: string): string[] {
  const staging = `${outdir}.staging`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const app = buildApp(config, staging);
    app.synth();
    rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    return app.node.children.map((c) => c.node.id);
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
}
