import { readFileSync } from "fs";
import { join } from "path";
import type { StackDeployment, VariableSource } from "./deploy-metadata";

/** One Terraform variable of a synthesized stack, as CI must provide it. */
export interface SynthesizedVariable {
  readonly name: string;
  readonly sensitive: boolean;
  readonly hasDefault: boolean;
  /** The Terraform type (`string`, `bool`, `number`, `list(string)`). */
  readonly type: string;
  readonly source: VariableSource;
}

/** One synthesized stack, read from cdktf.out. */
export interface SynthesizedStack {
  readonly name: string;
  /** Working directory relative to the repository: `cdktf.out/stacks/<name>`. */
  readonly directory: string;
  readonly dependencies: readonly string[];
  readonly deployment: StackDeployment;
  readonly variables: readonly SynthesizedVariable[];
  /** The stack's JSON. */
  readonly json: Record<string, unknown>;
}

interface Manifest {
  readonly stacks: Record<string, { readonly name: string; readonly workingDirectory: string; readonly synthesizedStackPath: string; readonly dependencies: string[] }>;
}

/**
 * Reads the synthesized app: stacks and their dependencies from `manifest.json`, variables and deployment metadata
 * from each `cdk.tf.json`. Stacks come in name order.
 */
export function readSynthesizedApp(outdir: string, relativeOutdir = "cdktf.out"): SynthesizedStack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  return Object.values(manifest.stacks)
    .map((entry) => {
      const json = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as Record<string, unknown>;
      const meta = (json["//"] ?? {}) as { deployment?: StackDeployment };
      if (!meta.deployment?.environment) {
        throw new Error(`stack ${entry.name} has no deployment metadata: call setStackDeployment(stack, { environment }) on every stack of the app (and deployVariable for its variables) before synthesizing`);
      }
      const variables = readStackVariables(entry.name, json);
      return {
        name: entry.name,
        directory: `${relativeOutdir}/${entry.workingDirectory}`,
        dependencies: [...(entry.dependencies ?? [])].sort(),
        deployment: meta.deployment,
        variables,
        json,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A synthesized stack's variables with their deploy sources (the `//` record next to each), in name order. */
export function readStackVariables(stack: string, json: Record<string, unknown>): SynthesizedVariable[] {
  return Object.entries((json.variable ?? {}) as Record<string, { sensitive?: boolean; default?: unknown; type?: string; "//"?: { deploy?: VariableSource } }>)
    .map(([name, v]) => {
      const source = v["//"]?.deploy;
      if (!source) throw new Error(`stack ${stack}: variable ${name} has no deploy source (declare it with deployVariable)`);
      return { name, sensitive: v.sensitive ?? false, hasDefault: v.default !== undefined, type: v.type ?? "string", source };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
