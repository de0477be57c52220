import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { exportVariables, TFVARS_FILE } from "../lib/ci/export-variables";
import { SynthesizedStack } from "../lib/ci/synthesized-app";
import { EmulatedSide } from "./emulated-side";
import { AzureEmulator } from "./emulator/emulator";
import { openRunProxy } from "./network";
import { TerraformResult, runTerraform } from "./terraform";
import { TestCertificateAuthority } from "./tls";
import { EnvironmentIdentities, TENANT_ID, githubVariables, subscriptionOf } from "./tenant";

export type Phase = "init" | "plan" | "apply" | "second-plan" | "plan-identity" | "destroy";

export interface PhaseResult {
  readonly phase: Phase;
  readonly identity: string;
  readonly ok: boolean;
  readonly ms: number;
  /** Why it failed, or for a plan the changes it proposed. */
  readonly detail?: string;
}

/** What the rehearsal needs to run terraform for a stack. */
export interface StackRunContext {
  readonly emulator: AzureEmulator;
  readonly ca: TestCertificateAuthority;
  readonly workdir: string;
  readonly identities: EnvironmentIdentities;
  readonly secrets: ReadonlyMap<string, string>;
  readonly stacks: readonly SynthesizedStack[];
  /** Each stack's backend (storage account/container/key) → the stack, for remote-state references. */
  readonly stateOwners: ReadonlyMap<string, string>;
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

const TIMEOUTS: Readonly<Record<Phase, number>> = { init: 120_000, plan: 600_000, apply: 1_200_000, "second-plan": 600_000, "plan-identity": 600_000, destroy: 1_200_000 };

export function backendKey(config: { storage_account_name?: string; container_name?: string; key?: string }): string {
  return `${config.storage_account_name}/${config.container_name}/${config.key}`.toLowerCase();
}

/**
 * Writes the stack's rehearsal folder: its ARM side as `cdk.tf.json`, the variables as the workflow's export step
 * writes them, and an override file that switches only the backend to local state and points remote-state data
 * sources at the earlier stacks' local states (https://developer.hashicorp.com/terraform/language/files/override).
 */
export function prepareStack(ctx: StackRunContext, stack: SynthesizedStack, side: EmulatedSide): string {
  const dir = join(ctx.workdir, stack.deployment.environment, stack.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(side.json, null, 2));
  const remote = ((side.json.data as Record<string, Record<string, { config?: Record<string, string> }>> | undefined)?.terraform_remote_state ?? {}) as Record<string, { config?: Record<string, string> }>;
  const overrides: Record<string, unknown> = {};
  for (const [name, ds] of Object.entries(remote)) {
    const owner = ctx.stateOwners.get(backendKey(ds.config ?? {}));
    if (!owner) throw new Error(`stack ${stack.name}: data.terraform_remote_state.${name} reads ${backendKey(ds.config ?? {})}, which no stack of the app writes`);
    const ownerEnv = ctx.stacks.find((s) => s.name === owner)!.deployment.environment;
    overrides[name] = { backend: "local", config: { path: join(ctx.workdir, ownerEnv, owner, "terraform.tfstate") } };
  }
  const override: Record<string, unknown> = { terraform: { backend: { local: { path: "terraform.tfstate" } } } };
  // The databricks providers sign in with the job identity's client secret (ARM_CLIENT_SECRET), not GitHub's OIDC token:
  // the same identity and the same Entra token endpoint, without a GitHub token service. Provider blocks merge by alias.
  const databricks = ((side.json.provider ?? {}) as Record<string, { alias?: string }[]>).databricks ?? [];
  if (databricks.length > 0) override.provider = { databricks: databricks.map((p) => ({ ...(p.alias ? { alias: p.alias } : {}), auth_type: "azure-client-secret" })) };
  if (Object.keys(overrides).length > 0) override.data = { terraform_remote_state: overrides };
  writeFileSync(join(dir, "rehearsal_override.tf.json"), JSON.stringify(override, null, 2));
  writeVariables(ctx, stack, dir, "deploy");
  return dir;
}

/** The variables a job of `identity` writes (export-variables), from the fake GitHub Environment. */
export function writeVariables(ctx: StackRunContext, stack: SynthesizedStack, dir: string, identity: "deploy" | "plan"): void {
  const vars = githubVariables(stack.deployment.environment, ctx.stacks, identity);
  const result = exportVariables(stack.variables, vars, {});
  if (result.missing.length > 0) throw new Error(`stack ${stack.name}: the rehearsal's GitHub variables miss ${result.missing.join(", ")}`);
  writeFileSync(join(dir, TFVARS_FILE), JSON.stringify(result.values, null, 2), { mode: 0o600 });
}

/** Runs one terraform command of a stack as one identity, through a proxy of its own. */
export async function runPhase(ctx: StackRunContext, stack: SynthesizedStack, dir: string, phase: Phase, identity: "deploy" | "plan", args: readonly string[], timeoutMs = TIMEOUTS[phase]): Promise<TerraformResult> {
  const who = ctx.identities[identity];
  const label = `${stack.name}/${phase}`;
  const proxy = await openRunProxy(ctx.ca, ctx.emulator.handler({ label, network: stack.deployment.network ?? "public" }));
  try {
    const env: Record<string, string> = {
      ...ctx.baseEnv,
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      ARM_CLIENT_ID: who.clientId,
      ARM_CLIENT_SECRET: ctx.secrets.get(who.clientId)!,
      ARM_TENANT_ID: TENANT_ID,
      ARM_SUBSCRIPTION_ID: subscriptionOf(stack.deployment.environment),
      ARM_USE_CLI: "false",
      ARM_USE_MSI: "false",
    };
    return await runTerraform(args, dir, env, Math.min(timeoutMs, ctx.timeoutMs));
  } finally {
    await proxy.close();
  }
}
