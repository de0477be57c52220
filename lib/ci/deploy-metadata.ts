import { TerraformStack, TerraformVariable, TerraformVariableConfig } from "cdktf";
import { invalid } from "../core/validation";
import type { DatabricksRight } from "./databricks-authorization";

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
  /**
   * The provider (`azurerm.hub`) whose subscription holds the resources this variable's IDs name: a write that links
   * to them (an endpoint in the hub's subnet, a zone group in the hub's zones) needs the linked actions there, so the
   * deployer permissions charge them to that provider's role. @default the stack's own subscription
   */
  readonly resourcesIn?: string;
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
  const { source, resourcesIn, ...config } = props;
  const variable = new TerraformVariable(stack, name, { nullable: false, ...config });
  variable.addOverride("//", { deploy: source ?? { github: defaultGithubSource(name, props.sensitive ?? false) }, ...(resourcesIn ? { resourcesIn } : {}) });
  return variable;
}

/** The network a stack's deploy must run from. */
export type DeployNetwork = "public" | "private";

/** What the deploy workflow needs to know of a stack beyond its Terraform. */
export interface StackDeployment {
  /** GitHub Environment (and deployment environment) the stack deploys to. */
  readonly environment: string;
  /**
   * `private` when the deploy calls an API reachable only from inside the network — the workspace-level API of a
   * workspace with public network access off answers only through its front-end private endpoint. @default "public"
   */
  readonly network?: DeployNetwork;
  /** Why the stack needs the private network (shown when it would run on a hosted runner). */
  readonly networkReason?: string;
  /** Runner labels of its jobs (`runs-on`). @default ["ubuntu-24.04"] (GitHub-hosted) */
  readonly runner?: readonly string[];
  /**
   * A site of the environment with runners of its own, e.g. `dr` for a disaster recovery secondary region: its stacks
   * deploy in jobs of their own (`dr-wave-<n>-<network>`). @default the environment's main site
   */
  readonly site?: string;
  /** What its identities hold in Databricks. @default none recorded: a stack with databricks blocks fails MDL-DEP-008 */
  readonly identities?: StackIdentities;
}

/**
 * What the stack's identities hold in Databricks (lib/ci/identities.ts): `deploy` writes after the approval, `plan`
 * plans before it. The synth rule MDL-DEP-008 checks every databricks block against them.
 */
export interface StackIdentities {
  readonly deploy: readonly DatabricksRight[];
  readonly plan: readonly DatabricksRight[];
}

/** Labels that name a GitHub-hosted runner image: such a runner is outside every private network. */
export const GITHUB_HOSTED_RUNNER = /^(ubuntu|windows|macos)-(latest|\d[\w.-]*)$/;

/** Whether these labels select a GitHub-hosted runner (which reaches only public endpoints). */
export function isHostedRunner(labels: readonly string[]): boolean {
  return labels.length === 1 && GITHUB_HOSTED_RUNNER.test(labels[0]);
}

/** What setStackDeployment recorded, per stack (the JSON override is write-only). */
const DEPLOYMENTS = new WeakMap<TerraformStack, StackDeployment>();

/**
 * Records the stack's deployment metadata in its synthesized JSON (a `//` comment key). A stack that needs the private
 * network must name runner labels that reach it: a GitHub-hosted label fails here, at synth, before anything is written.
 */
export function setStackDeployment(stack: TerraformStack, deployment: StackDeployment): void {
  DEPLOYMENTS.set(stack, deployment);
  stack.addOverride("//.deployment", deployment);
}

/** Records what the stack's identities hold in Databricks (after setStackDeployment). */
export function recordIdentities(stack: TerraformStack, identities: StackIdentities): void {
  const current = DEPLOYMENTS.get(stack);
  if (!current) invalid(stack, "deployment", undefined, "setStackDeployment before recordIdentities");
  setStackDeployment(stack, { ...current, identities });
}

/**
 * Declares that the stack's deploy calls an API only reachable from inside the network (`reason` says which), so its
 * jobs must run on `runner` — labels of a runner in (or peered to) that network. Fails at synth when the labels name a
 * GitHub-hosted runner, which reaches only public endpoints.
 */
export function requirePrivateNetwork(stack: TerraformStack, reason: string, runner?: readonly string[]): void {
  const current = DEPLOYMENTS.get(stack);
  if (!current) invalid(stack, "deployment", undefined, "setStackDeployment before requirePrivateNetwork");
  const labels = runner ?? current.runner ?? ["ubuntu-24.04"];
  if (!Array.isArray(labels) || labels.length === 0 || isHostedRunner(labels)) {
    invalid(stack, "deploy runner", labels, `labels of a runner inside the network (self-hosted, or GitHub-hosted with Azure private networking), because ${reason}`);
  }
  setStackDeployment(stack, { ...current, network: "private", networkReason: reason, runner: labels });
}
