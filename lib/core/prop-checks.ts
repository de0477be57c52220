import { IConstruct } from "constructs";
import { checkLiterals } from "./literals";
import { checkGuid, checkHttpsUrl, checkIpv4, checkResourceId, invalid, isDeferred, parseResourceId } from "./validation";

type Check = (scope: IConstruct, prop: string, value: string) => void;
const resource = (type?: string): Check => (scope, prop, value) => void checkResourceId(scope, prop, value, type);
const guid = (what: string): Check => (scope, prop, value) => void checkGuid(scope, prop, value, what);
/** A Key Vault key, with or without its version: what customer-managed keys take. */
const KEY_URL = "a Key Vault key URL, https://<vault>.vault.azure.net/keys/<name>[/<version>] (versionless: it follows rotation)";
const keyUrl: Check = (scope, prop, value) => {
  checkHttpsUrl(scope, prop, value, /^[a-z0-9-]{3,24}\.vault\.azure\.net$/i, KEY_URL);
  if (!isDeferred(value) && !/^\/keys\/[^/]+(\/[^/]+)?$/.test(new URL(value).pathname)) invalid(scope, prop, value, KEY_URL);
};

/**
 * What a prop holds, by the library's naming conventions: the last key of its path decides. One table, so every
 * construct checks object IDs, resource IDs, key URLs and addresses the same way, naming the prop the user wrote.
 */
const CONVENTIONS: readonly [RegExp, Check][] = [
  [/^(objectId|principalId|\w*ObjectId|\w*PrincipalId)$/, guid("an Entra object ID (GUID)")],
  [/^(tenantId|azureTenantId)$/, guid("a Microsoft Entra tenant ID (GUID)")],
  [/^(subscriptionId|\w+SubscriptionId)$/, guid("an Azure subscription ID (GUID)")],
  [/^(\w*ClientId)$/, guid("an application (client) ID (GUID)")],
  [/^(subnetId|\w+SubnetId)$/, resource("Microsoft.Network/virtualNetworks/subnets")],
  [/^(virtualNetworkId|\w+VirtualNetworkId)$/, resource("Microsoft.Network/virtualNetworks")],
  [/^logAnalyticsWorkspaceId$/, resource("Microsoft.OperationalInsights/workspaces")],
  [/^actionGroupId$/, resource("Microsoft.Insights/actionGroups")],
  [/^(keyVaultId|\w+KeyVaultId)$/, resource("Microsoft.KeyVault/vaults")],
  [/^(accessConnectorId)$/, resource("Microsoft.Databricks/accessConnectors")],
  [/^(storageAccountId|\w+StorageAccountId)$/, resource("Microsoft.Storage/storageAccounts")],
  [/^(userAssignedIdentityId|managedIdentityId)$/, resource("Microsoft.ManagedIdentity/userAssignedIdentities")],
  [/^(targetResourceId|resourceId)$/, resource()],
  [/^scopeId$/, (scope, prop, value) => void checkScope(scope, prop, value)],
  [/^(keyVaultKeyId|managedServicesKeyId|managedDiskKeyId)$/, keyUrl],
  [/^(\w*PrivateIp|\w*IpAddress)$/, (scope, prop, value) => void checkIpv4(scope, prop, value)],
];

/** A role assignment scope: a management group, a subscription, a resource group or a resource. */
function checkScope(scope: IConstruct, prop: string, value: string): void {
  if (isDeferred(value)) return;
  const ok = /^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(value) || /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?$/i.test(value) || parseResourceId(value) !== undefined;
  if (!ok) invalid(scope, prop, value, "a scope: /subscriptions/…, /subscriptions/…/resourceGroups/…, a resource ID or a management group");
}

/**
 * The checks every construct of the library runs on its props first: no user string reaches the JSON with `${` or
 * `%{` in it ({@link checkLiteral}), and every ID, key URL and address is what its name says — each error naming the
 * prop by its path (`featurePublisher.objectId`). Class instances (constructs, providers, tokens) are not entered.
 */
export function checkProps(scope: IConstruct, props: unknown): void {
  checkLiterals(scope, props, "", (prop, value) => {
    const key = prop.replace(/\[\d+\]$/, "").split(".").pop() ?? "";
    for (const [pattern, check] of CONVENTIONS) if (pattern.test(key)) check(scope, prop, value);
  });
}
