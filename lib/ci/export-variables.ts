import { SynthesizedVariable } from "./synthesized-app";

/** The file the deploy writes in the stack's directory: Terraform loads `*.auto.tfvars.json` by itself. */
export const TFVARS_FILE = "medallion.auto.tfvars.json";

export interface ExportResult {
  /** Variable name → value, for every variable CI provides from GitHub. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Variables whose GitHub variable or secret is not set: `<terraform name> (<vars|secrets>.<NAME>)`. */
  readonly missing: readonly string[];
  /** Variables written at run time by a step of the job (the Key Vault recovery flag): not exported here. */
  readonly runtime: readonly string[];
}

/** A GitHub value in the type the variable declares (GitHub variables are strings). */
function typed(variable: SynthesizedVariable, value: string): unknown {
  switch (variable.type) {
    case "bool":
      if (value === "true" || value === "false") return value === "true";
      throw new Error(`variable ${variable.name}: "${value}" is not true or false`);
    case "number":
      if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
      throw new Error(`variable ${variable.name}: "${value}" is not a number`);
    case "list(string)": {
      const parsed = JSON.parse(value) as unknown;
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed;
      throw new Error(`variable ${variable.name}: expected a JSON array of strings`);
    }
    default:
      return value;
  }
}

/**
 * The values of a stack's variables from the GitHub contexts of the job (`toJSON(vars)`, `toJSON(secrets)`), each from
 * the variable or secret its stack declares for it. An unset or empty one is missing unless the variable has a default.
 */
export function exportVariables(variables: readonly SynthesizedVariable[], vars: Readonly<Record<string, string>>, secrets: Readonly<Record<string, string>>): ExportResult {
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  const runtime: string[] = [];
  for (const variable of variables) {
    if ("runtime" in variable.source) {
      runtime.push(variable.name);
      continue;
    }
    const { kind, name } = variable.source.github;
    const value = (kind === "vars" ? vars : secrets)[name];
    // Unset with a default: the default holds. Never an empty string, which Terraform would take as the value.
    if (value === undefined || value === "") {
      if (!variable.hasDefault) missing.push(`${variable.name} (${kind}.${name})`);
    }
    else values[variable.name] = typed(variable, value);
  }
  return { values, missing, runtime };
}
