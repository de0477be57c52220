import { DATABRICKS_AUTHORIZATION, describeNeed } from "./databricks-authorization";
import { assignedRoleIds, roleAssignmentCondition } from "./role-assignment-condition";
import type { SynthesizedStack } from "./synthesized-app";

/**
 * What the deployment principal needs to create, update, read back and delete one resource type: Azure RBAC actions
 * (control plane), Microsoft Graph application permissions, and Databricks roles. Actions follow the resource
 * provider operations (`<namespace>/<type>/read|write|delete` plus the `join`/`peer`/approval actions a reference
 * to another resource needs). Built from the provider operation names, not exercised against a tenant: a missing
 * action shows as AuthorizationFailed naming it.
 */
export interface TypePermissions {
  readonly actions?: readonly string[];
  readonly graph?: readonly string[];
}

const crud = (type: string) => [`${type}/read`, `${type}/write`, `${type}/delete`];
const SUBNET_WRITE = "Microsoft.Network/virtualNetworks/subnets/write";

/** Every resource type the constructs create. A type missing here fails the generation: map it before shipping it. */
export const PERMISSIONS_BY_TYPE: Readonly<Record<string, TypePermissions>> = {
  // Delete lists the group's resources first (features.resource_group.prevent_deletion_if_contains_resources).
  azurerm_resource_group: { actions: [...crud("Microsoft.Resources/subscriptions/resourceGroups"), "Microsoft.Resources/subscriptions/resourceGroups/resources/read"] },
  azurerm_virtual_network: { actions: crud("Microsoft.Network/virtualNetworks") },
  azurerm_subnet: { actions: [...crud("Microsoft.Network/virtualNetworks/subnets"), "Microsoft.Network/virtualNetworks/read"] },
  azurerm_network_security_group: { actions: crud("Microsoft.Network/networkSecurityGroups") },
  azurerm_network_security_rule: { actions: crud("Microsoft.Network/networkSecurityGroups/securityRules") },
  azurerm_subnet_network_security_group_association: { actions: [SUBNET_WRITE, "Microsoft.Network/virtualNetworks/subnets/read"] },
  azurerm_nat_gateway: { actions: crud("Microsoft.Network/natGateways") },
  azurerm_public_ip: { actions: crud("Microsoft.Network/publicIPAddresses") },
  azurerm_nat_gateway_public_ip_association: { actions: ["Microsoft.Network/natGateways/read", "Microsoft.Network/natGateways/write"] },
  azurerm_subnet_nat_gateway_association: { actions: [SUBNET_WRITE, "Microsoft.Network/virtualNetworks/subnets/read"] },
  azurerm_route_table: { actions: crud("Microsoft.Network/routeTables") },
  azurerm_route: { actions: crud("Microsoft.Network/routeTables/routes") },
  azurerm_subnet_route_table_association: { actions: [SUBNET_WRITE, "Microsoft.Network/virtualNetworks/subnets/read"] },
  // peer/action on the local VNet; on the remote one it is a linked action (LINKED_ACCESS).
  azurerm_virtual_network_peering: { actions: [...crud("Microsoft.Network/virtualNetworks/virtualNetworkPeerings"), "Microsoft.Network/virtualNetworks/peer/action"] },
  // Read gets the zone's SOA record (private_dns_zone_resource.go).
  azurerm_private_dns_zone: { actions: [...crud("Microsoft.Network/privateDnsZones"), "Microsoft.Network/privateDnsZones/SOA/read"] },
  azurerm_private_dns_zone_virtual_network_link: { actions: crud("Microsoft.Network/privateDnsZones/virtualNetworkLinks") },
  // Plus the target's privateEndpointConnectionsApproval/action (auto-approval), added per endpoint from its target.
  azurerm_private_endpoint: {
    // networkInterfaces/read: Read gets the endpoint's NIC for its private IP address (private_endpoint_resource.go).
    actions: [...crud("Microsoft.Network/privateEndpoints"), ...crud("Microsoft.Network/privateEndpoints/privateDnsZoneGroups"), "Microsoft.Network/networkInterfaces/read"],
  },
  // fileServices/read: Read gets the file service's properties of every account that supports shares (azurerm review B2).
  // listKeys: azurerm reads the account's keys attributes (with shared keys off the keys are unusable).
  azurerm_storage_account: { actions: [...crud("Microsoft.Storage/storageAccounts"), "Microsoft.Storage/storageAccounts/listKeys/action", "Microsoft.Storage/storageAccounts/blobServices/read", "Microsoft.Storage/storageAccounts/blobServices/write", "Microsoft.Storage/storageAccounts/fileServices/read"] },
  azurerm_storage_container: { actions: crud("Microsoft.Storage/storageAccounts/blobServices/containers") },
  azurerm_storage_management_policy: { actions: crud("Microsoft.Storage/storageAccounts/managementPolicies") },
  azurerm_key_vault: { actions: [...crud("Microsoft.KeyVault/vaults"), "Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/locations/deletedVaults/read", "Microsoft.KeyVault/locations/operationResults/read"] },
  // Create first checks the subscription's soft-deleted workspaces (seen in the deploy rehearsal).
  azurerm_log_analytics_workspace: { actions: [...crud("Microsoft.OperationalInsights/workspaces"), "Microsoft.OperationalInsights/workspaces/sharedKeys/action", "Microsoft.OperationalInsights/deletedWorkspaces/read"] },
  azurerm_monitor_diagnostic_setting: { actions: crud("Microsoft.Insights/diagnosticSettings") },
  azurerm_monitor_action_group: { actions: crud("Microsoft.Insights/actionGroups") },
  azurerm_monitor_metric_alert: { actions: crud("Microsoft.Insights/metricAlerts") },
  // Contributor excludes Microsoft.Authorization/*/Write: locks, role definitions and PIM requests need these explicitly.
  azurerm_management_lock: { actions: crud("Microsoft.Authorization/locks") },
  // role_definition_name is resolved by listing role definitions at the scope, and Read gets the definition back.
  azurerm_role_assignment: { actions: [...crud("Microsoft.Authorization/roleAssignments"), "Microsoft.Authorization/roleDefinitions/read"] },
  azurerm_role_definition: { actions: crud("Microsoft.Authorization/roleDefinitions") },
  azurerm_pim_eligible_role_assignment: {
    actions: ["Microsoft.Authorization/roleEligibilityScheduleRequests/read", "Microsoft.Authorization/roleEligibilityScheduleRequests/write", "Microsoft.Authorization/roleEligibilityScheduleRequests/cancel/action", "Microsoft.Authorization/roleEligibilitySchedules/read", "Microsoft.Authorization/roleEligibilityScheduleInstances/read"],
  },
  azurerm_consumption_budget_resource_group: { actions: crud("Microsoft.Consumption/budgets") },
  azurerm_databricks_workspace: { actions: [...crud("Microsoft.Databricks/workspaces"), "Microsoft.Network/virtualNetworks/subnets/join/action", "Microsoft.Databricks/accessConnectors/read"] },
  azurerm_databricks_access_connector: { actions: crud("Microsoft.Databricks/accessConnectors") },
  azurerm_data_factory: { actions: [...crud("Microsoft.DataFactory/factories"), "Microsoft.DataFactory/factories/managedVirtualNetworks/read", "Microsoft.DataFactory/factories/managedVirtualNetworks/write"] },
  azurerm_data_factory_integration_runtime_azure: { actions: crud("Microsoft.DataFactory/factories/integrationruntimes") },
  azurerm_data_factory_managed_private_endpoint: { actions: crud("Microsoft.DataFactory/factories/managedVirtualNetworks/managedPrivateEndpoints") },
  azurerm_managed_redis: { actions: [...crud("Microsoft.Cache/redisEnterprise"), ...crud("Microsoft.Cache/redisEnterprise/databases")] },
  // Linking and unlinking databases of a geo-replication group (azurerm 4.55.0 calls forceLinkToReplicationGroup / forceUnlink).
  azurerm_monitor_scheduled_query_rules_alert_v2: { actions: crud("Microsoft.Insights/scheduledQueryRules") },
  azurerm_managed_redis_geo_replication: { actions: ["Microsoft.Cache/redisEnterprise/databases/read", "Microsoft.Cache/redisEnterprise/databases/forceLinkToReplicationGroup/action", "Microsoft.Cache/redisEnterprise/databases/forceUnlink/action"] },
  // Plus what the template deploys, read from each deployment's template.
  // Create and update validate first, Read exports the template (resource_group_template_deployment_resource.go;
  // Azure/Enterprise-Scale#257, Azure/Azure-Landing-Zones#2532; azurerm review B3).
  azurerm_resource_group_template_deployment: { actions: [...crud("Microsoft.Resources/deployments"), "Microsoft.Resources/deployments/operationstatuses/read", "Microsoft.Resources/deployments/validate/action", "Microsoft.Resources/deployments/exportTemplate/action"] },
  azurerm_eventhub_namespace: { actions: [...crud("Microsoft.EventHub/namespaces"), "Microsoft.EventHub/namespaces/networkRuleSets/read", "Microsoft.EventHub/namespaces/networkRuleSets/write"] },
  azurerm_eventhub: { actions: crud("Microsoft.EventHub/namespaces/eventhubs") },
  // The secret itself is written on the data plane: the deployer holds Key Vault Secrets Officer (MedallionPlatform grants it).
  azurerm_key_vault_secret: { actions: ["Microsoft.KeyVault/vaults/read"] },
  // Group.Create lets the principal create groups it then owns (and may delete). prevent_duplicate_names stays off:
  // it would list groups by name, a read permission beyond this.
  azuread_group: { graph: ["Group.Create"] },
};

/** What the Key Vault recovery step (medallion-kv-recover) calls, in every job. */
export const RECOVERY_ACTIONS: readonly string[] = [
  "Microsoft.Resources/subscriptions/resources/read",
  "Microsoft.Resources/subscriptions/resourceGroups/read",
  "Microsoft.Resources/subscriptions/resourceGroups/write",
  "Microsoft.Resources/subscriptions/resourceGroups/delete",
  "Microsoft.Resources/subscriptions/resourceGroups/moveResources/action",
  "Microsoft.KeyVault/deletedVaults/read",
  "Microsoft.KeyVault/checkNameAvailability/read",
  "Microsoft.KeyVault/vaults/write",
];

/**
 * What every azurerm provider block calls when it starts, whatever the stack holds: the subscription's resource
 * providers, listed to fill its registration cache even with `resource_provider_registrations = "none"`
 * (hashicorp/terraform-provider-azurerm#26628 and Azure/data-management-zone#159: AuthorizationFailed on
 * `Microsoft.Resources/subscriptions/providers/read`; seen in the deploy rehearsal).
 */
export const PROVIDER_START_ACTIONS: readonly string[] = ["Microsoft.Resources/subscriptions/providers/read"];

/**
 * Reading the status of a long-running operation is authorized at the status URL, like any GET: "with resource-level
 * permission alone you can start the operation, but you can't track its status"
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations; azurerm review B4). The
 * actions below are the published ones (https://learn.microsoft.com/azure/role-based-access-control/permissions/)
 * for the status URLs each type family answers with; a role that acts on a family gets its status actions.
 */
export const STATUS_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  "Microsoft.Network/privateDnsZones": ["Microsoft.Network/privateDnsOperationStatuses/read", "Microsoft.Network/privateDnsOperationResults/read"],
  "Microsoft.Network": ["Microsoft.Network/locations/operations/read", "Microsoft.Network/locations/operationResults/read"],
  "Microsoft.Storage": ["Microsoft.Storage/operations/read"],
  "Microsoft.Databricks": ["Microsoft.Databricks/locations/operationstatuses/read"],
  "Microsoft.Cache": ["Microsoft.Cache/locations/operationsStatus/read"],
  "Microsoft.KeyVault": ["Microsoft.KeyVault/locations/operationResults/read"],
  "Microsoft.EventHub": ["Microsoft.EventHub/namespaces/operationresults/read"],
  "Microsoft.DataFactory": ["Microsoft.DataFactory/factories/operationResults/read"],
  "Microsoft.Resources/deployments": ["Microsoft.Resources/deployments/operationstatuses/read"],
};

/**
 * ARM's linked access check: a write that references another resource needs an action on that resource too, in the
 * subscription that holds it ("LinkedAuthorizationFailed … on the linked scope(s)", Azure/data-landing-zone#203;
 * https://learn.microsoft.com/azure/private-link/rbac-permissions;
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet#permissions). Per type: the
 * attribute holding the reference and the action it needs. Each is charged to the role of the referenced resource's
 * subscription — the hub role for IDs the stack's variables say live in the hub (`resourcesIn`, azurerm review B1).
 */
const LINKED_ACCESS: Readonly<Record<string, readonly { readonly attribute: string; readonly action: string }[]>> = {
  azurerm_private_endpoint: [
    { attribute: "subnet_id", action: "Microsoft.Network/virtualNetworks/subnets/join/action" },
    { attribute: "private_dns_zone_group.private_dns_zone_ids", action: "Microsoft.Network/privateDnsZones/join/action" },
  ],
  azurerm_private_dns_zone_virtual_network_link: [{ attribute: "virtual_network_id", action: "Microsoft.Network/virtualNetworks/join/action" }],
  azurerm_virtual_network_peering: [{ attribute: "remote_virtual_network_id", action: "Microsoft.Network/virtualNetworks/peer/action" }],
  azurerm_subnet_network_security_group_association: [{ attribute: "network_security_group_id", action: "Microsoft.Network/networkSecurityGroups/join/action" }],
  azurerm_subnet_route_table_association: [{ attribute: "route_table_id", action: "Microsoft.Network/routeTables/join/action" }],
  azurerm_subnet_nat_gateway_association: [{ attribute: "nat_gateway_id", action: "Microsoft.Network/natGateways/join/action" }],
  azurerm_nat_gateway_public_ip_association: [{ attribute: "public_ip_address_id", action: "Microsoft.Network/publicIPAddresses/join/action" }],
  azurerm_storage_account: [{ attribute: "network_rules.virtual_network_subnet_ids", action: "Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action" }],
};

/** Resource types of private endpoint targets, and the action that approves a connection to them. */
const APPROVAL: Readonly<Record<string, string>> = {
  azurerm_storage_account: "Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action",
  azurerm_key_vault: "Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action",
  azurerm_databricks_workspace: "Microsoft.Databricks/workspaces/privateEndpointConnectionsApproval/action",
  azurerm_data_factory: "Microsoft.DataFactory/factories/privateEndpointConnectionsApproval/action",
  azurerm_managed_redis: "Microsoft.Cache/redisEnterprise/privateEndpointConnectionsApproval/action",
  azurerm_eventhub_namespace: "Microsoft.EventHub/namespaces/privateEndpointConnectionsApproval/action",
};

/** What one stack's deployer needs, per provider (`azurerm`, `azurerm.hub`, `azuread`, `databricks.account`, …). */
export interface StackPermissions {
  readonly stack: string;
  readonly environment: string;
  readonly byProvider: ReadonlyMap<string, { readonly types: ReadonlyMap<string, number>; readonly actions: readonly string[]; readonly graph: readonly string[]; readonly databricks: readonly string[] }>;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** The permissions of each synthesized stack, read from its JSON. Fails on a resource type with no mapping. */
export function stackPermissions(stack: SynthesizedStack): StackPermissions {
  const resources = (stack.json.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  const acc = new Map<string, { types: Map<string, number>; actions: Set<string>; graph: Set<string>; databricks: Set<string> }>();
  for (const [type, byId] of Object.entries(resources)) {
    // Databricks needs are their own table (databricks-authorization.ts), per identity in help/identity-permissions.md.
    const authorization = type.startsWith("databricks_") ? DATABRICKS_AUTHORIZATION[type] : undefined;
    const mapped = authorization ? {} : PERMISSIONS_BY_TYPE[type];
    if (!mapped) throw new Error(`stack ${stack.name}: no deployer permissions are known for ${type}: add it to PERMISSIONS_BY_TYPE (lib/ci/deployer-permissions.ts)`);
    for (const attrs of Object.values(byId)) {
      const provider = typeof attrs.provider === "string" ? attrs.provider : type.split("_")[0];
      const entry = acc.get(provider) ?? { types: new Map(), actions: new Set<string>(), graph: new Set<string>(), databricks: new Set<string>() };
      acc.set(provider, entry);
      entry.types.set(type, (entry.types.get(type) ?? 0) + 1);
      for (const a of mapped.actions ?? []) entry.actions.add(a);
      for (const g of mapped.graph ?? []) entry.graph.add(g);
      if (authorization) entry.databricks.add(`${type}: ${describeNeed(authorization.write)}`);
      for (const a of extraActions(type, attrs)) entry.actions.add(a);
      for (const { attribute, action } of LINKED_ACCESS[type] ?? []) {
        for (const reference of valuesAt(attrs, attribute)) {
          const owner = ownerOf(stack.json, reference, provider);
          const linked = acc.get(owner) ?? { types: new Map(), actions: new Set<string>(), graph: new Set<string>(), databricks: new Set<string>() };
          acc.set(owner, linked);
          linked.actions.add(action);
        }
      }
    }
  }
  for (const block of providerBlocks(stack.json, "azurerm")) {
    const entry = acc.get(block) ?? { types: new Map(), actions: new Set<string>(), graph: new Set<string>(), databricks: new Set<string>() };
    acc.set(block, entry);
    for (const a of PROVIDER_START_ACTIONS) entry.actions.add(a);
  }
  if (Object.keys(resources).some((t) => t === "azurerm_key_vault")) {
    const azurerm = acc.get("azurerm");
    for (const a of RECOVERY_ACTIONS) azurerm?.actions.add(a);
  }
  for (const entry of acc.values()) {
    const actions = [...entry.actions];
    for (const [family, status] of Object.entries(STATUS_ACTIONS)) if (actions.some((a) => a.startsWith(`${family}/`))) status.forEach((a) => entry.actions.add(a));
  }
  const byProvider = new Map([...acc.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([p, e]) => [p, { types: new Map([...e.types].sort(([a], [b]) => a.localeCompare(b))), actions: sorted(e.actions), graph: sorted(e.graph), databricks: sorted(e.databricks) }] as const));
  return { stack: stack.name, environment: stack.deployment.environment, byProvider };
}

/** The strings at a dotted attribute path (lists and single blocks walked through). */
function valuesAt(attrs: unknown, path: string): string[] {
  const [head, ...rest] = path.split(".");
  const value = (attrs as Record<string, unknown> | undefined)?.[head];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return rest.length === 0 ? items.filter((v): v is string => typeof v === "string") : items.flatMap((v) => valuesAt(v, rest.join(".")));
}

/**
 * The provider whose subscription holds the resource a reference names: a resource of the stack → its provider; a
 * variable that declares `resourcesIn` → that provider; anything else (a literal, another stack's output) → the
 * referencing resource's own.
 */
function ownerOf(json: Record<string, unknown>, reference: string, fallback: string): string {
  const variable = /^\$\{var\.([a-z0-9_]+)\}$/.exec(reference)?.[1];
  if (variable) {
    const declared = ((json.variable ?? {}) as Record<string, { "//"?: { resourcesIn?: string } }>)[variable]?.["//"]?.resourcesIn;
    return declared ?? fallback;
  }
  const resource = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\./.exec(reference);
  if (resource) {
    const attrs = ((json.resource ?? {}) as Record<string, Record<string, { provider?: string }>>)[resource[1]]?.[resource[2]];
    if (attrs) return attrs.provider ?? resource[1].split("_")[0];
  }
  return fallback;
}

/** The provider references (`azurerm`, `azurerm.hub`) of a stack's blocks of one provider. */
function providerBlocks(json: Record<string, unknown>, provider: string): string[] {
  const blocks = ((json.provider ?? {}) as Record<string, { alias?: string }[]>)[provider] ?? [];
  return blocks.map((b) => (b.alias ? `${provider}.${b.alias}` : provider));
}

/** Actions that depend on the resource's attributes: an endpoint's target approval, a template's resources. */
function extraActions(type: string, attrs: Record<string, unknown>): string[] {
  if (type === "azurerm_private_endpoint") {
    const targetRef = String((attrs.private_service_connection as { private_connection_resource_id?: string } | undefined)?.private_connection_resource_id ?? "");
    const targetType = /\$\{([a-z_]+)\./.exec(targetRef)?.[1];
    // The root (DBFS) storage of a workspace is named by a literal ID under its managed resource group.
    const approval = targetType ? APPROVAL[targetType] : /\/Microsoft\.Storage\/storageAccounts\//i.test(targetRef) ? APPROVAL.azurerm_storage_account : undefined;
    return approval ? [approval] : [];
  }
  if (type === "azurerm_resource_group_template_deployment") {
    const template = JSON.parse(String(attrs.template_content ?? "{}")) as { resources?: { type: string }[] };
    return (template.resources ?? []).flatMap((r) => crud(r.type));
  }
  return [];
}

/**
 * A least-privilege custom role for one environment's deployer: the union of every stack's `azurerm` actions (and the
 * recovery step's), assignable at the environment's subscription. The hub's provider gets a role of its own.
 */
export function deployerRole(stacks: readonly SynthesizedStack[], environment: string, provider = "azurerm"): { Name: string; Description: string; Actions: string[]; NotActions: string[]; DataActions: string[]; AssignableScopes: string[] } | undefined {
  const actions = new Set<string>();
  for (const stack of stacks.filter((s) => s.deployment.environment === environment)) {
    for (const a of stackPermissions(stack).byProvider.get(provider)?.actions ?? []) actions.add(a);
  }
  if (actions.size === 0) return undefined;
  const hub = provider !== "azurerm";
  return {
    Name: `cdktf-medallion deployer (${environment}${hub ? `, ${provider.split(".")[1]}` : ""})`,
    Description: hub
      ? `What the ${environment} deployment creates in the hub's subscription (peerings back, the spokes' links in the hub's privatelink zones). Generated from the synthesized stacks.`
      : `Everything the ${environment} deployment creates, reads back and deletes, and the Key Vault recovery step. Generated from the synthesized stacks.`,
    Actions: sorted(actions),
    NotActions: [],
    DataActions: [],
    AssignableScopes: [hub ? "/subscriptions/<hub-subscription-id>" : "/subscriptions/<subscription-id>"],
  };
}

/**
 * Read-only calls a refresh makes that are not named `…/read`: a template deployment's Read exports its template
 * (resource_group_template_deployment_resource.go; Azure/Azure-Landing-Zones#2532; azurerm review B3).
 */
export const REFRESH_ACTIONS: readonly string[] = ["Microsoft.Resources/deployments/exportTemplate/action"];

/**
 * The plan identity's role on one subscription: the reads of the deployer's role there, and the read-only actions a
 * refresh calls — nothing that writes, and no key listing (azurerm tolerates a refused listKeys/sharedKeys on Read).
 * Generated from the same stacks, so a plan refreshes everything the deploy creates, the hub's side included.
 */
export function planRole(stacks: readonly SynthesizedStack[], environment: string, provider = "azurerm"): { Name: string; Description: string; Actions: string[]; NotActions: string[]; DataActions: string[]; AssignableScopes: string[] } | undefined {
  const deploy = deployerRole(stacks, environment, provider);
  if (!deploy) return undefined;
  const hub = provider !== "azurerm";
  return {
    Name: `cdktf-medallion plan (${environment}${hub ? `, ${provider.split(".")[1]}` : ""})`,
    Description: `What a plan of the ${environment} stacks reads${hub ? " in the hub's subscription" : ""}: the reads of the deployer's role and the read-only actions a refresh calls. Generated from the synthesized stacks.`,
    Actions: deploy.Actions.filter((a) => /\/read$/i.test(a) || REFRESH_ACTIONS.includes(a)),
    NotActions: [],
    DataActions: [],
    AssignableScopes: deploy.AssignableScopes,
  };
}

/** One role of the page: its JSON for `az role definition create`, and which actions the rehearsal saw it grant. */
function roleSection(role: { Name: string; Actions: string[] }, observed: ObservedActions | undefined): string[] {
  const lines = [`### Custom role: ${role.Name}`, "", "```json", JSON.stringify(role, null, 2), "```", ""];
  if (!observed) return lines;
  const seen = new Set((observed[role.Name] ?? []).map((x) => x.toLowerCase()));
  lines.push(
    `Observed in the deploy rehearsal: ${role.Actions.filter((x) => seen.has(x.toLowerCase())).length} of ${role.Actions.length} actions. An action not observed is on a path the rehearsal does not take (an update, the Key Vault recovery step, the databricks and azuread side) or a candidate for removal.`,
    "",
    "| action | observed in the rehearsal |",
    "| --- | --- |",
    ...role.Actions.map((x) => `| \`${x}\` | ${seen.has(x.toLowerCase()) ? "yes" : "–"} |`),
    "",
  );
  return lines;
}

/** The actions each generated role was seen granting in the deploy rehearsal (`npm run rehearse`), by role name. */
export type ObservedActions = Readonly<Record<string, readonly string[]>>;

/**
 * help/deployer-permissions.md: per environment the roles to create, per stack what its deployer needs and why, and
 * for each action whether the deploy rehearsal saw a call that needed it.
 */
export function deployerPermissionsDocument(stacks: readonly SynthesizedStack[], observed?: ObservedActions): string {
  const lines = [
    "<!-- GENERATED from the synthesized stacks by `npm run docs`. Do not edit: `npm test` fails on drift. -->",
    "# Deployer permissions",
    "",
    "What the deployment principal needs, computed from the resources of every synthesized stack",
    "(`lib/ci/deployer-permissions.ts` maps each resource type to its Azure actions, Microsoft Graph permissions and",
    "Databricks roles). Create the custom role of each environment and assign it to that environment's deployment",
    "principal at the subscription, instead of Contributor plus an RBAC administrator role: Contributor cannot create",
    "locks, role definitions or PIM requests (its NotActions include `Microsoft.Authorization/*/Write`), and \"Role Based",
    "Access Control Administrator\" manages only role assignments. Terraform state needs Storage Blob Data Contributor",
    "on the state container besides.",
    "",
    "The actions follow the resource providers' operation names. The deploy rehearsal ([deploy rehearsal](deploy-rehearsal.md))",
    "applies every stack's Azure side with the real providers against an emulator that enforces exactly these roles; it has",
    "not run against a real tenant. A missing action shows as `AuthorizationFailed` (or `LinkedAuthorizationFailed`) naming",
    "it — add it to the map, regenerate, and update the role. The plan role goes to the plan and pull-request identities (plans before",
    "the approval, pull requests, drift, the DR drill).",
    "",
  ];
  const environments = sorted(stacks.map((s) => s.deployment.environment));
  for (const env of environments) {
    const inEnv = stacks.filter((s) => s.deployment.environment === env);
    const all = inEnv.map(stackPermissions);
    const providers = sorted(all.flatMap((p) => [...p.byProvider.keys()]));
    lines.push(`## ${env}`, "");
    for (const provider of providers.filter((p) => p.startsWith("azurerm"))) {
      for (const role of [deployerRole(inEnv, env, provider), planRole(inEnv, env, provider)]) {
        if (role) lines.push(...roleSection(role, observed));
      }
    }
    const deploy = deployerRole(inEnv, env);
    const roleIds = assignedRoleIds(inEnv, env);
    if (deploy && roleIds.length > 0) {
      lines.push(
        "### Role assignment condition (deploy identity)",
        "",
        "Assign the deployer role with this condition: the deploy identity may then create and delete role assignments only of",
        "the roles its stacks assign — never Owner, User Access Administrator or any other role. It does not cover PIM",
        "eligibility requests (`roleEligibilityScheduleRequests/write`), which the domains' PIM stack makes for its groups.",
        "",
        "```sh",
        `az role assignment create --assignee-object-id <deploy identity's object ID> --assignee-principal-type ServicePrincipal \\`,
        `  --role "${deploy.Name}" --scope /subscriptions/<subscription-id> --condition-version 2.0 --condition "$(cat condition-${env}.txt)"`,
        "```",
        "",
        `\`condition-${env}.txt\`:`,
        "",
        "```text",
        roleAssignmentCondition(roleIds),
        "```",
        "",
      );
    }
    const graph = sorted(all.flatMap((p) => [...p.byProvider.values()].flatMap((v) => v.graph)));
    lines.push("### Microsoft Graph", "", graph.length ? `Application permissions: ${graph.map((g) => `\`${g}\``).join(", ")} (only for the stacks that create Entra groups).` : "None: no stack reads or writes Entra.", "");
    const databricks = sorted(all.flatMap((p) => [...p.byProvider.entries()].filter(([k]) => k.startsWith("databricks")).flatMap(([k, v]) => v.databricks.map((d) => `${k}: ${d}`))));
    lines.push("### Databricks", "", "Per identity and stack, with the sources: [identities](identity-permissions.md).", "", ...(databricks.length ? databricks.map((d) => `- ${d}`) : ["None."]), "");
    lines.push("### Per stack", "", "| stack | provider | resource types (count) |", "| --- | --- | --- |");
    for (const p of all) {
      for (const [provider, v] of p.byProvider) lines.push(`| ${p.stack} | \`${provider}\` | ${[...v.types].map(([t, n]) => `\`${t}\` (${n})`).join(", ")} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
