import { randomBytes } from "crypto";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { deployerRole, planRole } from "../lib/ci/deployer-permissions";
import { SynthesizedStack } from "../lib/ci/synthesized-app";
import { stackWaves } from "../lib/ci/waves";
import { EmulatedSide, emulatedSide } from "./emulated-side";
import { RoleDefinition } from "./authorization/evaluate";
import { AzureEmulator } from "./emulator/emulator";
import { stableGuid } from "./emulator/type-quirks";
import { PhaseResult, StackRunContext, backendKey, prepareStack, runPhase, writeVariables } from "./rehearse-stack";
import { TestCertificateAuthority } from "./tls";
import type { DatabricksRight } from "../lib/ci/databricks-authorization";
import { planRefresh } from "../lib/ci/identities";
import { DatabricksBootstrap } from "./emulator/databricks/databricks-world";
import { DATABRICKS_ACCOUNT_ID, HUB_SUBSCRIPTION_ID, METASTORES, TENANT_ID, environmentOfResource, hubResources, identitiesOf, subscriptionOf } from "./tenant";
import { scrubbedEnvironment } from "./terraform";

export interface RehearsalOptions {
  readonly stacks: readonly SynthesizedStack[];
  /** Stack names to rehearse (with the stacks they depend on); all when empty. */
  readonly select: readonly string[];
  readonly mirror: string;
  readonly workdir: string;
  readonly parallel: number;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** Removes this action from every generated role before the bootstrap: a mutation test's way to prove enforcement. */
  readonly dropAction?: string;
  /** Removes this Databricks right from every identity before the bootstrap (a mutation test's, e.g. `metastore-admin`). */
  readonly dropDatabricksRight?: DatabricksRight;
}

export interface StackOutcome {
  readonly stack: string;
  readonly environment: string;
  readonly site?: string;
  readonly wave: number;
  readonly phases: PhaseResult[];
  readonly skipped: EmulatedSide["skipped"];
  readonly resources: number;
  /** Set when the stack was not rehearsed at all. */
  readonly notRun?: string;
}

export interface RehearsalResult {
  readonly emulator: AzureEmulator;
  readonly outcomes: StackOutcome[];
  readonly roles: ReadonlyMap<string, { environment: string; identity: string; role: RoleDefinition; scope: string }>;
  readonly ms: number;
}

/**
 * The deploy rehearsal: for each environment, in the generated workflow's wave order, every stack's emulated side (all but azuread) is planned
 * and applied as the environment's deploy identity, re-planned (no changes expected), planned as the plan identity,
 * and at the end destroyed in reverse wave order — with the real terraform and the pinned providers, against the local
 * emulator, which holds exactly the roles an operator creates from help/deployer-permissions.md.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const started = Date.now();
  const environments = [...new Set(options.stacks.map((s) => s.deployment.environment))].sort();
  const emulator = new AzureEmulator({
    tenantId: TENANT_ID,
    subscriptions: [...environments.map((e) => ({ id: subscriptionOf(e), displayName: `rehearsal ${e}` })), { id: HUB_SUBSCRIPTION_ID, displayName: "rehearsal hub" }],
    locations: ["westeurope", "northeurope", "swedencentral", "germanywestcentral", "francecentral", "uksouth"],
  }, join(options.workdir, "calls.jsonl"));
  const ca = new TestCertificateAuthority(join(options.workdir, "ca"));
  const secrets = new Map<string, string>();
  const roles = new Map<string, { environment: string; identity: string; role: RoleDefinition; scope: string }>();
  for (const environment of environments) bootstrap(emulator, environment, options.stacks, secrets, roles, options.dropAction);
  emulator.enableDatabricks(databricksBootstrap(options.stacks, environments, options.dropDatabricksRight));
  const stateOwners = new Map<string, string>();
  for (const s of options.stacks) {
    const backend = ((s.json.terraform as Record<string, unknown>)?.backend as Record<string, Record<string, string>> | undefined)?.azurerm;
    if (backend) stateOwners.set(backendKey(backend), s.name);
  }
  const baseEnv: Record<string, string> = {
    ...scrubbedEnvironment(process.env),
    HOME: join(options.workdir, "home"),
    TF_CLI_CONFIG_FILE: join(options.workdir, "terraformrc"),
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    SSL_CERT_FILE: ca.certificateFile,
    // No system roots: only the rehearsal's CA is trusted, so nothing can complete a handshake with a real host.
    SSL_CERT_DIR: join(options.workdir, "no-system-roots"),
    NO_PROXY: "",
  };
  mkdirSync(baseEnv.HOME, { recursive: true });
  mkdirSync(baseEnv.SSL_CERT_DIR, { recursive: true });
  writeFileSync(baseEnv.TF_CLI_CONFIG_FILE, `provider_installation {\n  filesystem_mirror {\n    path    = "${options.mirror}"\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`);

  const selected = selection(options.stacks, options.select);
  const outcomes: StackOutcome[] = [];
  const slots = new Semaphore(options.parallel);
  await Promise.all(environments.map(async (environment) => {
    const ctx: StackRunContext = { emulator, ca, workdir: options.workdir, identities: identitiesOf(environment), secrets, stacks: options.stacks, stateOwners, baseEnv, timeoutMs: options.timeoutMs };
    outcomes.push(...(await rehearseEnvironment(ctx, environment, options, selected, slots)));
  }));
  outcomes.sort((a, b) => a.environment.localeCompare(b.environment) || a.wave - b.wave || a.stack.localeCompare(b.stack));
  return { emulator, outcomes, roles, ms: Date.now() - started };
}

/** The stacks to rehearse: the selected ones and everything they depend on (they read its state). */
function selection(stacks: readonly SynthesizedStack[], select: readonly string[]): Set<string> {
  if (select.length === 0) return new Set(stacks.map((s) => s.name));
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const out = new Set<string>();
  const add = (name: string) => {
    const stack = byName.get(name);
    if (!stack) throw new Error(`--stacks names ${name}, which is not a stack of the synthesized app`);
    if (out.has(name)) return;
    out.add(name);
    stack.dependencies.forEach(add);
  };
  select.forEach(add);
  return out;
}

/**
 * What the runbook's bootstrap creates before the first deploy, from the generated roles and nothing else: the deploy
 * identity holds the environment's generated role at its subscription (and the generated hub role at the hub's), the
 * plan identity the generated plan roles. Role IDs are GUIDs derived from the role names, stable across runs.
 */
function bootstrap(emulator: AzureEmulator, environment: string, stacks: readonly SynthesizedStack[], secrets: Map<string, string>, roles: Map<string, { environment: string; identity: string; role: RoleDefinition; scope: string }>, dropAction?: string): void {
  const ids = identitiesOf(environment);
  for (const identity of [ids.deploy, ids.plan]) {
    const secret = randomBytes(24).toString("base64url");
    secrets.set(identity.clientId, secret);
    emulator.entra.add({ ...identity, clientSecret: secret, tenantId: TENANT_ID });
  }
  const assign = (identity: { name: string; objectId: string }, generated: { Name: string; Actions: string[]; NotActions: string[]; DataActions: string[] } | undefined, scope: string) => {
    if (!generated) return;
    const actions = generated.Actions.filter((a) => a.toLowerCase() !== dropAction?.toLowerCase());
    const role: RoleDefinition = { id: stableGuid(`rehearsal:role:${generated.Name}`), roleName: generated.Name, actions, notActions: generated.NotActions, dataActions: generated.DataActions, notDataActions: [] };
    emulator.arm.defineRole(role);
    emulator.arm.assignRole(identity.objectId, scope, role.id, stableGuid(`rehearsal:assignment:${generated.Name}:${scope}`));
    roles.set(role.id, { environment, identity: identity.name, role, scope });
  };
  const subscription = `/subscriptions/${subscriptionOf(environment)}`;
  assign(ids.deploy, deployerRole(stacks, environment), subscription);
  assign(ids.deploy, deployerRole(stacks, environment, "azurerm.hub"), `/subscriptions/${HUB_SUBSCRIPTION_ID}`);
  assign(ids.plan, planRole(stacks, environment), subscription);
  assign(ids.plan, planRole(stacks, environment, "azurerm.hub"), `/subscriptions/${HUB_SUBSCRIPTION_ID}`);
  for (const r of hubResources()) if (!emulator.arm.store.get(r.id)) emulator.arm.seed(r.id, r.body);
}

/**
 * The Databricks side of the bootstrap (help/unity-catalog.md, "Bootstrap of a new environment"): one account and a
 * metastore per region; each environment's deploy and plan identities get exactly the rights its stacks record for
 * them (`//.deployment.identities`: account admin, workspace admin of the environment's workspaces, the metastore
 * privileges, metastore admin where the environment owns the metastore) — what the runbook tells the operator to grant.
 */
function databricksBootstrap(stacks: readonly SynthesizedStack[], environments: readonly string[], drop?: DatabricksRight): DatabricksBootstrap {
  const identities = new Map<string, { name: string; environment: string; rights: Set<DatabricksRight> }>();
  for (const environment of environments) {
    const ids = identitiesOf(environment);
    for (const purpose of ["deploy", "plan"] as const) {
      const rights = new Set(stacks.filter((s) => s.deployment.environment === environment).flatMap((s) => [...(s.deployment.identities?.[purpose] ?? [])]));
      if (drop) rights.delete(drop);
      identities.set(ids[purpose].clientId.toLowerCase(), { name: ids[purpose].name, environment, rights });
    }
  }
  return { accountId: DATABRICKS_ACCOUNT_ID, metastores: METASTORES, identities, environmentOfResource: (id) => environmentOfResource(id, environments) };
}

/**
 * One environment, as the workflow orders it but without wave barriers: a stack deploys as soon as every stack it
 * depends on (manifest.json) has, and is destroyed once every stack depending on it is gone — the documented reverse
 * order, with independent stacks overlapping (the providers' fixed waits dominate, so overlap is most of the speed).
 */
async function rehearseEnvironment(ctx: StackRunContext, environment: string, options: RehearsalOptions, selected: ReadonlySet<string>, slots: Semaphore): Promise<StackOutcome[]> {
  const waves = stackWaves(options.stacks);
  const stacks = options.stacks.filter((s) => s.deployment.environment === environment && selected.has(s.name));
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const outcomes = new Map<string, StackOutcome>();
  const dropped = new Map<string, Set<string>>();
  const deployed = new Map<string, Promise<boolean>>();
  const deployOf = (stack: SynthesizedStack): Promise<boolean> => {
    let done = deployed.get(stack.name);
    if (done) return done;
    done = (async () => {
      const results = await Promise.all(stack.dependencies.filter((d) => byName.has(d)).map((d) => deployOf(byName.get(d)!).then((ok) => [d, ok] as const)));
      const site = stack.deployment.site;
      const wave = waves.get(stack.name) ?? 0;
      const blocked = results.find(([, ok]) => !ok)?.[0];
      if (blocked) {
        outcomes.set(stack.name, { stack: stack.name, environment, site, wave, phases: [], skipped: [], resources: 0, notRun: `its dependency ${blocked} failed` });
        return false;
      }
      const upstream = new Map<string, Set<string>>();
      const remote = ((stack.json.data as Record<string, Record<string, { config?: Record<string, string> }>> | undefined)?.terraform_remote_state ?? {});
      for (const [name, ds] of Object.entries(remote)) upstream.set(name, dropped.get(ctx.stateOwners.get(backendKey(ds.config ?? {})) ?? "") ?? new Set());
      const side = emulatedSide(stack.json, upstream);
      dropped.set(stack.name, new Set(side.droppedOutputs));
      const outcome: StackOutcome = { stack: stack.name, environment, site, wave, phases: [], skipped: side.skipped, resources: side.resourceCount };
      outcomes.set(stack.name, outcome);
      const ok = await slots.run(() => deploy(ctx, stack, side, outcome));
      options.log(`${stack.name}: ${ok ? "deployed" : "FAILED"} (${side.resourceCount} resources, ${side.skipped.length} skipped; ${outcome.phases.map((p) => `${p.phase} ${p.ok ? "ok" : "failed"} ${(p.ms / 1000).toFixed(0)} s`).join(", ")})`);
      for (const p of outcome.phases.filter((x) => !x.ok)) options.log(`  ${p.phase}: ${(p.detail ?? "").split("\n").slice(0, 12).join("\n  ")}`);
      return ok;
    })();
    deployed.set(stack.name, done);
    return done;
  };
  const destroyed = new Map<string, Promise<void>>();
  const dependants = (name: string) => stacks.filter((s) => s.dependencies.includes(name));
  const destroyOf = (stack: SynthesizedStack): Promise<void> => {
    let done = destroyed.get(stack.name);
    if (done) return done;
    done = (async () => {
      await deployOf(stack);
      await Promise.all(dependants(stack.name).map(destroyOf));
      const outcome = outcomes.get(stack.name);
      if (!outcome?.phases.some((p) => p.phase === "apply")) return;
      const dir = join(ctx.workdir, environment, stack.name);
      writeTeardownOverride(dir);
      const kept = await slots.run(() => forgetUnremovable(ctx, stack, dir));
      if (kept) options.log(`${stack.name}: ${kept}`);
      // After a failed deploy, resources the apply created but never recorded keep a resource group's delete waiting
      // (prevent_deletion_if_contains_resources) until its 90-minute timeout: the destroy is cut short, already a failure.
      const failedBefore = outcome.phases.some((p) => !p.ok);
      const result = await slots.run(() => runPhase(ctx, stack, dir, "destroy", "deploy", ["destroy", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=1m", PARALLELISM], failedBefore ? 180_000 : undefined));
      outcome.phases.push({ phase: "destroy", identity: ctx.identities.deploy.name, ok: result.code === 0, ms: result.ms, detail: result.code === 0 ? undefined : tail(result.output) });
      options.log(`${stack.name}: destroy ${result.code === 0 ? "ok" : "FAILED"} ${(result.ms / 1000).toFixed(0)} s`);
      if (result.code !== 0) options.log(`  destroy: ${tail(result.output).split("\n").slice(0, 12).join("\n  ")}`);
    })();
    destroyed.set(stack.name, done);
    return done;
  };
  await Promise.all(stacks.map(destroyOf));
  return [...outcomes.values()];
}

/** At most `size` terraform runs at once. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * The runbook's teardown: protection lifted first (`protectFromDeletion: false` removes `prevent_destroy`; here an
 * override file sets it to false for the destroy run only — lifecycle blocks merge argument by argument,
 * https://developer.hashicorp.com/terraform/language/files/override), then `terraform destroy`. Delete locks are not
 * lifted by hand: the stacks order each lock after everything beneath its scope, so the destroy removes it first.
 */
function writeTeardownOverride(dir: string): void {
  const protectedResources: Record<string, Record<string, unknown>> = {};
  const side = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>> };
  for (const [type, byName] of Object.entries(side.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      if (body.lifecycle?.prevent_destroy) (protectedResources[type] ??= {})[name] = { lifecycle: { prevent_destroy: false } };
    }
  }
  if (Object.keys(protectedResources).length > 0) writeFileSync(join(dir, "rehearsal_teardown_override.tf.json"), JSON.stringify({ resource: protectedResources }, null, 2));
}

/**
 * The runbook's teardown of what Databricks cannot delete while its workspace exists (help/unity-catalog.md, "The NCC
 * binding is not removable"; help/workspace-governance.md): the network connectivity configuration with its rules and
 * binding, and the account network policy with its workspace option, are removed from state before the destroy (and
 * deleted in the account console once the workspace is gone).
 */
async function forgetUnremovable(ctx: StackRunContext, stack: SynthesizedStack, dir: string): Promise<string | undefined> {
  const types = ["databricks_mws_ncc_binding", "databricks_mws_ncc_private_endpoint_rule", "databricks_mws_network_connectivity_config", "databricks_workspace_network_option", "databricks_account_network_policy"];
  const resources = (stack.json.resource ?? {}) as Record<string, Record<string, unknown>>;
  const addresses = types.flatMap((t) => Object.keys(resources[t] ?? {}).map((n) => `${t}.${n}`));
  if (addresses.length === 0) return undefined;
  const result = await runPhase(ctx, stack, dir, "destroy", "deploy", ["state", "rm", ...addresses]);
  return result.code === 0 ? `removed from state before the destroy (runbook): ${addresses.length} NCC and network-policy objects` : `state rm failed: ${tail(result.output)}`;
}

/**
 * More concurrent operations than Terraform's default 10: the providers' fixed waits (locks, alerts, deletes) then
 * overlap. The order is still the configuration's, and more concurrency only makes an unordered pair of writes to one
 * target likelier to collide, as it could in Azure.
 */
const PARALLELISM = "-parallelism=32";

/** Plan and apply as the deploy identity, a second plan, a plan as the plan identity. */
async function deploy(ctx: StackRunContext, stack: SynthesizedStack, side: EmulatedSide, outcome: StackOutcome): Promise<boolean> {
  const dir = prepareStack(ctx, stack, side);
  const step = async (phase: PhaseResult["phase"], identity: "deploy" | "plan", args: string[], check: (code: number) => boolean, describe?: (output: string) => string) => {
    const result = await runPhase(ctx, stack, dir, phase, identity, args);
    const ok = check(result.code);
    outcome.phases.push({ phase, identity: ctx.identities[identity].name, ok, ms: result.ms, detail: ok ? describe?.(result.output) : `${result.timedOut ? "timed out: " : ""}${describe?.(result.output) ?? tail(result.output)}` });
    return ok;
  };
  if (!(await step("init", "deploy", ["init", "-input=false", "-no-color"], (c) => c === 0))) return false;
  if (!(await step("plan", "deploy", ["plan", "-input=false", "-no-color", "-lock-timeout=1m", PARALLELISM, "-out=rehearsal.tfplan"], (c) => c === 0))) return false;
  if (!(await step("apply", "deploy", ["apply", "-input=false", "-no-color", "-lock-timeout=1m", PARALLELISM, "rehearsal.tfplan"], (c) => c === 0))) return false;
  const changes = (output: string) => (/No changes\./.test(output) ? "no changes" : planChanges(output));
  const second = await step("second-plan", "deploy", ["plan", "-input=false", "-no-color", "-lock-timeout=1m", PARALLELISM, "-detailed-exitcode"], (c) => c === 0, changes);
  writeVariables(ctx, stack, dir, "plan");
  // As the workflow plans it: a stack with objects only an administrator may read is planned without refresh.
  const identities = stack.deployment.identities;
  const noRefresh = identities && !planRefresh(stack, identities) ? ["-refresh=false"] : [];
  const planned = await step("plan-identity", "plan", ["plan", "-input=false", "-no-color", "-lock=false", PARALLELISM, "-detailed-exitcode", ...noRefresh], (c) => c === 0, changes);
  writeVariables(ctx, stack, dir, "deploy");
  return second && planned;
}

/** The resources a plan would change (`# <address> will be …`), or the error. */
function planChanges(output: string): string {
  const changes = [...output.matchAll(/^\s*# (\S+) (will be|must be) ([^\n]+)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
  return changes.length > 0 ? changes.join("\n") : tail(output);
}

function tail(output: string): string {
  const lines = output.split("\n");
  const panic = lines.findIndex((l) => l.startsWith("panic:"));
  // A provider crash: its panic and the frames that name the provider's code.
  if (panic >= 0) return [...lines.slice(panic, panic + 2), ...lines.slice(panic).filter((l) => /terraform-provider-azurerm\/internal|go-azure-sdk/.test(l)).slice(0, 8)].join("\n");
  const errors = lines.filter((l) => /Error|error:/.test(l));
  return [...new Set((errors.length > 0 ? errors : lines.slice(-40)).map((l) => (l.length > 600 ? `${l.slice(0, 600)}…` : l)))].join("\n");
}
