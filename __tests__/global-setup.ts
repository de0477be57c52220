import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadConfig } from "../stacks/config/load";
import { synthesize } from "../stacks/synth";

/** Synthesizes the sample app once for every suite that reads it (SAMPLE_SYNTH: its cdktf.out). */
export default function globalSetup(): void {
  const out = join(mkdtempSync(join(tmpdir(), "medallion-sample-")), "cdktf.out");
  synthesize(loadConfig(), out);
  process.env.SAMPLE_SYNTH = out;
}
