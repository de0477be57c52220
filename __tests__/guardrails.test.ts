import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Grant } from "@cdktf/provider-databricks/lib/grant";
import { MetastoreAssignment } from "@cdktf/provider-databricks/lib/metastore-assignment";
import { AzurermBackend, TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { DataAzureadUser } from "@cdktf/provider-azuread/lib/data-azuread-user";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { DatabricksWorkspace } from "@cdktf/provider-azurerm/lib/databricks-workspace";
import { EventhubNamespace } from "@cdktf/provider-azurerm/lib/eventhub-namespace";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultAccessPolicyA } from "@cdktf/provider-azurerm/lib/key-vault-access-policy";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { LinuxWebApp } from "@cdktf/provider-azurerm/lib/linux-web-app";
import { ConsumptionBudgetResourceGroup } from "@cdktf/provider-azurerm/lib/consumption-budget-resource-group";
import { ManagedRedis } from "@cdktf/provider-azurerm/lib/managed-redis";
import { MonitorMetricAlert } from "@cdktf/provider-azurerm/lib/monitor-metric-alert";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { RoleDefinition } from "@cdktf/provider-azurerm/lib/role-definition";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { MssqlServer } from "@cdktf/provider-azurerm/lib/mssql-server";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { StorageAccount, StorageAccountConfig } from "@cdktf/provider-azurerm/lib/storage-account";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { Catalog } from "@cdktf/provider-databricks/lib/catalog";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { recordIdentities, requirePrivateNetwork, setStackDeployment } from "../lib/ci/deploy-metadata";
import { deployRights, PLAN_RIGHTS } from "../lib/ci/identities";
import { Naming } from "../lib/core/naming";
import { MandatoryTagging } from "../lib/core/tags";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";
import { Recipient } from "@cdktf/provider-databricks/lib/recipient";
import { Share } from "@cdktf/provider-databricks/lib/share";
import { setRecoveryRecord } from "../lib/disaster-recovery/recovery-metadata";
import { Guardrails } from "../lib/guardrails/guardrails";
import { SynthesisError, synthesizeAll } from "../lib/guardrails/synthesize-all";
import { RuleId, RULES } from "../lib/guardrails/rule-pack";
import { rulesDocument } from "../lib/guardrails/rules-document";
import { PrivateDns } from "../lib/network/private-dns";
import { SecureWorkspace } from "../lib/secure-workspace/secure-workspace";
import { SecureKeyVault } from "../lib/security/secure-key-vault";
import { SecureStorageAccount } from "../lib/storage/secure-storage-account";
import { RedisFeatureTier, RedisFeatureTierProps } from "../lib/redis-feature-tier/redis-feature-tier";
import { StreamingIngress } from "../lib/redis-feature-tier/streaming-ingress";
import { sampleSynth } from "./sample-synth";
import { TAGS, testStack } from "./helpers";

const LOG = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log";
const SUBNET = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe";
const OID = "00000000-0000-0000-0000-000000000001";
const NOW = new Date("2026-11-22T12:00:00Z");

interface Env {
  stack: TerraformStack;
  naming: Naming;
  dns: PrivateDns;
}
type Fixture = (env: Env) => void;

/** The unsuppressed rule IDs a fixture violates (errors and warnings). */
function violations(fixture: Fixture, options: { production?: boolean; tagged?: boolean; now?: Date } = {}): string[] {
  const app = Testing.app({ stackTraces: false });
  const stack = new TerraformStack(app, "fixture");
  new AzurermProvider(stack, "azurerm", { features: [{}], useOidc: true });
  const naming = new Naming(stack, { organization: "contoso", workload: "lake", environment: "dev", region: "westeurope" });
  if (options.tagged !== false) MandatoryTagging.apply(stack, TAGS);
  const dns = new PrivateDns(stack, "dns", { naming, resourceGroupName: "rg" });
  fixture({ stack, naming, dns });
  const guardrails = Guardrails.of(app, { production: () => options.production ?? false, warn: () => undefined, now: () => options.now ?? NOW });
  try {
    Testing.synth(stack, true);
  } catch {
    // errors are read from the findings
  }
  return [...new Set(guardrails.findings.filter((f) => !f.suppressed).map((f) => f.ruleId))].sort();
}

const rawStorage = (stack: TerraformStack, overrides: Partial<StorageAccountConfig> = {}) =>
  new StorageAccount(stack, "raw", {
    name: "straw",
    resourceGroupName: "rg",
    location: "westeurope",
    accountTier: "Standard",
    accountReplicationType: "ZRS",
    publicNetworkAccessEnabled: false,
    minTlsVersion: "TLS1_2",
    httpsTrafficOnlyEnabled: true,
    sharedAccessKeyEnabled: false,
    blobProperties: { deleteRetentionPolicy: { days: 7 }, containerDeleteRetentionPolicy: { days: 7 } },
    ...overrides,
  });
const secureStorage = ({ stack, naming, dns }: Env, protectFromDeletion = false) =>
  new SecureStorageAccount(stack, "lake", { naming, purpose: "lake", resourceGroupName: "rg", location: "westeurope", privateEndpointSubnetId: SUBNET, privateDns: dns, logAnalyticsWorkspaceId: LOG, protectFromDeletion });
const secureVault = ({ stack, naming, dns }: Env, protectFromDeletion = false) =>
  new SecureKeyVault(stack, "kv", { naming, resourceGroupName: "rg", location: "westeurope", tenantId: OID, privateEndpointSubnetId: SUBNET, privateDns: dns, logAnalyticsWorkspaceId: LOG, protectFromDeletion });
const redis = ({ stack, naming, dns }: Env, overrides: Partial<RedisFeatureTierProps> = {}) =>
  new RedisFeatureTier(stack, "redis", {
    naming,
    resourceGroupName: "rg",
    location: "westeurope",
    privateEndpointSubnetId: SUBNET,
    privateDns: dns,
    logAnalyticsWorkspaceId: LOG,
    featurePublisher: { objectId: OID },
    onlineServing: { objectId: OID },
    featureSets: [{ domain: "fin", name: "velocity", schemaVersion: 1, freshnessSlaSeconds: 600 }],
    ...overrides,
  });
const workspace = ({ stack, naming, dns }: Env) => new SecureWorkspace(stack, "ws", { naming, resourceGroupName: "rg", location: "westeurope", network: { addressSpace: "10.0.0.0/22" }, privateDns: dns, logAnalyticsWorkspaceId: LOG });

/** Another team's app: two private endpoints on one Databricks workspace, ordered or not. */
const teamEndpoints = (stack: TerraformStack, ordered: boolean) => {
  const ws = new DatabricksWorkspace(stack, "ws", { name: "dbw-team", resourceGroupName: "rg", location: "westeurope", sku: "premium", publicNetworkAccessEnabled: false });
  const endpoint = (id: string, subresource: string, dependsOn?: PrivateEndpoint[]) =>
    new PrivateEndpoint(stack, id, { name: `pe-${id}`, resourceGroupName: "rg", location: "westeurope", subnetId: SUBNET, privateServiceConnection: { name: id, privateConnectionResourceId: ws.id, subresourceNames: [subresource], isManualConnection: false }, dependsOn });
  const backEnd = endpoint("backend", "databricks_ui_api");
  endpoint("frontend", "databricks_ui_api", ordered ? [backEnd] : undefined);
};
/** An NSG of Databricks-delegated subnets with a rule of the team's at a given priority. */
const teamDatabricksRule = (stack: TerraformStack, priority: number) => {
  const subnet = new Subnet(stack, "host", { name: "snet-host", resourceGroupName: "rg", virtualNetworkName: "v", addressPrefixes: ["10.0.0.0/24"], delegation: [{ name: "dbw", serviceDelegation: { name: "Microsoft.Databricks/workspaces" } }] });
  const nsg = new NetworkSecurityGroup(stack, "nsg", { name: "nsg-host", resourceGroupName: "rg", location: "westeurope" });
  new SubnetNetworkSecurityGroupAssociation(stack, "assoc", { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
  new NetworkSecurityRule(stack, "rule", { name: "team-https-out", networkSecurityGroupName: nsg.name, resourceGroupName: "rg", priority, direction: "Outbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "AzureCloud", sourcePortRange: "*", destinationPortRange: "443" });
};
/** A custom role assigned by its name, or by its ID. */
const teamRole = (stack: TerraformStack, by: "name" | "id") => {
  const role = new RoleDefinition(stack, "role", { name: "team-reader", scope: "/subscriptions/0", permissions: [{ actions: ["Microsoft.Storage/storageAccounts/read"] }] });
  new RoleAssignment(stack, "assign", { scope: "/subscriptions/0", principalId: OID, ...(by === "name" ? { roleDefinitionName: role.name } : { roleDefinitionId: role.roleDefinitionResourceId }) });
};
const teamAlert = (stack: TerraformStack, withAction: boolean) =>
  new MonitorMetricAlert(stack, "alert", {
    name: "alert-team",
    resourceGroupName: "rg",
    scopes: ["/subscriptions/0/resourceGroups/rg/providers/Microsoft.Cache/redisEnterprise/r"],
    criteria: [{ metricNamespace: "Microsoft.Cache/redisEnterprise", metricName: "usedmemorypercentage", aggregation: "Average", operator: "GreaterThan", threshold: 80 }],
    action: withAction ? [{ actionGroupId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ag" }] : undefined,
  });
const accountLevel = (stack: TerraformStack) => new DatabricksProvider(stack, "acc", { host: "https://accounts.azuredatabricks.net", accountId: "a" });
const teamBudget = (stack: TerraformStack, startDate: string) =>
  new ConsumptionBudgetResourceGroup(stack, "budget", { name: "team", resourceGroupId: "/subscriptions/0/resourceGroups/rg", amount: 100, timePeriod: { startDate }, notification: [{ operator: "GreaterThan", threshold: 90, contactEmails: ["team@example.com"] }] });

/** A secondary stack's record of its pair (westeurope → `secondaryLocation`), silver protected as given. */
function pairRecord(stack: TerraformStack, options: { secondaryLocation?: string; silver?: "geoReplication" | "deepClone" }): void {
  setRecoveryRecord(stack, {
    role: "secondary",
    primaryLocation: "westeurope",
    secondaryLocation: options.secondaryLocation ?? "northeurope",
    zones: [
      { zone: "landing", delta: false, mechanism: "geoReplication" },
      { zone: "silver", delta: true, mechanism: options.silver ?? "deepClone" },
    ],
  });
}

/** A workspace's metastore assignment and a catalog created (or not) after it. */
function assignedCatalog(stack: TerraformStack, after: boolean): void {
  const assignment = new MetastoreAssignment(stack, "assignment", { workspaceId: 1234567890123456, metastoreId: "m" });
  new Catalog(stack, "catalog", { name: "team_catalog", dependsOn: after ? [assignment] : undefined });
}

/** A grant on the system catalog, in a stack whose deploy identity is (or is not) the metastore admin. */
function systemGrant(stack: TerraformStack, metastoreAdmin: boolean): void {
  setStackDeployment(stack, { environment: "dev" });
  recordIdentities(stack, { deploy: deployRights({ metastoreAdmin, sharedDataConsumer: false }), plan: PLAN_RIGHTS });
  new Grant(stack, "system-reader", { provider: new DatabricksProvider(stack, "dbx", { host: "https://adb-1.2.azuredatabricks.net" }), catalog: "system", principal: "auditors", privileges: ["USE_CATALOG"] });
}

/** A raw share of `object` carrying DomainShares' record (catalog sales_prod, the given classification and allowance). */
function recordedShare(stack: TerraformStack, dataClassification: string, object: string, allowance?: string): void {
  const share = new Share(stack, "s", { name: "sales_partners_prod", object: [{ name: object, dataObjectType: "SCHEMA" }] });
  share.addOverride("//.sharing", { domain: "sales", dataClassification, catalog: "sales_prod", allowance: allowance ?? null });
}

/** A raw Managed Redis in a geo-replication group, with RDB persistence when given. */
function geoRedis(stack: TerraformStack, sku: string, rdb?: string): void {
  new ManagedRedis(stack, "r", { name: "r", resourceGroupName: "rg", location: "westeurope", skuName: sku, publicNetworkAccess: "Disabled", defaultDatabase: { clientProtocol: "Encrypted", accessKeysAuthenticationEnabled: false, geoReplicationGroupName: "lake-features-prod", persistenceRedisDatabaseBackupFrequency: rdb } });
}

/** [rule, a fixture that violates it, a fixture that complies]. */
const CASES: [string, Fixture, Fixture][] = [
  ["MDL-NET-001", ({ stack }) => rawStorage(stack, { publicNetworkAccessEnabled: true }), secureStorage],
  ["MDL-NET-002", ({ stack }) => rawStorage(stack), secureStorage],
  ["MDL-NET-003", ({ stack }) => new Subnet(stack, "bare", { name: "snet-bare", resourceGroupName: "rg", virtualNetworkName: "v", addressPrefixes: ["10.0.0.0/24"] }), ({ stack }) => new Subnet(stack, "fw", { name: "AzureFirewallSubnet", resourceGroupName: "rg", virtualNetworkName: "v", addressPrefixes: ["10.0.1.0/26"] })],
  ["MDL-NET-004", ({ stack }) => new NetworkSecurityRule(stack, "open", { name: "ssh", networkSecurityGroupName: "n", resourceGroupName: "rg", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "Internet", destinationAddressPrefix: "*", sourcePortRange: "*", destinationPortRange: "22" }), workspace],
  ["MDL-TLS-001", ({ stack }) => rawStorage(stack, { minTlsVersion: "TLS1_0" }), secureStorage],
  ["MDL-TLS-002", ({ stack }) => rawStorage(stack, { httpsTrafficOnlyEnabled: false }), secureStorage],
  ["MDL-TLS-003", ({ stack }) => new ManagedRedis(stack, "r", { name: "r", resourceGroupName: "rg", location: "westeurope", skuName: "Balanced_B1", publicNetworkAccess: "Disabled", defaultDatabase: { clientProtocol: "Plaintext", accessKeysAuthenticationEnabled: false } }), redis],
  ["MDL-IAM-001", ({ stack }) => { new AzureadProvider(stack, "azuread", {}); new DataAzureadUser(stack, "me", { userPrincipalName: "me@example.com" }); }, ({ stack }) => new AzureadProvider(stack, "azuread", {})],
  ["MDL-IAM-002", ({ stack }) => new KeyVaultAccessPolicyA(stack, "policy", { keyVaultId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", tenantId: OID, objectId: OID, secretPermissions: ["Get"] }), secureVault],
  ["MDL-IAM-003", ({ stack }) => rawStorage(stack, { sharedAccessKeyEnabled: true }), secureStorage],
  ["MDL-IAM-004", ({ stack }) => new ManagedRedis(stack, "r", { name: "r", resourceGroupName: "rg", location: "westeurope", skuName: "Balanced_B1", publicNetworkAccess: "Disabled", defaultDatabase: { clientProtocol: "Encrypted", accessKeysAuthenticationEnabled: true } }), redis],
  ["MDL-IAM-005", ({ stack }) => new DatabricksProvider(stack, "dbx", { host: "https://adb-1.azuredatabricks.net", azureClientSecret: "${var.secret}" }), ({ stack }) => new DatabricksProvider(stack, "dbx", { host: "https://adb-1.azuredatabricks.net", authType: "github-oidc-azure" })],
  ["MDL-DP-001", ({ stack }) => new KeyVault(stack, "v", { name: "kv-weak", resourceGroupName: "rg", location: "westeurope", tenantId: OID, skuName: "standard", rbacAuthorizationEnabled: true, publicNetworkAccessEnabled: false, purgeProtectionEnabled: false }), secureVault],
  ["MDL-DP-002", ({ stack }) => rawStorage(stack, { blobProperties: {} }), secureStorage],
  ["MDL-DBW-001", ({ stack }) => new DatabricksWorkspace(stack, "w", { name: "dbw", resourceGroupName: "rg", location: "westeurope", sku: "standard", publicNetworkAccessEnabled: false }), workspace],
  ["MDL-MON-001", ({ stack }) => new EventhubNamespace(stack, "e", { name: "evh", resourceGroupName: "rg", location: "westeurope", sku: "Standard", publicNetworkAccessEnabled: false, minimumTlsVersion: "1.2", localAuthenticationEnabled: false }), ({ stack, naming, dns }) => new StreamingIngress(stack, "s", { naming, resourceGroupName: "rg", location: "westeurope", privateEndpointSubnetId: SUBNET, privateDns: dns, logAnalyticsWorkspaceId: LOG, sender: { objectId: OID }, receiver: { objectId: OID } })],
  ["MDL-SEC-001", ({ stack }) => new KeyVaultSecret(stack, "s", { name: "db-password", keyVaultId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", value: "hunter2" }), ({ stack }) => new KeyVaultSecret(stack, "s", { name: "db-password", keyVaultId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", value: new TerraformVariable(stack, "db_password", { sensitive: true }).stringValue })],
  ["MDL-SEC-002", ({ stack }) => new TerraformOutput(stack, "pw", { value: new TerraformVariable(stack, "db_password", { sensitive: true }).stringValue }), ({ stack }) => new TerraformOutput(stack, "pw", { value: new TerraformVariable(stack, "db_password", { sensitive: true }).stringValue, sensitive: true })],
  // Deployability: what another team's app repeats of the defects the Azure and Unity Catalog reviews found.
  ["MDL-DEP-001", ({ stack }) => { new ResourceGroup(stack, "rg", { name: "rg-team-app", location: "westeurope" }); new NetworkSecurityGroup(stack, "nsg", { name: "nsg-team", resourceGroupName: "rg-team-app", location: "westeurope" }); }, ({ stack }) => { const rg = new ResourceGroup(stack, "rg", { name: "rg-team-app", location: "westeurope" }); new NetworkSecurityGroup(stack, "nsg", { name: "nsg-team", resourceGroupName: rg.name, location: "westeurope" }); }],
  ["MDL-DEP-002", ({ stack }) => teamEndpoints(stack, false), ({ stack }) => teamEndpoints(stack, true)],
  ["MDL-DEP-003", ({ stack }) => teamDatabricksRule(stack, 150), ({ stack }) => teamDatabricksRule(stack, 250)],
  ["MDL-DEP-004", ({ stack }) => teamRole(stack, "name"), ({ stack }) => teamRole(stack, "id")],
  ["MDL-DEP-005", ({ stack }) => new Catalog(stack, "c", { provider: accountLevel(stack), name: "team_catalog", owner: "team-admins" }), ({ stack }) => new Catalog(stack, "c", { provider: accountLevel(stack), name: "team_catalog" })],
  ["MDL-DEP-006", ({ stack }) => teamBudget(stack, "2025-01-01T00:00:00Z"), ({ stack }) => teamBudget(stack, "2026-11-01T00:00:00Z")],
  ["MDL-DEP-007", ({ stack }) => new DatabricksProvider(stack, "dbx", { host: "https://adb-1.2.azuredatabricks.net", authType: "github-oidc-azure" }), ({ stack }) => { setStackDeployment(stack, { environment: "dev" }); requirePrivateNetwork(stack, "it calls the private workspace", ["self-hosted", "linux", "team"]); new DatabricksProvider(stack, "dbx", { host: "https://adb-1.2.azuredatabricks.net", authType: "github-oidc-azure" }); }],
  // The deploy identity of an environment that does not own the metastore grants on the system catalog (databricks review B1).
  ["MDL-DEP-009", ({ stack }) => assignedCatalog(stack, false), ({ stack }) => assignedCatalog(stack, true)],
  ["MDL-DEP-008", ({ stack }) => systemGrant(stack, false), ({ stack }) => systemGrant(stack, true)],
  ["MDL-MON-002", ({ stack }) => teamAlert(stack, false), ({ stack }) => teamAlert(stack, true)],
  // Disaster recovery: the pair's record and the secondary's resources.
  ["MDL-DR-001", ({ stack }) => { pairRecord(stack, { secondaryLocation: "northeurope" }); new ResourceGroup(stack, "rg", { name: "rg-dr", location: "westeurope" }); }, ({ stack }) => { pairRecord(stack, { secondaryLocation: "northeurope" }); new ResourceGroup(stack, "rg", { name: "rg-dr", location: "northeurope" }); }],
  ["MDL-DR-002", ({ stack }) => pairRecord(stack, { silver: "geoReplication" }), ({ stack }) => pairRecord(stack, {})],
  ["MDL-DR-003", ({ stack }) => geoRedis(stack, "Balanced_B1", "1h"), ({ stack }) => geoRedis(stack, "Balanced_B3")],
  // Delta Sharing with other companies.
  ["MDL-SHR-001", ({ stack }) => new Recipient(stack, "r", { name: "partner", authenticationType: "TOKEN" }), ({ stack }) => new Recipient(stack, "r", { name: "partner", authenticationType: "TOKEN", ipAccessList: { allowedIpAddresses: ["203.0.113.0/24"] }, expirationTime: 1814399999000 })],
  ["MDL-SHR-002", ({ stack }) => recordedShare(stack, "restricted", "sales_prod.orders"), ({ stack }) => recordedShare(stack, "restricted", "sales_prod.orders", "Contractual reporting to the regulator, approved by the DPO")],
  ["MDL-SHR-003", ({ stack }) => recordedShare(stack, "confidential", "finance_prod.ledger"), ({ stack }) => recordedShare(stack, "confidential", "sales_prod.orders")],
  ["MDL-SEC-003", ({ stack }) => new ResourceGroup(stack, "rg", { name: "rg-raw", location: "westeurope", tags: { project: "${var.subscription_id}" } }), ({ stack }) => new ResourceGroup(stack, "rg", { name: "rg-raw", location: "westeurope", tags: { project: new TerraformVariable(stack, "project", { type: "string" }).stringValue } })],
];

describe("MDL-MON-002 on scheduled query alerts (one action block, not a list)", () => {
  const alert = (stack: TerraformStack, actionGroups?: string[]) =>
    new MonitorScheduledQueryRulesAlertV2(stack, "q", { name: "alert-q", resourceGroupName: "rg", location: "westeurope", scopes: [LOG], severity: 2, evaluationFrequency: "PT15M", windowDuration: "PT15M", criteria: [{ query: "T | take 1", timeAggregationMethod: "Count", operator: "GreaterThan", threshold: 0 }], action: actionGroups ? { actionGroups } : undefined });
  test("an alert without action groups draws the warning; one with them does not", () => {
    expect(violations(({ stack }) => alert(stack))).toContain("MDL-MON-002");
    expect(violations(({ stack }) => alert(stack, ["/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ops"]))).not.toContain("MDL-MON-002");
  });
});

describe("guardrail rules", () => {
  test("every rule has a failing and a passing fixture", () => {
    const covered = new Set([...CASES.map(([id]) => id), "MDL-TAG-001", "MDL-DP-003", "MDL-DP-004"]);
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test.each(CASES)("%s: the failing fixture violates it, the passing one does not", (id, failing, passing) => {
    expect(violations(failing)).toContain(id);
    expect(violations(passing)).not.toContain(id);
  });

  test("MDL-TAG-001: a taggable resource without the mandatory tags", () => {
    expect(violations(({ stack }) => new ResourceGroup(stack, "rg", { name: "rg", location: "westeurope" }), { tagged: false })).toContain("MDL-TAG-001");
    expect(violations(({ stack }) => new ResourceGroup(stack, "rg", { name: "rg", location: "westeurope" }))).not.toContain("MDL-TAG-001");
  });

  test("MDL-DP-003: production stores need prevent_destroy and a CanNotDelete lock", () => {
    expect(violations((env) => secureStorage(env), { production: true })).toContain("MDL-DP-003");
    expect(violations((env) => secureVault(env), { production: true })).toContain("MDL-DP-003");
    expect(violations((env) => { secureStorage(env, true); secureVault(env, true); }, { production: true })).not.toContain("MDL-DP-003");
    expect(violations((env) => secureStorage(env), { production: false })).not.toContain("MDL-DP-003");
  });

  test("MDL-DP-004: no force_destroy on Unity Catalog objects in production", () => {
    const catalog = (forceDestroy: boolean): Fixture => ({ stack }) => new Catalog(stack, "c", { provider: new DatabricksProvider(stack, "dbx", { host: "https://adb-1.azuredatabricks.net" }), name: "c", forceDestroy });
    expect(violations(catalog(true), { production: true })).toContain("MDL-DP-004");
    expect(violations(catalog(false), { production: true })).not.toContain("MDL-DP-004");
    expect(violations(catalog(true), { production: false })).not.toContain("MDL-DP-004");
  });

  test("the contract secret of RedisFeatureTier is a literal by design, suppressed with its reason", () => {
    const withContract: Fixture = (env) => redis(env, { contractKeyVaultId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv" });
    expect(violations(withContract)).not.toContain("MDL-SEC-001");
  });

  test("MDL-IAM-005 also covers the backend", () => {
    expect(violations(({ stack }) => new AzurermBackend(stack, { resourceGroupName: "rg", storageAccountName: "st", containerName: "c", key: "k", accessKey: "${var.key}" }))).toContain("MDL-IAM-005");
  });
});

describe("the generic rules cover resources the library does not make", () => {
  test("public network access: a listed type left at its enabled default, any azurerm type that states it on", () => {
    expect(violations(({ stack }) => new MssqlServer(stack, "sql", { name: "sql-raw", resourceGroupName: "rg", location: "westeurope", version: "12.0", azureadAdministrator: { loginUsername: "admins", objectId: OID, azureadAuthenticationOnly: true } }))).toContain("MDL-NET-001");
    expect(violations(({ stack }) => new MssqlServer(stack, "sql", { name: "sql-raw", resourceGroupName: "rg", location: "westeurope", version: "12.0", publicNetworkAccessEnabled: false, azureadAdministrator: { loginUsername: "admins", objectId: OID, azureadAuthenticationOnly: true } }))).not.toContain("MDL-NET-001");
    expect(violations(({ stack }) => new LinuxWebApp(stack, "app", { name: "app-raw", resourceGroupName: "rg", location: "westeurope", servicePlanId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/serverFarms/p", siteConfig: {}, publicNetworkAccessEnabled: true }))).toContain("MDL-NET-001");
  });

  test("an inbound allow from any non-private source: a public address or service tag; private ranges pass", () => {
    const rule = (source: string) => ({ stack }: Env) =>
      new NetworkSecurityRule(stack, "r", { name: "in", networkSecurityGroupName: "n", resourceGroupName: "rg", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: source, destinationAddressPrefix: "*", sourcePortRange: "*", destinationPortRange: "443" });
    for (const source of ["52.10.1.4", "20.0.0.0/8", "AzureCloud", "*", "11.0.0.0/8"]) expect([source, violations(rule(source))]).toEqual([source, expect.arrayContaining(["MDL-NET-004"])]);
    for (const source of ["10.1.0.0/16", "172.20.0.0/16", "192.168.1.10", "VirtualNetwork", "AzureLoadBalancer"]) expect([source, violations(rule(source))]).toEqual([source, expect.not.arrayContaining(["MDL-NET-004"])]);
  });

  test("an output of a Key Vault secret's value that is not sensitive", () => {
    const secret = (stack: TerraformStack) => new KeyVaultSecret(stack, "s", { name: "conn", keyVaultId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", value: new TerraformVariable(stack, "conn", { sensitive: true }).stringValue });
    expect(violations(({ stack }) => new TerraformOutput(stack, "conn_out", { value: secret(stack).value }))).toContain("MDL-SEC-002");
    expect(violations(({ stack }) => new TerraformOutput(stack, "conn_out", { value: secret(stack).value, sensitive: true }))).not.toContain("MDL-SEC-002");
  });
});

describe("injection: ${ and %{ in user strings never reach the JSON as text", () => {
  test("a construct prop, named by its path", () => {
    const { stack, naming } = testStack();
    expect(() => new SecureKeyVault(stack, "kv", { naming, resourceGroupName: "rg-${var.x}", location: "westeurope", tenantId: OID, privateEndpointSubnetId: SUBNET, privateDns: new PrivateDns(stack, "dns", { naming, resourceGroupName: "rg" }), logAnalyticsWorkspaceId: LOG })).toThrow(
      /test\/kv: invalid resourceGroupName "rg-\$\{var\.x\}": expected text without \$\{ or %\{ \(Terraform would evaluate it\)/,
    );
  });

  test("mandatory tags, and a directive as much as an expression", () => {
    const { stack } = testStack();
    expect(() => MandatoryTagging.apply(stack, { ...TAGS, owner: "%{if true}x%{endif}" })).toThrow(/invalid tags\.owner "%\{if true\}x%\{endif\}": expected text without/);
  });

  test("a token is a reference, not text: it passes", () => {
    const { stack, naming } = testStack();
    const rg = new TerraformVariable(stack, "rg", { type: "string" }).stringValue;
    expect(() => new SecureKeyVault(stack, "kv", { naming, resourceGroupName: `${rg}`, location: "westeurope", tenantId: OID, privateEndpointSubnetId: SUBNET, privateDns: new PrivateDns(stack, "dns", { naming, resourceGroupName: "rg" }), logAnalyticsWorkspaceId: LOG })).not.toThrow();
  });
});

describe("another team's app", () => {
  test("an insecure storage account next to the constructs fails synth with the rule IDs, paths and fixes", () => {
    const app = Testing.app({ stackTraces: false });
    const stack = new TerraformStack(app, "team-app");
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    const naming = new Naming(stack, { organization: "contoso", workload: "team", environment: "dev", region: "westeurope" });
    MandatoryTagging.apply(stack, TAGS);
    const dns = new PrivateDns(stack, "dns", { naming, resourceGroupName: "rg" });
    secureStorage({ stack, naming, dns });
    new StorageAccount(stack, "scratch", { name: "stscratch", resourceGroupName: "rg", location: "westeurope", accountTier: "Standard", accountReplicationType: "LRS", publicNetworkAccessEnabled: true });
    Guardrails.of(app, { warn: () => undefined });
    let message = "";
    try {
      Testing.synth(stack, true);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/MDL-NET-001 Public network access off — team-app\/scratch: azurerm_storage_account\.public_network_access_enabled is true, must be false\. Fix: /);
    expect(message).toMatch(/MDL-IAM-003 Storage shared keys off — team-app\/scratch/);
    expect(message).not.toMatch(/team-app\/lake/);
  });
});

describe("suppressions", () => {
  test("an explicit suppression with a reason silences one rule on one construct, and is reported", () => {
    const app = Testing.app({ stackTraces: false });
    const stack = new TerraformStack(app, "s");
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    MandatoryTagging.apply(stack, TAGS);
    const raw = rawStorage(stack);
    Guardrails.suppress(raw, "MDL-NET-002", "Reached through the hub's endpoint, owned by the network team");
    Guardrails.suppress(raw, "MDL-MON-001", "Diagnostics come from the hub's Azure Policy assignment");
    const guardrails = Guardrails.of(app, { warn: () => undefined });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(guardrails.findings.filter((f) => f.suppressed).map((f) => [f.ruleId, f.suppressed!.reason])).toEqual([
      ["MDL-NET-002", "Reached through the hub's endpoint, owned by the network team"],
      ["MDL-MON-001", "Diagnostics come from the hub's Azure Policy assignment"],
    ]);
    const dir = mkdtempSync(join(tmpdir(), "guardrails-report-"));
    guardrails.writeReport(dir);
    const report = JSON.parse(readFileSync(join(dir, "guardrails-report.json"), "utf8"));
    expect(report.summary).toEqual({ rules: RULES.length, errors: 0, warnings: 0, suppressed: 2 });
    expect(readFileSync(join(dir, "guardrails-report.md"), "utf8")).toContain("| MDL-NET-002 | error | s | `s/raw` |");
    rmSync(dir, { recursive: true, force: true });
  });

  test("a suppression needs a known rule and a reason of at least 10 characters", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    expect(() => Guardrails.suppress(stack, "MDL-NET-002", "legacy")).toThrow(/s: invalid guardrails suppression reason for MDL-NET-002 "legacy": expected a reason of at least 10 characters/);
    expect(() => Guardrails.suppress(stack, "NOPE-1" as RuleId, "a perfectly good reason")).toThrow(/s: invalid guardrails suppression rule "NOPE-1": expected one of MDL-NET-001/);
  });

  test("warnings print and do not fail synth", () => {
    const warnings: string[] = [];
    const app = Testing.app({ stackTraces: false });
    const stack = new TerraformStack(app, "w");
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    MandatoryTagging.apply(stack, TAGS);
    const naming = new Naming(stack, { organization: "contoso", workload: "lake", environment: "dev", region: "westeurope" });
    new StreamingIngress(stack, "s", { naming, resourceGroupName: "rg", location: "westeurope", privateEndpointSubnetId: SUBNET, privateDns: new PrivateDns(stack, "dns", { naming, resourceGroupName: "rg" }), logAnalyticsWorkspaceId: LOG, sender: { objectId: OID }, receiver: { objectId: OID } });
    const ns = stack.node.findAll().find((c) => c instanceof EventhubNamespace)!;
    const diag = ns.node.scope!.node.tryFindChild("diagnostics")!;
    ns.node.scope!.node.tryRemoveChild(diag.node.id);
    Guardrails.of(app, { warn: (m) => warnings.push(m) });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(warnings).toEqual([expect.stringMatching(/^guardrails warning MDL-MON-001 .* w\/s\/namespace: azurerm_eventhub_namespace has no diagnostic setting/)]);
  });

});

describe("no creation order bypasses the guardrails", () => {
  /** A raw storage account open to the internet, with shared keys and no tags, in a stack of its own. */
  const publicStack = (app: ReturnType<typeof Testing.app>, id: string) => {
    const stack = new TerraformStack(app, id);
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    new StorageAccount(stack, "open", { name: `st${id}`, resourceGroupName: "rg", location: "westeurope", accountTier: "Standard", accountReplicationType: "LRS", publicNetworkAccessEnabled: true, sharedAccessKeyEnabled: true });
    return stack;
  };
  const outdir = () => mkdtempSync(join(tmpdir(), "guardrails-order-"));

  test("a stack created after Guardrails.of(app) is checked too", () => {
    const app = Testing.app({ stackTraces: false, outdir: outdir() });
    publicStack(app, "early");
    const guardrails = Guardrails.of(app, { warn: () => undefined });
    publicStack(app, "late");
    expect(() => synthesizeAll(app)).toThrow(SynthesisError);
    expect(new Set(guardrails.findings.map((f) => f.stack))).toEqual(new Set(["early", "late"]));
  });

  test("an App whose stacks all came after Guardrails.of fails, naming them, instead of passing unchecked", () => {
    const app = Testing.app({ stackTraces: false, outdir: outdir() });
    Guardrails.of(app, { warn: () => undefined });
    publicStack(app, "unchecked");
    expect(() => app.synth()).toThrow(/unchecked: not checked by the guardrails \(the stack was created after Guardrails\.of/);
  });

  test("synthesizeAll reports every stack's errors together and leaves the output as it was", () => {
    const dir = outdir();
    const app = Testing.app({ stackTraces: false, outdir: dir });
    publicStack(app, "first");
    publicStack(app, "second");
    Guardrails.of(app, { warn: () => undefined });
    writeFileSync(join(dir, "previous-output.txt"), "kept");
    const before = readdirSync(dir, { recursive: true }).sort();
    let error: SynthesisError | undefined;
    try {
      synthesizeAll(app);
    } catch (e) {
      error = e as SynthesisError;
    }
    expect(error).toBeInstanceOf(SynthesisError);
    expect(error!.problems.some((p) => p.startsWith("first: MDL-NET-002"))).toBe(true);
    expect(error!.problems.some((p) => p.startsWith("second: MDL-NET-002"))).toBe(true);
    expect(readdirSync(dir, { recursive: true }).sort()).toEqual(before);
    expect(before).toContain("previous-output.txt");
  });

  test("synthesizeAll writes every stack when all pass", () => {
    const dir = outdir();
    const app = Testing.app({ stackTraces: false, outdir: dir });
    const stack = new TerraformStack(app, "clean");
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    new AzurermBackend(stack, { resourceGroupName: "rg", storageAccountName: "st", containerName: "tfstate", key: "clean.tfstate", useOidc: true, useAzureadAuth: true });
    Guardrails.of(app, { warn: () => undefined });
    expect(synthesizeAll(app)).toEqual(["clean"]);
    expect(existsSync(join(dir, "stacks", "clean", "cdk.tf.json"))).toBe(true);
  });
});

describe("the sample app", () => {
  test("synthesizes with zero guardrail errors and writes the report beside the stacks", () => {
    const report = JSON.parse(readFileSync(join(sampleSynth(), "guardrails-report.json"), "utf8"));
    expect(report.summary).toMatchObject({ rules: RULES.length, errors: 0, warnings: 0 });
    expect(report.findings.every((f: { suppressed?: { reason: string } }) => f.suppressed && f.suppressed.reason.length >= 10)).toBe(true);
    expect(existsSync(join(sampleSynth(), "guardrails-report.md"))).toBe(true);
  });
});

describe("help/guardrails.md", () => {
  test("documents every rule and is a fresh generation", () => {
    const committed = readFileSync(join(__dirname, "..", "help", "guardrails.md"), "utf8");
    expect(committed).toBe(rulesDocument());
    for (const rule of RULES) expect(committed).toContain(`### ${rule.id}`);
  });
});
