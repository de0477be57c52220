import { rmSync } from "fs";
import { dirname } from "path";

export default function globalTeardown(): void {
  if (process.env.SAMPLE_SYNTH) rmSync(dirname(process.env.SAMPLE_SYNTH), { recursive: true, force: true });
}
