import { existsSync, mkdirSync, renameSync, rmSync } from "fs";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { Guardrails } from "./guardrails";

/** Synthesis refused: every stack's guardrail errors (and the failure that stopped cdktf, if any), together. */
export class SynthesisError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`synthesis failed; nothing was written:\n  ${problems.join("\n  ")}`);
    this.name = "SynthesisError";
  }
}

/**
 * All-or-nothing synthesis of an App: every stack is synthesized and checked by the App's guardrails
 * ({@link Guardrails.of}), every stack's errors are reported together, and the output directory changes only when all
 * pass — otherwise it is left as it was before the call. (cdktf alone stops at the first failing stack and leaves the
 * stacks before it written.) Returns the stacks' names.
 */
export function synthesizeAll(app: App): string[] {
  const guardrails = Guardrails.on(app);
  const outdir = app.outdir;
  const previous = `${outdir}.previous`;
  rmSync(previous, { recursive: true, force: true });
  const hadOutput = existsSync(outdir);
  if (hadOutput) renameSync(outdir, previous);
  // cdktf writes each stack into <outdir>/stacks/<name>, which must exist.
  mkdirSync(join(outdir, "stacks"), { recursive: true });
  if (guardrails) guardrails.collectErrors = true;
  try {
    let failure: string | undefined;
    try {
      app.synth();
    } catch (error) {
      failure = (error as Error).message;
    }
    const problems = [...(guardrails?.errors ?? []), ...(failure ? [failure] : [])];
    if (problems.length > 0) throw new SynthesisError(problems);
    rmSync(previous, { recursive: true, force: true });
    return app.node.findAll().filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => s.node.id);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    if (hadOutput) renameSync(previous, outdir);
    throw error;
  } finally {
    if (guardrails) guardrails.collectErrors = false;
  }
}
