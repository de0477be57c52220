import { loadConfig } from "./stacks/config/load";
import { synthesize } from "./stacks/synth";

// The cdktf CLI passes its output directory in CDKTF_OUTDIR; run directly, the app writes cdktf.out.
const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";

try {
  const stacks = synthesize(loadConfig(), outdir);
  console.log(`synthesized ${stacks.length} stacks into ${outdir}/stacks: ${stacks.join(", ")}`);
} catch (error) {
  console.error(`synth failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
