import { readFileSync } from "fs";
import { join } from "path";
import { TerraformStack, Testing } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Naming } from "../lib/core/naming";
import { ValidationError } from "../lib/core/validation";
import { DomainComputePolicy } from "../lib/data-domain/domain-compute-policy";
import { ServerlessEgressPolicy } from "../lib/governance/serverless-egress";
import { SystemTables } from "../lib/governance/system-tables";
import { WorkspaceGovernance } from "../lib/governance/workspace-governance";
import { AUDIT_QUERIES } from "../lib/monitoring/audit-queries";
import { sampleSynth } from "./sample-synth";

type Attrs = Record<string, unknown>;
interface StackJson {
  resource: Record<string, Record<string, Attrs>>;
  data?: Record<string, Record<string, Attrs>>;
}
const stack = (name: string) => JSON.parse(readFileSync(join(sampleSynth(), "stacks", name, "cdk.tf.json"), "utf8")) as StackJson;
const only = (json: StackJson, type: string) => {
  const all = Object.values(json.resource[type] ?? {});
  expect([type, all.length]).toEqual([type, 1]);
  return all[0];
};

describe("workspace governance of the sample app", () => {
  test.each([
    ["dev", { enableTokensConfig: "true", maxTokenLifetimeDays: "30", enableExportNotebook: "true", enableResultsDownloading: "true" }],
    ["prod", { enableTokensConfig: "false", enableExportNotebook: "false", enableResultsDownloading: "false" }],
  ])("%s: tokens, verbose audit logs, export and download as configured; DBFS browser off", (env, expected) => {
    const conf = only(stack(`governance-${env}`), "databricks_workspace_conf").custom_config as Record<string, string>;
    expect(conf).toMatchObject({ ...expected, enableVerboseAuditLogs: "true", enableDbfsFileBrowser: "false" });
    if (env === "prod") expect(conf.maxTokenLifetimeDays).toBe("90"); // kept while tokens are off: the provider cannot remove it
  });

  test("legacy access and legacy DBFS off, workspace admins restricted, no cluster creation for the users group", () => {
    const json = stack("governance-prod");
    expect(only(json, "databricks_disable_legacy_access_setting").disable_legacy_access).toEqual({ value: true });
    expect(only(json, "databricks_disable_legacy_dbfs_setting").disable_legacy_dbfs).toEqual({ value: true });
    expect(only(json, "databricks_restrict_workspace_admins_setting").restrict_workspace_admins).toEqual({ status: "RESTRICT_TOKENS_AND_JOB_RUN_AS" });
    const entitlements = only(json, "databricks_entitlements");
    expect(entitlements).toMatchObject({ allow_cluster_create: false, allow_instance_pool_create: false });
    expect(entitlements.group_id).toMatch(/^\$\{data\.databricks_group\.workspace_users_\w+\.id\}$/);
    expect(Object.values(json.data!.databricks_group).find((g) => g.display_name === "users")).toBeDefined();
  });

  test("serverless egress: restricted and enforced, dev's allow-list only, attached to the workspace", () => {
    for (const [env, domains] of [["dev", ["files.pythonhosted.org", "pypi.org"]], ["prod", []]] as const) {
      const json = stack(`governance-${env}`);
      const policy = only(json, "databricks_account_network_policy");
      const access = (policy.egress as { network_access: Attrs }).network_access;
      expect(access).toMatchObject({ restriction_mode: "RESTRICTED_ACCESS", policy_enforcement: { enforcement_mode: "ENFORCED" } });
      expect(((access.allowed_internet_destinations as Attrs[] | undefined) ?? []).map((d) => d.destination)).toEqual(domains);
      const option = only(json, "databricks_workspace_network_option");
      expect(option.network_policy_id).toMatch(/^\$\{databricks_account_network_policy\.\S+\.network_policy_id\}$/);
      expect(String(option.workspace_id)).toContain("workspace_id");
    }
  });

  test("system tables: access and compute enabled (billing is Databricks'); FinOps reads billing, auditors read access", () => {
    const json = stack("governance-prod");
    expect(Object.values(json.resource.databricks_system_schema).map((s) => s.schema).sort()).toEqual(["access", "compute"]);
    const grants = Object.values(json.resource.databricks_grant).map((g) => ({ securable: String(g.catalog ?? g.schema), privileges: g.privileges, principal: String(g.principal) }));
    // Principals are references to the account groups the stack provisions (lake-finops-prod, lake-auditors-prod).
    const displayName = (principal: string) => json.resource.databricks_group[/^\$\{databricks_group\.([\w-]+)\.display_name\}$/.exec(principal)![1]].display_name;
    const on = (securable: string) => grants.filter((g) => g.securable === securable);
    expect(on("system.billing").map((g) => [displayName(g.principal), g.privileges])).toEqual([["lake-finops-prod", ["USE_SCHEMA", "SELECT"]]]);
    expect(on("system.access").map((g) => [displayName(g.principal), g.privileges])).toEqual([["lake-auditors-prod", ["USE_SCHEMA", "SELECT"]]]);
    expect(on("system").map((g) => displayName(g.principal)).sort()).toEqual(["lake-auditors-prod", "lake-finops-prod"]);
    // Never an authoritative grants block on Databricks' own catalog.
    expect(Object.values(json.resource.databricks_grants ?? {}).filter((g) => g.catalog === "system")).toEqual([]);
  });

  test("audit alerts: every query of the module, on the platform's Log Analytics, to the audit action group", () => {
    const json = stack("governance-prod");
    const alerts = Object.values(json.resource.azurerm_monitor_scheduled_query_rules_alert_v2);
    expect(alerts.map((a) => (a.criteria as Attrs[])[0].query).sort()).toEqual(AUDIT_QUERIES.map((q) => q.query).sort());
    for (const alert of alerts) {
      expect(alert.scopes).toEqual([expect.stringContaining("log_analytics_workspace")]);
      expect((alert.action as { action_groups: string[] }).action_groups).toEqual([expect.stringMatching(/^\$\{azurerm_monitor_action_group\.audit-action-group\.id\}$/)]);
      expect(alert.skip_query_validation).toBe(true);
    }
  });

  test("each domain's cluster policy fixes its cost tags and limits compute; only its builders may use it", () => {
    const json = stack("domain-sales-prod");
    const policy = only(json, "databricks_cluster_policy");
    const definition = JSON.parse(String(policy.definition));
    expect(definition["custom_tags.domain"]).toEqual({ type: "fixed", value: "sales" });
    expect(definition["custom_tags.costCenter"]).toEqual({ type: "fixed", value: "CC-2001" });
    expect(definition.node_type_id).toMatchObject({ type: "allowlist", values: ["Standard_D8ds_v5", "Standard_E8ds_v5"] });
    expect(definition["autoscale.max_workers"]).toMatchObject({ type: "range", maxValue: 16 });
    expect(definition.autotermination_minutes).toMatchObject({ type: "range", maxValue: 60, defaultValue: 20 });
    const permissions = only(json, "databricks_permissions");
    expect(permissions.cluster_policy_id).toMatch(/^\$\{databricks_cluster_policy\.\S+\.id\}$/);
    // References to the account groups the domain stack provisions: admins and engineers, not readers or stewards.
    const groups = json.resource.databricks_group;
    const users = (permissions.access_control as Attrs[]).map((a) => {
      const id = /^\$\{databricks_group\.([\w-]+)\.display_name\}$/.exec(String(a.group_name))![1];
      return groups[id].display_name;
    });
    expect(users.sort()).toEqual(["sales-data-admins-prod", "sales-data-engineers-prod"]);
    expect((permissions.access_control as Attrs[]).every((a) => a.permission_level === "CAN_USE")).toBe(true);
    // The ACL names groups the workspace must know: it comes after their assignments to the workspace.
    const assignments = Object.keys(json.resource.databricks_mws_permission_assignment).map((id) => `databricks_mws_permission_assignment.${id}`);
    expect(permissions.depends_on).toEqual(expect.arrayContaining(assignments));
  });

  test("medallion metadata: layer catalogs and domain catalogs carry layer, data owner and classification", () => {
    const layer = Object.values(stack("catalog-prod").resource.databricks_catalog).find((c) => c.name === "lake_silver_prod")!;
    expect(layer.properties).toEqual({ layer: "silver", zone: "silver", dataOwner: "data-platform@contoso.example", dataClassification: "restricted" });
    const domain = Object.values(stack("domain-fin-prod").resource.databricks_catalog).find((c) => c.name === "fin_prod")!;
    expect(domain.properties).toEqual({ domain: "fin", layer: "gold", dataOwner: "finance-data@contoso.example", dataClassification: "restricted" });
  });
});

describe("governance bad inputs", () => {
  const env = () => {
    const s = new TerraformStack(Testing.app({ stackTraces: false }), "gov");
    const provider = new DatabricksProvider(s, "dbx", { host: "https://adb-1.2.azuredatabricks.net", authType: "github-oidc-azure" });
    const naming = new Naming(s, { organization: "contoso", workload: "lake", environment: "dev", region: "westeurope" });
    return { s, provider, naming };
  };
  const fails = (build: () => unknown, message: RegExp) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  };

  test("a token lifetime over 90 days", () => {
    const { s, provider } = env();
    fails(() => new WorkspaceGovernance(s, "w", { workspaceProvider: provider, tokens: { enabled: true, maxLifetimeDays: 120 } }), /gov\/w: invalid tokens\.maxLifetimeDays 120: expected .*from 1 to 90/);
  });

  test("an unknown system schema, and a list without what the groups read", () => {
    const { s, provider } = env();
    fails(() => new SystemTables(s, "t", { workspaceProvider: provider, schemas: ["access", "billing", "audit" as never], finopsPrincipal: "finops", auditPrincipal: "audit" }), /gov\/t: invalid schemas\[2\] "audit": expected a system schema of the pinned provider: access, billing, compute/);
    fails(() => new SystemTables(s, "u", { workspaceProvider: provider, schemas: ["billing", "compute"], finopsPrincipal: "finops", auditPrincipal: "audit" }), /invalid schemas \["billing","compute"\]: expected a list including access/);
  });

  test("restricted egress with neither an allow-list nor an NCC; open egress without a reason", () => {
    const { s, naming } = env();
    const account = new DatabricksProvider(s, "account", { alias: "account", host: "https://accounts.azuredatabricks.net", accountId: "acc" });
    fails(() => new ServerlessEgressPolicy(s, "e", { naming, accountProvider: account, workspaceId: "123", egress: { mode: "restricted" } }), /gov\/e: invalid egress\.allowedDomains \[\]: expected allowed domains, or a networkConnectivityConfigId/);
    fails(() => new ServerlessEgressPolicy(s, "f", { naming, accountProvider: account, workspaceId: "123", egress: { mode: "full", reason: "needed" } }), /invalid egress\.reason "needed": expected why serverless compute needs the open internet/);
    fails(() => new ServerlessEgressPolicy(s, "g", { naming, accountProvider: account, workspaceId: "123", egress: { mode: "restricted", allowedDomains: ["https://pypi.org"] } }), /invalid egress\.allowedDomains\[0\] "https:\/\/pypi\.org": expected a domain name/);
  });

  test("a dry run is a dry run, an unknown enforcement is refused, and a storage account is allowed once", () => {
    const { s, naming } = env();
    const account = new DatabricksProvider(s, "account", { alias: "account", host: "https://accounts.azuredatabricks.net", accountId: "acc" });
    const dry = new ServerlessEgressPolicy(s, "d", { naming, accountProvider: account, workspaceId: "123", egress: { mode: "restricted", allowedDomains: ["pypi.org"], enforcement: "dryRun" }, allowedStorageAccounts: ["stprimary"] });
    const policy = JSON.parse(Testing.synth(s)).resource.databricks_account_network_policy[dry.policy.friendlyUniqueId] as { egress: { network_access: { policy_enforcement: unknown; allowed_storage_destinations: unknown } } };
    expect(policy.egress.network_access.policy_enforcement).toEqual({ enforcement_mode: "DRY_RUN" });
    expect(policy.egress.network_access.allowed_storage_destinations).toEqual([
      { azure_storage_account: "stprimary", azure_storage_service: "blob", storage_destination_type: "AZURE_STORAGE" },
      { azure_storage_account: "stprimary", azure_storage_service: "dfs", storage_destination_type: "AZURE_STORAGE" },
    ]);
    fails(() => new ServerlessEgressPolicy(s, "x", { naming, accountProvider: account, workspaceId: "123", egress: { mode: "restricted", allowedDomains: ["pypi.org"], enforcement: "audit" as never } }), /gov\/x: invalid egress\.enforcement "audit": expected "enforced" or "dryRun"/);
    fails(() => new ServerlessEgressPolicy(s, "y", { naming, accountProvider: account, workspaceId: "123", egress: { mode: "restricted", allowedDomains: ["pypi.org"] }, allowedStorageAccounts: ["st", "st"] }), /invalid allowedStorageAccounts \["st","st"\]: expected each storage account once/);
  });

  test("a cluster policy whose limits contradict each other", () => {
    const { s, provider, naming } = env();
    const base = { naming, workspaceProvider: provider, domain: "sales", costCenter: "CC-1", users: [{ principal: "sales-engineers", type: "group" as const }] };
    fails(() => new DomainComputePolicy(s, "p", { ...base, limits: { nodeTypes: ["Standard_D4ds_v5"], workers: { min: 8, max: 4 }, autoTerminationMinutes: { default: 30, max: 60 } } }), /gov\/p: invalid limits\.workers\.min 8: expected at most limits\.workers\.max \(4\): the limits contradict each other/);
    fails(() => new DomainComputePolicy(s, "q", { ...base, limits: { nodeTypes: ["Standard_D4ds_v5"], workers: { min: 1, max: 4 }, autoTerminationMinutes: { default: 90, max: 60 } } }), /invalid limits\.autoTerminationMinutes\.default 90: expected at most limits\.autoTerminationMinutes\.max \(60\)/);
    fails(() => new DomainComputePolicy(s, "r", { ...base, limits: { nodeTypes: [], workers: { min: 1, max: 4 }, autoTerminationMinutes: { default: 30, max: 60 } } }), /invalid limits\.nodeTypes \[\]: expected at least one Azure VM size/);
  });
});
