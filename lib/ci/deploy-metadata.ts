import { TerraformStack, TerraformVariable, TerraformVariableConfig } from "cdktf";

/** Where CI takes a variable's value from: a GitHub Environment variable or secret. */
export interface GithubSource {
  readonly kind: "vars" | "secrets";
  /** The GitHub variable or secret name. */
  readonly name: string;
}

/**
 * How the deploy workflow provides a variable. `github`: exported as `TF_VAR_<name>` from `vars.`/`secrets.`;
 * `runtime`: written to `$GITHUB_ENV` by a step of the job on every run (never in an `env:` block, where it would
 * shadow that value) — the Key Vault recovery flag.
 */
export type VariableSource = { readonly github: GithubSource } | { readonly runtime: "key-vault-recovery" };

export interface DeployVariableProps extends Omit<TerraformVariableConfig, "type"> {
  readonly type: "string" | "bool" | "number" | "list(string)";
  readonly description: string;
  /** @default a GitHub variable named UPPER_SNAKE(name), or a secret when `sensitive` */
  readonly source?: VariableSource;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/** The GitHub name of a variable unless stated otherwise: `subscription_id` → `SUBSCRIPTION_ID`. */
export function defaultGithubSource(name: string, sensitive: boolean): GithubSource {
  return { kind: sensitive ? "secrets" : "vars", name: name.toUpperCase() };
}

/**
 * Declares a Terraform variable directly on the stack — so its name is exactly `name`, usable as `TF_VAR_<name>`
 * (inside a construct it would get a hashed name) — and records, next to it, where the deploy workflow takes its
 * value from. The record is a `//` comment key in the synthesized JSON, which Terraform ignores and the workflow
 * generator and parity check read: the mapping has one owner.
 */
export function deployVariable(stack: TerraformStack, name: string, props: DeployVariableProps): TerraformVariable {
  if (!NAME.test(name)) throw new Error(`${stack.node.path}: invalid variable name "${name}": expected [a-z][a-z0-9_]* (usable as TF_VAR_<name>)`);
  const { source, ...config } = props;
  const variable = new TerraformVariable(stack, name, { nullable: false, ...config });
  variable.addOverride("//", { deploy: source ?? { github: defaultGithubSource(name, props.sensitive ?? false) } });
  return variable;
}

/** What the deploy workflow needs to know of a stack beyond its Terraform: its deployment environment. */
export interface StackDeployment {
  /** GitHub Environment (and deployment environment) the stack deploys to. */
  readonly environment: string;
}

/** Records the stack's deployment metadata in its synthesized JSON (a `//` comment key). */
export function setStackDeployment(stack: TerraformStack, deployment: StackDeployment): void {
  stack.addOverride("//.deployment", deployment);
}
