import { segments } from "./actions";

/**
 * ARM's linked access check: a write that references another resource needs, besides its own action, an action on
 * the referenced resource ("LinkedAuthorizationFailed … does not have permission to perform action '<action>' on the
 * linked scope(s) '<id>'"). The table is taken from Azure's documentation of each referenced type, not from the
 * project's role generator:
 * - subnets: `subnets/join/action` to place a NIC, endpoint or delegated service in it; `joinViaServiceEndpoint/action`
 *   for a storage or Key Vault network rule (https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet#permissions);
 * - NSGs, route tables, NAT gateways and public IPs: their `join/action` when associated
 *   (https://learn.microsoft.com/azure/virtual-network/manage-network-security-group#permissions,
 *   https://learn.microsoft.com/azure/virtual-network/manage-route-table#permissions,
 *   https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource#permissions … listed in
 *   https://learn.microsoft.com/azure/role-based-access-control/permissions/networking);
 * - private DNS zones: `privateDnsZones/join/action` for a private endpoint's zone group
 *   (https://learn.microsoft.com/azure/private-link/rbac-permissions#private-endpoint);
 * - virtual networks: `virtualNetworks/peer/action` on the remote side of a peering
 *   (https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering#permissions), `join/action` for a
 *   private DNS zone link (https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links);
 * - user-assigned identities: `assign/action`
 *   (https://learn.microsoft.com/azure/role-based-access-control/permissions/identity);
 * - a private endpoint's target: `<type>/privateEndpointConnectionsApproval/action`, without which the connection is
 *   not approved automatically (https://learn.microsoft.com/azure/private-link/rbac-permissions#private-endpoint).
 */
export interface LinkedCheck {
  readonly action: string;
  readonly scope: string;
  /** The JSON path of the reference in the request body. */
  readonly at: string;
}

const JOIN: Readonly<Record<string, string>> = {
  "microsoft.network/virtualnetworks/subnets": "Microsoft.Network/virtualNetworks/subnets/join/action",
  "microsoft.network/networksecuritygroups": "Microsoft.Network/networkSecurityGroups/join/action",
  "microsoft.network/routetables": "Microsoft.Network/routeTables/join/action",
  "microsoft.network/natgateways": "Microsoft.Network/natGateways/join/action",
  "microsoft.network/publicipaddresses": "Microsoft.Network/publicIPAddresses/join/action",
  "microsoft.network/privatednszones": "Microsoft.Network/privateDnsZones/join/action",
  "microsoft.network/virtualnetworks": "Microsoft.Network/virtualNetworks/join/action",
  "microsoft.managedidentity/userassignedidentities": "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
};

/** The resource type of an ARM ID (`Microsoft.Network/virtualNetworks/subnets`), or undefined for a non-resource ID. */
export function resourceTypeOf(id: string): string | undefined {
  const parts = segments(id);
  let at = -1;
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i].toLowerCase() === "providers") { at = i; break; }
  if (at < 0 || parts.length < at + 4) return undefined;
  const rest = parts.slice(at + 2);
  if (rest.length % 2 !== 0) return undefined;
  const types = [parts[at + 1]];
  for (let i = 0; i < rest.length; i += 2) types.push(rest[i]);
  return types.join("/");
}

const ARM_ID = /^\/subscriptions\/[^/]+\/(resourcegroups\/[^/]+\/)?providers\//i;

/** The linked checks a PUT body calls for, skipping references to the resource itself or to its parents. */
export function linkedChecks(targetId: string, body: unknown): LinkedCheck[] {
  const target = targetId.toLowerCase().replace(/\/+$/, "");
  const checks: LinkedCheck[] = [];
  const visit = (value: unknown, path: string[]) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, String(i)]));
      return;
    }
    if (value === null || typeof value !== "object") {
      if (typeof value !== "string" || !ARM_ID.test(value)) return;
      const ref = value.toLowerCase().replace(/\/+$/, "");
      if (ref === target || target.startsWith(ref + "/")) return;
      const key = path[path.length - 1] ?? "";
      const type = resourceTypeOf(value)?.toLowerCase();
      if (!type) return;
      const action = linkedAction(type, key, path);
      if (action) checks.push({ action, scope: value, at: path.join(".") });
      return;
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      // A key of userAssignedIdentities is itself a reference.
      if (path[path.length - 1] === "userAssignedIdentities" && ARM_ID.test(k)) {
        checks.push({ action: JOIN["microsoft.managedidentity/userassignedidentities"], scope: k, at: [...path, k].join(".") });
      }
      visit(v, [...path, k]);
    }
  };
  visit(body, []);
  return checks;
}

function linkedAction(type: string, key: string, path: readonly string[]): string | undefined {
  if (type === "microsoft.network/virtualnetworks/subnets" && path.includes("virtualNetworkRules")) {
    return "Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action";
  }
  if (type === "microsoft.network/virtualnetworks" && key === "id" && path.includes("remoteVirtualNetwork")) {
    return "Microsoft.Network/virtualNetworks/peer/action";
  }
  if (key === "privateLinkServiceId") {
    // The target of a private endpoint: auto-approval needs the target type's approval action.
    return `${canonicalType(type)}/privateEndpointConnectionsApproval/action`;
  }
  return JOIN[type];
}

/** A type in the provider's documented casing for the report (`microsoft.storage/storageaccounts` → as written). */
function canonicalType(type: string): string {
  const known: Readonly<Record<string, string>> = {
    "microsoft.storage/storageaccounts": "Microsoft.Storage/storageAccounts",
    "microsoft.keyvault/vaults": "Microsoft.KeyVault/vaults",
    "microsoft.databricks/workspaces": "Microsoft.Databricks/workspaces",
    "microsoft.datafactory/factories": "Microsoft.DataFactory/factories",
    "microsoft.cache/redisenterprise": "Microsoft.Cache/redisEnterprise",
    "microsoft.eventhub/namespaces": "Microsoft.EventHub/namespaces",
  };
  return known[type] ?? type;
}
