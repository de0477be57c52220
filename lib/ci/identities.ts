import { authorizationOf, DatabricksRight, describeNeed, Need, satisfies, TypeAuthorization } from "./databricks-authorization";
import type { StackIdentities } from "./deploy-metadata";
import type { SynthesizedStack } from "./synthesized-app";

/**
 * The identities of one environment, each for one purpose. `deploy` writes, and only in jobs behind the environment's
 * approval; `plan` reads everything a plan refreshes (and takes the state lock), and nothing else; `pr` is the weakest,
 * for pull requests. `dr-sync` and `pipeline` are Databricks service principals that jobs run as — no person and no
 * deployer identity runs code.
 */
export type IdentityPurpose = "deploy" | "plan" | "pr" | "dr-sync" | "pipeline";

/** The GitHub Environment whose OIDC subject an identity trusts, per purpose that signs in from GitHub. */
export function githubEnvironmentOf(environment: string, purpose: "deploy" | "plan" | "pr"): string {
  return purpose === "deploy" ? environment : `${environment}-${purpose}`;
}

/**
 * What the deploy identity of an environment holds in Databricks (help/unity-catalog.md, bootstrap): account admin,
 * workspace admin of its workspaces, the metastore privileges that create what the stacks own, and metastore admin
 * only where the environment owns the metastore (`catalog.metastoreOwner`). It owns every securable it creates.
 */
export function deployRights(options: { readonly metastoreAdmin: boolean; readonly sharedDataConsumer: boolean }): DatabricksRight[] {
  return [
    "account-admin", "workspace-admin", "workspace-user", "owner",
    "CREATE_CATALOG", "CREATE_EXTERNAL_LOCATION", "CREATE_STORAGE_CREDENTIAL", "CREATE_SHARE", "CREATE_RECIPIENT",
    ...(options.sharedDataConsumer ? (["USE_PROVIDER"] as const) : []),
    ...(options.metastoreAdmin ? (["metastore-admin"] as const) : []),
  ];
}

/**
 * The plan identity in Databricks: a workspace user and nothing more. Databricks has no read-only administrator, so
 * what only an administrator may read is refreshed by the deploy identity after the approval (see {@link planRefresh}).
 */
export const PLAN_RIGHTS: readonly DatabricksRight[] = ["workspace-user"];

/** One databricks block of a stack and what it needs. */
export interface DatabricksCall {
  readonly address: string;
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly provider: string;
  readonly attrs: Record<string, unknown>;
  readonly authorization: TypeAuthorization;
}

/** The databricks resources and data sources of a synthesized stack. Fails on a type with no authorization entry. */
export function databricksCalls(stackName: string, json: Record<string, unknown>): DatabricksCall[] {
  const calls: DatabricksCall[] = [];
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries((json[kind] ?? {}) as Record<string, Record<string, Record<string, unknown>>>)) {
      if (!type.startsWith("databricks_")) continue;
      for (const [name, attrs] of Object.entries(byName)) {
        const provider = typeof attrs.provider === "string" ? attrs.provider : "databricks";
        const authorization = authorizationOf(kind, type, attrs, provider);
        if (!authorization) throw new Error(`stack ${stackName}: no Databricks authorization is known for ${kind === "data" ? "data." : ""}${type}: add it to DATABRICKS_AUTHORIZATION (lib/ci/databricks-authorization.ts)`);
        calls.push({ address: `${kind === "data" ? "data." : ""}${type}.${name}`, kind, type, provider, attrs, authorization });
      }
    }
  }
  return calls;
}

/** The deploy identity's rights in a stack: a job's run_as is usable when the stack grants it servicePrincipal.user. */
function deployRightsIn(json: Record<string, unknown>, rights: readonly DatabricksRight[]): DatabricksRight[] {
  const ruleSets = Object.values(((json.resource ?? {}) as Record<string, Record<string, { grant_rules?: { role?: string }[] }>>).databricks_access_control_rule_set ?? {});
  const grantsUser = ruleSets.some((r) => (r.grant_rules ?? []).some((g) => g.role === "roles/servicePrincipal.user"));
  return grantsUser ? [...rights, "service-principal-user"] : [...rights];
}

/**
 * Whether the plan identity can refresh the stack: every resource's read is within its rights. When not, plans run
 * with `-refresh=false` and the approved job refreshes as the deploy identity before it applies (deploy-workflow.ts).
 * Data sources are read by every plan: {@link identityViolations} requires them to be within the plan identity's rights.
 */
export function planRefresh(stack: Pick<SynthesizedStack, "name" | "json">, identities: StackIdentities): boolean {
  return databricksCalls(stack.name, stack.json).filter((c) => c.kind === "resource").every((c) => satisfies(identities.plan, c.authorization.read));
}

/** What a stack's identities cannot do: a write or refresh beyond the deploy identity, a data source beyond the plan identity. */
export function identityViolations(stack: Pick<SynthesizedStack, "name" | "json">, identities: StackIdentities): { readonly address: string; readonly detail: string }[] {
  const deploy = deployRightsIn(stack.json, identities.deploy);
  const problems: { address: string; detail: string }[] = [];
  const lacks = (who: string, what: string, needed: Need) => `the ${who} identity cannot ${what}: it needs ${describeNeed(needed)}`;
  for (const call of databricksCalls(stack.name, stack.json)) {
    if (call.kind === "resource" && !satisfies(deploy, call.authorization.write)) problems.push({ address: call.address, detail: lacks("deploy", "create, change or delete it", call.authorization.write) });
    else if (!satisfies(deploy, call.authorization.read)) problems.push({ address: call.address, detail: lacks("deploy", "read it back", call.authorization.read) });
    // A job without run_as runs as its creator, the deploy identity (an account admin): people who can edit its code would run as it.
    if (call.type === "databricks_job" && call.kind === "resource" && !(call.attrs.run_as as { service_principal_name?: string } | undefined)?.service_principal_name) {
      problems.push({ address: call.address, detail: "the job has no run_as service principal: it would run as its creator, the deploy identity" });
    }
    if (call.kind === "data" && !satisfies(identities.plan, call.authorization.read)) problems.push({ address: call.address, detail: lacks("plan", "read this data source, which every plan reads", call.authorization.read) });
  }
  return problems;
}

const cell = (rights: readonly DatabricksRight[], needed: Need) => (satisfies(rights, needed) ? "yes" : "**no**");

/**
 * help/identity-permissions.md: per environment the identities and what each holds, and per stack every databricks
 * resource with what it needs to be written and read, whether the deploy and plan identities hold it, and the source.
 */
export function identityDocument(stacks: readonly SynthesizedStack[]): string {
  const lines = [
    "<!-- GENERATED from the synthesized stacks by `npm run synth` (medallion-docs). Do not edit: `npm test` fails on drift. -->",
    "# Identities and what each may do",
    "",
    "Every identity holds what its stacks' calls need, and no more (`lib/ci/identities.ts`, `lib/ci/databricks-authorization.ts`;",
    "Azure roles: [deployer permissions](deployer-permissions.md)). The synth fails (MDL-DEP-008) when a stack's identity lacks",
    "what a resource needs; the deploy rehearsal ([deploy rehearsal](deploy-rehearsal.md)) enforces the same table.",
    "",
    "| identity | GitHub Environment | used by | Azure | Terraform state | Databricks |",
    "| --- | --- | --- | --- | --- | --- |",
    "| deploy | `<env>` (required reviewers in production; `main` only) | the approved jobs: the Key Vault recovery, the refresh before apply, the apply | the environment's deployer role (role assignments limited by an ABAC condition to the roles the stacks assign) | Blob Data Contributor | account admin, workspace admin, the metastore privileges below; metastore admin only where the environment owns the metastore |",
    "| plan | `<env>-plan` (`main` only) | the plan before the approval, drift, the disaster recovery drill | the environment's plan role (reads, `exportTemplate`), the hub plan role | Blob Data Contributor on the state container: the lock, and the first empty state of a stack; nothing else writes | a workspace user: admin-only objects are refreshed after the approval (below) |",
    "| pr | `<env>-pr`, first environment of the promotion only | pull-request plans | the environment's plan role, the hub plan role | Blob Data Reader | a workspace user |",
    "| dr-sync | none (a Databricks service principal) | `run_as` of the disaster recovery clone jobs | none | none | a workspace user of the secondary; `USE_CATALOG` + `SELECT` on the mounted primary catalogs, `USE_CATALOG` + `USE_SCHEMA` + `CREATE_TABLE` + `MODIFY` on its targets |",
    "| pipeline | none (a Databricks service principal, per domain) | the domain's pipelines | none | none | the writers' grants of its catalog |",
    "",
    "Databricks has no read-only administrator: an account-level object (groups, workspace assignments, network",
    "connectivity, budgets) or a workspace setting can be read only by an administrator. A stack holding one is planned",
    "with `-refresh=false` before the approval; after it, the deploy identity refreshes it (`terraform plan -refresh-only",
    "-detailed-exitcode`) and stops, writing nothing, when anything changed outside Terraform. Data sources are read by",
    "every plan, so each must be readable by the plan identity.",
    "",
  ];
  for (const env of [...new Set(stacks.map((s) => s.deployment.environment))].sort()) {
    lines.push(`## ${env}`, "");
    for (const stack of stacks.filter((s) => s.deployment.environment === env)) {
      const identities = stack.deployment.identities;
      const calls = databricksCalls(stack.name, stack.json);
      if (!identities || calls.length === 0) continue;
      const deploy = deployRightsIn(stack.json, identities.deploy);
      lines.push(
        `### ${stack.name}`,
        "",
        `Deploy identity: ${deploy.map((r) => `\`${r}\``).join(", ")}. Plan identity: ${identities.plan.map((r) => `\`${r}\``).join(", ")}. ` +
          (planRefresh(stack, identities) ? "The plan identity refreshes the whole stack." : "Refreshed by the deploy identity after the approval (an object below is admin-only to read)."),
        "",
        "| block | plane | write needs | deploy holds | read needs | plan identity reads | source |",
        "| --- | --- | --- | --- | --- | --- | --- |",
      );
      const byType = new Map<string, { call: DatabricksCall; count: number }>();
      for (const call of calls) {
        const key = `${call.kind}:${call.type}:${describeNeed(call.authorization.write)}:${describeNeed(call.authorization.read)}`;
        byType.set(key, { call, count: (byType.get(key)?.count ?? 0) + 1 });
      }
      for (const { call, count } of [...byType.values()].sort((a, b) => a.call.address.localeCompare(b.call.address))) {
        const a = call.authorization;
        const name = `${call.kind === "data" ? "data." : ""}${call.type}${count > 1 ? ` (${count})` : ""}`;
        const write = call.kind === "data" ? "–" : describeNeed(a.write);
        lines.push(`| \`${name}\` | ${a.plane} | ${write} | ${call.kind === "data" ? "–" : cell(deploy, a.write)} | ${describeNeed(a.read)} | ${cell(identities.plan, a.read)} | ${a.evidence.join("; ")} |`);
      }
      lines.push("");
    }
  }
  return lines.join("\n");
}
