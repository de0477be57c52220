import { existsSync, mkdtempSync, readdirSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { AzureRegion } from "../lib/core/regions";
import { Naming } from "../lib/core/naming";
import { MandatoryTagging } from "../lib/core/tags";
import { DataDomain, DataDomainProps } from "../lib/data-domain/data-domain";
import { Guardrails } from "../lib/guardrails/guardrails";
import { RuleId } from "../lib/guardrails/rule-pack";
import { MedallionPlatform, MedallionPlatformProps } from "../lib/medallion-platform/medallion-platform";
import { PrivateDns } from "../lib/network/private-dns";
import { ManagedRedisSku, RedisFeatureTier, RedisFeatureTierProps } from "../lib/redis-feature-tier/redis-feature-tier";
import { ComplianceStandard, SecureWorkspace, SecureWorkspaceProps } from "../lib/secure-workspace/secure-workspace";
import { TAGS } from "./helpers";

/**
 * Bad props through the public API of the four constructs and the guardrails: [case, build, prop, value, expected].
 * Each build makes one construct with one bad prop in a fresh App; the error must name the prop, the value and the
 * expectation, and nothing may be written.
 */
export type PropCase = [name: string, build: (env: PropEnv) => void, prop: string, value: string, expected: RegExp];

export interface PropEnv {
  readonly app: App;
  readonly stack: TerraformStack;
  readonly naming: Naming;
}

const G = (n: number) => `aaaaaaaa-0000-0000-0000-${String(n).padStart(12, "0")}`;
const SUB = "00000000-0000-0000-0000-0000000000aa";
const RID = (type: string, name: string) => `/subscriptions/${SUB}/resourceGroups/rg/providers/${type}/${name}`;
const SUBNET = RID("Microsoft.Network/virtualNetworks", "v/subnets/pe");
const LOG = RID("Microsoft.OperationalInsights/workspaces", "log");
const CONNECTOR = RID("Microsoft.Databricks/accessConnectors", "ac");

/** A fresh App (its output directory in a temp folder), one stack, naming and tags. */
export function propEnv(region: AzureRegion = "westeurope"): PropEnv & { outdir: string } {
  const outdir = join(mkdtempSync(join(tmpdir(), "bad-props-")), "cdktf.out");
  const app = Testing.app({ stackTraces: false, outdir });
  const stack = new TerraformStack(app, "team");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  const naming = new Naming(stack, { organization: "contoso", workload: "lake", environment: "dev", region });
  MandatoryTagging.apply(stack, TAGS);
  return { app, stack, naming, outdir };
}

/** Nothing of the App reached its output directory. */
export function nothingWritten(outdir: string): boolean {
  return !existsSync(join(outdir, "manifest.json")) && (!existsSync(join(outdir, "stacks")) || readdirSync(join(outdir, "stacks")).length === 0);
}

const platform = (env: PropEnv, overrides: Partial<MedallionPlatformProps>) =>
  new MedallionPlatform(env.stack, "platform", {
    naming: env.naming,
    resourceGroupName: "rg-lake-platform-dev-weu",
    location: "westeurope",
    tenantId: G(99),
    workspace: { network: { addressSpace: "10.20.0.0/22" } },
    principals: { deploymentObjectId: G(1) },
    ...overrides,
  });
const workspace = (env: PropEnv, overrides: Partial<SecureWorkspaceProps>) =>
  new SecureWorkspace(env.stack, "workspace", { naming: env.naming, resourceGroupName: "rg-lake-platform-dev-weu", location: "westeurope", network: { addressSpace: "10.20.0.0/22" }, ...overrides });
const redis = (env: PropEnv, overrides: Partial<RedisFeatureTierProps>) =>
  new RedisFeatureTier(env.stack, "features", {
    naming: env.naming,
    resourceGroupName: "rg-lake-features-dev-weu",
    location: "westeurope",
    privateEndpointSubnetId: SUBNET,
    privateDns: new PrivateDns(env.stack, "dns", { naming: env.naming, resourceGroupName: "rg" }),
    logAnalyticsWorkspaceId: LOG,
    featurePublisher: { objectId: G(1) },
    onlineServing: { objectId: G(2) },
    featureSets: [{ domain: "fin", name: "card_velocity", schemaVersion: 1, freshnessSlaSeconds: 600 }],
    ...overrides,
  });
const domain = (env: PropEnv, overrides: Partial<DataDomainProps>) =>
  new DataDomain(env.stack, "domain", {
    naming: env.naming,
    name: "sales",
    location: "westeurope",
    owner: "sales@example.com",
    costCenter: "CC-2001",
    dataClassification: "internal",
    environmentTags: { environment: "dev", managedBy: "tests" },
    personas: { admins: { objectId: G(11), principalName: "sales-admins" }, engineers: { objectId: G(12), principalName: "sales-engineers" }, readers: { objectId: G(13), principalName: "sales-readers" } },
    contacts: ["sales@example.com"],
    platform: overrides.platform ?? domainPlatform(env),
    budget: { amount: 100 },
    ...overrides,
  } as DataDomainProps);
const unsafe = <T>(value: unknown) => value as T;
const P = (name: string, build: (env: PropEnv) => void, prop: string, value: string, expected: RegExp): PropCase => [name, build, prop, value, expected];

export const PROP_CASES: PropCase[] = [
  // MedallionPlatform
  P("platform: tenant not a GUID", (e) => platform(e, { tenantId: "contoso.onmicrosoft.com" }), "tenantId", '"contoso.onmicrosoft.com"', /tenant ID \(GUID\)/),
  P("platform: deployment principal not an object ID", (e) => platform(e, { principals: { deploymentObjectId: "deployer" } }), "principals.deploymentObjectId", '"deployer"', /object ID \(GUID\)/),
  P("platform: pipeline principal not an object ID", (e) => platform(e, { principals: { deploymentObjectId: G(1), pipelineObjectId: "pipe" } }), "principals.pipelineObjectId", '"pipe"', /object ID \(GUID\)/),
  P("platform: secret reader not an object ID", (e) => platform(e, { principals: { deploymentObjectId: G(1), secretReaders: [{ objectId: "readers" }] } }), "principals.secretReaders[0].objectId", '"readers"', /object ID \(GUID\)/),
  P("platform: unknown region", (e) => platform(e, { location: unsafe<AzureRegion>("westeurope2") }), "location", '"westeurope2"', /a supported Azure region/),
  P("platform: location other than the naming region", (e) => platform(e, { location: "northeurope" }), "location", '"northeurope"', /westeurope, the naming region/),
  P("platform: resource group with interpolation", (e) => platform(e, { resourceGroupName: "rg-${var.x}" }), "resourceGroupName", '"rg-${var.x}"', /text without \$\{ or %\{/),
  P("platform: resource group with a directive", (e) => platform(e, { resourceGroupName: "rg-%{if true}x%{endif}" }), "resourceGroupName", '"rg-%{if true}x%{endif}"', /text without \$\{ or %\{/),
  P("platform: Log Analytics ID of another type", (e) => platform(e, { logAnalyticsWorkspaceId: RID("Microsoft.Insights/components", "ai") }), "logAnalyticsWorkspaceId", '"/subscriptions/', /resource ID of type Microsoft\.OperationalInsights\/workspaces/),
  P("platform: Log Analytics ID malformed", (e) => platform(e, { logAnalyticsWorkspaceId: "log-analytics" }), "logAnalyticsWorkspaceId", '"log-analytics"', /resource ID of type Microsoft\.OperationalInsights\/workspaces/),
  P("platform: access connector identity of another type", (e) => platform(e, { accessConnectorIdentity: { id: RID("Microsoft.Storage/storageAccounts", "st"), principalId: G(3) } }), "accessConnectorIdentity.id", '"/subscriptions/', /Microsoft\.ManagedIdentity\/userAssignedIdentities/),
  P("platform: access connector principal not a GUID", (e) => platform(e, { accessConnectorIdentity: { id: RID("Microsoft.ManagedIdentity/userAssignedIdentities", "id"), principalId: "ac" } }), "accessConnectorIdentity.principalId", '"ac"', /object ID \(GUID\)/),
  P("platform: workspace address space malformed", (e) => platform(e, { workspace: { network: { addressSpace: "10.20.0.0" } } }), "addressSpace", '"10.20.0.0"', /CIDR/),
  P("platform: workspace firewall IP malformed", (e) => platform(e, { workspace: { network: { addressSpace: "10.20.0.0/22", egress: { mode: "firewall", firewallPrivateIp: "10.0.0.400" } } } }), "workspace.network.egress.firewallPrivateIp", '"10.0.0.400"', /IPv4 address/),
  P("platform: workspace firewall IP as a hostname", (e) => platform(e, { workspace: { network: { addressSpace: "10.20.0.0/22", egress: { mode: "firewall", firewallPrivateIp: "fw.internal" } } } }), "workspace.network.egress.firewallPrivateIp", '"fw.internal"', /IPv4 address/),
  P("platform: tag-like owner text with interpolation in a zone name", (e) => platform(e, { lake: { zones: ["landing", "bronze", "silver", "gold-${var.x}"] } }), "lake.zones[3]", '"gold-${var.x}"', /text without/),
  // SecureWorkspace
  P("workspace: unknown region", (e) => workspace(e, { location: unsafe<AzureRegion>("europe-west") }), "location", '"europe-west"', /a supported Azure region/),
  P("workspace: location other than the naming region", (e) => workspace(e, { location: "swedencentral" }), "location", '"swedencentral"', /westeurope, the naming region/),
  P("workspace: managed services key not a key URL", (e) => workspace(e, { customerManagedKeys: { managedServicesKeyId: "https://example.com/keys/k" } }), "customerManagedKeys.managedServicesKeyId", '"https://example.com/keys/k"', /Key Vault key URL/),
  P("workspace: managed disk key over http", (e) => workspace(e, { customerManagedKeys: { managedDiskKeyId: "http://kv-lake.vault.azure.net/keys/k" } }), "customerManagedKeys.managedDiskKeyId", '"http://kv-lake.vault.azure.net/keys/k"', /Key Vault key URL/),
  P("workspace: managed disk key that is a secret", (e) => workspace(e, { customerManagedKeys: { managedDiskKeyId: "https://kv-lake.vault.azure.net/secrets/k" } }), "customerManagedKeys.managedDiskKeyId", '"https://kv-lake.vault.azure.net/secrets/k"', /Key Vault key URL/),
  P("workspace: managed services key not a URL", (e) => workspace(e, { customerManagedKeys: { managedServicesKeyId: "kv-lake/keys/k" } }), "customerManagedKeys.managedServicesKeyId", '"kv-lake/keys/k"', /Key Vault key URL/),
  P("workspace: front-end subnet of a VNet, not a subnet", (e) => workspace(e, { frontEnd: { subnetId: RID("Microsoft.Network/virtualNetworks", "v"), privateDns: new PrivateDns(e.stack, "t", { naming: e.naming, resourceGroupName: "rg" }) } }), "frontEnd.subnetId", '"/subscriptions/', /Microsoft\.Network\/virtualNetworks\/subnets/),
  P("workspace: front-end subnet malformed", (e) => workspace(e, { frontEnd: { subnetId: "snet-pe", privateDns: new PrivateDns(e.stack, "t", { naming: e.naming, resourceGroupName: "rg" }) } }), "frontEnd.subnetId", '"snet-pe"', /Microsoft\.Network\/virtualNetworks\/subnets/),
  P("workspace: access connector of another type", (e) => workspace(e, { accessConnectorId: RID("Microsoft.Databricks/workspaces", "dbw") }), "accessConnectorId", '"/subscriptions/', /Microsoft\.Databricks\/accessConnectors/),
  P("workspace: Log Analytics malformed", (e) => workspace(e, { logAnalyticsWorkspaceId: "/subscriptions//resourceGroups/rg" }), "logAnalyticsWorkspaceId", '"/subscriptions//resourceGroups/rg"', /Microsoft\.OperationalInsights\/workspaces/),
  P("workspace: compliance standard from JavaScript", (e) => workspace(e, { enhancedSecurity: { complianceStandards: [unsafe<ComplianceStandard>("SOC2")] } }), "enhancedSecurity.complianceStandards", '"SOC2"', /HIPAA/),
  P("workspace: resource group with interpolation", (e) => workspace(e, { resourceGroupName: "${azurerm_resource_group.x.name}" }), "resourceGroupName", '"${azurerm_resource_group.x.name}"', /text without/),
  P("workspace: purpose with interpolation", (e) => workspace(e, { purpose: "${x}" }), "purpose", '"${x}"', /text without/),
  P("workspace: VNet too large", (e) => workspace(e, { network: { addressSpace: "10.0.0.0/12" } }), "addressSpace", '"10.0.0.0/12"', /\/16 to \/24/),
  // RedisFeatureTier
  P("redis: unknown SKU from JavaScript", (e) => redis(e, { sku: unsafe<ManagedRedisSku>("Premium_P1") }), "sku", '"Premium_P1"', /Managed Redis SKU/),
  P("redis: publisher not an object ID", (e) => redis(e, { featurePublisher: { objectId: "publisher" } }), "featurePublisher.objectId", '"publisher"', /object ID \(GUID\)/),
  P("redis: serving not an object ID", (e) => redis(e, { onlineServing: { objectId: "00000000-0000-0000-0000" } }), "onlineServing.objectId", '"00000000-0000-0000-0000"', /object ID \(GUID\)/),
  P("redis: unknown region", (e) => redis(e, { location: unsafe<AzureRegion>("mars") }), "location", '"mars"', /a supported Azure region/),
  P("redis: location other than the naming region", (e) => redis(e, { location: "uksouth" }), "location", '"uksouth"', /westeurope, the naming region/),
  P("redis: endpoint subnet of another type", (e) => redis(e, { privateEndpointSubnetId: RID("Microsoft.Network/networkSecurityGroups", "nsg") }), "privateEndpointSubnetId", '"/subscriptions/', /virtualNetworks\/subnets/),
  P("redis: Log Analytics malformed", (e) => redis(e, { logAnalyticsWorkspaceId: "law" }), "logAnalyticsWorkspaceId", '"law"', /OperationalInsights/),
  P("redis: action group of another type", (e) => redis(e, { actionGroupId: RID("Microsoft.Insights/components", "x") }), "actionGroupId", '"/subscriptions/', /Microsoft\.Insights\/actionGroups/),
  P("redis: contract vault of another type", (e) => redis(e, { contractKeyVaultId: RID("Microsoft.Storage/storageAccounts", "st") }), "contractKeyVaultId", '"/subscriptions/', /Microsoft\.KeyVault\/vaults/),
  P("redis: CMK key not a key URL", (e) => redis(e, { customerManagedKey: { keyVaultKeyId: "key-1", userAssignedIdentityId: RID("Microsoft.ManagedIdentity/userAssignedIdentities", "id") } }), "customerManagedKey.keyVaultKeyId", '"key-1"', /Key Vault key URL/),
  P("redis: CMK identity of another type", (e) => redis(e, { customerManagedKey: { keyVaultKeyId: "https://kv-redis.vault.azure.net/keys/k", userAssignedIdentityId: RID("Microsoft.KeyVault/vaults", "kv") } }), "customerManagedKey.userAssignedIdentityId", '"/subscriptions/', /userAssignedIdentities/),
  P("redis: geo-replication group with spaces", (e) => redis(e, { geoReplicationGroupName: "feature group" }), "geoReplicationGroupName", '"feature group"', /letters, digits and hyphens/),
  P("redis: geo-replication group too long", (e) => redis(e, { geoReplicationGroupName: "g".repeat(64) }), "geoReplicationGroupName", `"${"g".repeat(64)}"`, /1–63 characters/),
  P("redis: geo-replication with persistence", (e) => redis(e, { geoReplicationGroupName: "features", persistence: "rdb" }), "persistence", '"rdb"', /"none" with geo-replication/),
  P("redis: feature set name", (e) => redis(e, { featureSets: [{ domain: "fin", name: "card:velocity", schemaVersion: 1, freshnessSlaSeconds: 600 }] }), "featureSets[0].name", '"card:velocity"', /\[a-z\]\[a-z0-9_\]\*/),
  P("redis: feature set with interpolation", (e) => redis(e, { featureSets: [{ domain: "${var.d}", name: "x", schemaVersion: 1, freshnessSlaSeconds: 600 }] }), "featureSets[0].domain", '"${var.d}"', /text without/),
  P("redis: TTL jitter", (e) => redis(e, { ttlJitterPercent: 80 }), "ttlJitterPercent", "80", /0 to 50/),
  P("redis: schema version", (e) => redis(e, { featureSets: [{ domain: "fin", name: "v", schemaVersion: 0, freshnessSlaSeconds: 600 }] }), "featureSets[0].schemaVersion", "0", /positive integer/),
  P("redis: streaming sender not an object ID", (e) => redis(e, { streaming: { partitions: 2, sender: { objectId: "svc" } } as unknown as RedisFeatureTierProps["streaming"] }), "streaming.sender.objectId", '"svc"', /object ID \(GUID\)/),
  // DataDomain
  P("domain: name with a capital", (e) => domain(e, { name: "Sales" }), "name", '"Sales"', /2–8 characters of \[a-z0-9\]/),
  P("domain: name too long for the action group short name", (e) => domain(e, { name: "salesemea" }), "name", '"salesemea"', /action group short name/),
  P("domain: name too long for its sandbox storage", (e) => domain(e, { name: "salesem", sandbox: { expiresOn: "2099-01-01", budgetAmount: 10 } }), "name", '"salesem"', /sandbox storage account/),
  P("domain: unknown region", (e) => domain(e, { location: unsafe<AzureRegion>("west-europe") }), "location", '"west-europe"', /a supported Azure region/),
  P("domain: location other than the naming region", (e) => domain(e, { location: "eastus" }), "location", '"eastus"', /westeurope, the naming region/),
  P("domain: persona object ID", (e) => domain(e, { personas: { admins: { objectId: "sales-admins", principalName: "a" }, engineers: { objectId: G(12), principalName: "e" }, readers: { objectId: G(13), principalName: "r" } } }), "personas.admins.objectId", '"sales-admins"', /object ID \(GUID\)/),
  P("domain: persona principal with interpolation", (e) => domain(e, { personas: { admins: { objectId: G(11), principalName: "${var.admins}" }, engineers: { objectId: G(12), principalName: "e" }, readers: { objectId: G(13), principalName: "r" } } }), "personas.admins.principalName", '"${var.admins}"', /text without/),
  P("domain: persona type from JavaScript", (e) => domain(e, { personas: { admins: { objectId: G(11), principalName: "a", type: unsafe<"Group">("Team") }, engineers: { objectId: G(12), principalName: "e" }, readers: { objectId: G(13), principalName: "r" } } }), "personas.admins.type", '"Team"', /ServicePrincipal, Group, User/),
  P("domain: unknown persona", (e) => domain(e, { personas: unsafe<DataDomainProps["personas"]>({ admins: { objectId: G(11), principalName: "a" }, engineers: { objectId: G(12), principalName: "e" }, readers: { objectId: G(13), principalName: "r" }, owners: { objectId: G(14), principalName: "o" } }) }), "personas", '"owners"', /one of admins, engineers, readers/),
  P("domain: owner with interpolation", (e) => domain(e, { owner: "${data.x.y}" }), "owner", '"${data.x.y}"', /text without/),
  P("domain: cost center with a directive", (e) => domain(e, { costCenter: "%{for x in y}${x}%{endfor}" }), "costCenter", '"%{for x in y}${x}%{endfor}"', /text without/),
  P("domain: classification from JavaScript", (e) => domain(e, { dataClassification: unsafe<"internal">("secret") }), "dataClassification", '"secret"', /one of public, internal/),
  P("domain: no contacts", (e) => domain(e, { contacts: [] }), "contacts", "[]", /at least one contact/),
  P("domain: tenant not a GUID", (e) => domain(e, { platform: { ...(domainPlatform(e)), tenantId: "contoso" } }), "platform.tenantId", '"contoso"', /tenant ID \(GUID\)/),
  P("domain: subscription not a GUID", (e) => domain(e, { platform: { ...(domainPlatform(e)), subscriptionId: "sub-prod" } }), "platform.subscriptionId", '"sub-prod"', /subscription ID \(GUID\)/),
  P("domain: deployer client ID", (e) => domain(e, { platform: { ...(domainPlatform(e)), deployerClientId: "deployer" } }), "platform.deployerClientId", '"deployer"', /client\) ID \(GUID\)/),
  P("domain: endpoint subnet malformed", (e) => domain(e, { platform: { ...(domainPlatform(e)), privateEndpointSubnetId: "pe" } }), "platform.privateEndpointSubnetId", '"pe"', /virtualNetworks\/subnets/),
  P("domain: connector principal", (e) => domain(e, { platform: { ...(domainPlatform(e)), storageCredential: { name: "c", accessConnectorId: CONNECTOR, accessConnectorPrincipalId: "ac" } } }), "platform.storageCredential.accessConnectorPrincipalId", '"ac"', /object ID \(GUID\)/),
  P("domain: connector of another type", (e) => domain(e, { platform: { ...(domainPlatform(e)), storageCredential: { name: "c", accessConnectorId: RID("Microsoft.Databricks/workspaces", "w"), accessConnectorPrincipalId: G(50) } } }), "platform.storageCredential.accessConnectorId", '"/subscriptions/', /accessConnectors/),
  P("domain: write exception where people write anyway", (e) => domain(e, { writeExceptions: [{ persona: "engineers", reason: "backfills by hand for now" }] }), "writeExceptions", '[{"persona":"engineers"', /no exceptions where people read and write anyway/),
  P("domain: write exception without a reason", (e) => domain(e, { peopleAccess: "readOnly", writeExceptions: [{ persona: "engineers", reason: "x" }] }), "writeExceptions[0].reason", '"x"', /at least 10 characters/),
  P("domain: people access from JavaScript", (e) => domain(e, { peopleAccess: unsafe<"readOnly">("none") }), "peopleAccess", '"none"', /"readWrite" or "readOnly"/),
  P("domain: privileged access from JavaScript", (e) => domain(e, { privilegedAccess: unsafe<"pim">("jit") }), "privilegedAccess", '"jit"', /"standing" or "pim"/),
  P("domain: catalog storage from JavaScript", (e) => domain(e, { catalog: { storage: unsafe<"dedicated">("own") } }), "catalog.storage", '"own"', /"platformLake" or "dedicated"/),
  P("domain: budget of zero", (e) => domain(e, { budget: { amount: 0 } }), "budget.amount", "0", /positive/),
  P("domain: budget start not the first of a month", (e) => domain(e, { budget: { amount: 100, startDate: "2027-02-15" } }), "budget.startDate", '"2027-02-15"', /first day of a month/),
  P("domain: impossible budget start date", (e) => domain(e, { budget: { amount: 100, startDate: "2027-02-30" } }), "budget.startDate", '"2027-02-30"', /first day of a month/),
  P("domain: expired sandbox", (e) => domain(e, { sandbox: { expiresOn: "2020-01-01", budgetAmount: 10 } }), "sandbox.expiresOn", '"2020-01-01"', /a date in the future/),
  P("domain: sandbox budget not smaller", (e) => domain(e, { sandbox: { expiresOn: "2099-01-01", budgetAmount: 500 } }), "sandbox.budgetAmount", "500", /smaller than the domain's budget/),
  P("domain: DBU budget of zero", (e) => domain(e, { dbuBudget: { monthlyAmountUsd: 0 } }), "monthlyAmountUsd", "0", /positive monthly amount/),
  P("domain: data product with interpolation", (e) => domain(e, { catalog: { dataProducts: ["${var.p}"] } }), "catalog.dataProducts[0]", '"${var.p}"', /text without/),
  // more platform, workspace, redis and domain props
  P("platform: Key Vault retention", (e) => platform(e, { keyVaultSoftDeleteRetentionDays: 100 }), "keyVaultSoftDeleteRetentionDays", "100", /7 to 90/),
  P("platform: log retention", (e) => platform(e, { logRetentionDays: 10 }), "logRetentionDays", "10", /30 to 730/),
  P("platform: unknown lake zone", (e) => platform(e, { lake: { zones: ["landing", "bronze", "silver", "platinum"] } }), "lake.zones", '"platinum"', /a layer/),
  P("platform: duplicate lake zone", (e) => platform(e, { lake: { zones: ["bronze", "silver", "gold", "gold"] } }), "lake.zones", '"gold"', /unique zone names/),
  P("workspace: root storage SKU from JavaScript", (e) => workspace(e, { rootStorageSku: unsafe<"Standard_ZRS">("Premium_LRS") }), "rootStorageSku", '"Premium_LRS"', /Standard_ZRS/),
  P("workspace: host subnet too small", (e) => workspace(e, { network: { addressSpace: "10.20.0.0/22", hostSubnetCidr: "10.20.0.0/27" } }), "hostSubnetCidr", '"10.20.0.0/27"', /\/26 or larger/),
  P("workspace: subnet outside the VNet", (e) => workspace(e, { network: { addressSpace: "10.20.0.0/22", privateEndpointSubnetCidr: "10.21.0.0/25" } }), "privateEndpointSubnetCidr", '"10.21.0.0/25"', /inside the VNet/),
  P("redis: clustering policy from JavaScript", (e) => redis(e, { clusteringPolicy: unsafe<"OSSCluster">("Sharded") }), "clusteringPolicy", '"Sharded"', /EnterpriseCluster/),
  P("redis: module from JavaScript", (e) => redis(e, { modules: [unsafe<"RediSearch">("RedisGraph")] }), "modules", '"RedisGraph"', /RediSearch/),
  P("redis: persistence from JavaScript", (e) => redis(e, { persistence: unsafe<"rdb">("always") }), "persistence", '"always"', /none, rdb, aof|"none", "rdb" or "aof"|one of/),
  P("redis: freshness SLA too short", (e) => redis(e, { featureSets: [{ domain: "fin", name: "v", schemaVersion: 1, freshnessSlaSeconds: 1 }] }), "featureSets[0].freshnessSlaSeconds", "1", /TTL above 0/),
  P("redis: no feature sets", (e) => redis(e, { featureSets: [] }), "featureSets", "[]", /at least one/),
  P("domain: duplicate budget thresholds", (e) => domain(e, { budget: { amount: 100, actualThresholds: [80, 80] } }), "budget.actualThresholds", "[80,80]", /distinct percentages/),
  P("domain: budget threshold of zero", (e) => domain(e, { budget: { amount: 100, forecastThresholds: [0] } }), "budget.forecastThresholds", "0", /whole percentages/),
  P("domain: too many budget notifications", (e) => domain(e, { budget: { amount: 100, actualThresholds: [50, 80, 100], forecastThresholds: [100, 110, 120] } }), "budget.actualThresholds", "[50,80,100,100,110,120]", /at most 5 notifications/),
  P("domain: sandbox expiry not a date", (e) => domain(e, { sandbox: { expiresOn: "2027-13-01", budgetAmount: 10 } }), "sandbox.expiresOn", '"2027-13-01"', /date/),
  P("domain: DBU budget contacts", (e) => domain(e, { contacts: ["sales at example"], dbuBudget: { monthlyAmountUsd: 10 } }), "contacts[0]", '"sales at example"', /an e-mail address/),
  P("domain: sandbox budget of zero", (e) => domain(e, { sandbox: { expiresOn: "2099-01-01", budgetAmount: 0 } }), "sandbox.budgetAmount", "0", /positive amount/),
  P("domain: catalog zone URL with interpolation", (e) => domain(e, { platform: { ...(domainPlatform(e)), catalogZoneUrl: "abfss://gold@${var.account}.dfs.core.windows.net/" } }), "platform.catalogZoneUrl", '"abfss://gold@${var.account}.dfs.core.windows.net/"', /text without/),
  P("domain: workspace ID not numeric", (e) => domain(e, { platform: { ...(domainPlatform(e)), workspaceId: "adb-123" } }), "platform.workspaceId", '"adb-123"', /numeric|digits/),
  P("workspace: disk key rotation without a disk key", (e) => workspace(e, { customerManagedKeys: { managedDiskAutoRotation: true } }), "customerManagedKeys.managedDiskAutoRotation", "true", /no setting without customerManagedKeys\.managedDiskKeyId/),
  // Guardrails API
  P("guardrails: suppression of an unknown rule from JavaScript", (e) => Guardrails.suppress(e.stack, unsafe<RuleId>("MDL-XYZ-001"), "a perfectly good reason"), "guardrails suppression rule", '"MDL-XYZ-001"', /one of MDL-NET-001/),
  P("guardrails: suppression without a reason", (e) => Guardrails.suppress(e.stack, "MDL-NET-002", ""), "guardrails suppression reason for MDL-NET-002", '""', /at least 10 characters/),
  P("guardrails: suppression with a short reason", (e) => Guardrails.suppress(e.stack, "MDL-DEP-001", "legacy"), "guardrails suppression reason for MDL-DEP-001", '"legacy"', /at least 10 characters/),
  P("tags: owner with interpolation", (e) => MandatoryTagging.apply(e.stack, { ...TAGS, owner: "${var.owner}" }), "tags.owner", '"${var.owner}"', /text without/),
  P("tags: cost center with a directive", (e) => MandatoryTagging.apply(e.stack, { ...TAGS, costCenter: "%{if a}b%{endif}" }), "tags.costCenter", '"%{if a}b%{endif}"', /text without/),
  P("tags: missing owner", (e) => MandatoryTagging.apply(e.stack, { ...TAGS, owner: unsafe<string>(undefined) }), "tags.owner", "(missing)", /expected/),
];

/** The platform link of `domain` (for cases that change one of its props). */
function domainPlatform(env: PropEnv): DataDomainProps["platform"] {
  const accountProvider = new DatabricksProvider(env.stack, "acc2", { alias: "account2", host: "https://accounts.azuredatabricks.net", accountId: "acc" });
  const workspaceProvider = new DatabricksProvider(env.stack, "ws2", { alias: "workspace2", host: "https://adb-1.azuredatabricks.net" });
  return {
    tenantId: G(99),
    subscriptionId: SUB,
    workspaceProvider,
    workspaceId: "1234567890",
    account: { provider: accountProvider, accountId: "acc" },
    deployerClientId: G(20),
    logAnalyticsWorkspaceId: LOG,
    privateEndpointSubnetId: SUBNET,
    privateDns: new PrivateDns(env.stack, "dns2", { naming: env.naming, resourceGroupName: "rg" }),
    storageCredential: { name: "lake_dev_lake", accessConnectorId: CONNECTOR, accessConnectorPrincipalId: G(50) },
    catalogZoneUrl: "abfss://gold@stlakelakedevweu00000.dfs.core.windows.net/",
  };
}
