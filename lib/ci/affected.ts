import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { stackWaves } from "./waves";
import { readSynthesizedApp } from "./synthesized-app";

/** A stack's synthesized JSON, normalised (parsed and re-serialised), or undefined where the synth has no such stack. */
function stackJson(outdir: string, name: string): string | undefined {
  const path = join(outdir, "stacks", name, "cdk.tf.json");
  return existsSync(path) ? JSON.stringify(JSON.parse(readFileSync(path, "utf8"))) : undefined;
}

/**
 * The stacks a change affects: those whose synthesized JSON differs between the base and the head synth (or that are
 * new), plus every stack that depends on one of them, transitively — a changed output can change a dependent's plan.
 * In deploy order (wave, then name). Synthesis is deterministic, so identical configurations give no stack. Without a
 * base synth (no earlier deploy), every stack.
 */
export function affectedStacks(baseOutdir: string | undefined, headOutdir: string): string[] {
  const head = readSynthesizedApp(headOutdir);
  const waves = stackWaves(head);
  const changed = new Set(head.filter((s) => !baseOutdir || !existsSync(join(baseOutdir, "manifest.json")) || stackJson(baseOutdir, s.name) !== stackJson(headOutdir, s.name)).map((s) => s.name));
  let grew = true;
  while (grew) {
    grew = false;
    for (const stack of head) {
      if (!changed.has(stack.name) && stack.dependencies.some((d) => changed.has(d))) {
        changed.add(stack.name);
        grew = true;
      }
    }
  }
  return [...changed].sort((a, b) => waves.get(a)! - waves.get(b)! || a.localeCompare(b));
}

/** Stacks of the base synth that the head no longer has: the deploy does not destroy them; an operator must. */
export function removedStacks(baseOutdir: string | undefined, headOutdir: string): string[] {
  if (!baseOutdir || !existsSync(join(baseOutdir, "manifest.json"))) return [];
  const head = new Set(readSynthesizedApp(headOutdir).map((s) => s.name));
  return readSynthesizedApp(baseOutdir).map((s) => s.name).filter((n) => !head.has(n));
}
