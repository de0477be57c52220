/** The sample app's cdktf.out, synthesized once by the global setup. */
export function sampleSynth(): string {
  const out = process.env.SAMPLE_SYNTH;
  if (!out) throw new Error("SAMPLE_SYNTH is not set: run the tests through jest (global-setup.ts)");
  return out;
}
