import { createHash } from "crypto";
import { segments } from "../authorization/actions";
import { resourceTypeOf } from "../authorization/linked-access";
import type { ArmEmulator } from "./arm";
import { Identity } from "./entra";
import { ArmError, EmulatorRequest, EmulatorResponse, json, parseJson } from "./http";
import { StoredResource } from "./resource-store";
import { deployTemplate } from "./template-deployment";

export interface QuirkContext {
  readonly arm: ArmEmulator;
  readonly identity: Identity;
  readonly run: string;
  readonly apiVersion: string;
  readonly req: EmulatorRequest;
}

/**
 * What one resource type needs beyond the generic store, each with the provider code or document that needs it.
 * Unknown POST actions are errors (ArmEmulator.action), never silently accepted.
 */
export interface TypeQuirks {
  /** Status of a PUT that creates (default 200: the status most go-azure-sdk PUT methods accept, rehearsal trial §3.2). */
  readonly createStatus?: number;
  readonly updateStatus?: number;
  readonly deleteStatus?: number;
  /** false for types whose body has no provisioningState. */
  readonly provisioningState?: boolean;
  /** Fills in server-side fields of a PUT's stored body. */
  readonly onPut?: (ctx: QuirkContext, id: string, body: Record<string, unknown>, existing?: StoredResource) => Record<string, unknown>;
  /** What a GET returns, when it is more than the stored body (embedded children). */
  readonly onGet?: (ctx: QuirkContext, item: StoredResource) => Record<string, unknown>;
  readonly onDelete?: (ctx: QuirkContext, item: StoredResource) => void;
  /** POST actions on the resource, by lower-case name. */
  readonly actions?: Readonly<Record<string, (ctx: QuirkContext, id: string) => EmulatorResponse>>;
}

/** A stable GUID from a string: the same resource gets the same computed IDs in every run of the rehearsal. */
export function stableGuid(seed: string): string {
  const h = createHash("sha256").update(seed.toLowerCase()).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function props(body: Record<string, unknown>): Record<string, unknown> {
  return (body.properties ?? {}) as Record<string, unknown>;
}

/** A system-assigned identity gets its principal (azurerm flattens identity.principalId / tenantId). */
function withIdentity(ctx: QuirkContext, id: string, body: Record<string, unknown>): Record<string, unknown> {
  const identity = body.identity as { type?: string } | undefined;
  if (!identity?.type || !/systemassigned/i.test(identity.type)) return body;
  return { ...body, identity: { ...identity, principalId: stableGuid(`principal:${id}`), tenantId: ctx.arm.world.tenantId } };
}

function children(ctx: QuirkContext, id: string, type: string): Record<string, unknown>[] {
  return ctx.arm.store.list(`${id}/${type}`).map((c) => c.body);
}

const QUIRKS: Readonly<Record<string, TypeQuirks>> = {
  // Resource groups: Create Or Update answers 201 on create (https://learn.microsoft.com/rest/api/resources/resource-groups/create-or-update).
  "microsoft.resources/resourcegroups": { createStatus: 201 },
  // ARM embeds a VNet's subnets and peerings in its GET (Virtual Networks - Get response), and a NSG its rules.
  "microsoft.network/virtualnetworks": {
    onGet: (ctx, item) => ({ ...item.body, properties: { ...props(item.body), subnets: children(ctx, item.id, "subnets"), virtualNetworkPeerings: children(ctx, item.id, "virtualNetworkPeerings") } }),
    onPut: (_ctx, id, body) => ({ ...body, etag: `W/"${stableGuid(id)}"`, properties: { ...props(body), resourceGuid: stableGuid(`guid:${id}`) } }),
  },
  "microsoft.network/networksecuritygroups": {
    onGet: (ctx, item) => ({ ...item.body, properties: { ...props(item.body), securityRules: children(ctx, item.id, "securityRules") } }),
    onPut: (_ctx, id, body) => ({ ...body, properties: { ...props(body), resourceGuid: stableGuid(`guid:${id}`) } }),
  },
  "microsoft.network/routetables": {
    onGet: (ctx, item) => ({ ...item.body, properties: { ...props(item.body), routes: children(ctx, item.id, "routes") } }),
  },
  // Private DNS zones: the zone's SOA record exists with it, and azurerm's Read fails without `GET {zone}/SOA/@`
  // (internal/services/privatedns/private_dns_zone_resource.go; Record Sets - Get).
  "microsoft.network/privatednszones": {
    onPut: (ctx, id, body, existing) => {
      if (!existing) ctx.arm.store.put(`${id}/SOA/@`, { id: `${id}/SOA/@`, name: "@", type: "Microsoft.Network/privateDnsZones/SOA", properties: { ttl: 3600, fqdn: `${segments(id).pop()}.`, isAutoRegistered: false, soaRecord: { email: "azureprivatedns-host.microsoft.com", expireTime: 2419200, host: "azureprivatedns.net", minimumTtl: 10, refreshTime: 3600, retryTime: 300, serialNumber: 1 } } });
      return { ...body, properties: { ...props(body), maxNumberOfRecordSets: 25000, numberOfRecordSets: 1, maxNumberOfVirtualNetworkLinks: 1000, numberOfVirtualNetworkLinks: 0 } };
    },
  },
  "microsoft.network/privatednszones/soa": { provisioningState: false },
  // Private endpoints: the service creates the endpoint's NIC (named `<endpoint>.nic.<guid>`) with an address from the
  // subnet; azurerm's Read GETs `properties.networkInterfaces[0].id` for private_ip_address
  // (private_endpoint_resource.go, private_endpoint_connection_data_source.go flattenNetworkInterface). An
  // automatic connection is approved at once (https://learn.microsoft.com/azure/private-link/private-endpoint-overview#private-link-resource).
  "microsoft.network/privateendpoints": {
    onPut: (_ctx, id, body, existing) => {
      const p = props(body) as { privateLinkServiceConnections?: { name?: string; properties?: Record<string, unknown> }[] };
      const group = segments(id).slice(0, 4).join("/");
      const nic = ((existing?.body.properties as { networkInterfaces?: { id: string }[] } | undefined)?.networkInterfaces ?? [{ id: `/${group}/providers/Microsoft.Network/networkInterfaces/${segments(id).pop()}.nic.${stableGuid(id)}` }]);
      const connections = (p.privateLinkServiceConnections ?? []).map((c) => ({ ...c, properties: { ...c.properties, privateLinkServiceConnectionState: { status: "Approved", description: "Auto-Approved", actionsRequired: "None" } } }));
      return { ...body, properties: { ...p, privateLinkServiceConnections: connections, networkInterfaces: nic, customDnsConfigs: [] } };
    },
    onDelete: (ctx, item) => {
      for (const nic of ((item.body.properties as { networkInterfaces?: { id: string }[] } | undefined)?.networkInterfaces ?? [])) ctx.arm.store.delete(nic.id);
    },
    onGet: (ctx, item) => {
      for (const nic of ((item.body.properties as { networkInterfaces?: { id: string }[] } | undefined)?.networkInterfaces ?? [])) {
        if (!ctx.arm.store.get(nic.id)) ctx.arm.store.put(nic.id, { id: nic.id, name: segments(nic.id).pop(), type: "Microsoft.Network/networkInterfaces", location: item.body.location, properties: { provisioningState: "Succeeded", ipConfigurations: [{ name: "privateEndpointIpConfig", properties: { privateIPAddress: privateAddress(nic.id), privateIPAllocationMethod: "Dynamic" } }] } });
      }
      return item.body;
    },
  },
  // Storage accounts: the default sub-services exist with the account (azurerm reads blob and file service
  // properties; without fileServices/default its Read retried a 404 for minutes, rehearsal trial §3.4), and the
  // account's endpoints are computed (Storage Accounts - Get: primaryEndpoints).
  "microsoft.storage/storageaccounts": {
    onPut: (ctx, id, body, existing) => {
      const name = segments(id).pop()!;
      if (!existing) {
        for (const service of ["blobServices", "fileServices", "queueServices", "tableServices"]) {
          ctx.arm.store.put(`${id}/${service}/default`, { id: `${id}/${service}/default`, name: "default", type: `Microsoft.Storage/storageAccounts/${service}`, properties: {} });
        }
      }
      const endpoints = Object.fromEntries(["blob", "queue", "table", "file", "web", "dfs"].map((s) => [s, `https://${name}.${s}.core.windows.net/`]));
      return withIdentity(ctx, id, { ...body, properties: { ...props(body), primaryEndpoints: endpoints, primaryLocation: body.location, statusOfPrimary: "available", creationTime: "2026-01-01T00:00:00.0000000Z" } });
    },
    actions: {
      // Storage Accounts - List Keys (https://learn.microsoft.com/rest/api/storagerp/storage-accounts/list-keys).
      listkeys: (ctx, id) => {
        if (!ctx.arm.store.get(id)) throw new ArmError(404, "ResourceNotFound", `The Resource '${id}' was not found.`);
        return json(200, { keys: [{ keyName: "key1", value: Buffer.from(`key1:${id}`).toString("base64"), permissions: "FULL" }, { keyName: "key2", value: Buffer.from(`key2:${id}`).toString("base64"), permissions: "FULL" }] });
      },
    },
  },
  "microsoft.storage/storageaccounts/blobservices": { provisioningState: false },
  "microsoft.storage/storageaccounts/fileservices": { provisioningState: false },
  "microsoft.storage/storageaccounts/queueservices": { provisioningState: false },
  "microsoft.storage/storageaccounts/tableservices": { provisioningState: false },
  "microsoft.storage/storageaccounts/blobservices/containers": { provisioningState: false },
  // Key Vault: vaultUri is computed (Vaults - Create Or Update); a deleted vault stays in deletedVaults until purged
  // (https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview).
  "microsoft.keyvault/vaults": {
    onPut: (_ctx, id, body) => ({ ...body, properties: { ...props(body), vaultUri: `https://${segments(id).pop()}.vault.azure.net/` } }),
    onDelete: (ctx, item) => {
      const p = props(item.body) as { softDeleteRetentionInDays?: number };
      const name = segments(item.id).pop()!;
      const location = String(item.body.location ?? "");
      const deletedId = `/subscriptions/${segments(item.id)[1]}/providers/Microsoft.KeyVault/locations/${location}/deletedVaults/${name}`;
      ctx.arm.store.put(deletedId, { id: deletedId, name, type: "Microsoft.KeyVault/deletedVaults", properties: { vaultId: item.id, location, deletionDate: "2026-01-01T00:00:00Z", scheduledPurgeDate: "2026-01-08T00:00:00Z", purgeProtectionEnabled: (props(item.body) as { enablePurgeProtection?: boolean }).enablePurgeProtection ?? false, tags: item.body.tags, retentionDays: p.softDeleteRetentionInDays } });
    },
  },
  "microsoft.keyvault/locations/deletedvaults": {
    actions: {
      // Vaults - Purge Deleted: refused while purge protection holds the vault (soft-delete-overview, "Purge protection").
      purge: (ctx, id) => {
        const item = ctx.arm.store.get(id);
        if (!item) throw new ArmError(404, "ResourceNotFound", `The deleted vault '${segments(id).pop()}' was not found.`);
        if ((props(item.body) as { purgeProtectionEnabled?: boolean }).purgeProtectionEnabled) {
          throw new ArmError(409, "MethodNotAllowed", `Operation "purge" is not allowed because purge protection is enabled for this vault.`);
        }
        ctx.arm.store.delete(id);
        return { status: 200 };
      },
    },
  },
  // Databricks workspaces: workspaceUrl, workspaceId and the managed resource group (with the root storage account the
  // workspace parameters name) are created by the service (Workspaces - Create Or Update; azurerm reads them back).
  "microsoft.databricks/workspaces": {
    onPut: (ctx, id, body) => {
      const p = props(body) as { managedResourceGroupId?: string; parameters?: { storageAccountName?: { value?: string } } };
      const workspaceId = BigInt("0x" + createHash("sha256").update(id.toLowerCase()).digest("hex").slice(0, 13)).toString().slice(0, 16).padStart(16, "1");
      const managed = p.managedResourceGroupId;
      if (managed && !ctx.arm.store.get(managed)) {
        ctx.arm.store.put(managed, { id: managed, name: segments(managed).pop(), type: "Microsoft.Resources/resourceGroups", location: body.location, managedBy: id, properties: { provisioningState: "Succeeded" } });
        const storage = p.parameters?.storageAccountName?.value;
        if (storage) {
          const sid = `${managed}/providers/Microsoft.Storage/storageAccounts/${storage}`;
          ctx.arm.store.put(sid, { id: sid, name: storage, type: "Microsoft.Storage/storageAccounts", location: body.location, kind: "StorageV2", properties: { provisioningState: "Succeeded" } });
        }
      }
      return { ...body, properties: { ...props(body), workspaceId, workspaceUrl: `adb-${workspaceId}.4.azuredatabricks.net`, createdBy: { oid: ctx.identity.objectId }, updatedBy: { oid: ctx.identity.objectId } } };
    },
    onDelete: (ctx, item) => {
      const managed = (props(item.body) as { managedResourceGroupId?: string }).managedResourceGroupId;
      if (managed) ctx.arm.store.delete(managed);
    },
  },
  "microsoft.databricks/accessconnectors": { onPut: (ctx, id, body) => withIdentity(ctx, id, body) },
  // Data Factory answers without provisioningState and azurerm reads none (data_factory_resource.go).
  "microsoft.datafactory/factories": { provisioningState: false, onPut: (ctx, id, body) => withIdentity(ctx, id, body) },
  // Managed Redis: azurerm's cluster and database pollers need `properties.resourceState` ("Running" when done) and
  // Read takes hostName and port (managed_redis_resource.go, custompollers/cluster_state_poller.go, database_state_poller.go).
  "microsoft.cache/redisenterprise": { onPut: (ctx, id, body) => withIdentity(ctx, id, { ...body, properties: { ...props(body), resourceState: "Running", hostName: `${segments(id).pop()}.${String(body.location)}.redis.azure.net` } }) },
  "microsoft.cache/redisenterprise/databases": {
    onPut: (_ctx, id, body) => {
      const p = props(body) as { geoReplication?: { groupNickname?: string; linkedDatabases?: { id?: string }[] } };
      const geoReplication = p.geoReplication ? { groupNickname: p.geoReplication.groupNickname, linkedDatabases: (p.geoReplication.linkedDatabases ?? [{ id }]).map((d) => ({ id: d.id, state: "Linked" })) } : undefined;
      return { ...body, properties: { ...p, ...(geoReplication ? { geoReplication } : {}), resourceState: "Running", port: 10000 } };
    },
    actions: {
      // Databases - Force Link To Replication Group: answered 202 with a status URL (the SDK accepts 202 only,
      // method_forcelinktoreplicationgroup.go). The database is recreated: "All data in this database will be
      // discarded" (https://learn.microsoft.com/rest/api/redis/redisenterprisecache/databases/force-link-to-replication-group),
      // so what was assigned on it before the link is gone (azurerm review M2).
      forcelinktoreplicationgroup: (ctx, id) => {
        const body = parseJson(ctx.req) as { geoReplication?: { groupNickname?: string; linkedDatabases?: { id?: string }[] } };
        ctx.arm.concurrency.begin(ctx, `${id}/forceLinkToReplicationGroup`, {});
        const linked = (body.geoReplication?.linkedDatabases ?? []).map((d) => String(d.id));
        for (const accessPolicy of ctx.arm.store.list(`${id}/accessPolicyAssignments`)) ctx.arm.store.delete(accessPolicy.id);
        for (const member of linked) {
          const db = ctx.arm.store.get(member);
          if (!db) throw new ArmError(404, "ResourceNotFound", `The linked database '${member}' was not found.`);
          ctx.arm.store.put(member, { ...db.body, properties: { ...props(db.body), geoReplication: { groupNickname: body.geoReplication?.groupNickname, linkedDatabases: linked.map((l) => ({ id: l, state: "Linked" })) } } });
        }
        return accepted(ctx, id);
      },
      // Databases - Force Unlink: the listed databases leave this one's group (accepted 200 or 202).
      forceunlink: (ctx, id) => {
        const body = parseJson(ctx.req) as { ids?: string[] };
        ctx.arm.concurrency.begin(ctx, `${id}/forceUnlink`, {});
        const db = ctx.arm.store.get(id);
        if (!db) throw new ArmError(404, "ResourceNotFound", `The Resource '${id}' was not found.`);
        const geo = props(db.body).geoReplication as { groupNickname?: string; linkedDatabases?: { id: string }[] } | undefined;
        const remaining = (geo?.linkedDatabases ?? []).filter((d) => !(body.ids ?? []).some((x) => x.toLowerCase() === d.id.toLowerCase()));
        ctx.arm.store.put(id, { ...db.body, properties: { ...props(db.body), geoReplication: { ...geo, linkedDatabases: remaining } } });
        return accepted(ctx, id);
      },
    },
  },
  // Event Hubs: Read dereferences properties.maximumThroughputUnits, the namespace's networkRuleSets/default (with its
  // defaultAction) exists with it, and an event hub has a status (eventhub_namespace_resource.go,
  // eventhub_resource.go; Namespaces - Get Network Rule Set: "Allow" until set).
  "microsoft.eventhub/namespaces": {
    onPut: (ctx, id, body, existing) => {
      if (!existing) ctx.arm.store.put(`${id}/networkRuleSets/default`, { id: `${id}/networkRuleSets/default`, name: "default", type: "Microsoft.EventHub/Namespaces/NetworkRuleSets", location: body.location, properties: { defaultAction: "Allow", publicNetworkAccess: "Enabled", ipRules: [], virtualNetworkRules: [], trustedServiceAccessEnabled: false } });
      const p = props(body);
      return withIdentity(ctx, id, { ...body, properties: { ...p, maximumThroughputUnits: p.maximumThroughputUnits ?? 0, serviceBusEndpoint: `https://${segments(id).pop()}.servicebus.windows.net:443/`, status: "Active" } });
    },
  },
  "microsoft.eventhub/namespaces/eventhubs": { onPut: (_ctx, _id, body) => ({ ...body, properties: { ...props(body), status: props(body).status ?? "Active", partitionIds: [] } }) },
  // Budgets: Read takes the top-level eTag (consumption_budget_resource_group_resource.go).
  "microsoft.consumption/budgets": { provisioningState: false, onPut: (_ctx, id, body) => ({ ...body, eTag: `"${stableGuid(`etag:${id}:${JSON.stringify(body.properties)}`)}"` }) },
  // Metric and scheduled query alerts: the server fills createdWithApiVersion and the legacy flags
  // (monitor_scheduled_query_rules_alert_v2_resource.go reads them as computed).
  "microsoft.insights/scheduledqueryrules": { provisioningState: false, onPut: (_ctx, _id, body) => ({ ...body, properties: { ...props(body), createdWithApiVersion: "2023-03-15-preview", isLegacyLogAnalyticsRule: false, isWorkspaceAlertsStorageConfigured: false } }) },
  "microsoft.insights/metricalerts": { provisioningState: false },
  "microsoft.insights/actiongroups": { provisioningState: false },
  "microsoft.operationalinsights/workspaces": {
    onPut: (_ctx, id, body) => ({ ...body, properties: { ...props(body), customerId: stableGuid(`customer:${id}`) } }),
    actions: {
      // Shared Keys - Get Shared Keys (https://learn.microsoft.com/rest/api/loganalytics/shared-keys/get-shared-keys).
      sharedkeys: (ctx, id) => {
        if (!ctx.arm.store.get(id)) throw new ArmError(404, "ResourceNotFound", `The Resource '${id}' was not found.`);
        return json(200, { primarySharedKey: Buffer.from(`primary:${id}`).toString("base64"), secondarySharedKey: Buffer.from(`secondary:${id}`).toString("base64") });
      },
    },
  },
  // Role assignments: Create answers 201 (https://learn.microsoft.com/rest/api/authorization/role-assignments/create).
  "microsoft.authorization/roleassignments": {
    createStatus: 201,
    provisioningState: false,
    // Read needs properties.scope back (role_assignment_resource.go); ARM fills the principal type it resolved.
    onPut: (_ctx, id, body) => ({ ...body, properties: { ...props(body), scope: (props(body).scope as string | undefined) ?? "/" + segments(id).slice(0, -4).join("/"), principalType: props(body).principalType ?? "ServicePrincipal" } }),
  },
  // PIM eligibility: a request is answered 201 only (roleeligibilityschedulerequests method_create.go); an AdminAssign
  // creates the eligibility schedule the provider then lists, an AdminRemove removes it
  // (https://learn.microsoft.com/rest/api/authorization/role-eligibility-schedule-requests/create).
  "microsoft.authorization/roleeligibilityschedulerequests": {
    createStatus: 201,
    provisioningState: false,
    onPut: (ctx, id, body) => {
      const p = props(body) as { principalId?: string; roleDefinitionId?: string; requestType?: string; scope?: string; scheduleInfo?: { startDateTime?: string; expiration?: { endDateTime?: string } } };
      const scope = "/" + segments(id).slice(0, -4).join("/");
      const schedules = ctx.arm.store.list(`${scope}/providers/Microsoft.Authorization/roleEligibilitySchedules`);
      const match = schedules.find((s) => String(props(s.body).principalId).toLowerCase() === String(p.principalId).toLowerCase() && String(props(s.body).roleDefinitionId).toLowerCase() === String(p.roleDefinitionId).toLowerCase());
      if (p.requestType === "AdminRemove") {
        if (!match) throw new ArmError(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");
        ctx.arm.store.delete(match.id);
      } else if (p.requestType === "AdminAssign") {
        if (match) throw new ArmError(409, "RoleAssignmentExists", "The Role assignment already exists.");
        const sid = `${scope}/providers/Microsoft.Authorization/roleEligibilitySchedules/${stableGuid(id)}`;
        ctx.arm.store.put(sid, { id: sid, name: segments(sid).pop(), type: "Microsoft.Authorization/roleEligibilitySchedules", properties: { scope, roleDefinitionId: p.roleDefinitionId, principalId: p.principalId, principalType: "Group", memberType: "Direct", status: "Provisioned", roleEligibilityScheduleRequestId: id, startDateTime: p.scheduleInfo?.startDateTime ?? "2026-01-01T00:00:00Z", endDateTime: p.scheduleInfo?.expiration?.endDateTime ?? null, createdOn: "2026-01-01T00:00:00Z" } });
      }
      return { ...body, properties: { ...p, scope, status: "Provisioned", principalType: "Group", createdOn: "2026-01-01T00:00:00Z", requestorId: ctx.identity.objectId } };
    },
  },
  "microsoft.authorization/roleeligibilityschedules": { provisioningState: false },
  "microsoft.authorization/locks": { provisioningState: false },
  "microsoft.insights/diagnosticsettings": {
    provisioningState: false,
    // On a storage service (blob, file, queue, table) Azure stores and returns the concrete metric categories instead
    // of `AllMetrics` — Transaction and Capacity, plus SLI for files — while the account scope returns AllMetrics as
    // sent (Azure/terraform-azurerm-avm-res-storage-storageaccount PR #380, fixing #318; azurerm review M1).
    onPut: (_ctx, id, body) => {
      const service = /\/providers\/microsoft\.storage\/storageaccounts\/[^/]+\/(blob|file|queue|table)services\/default\/providers\//i.exec(id)?.[1]?.toLowerCase();
      const p = props(body) as { metrics?: { category?: string; categoryGroup?: string; enabled?: boolean }[] };
      if (!service || !p.metrics?.some((m) => m.category === "AllMetrics")) return body;
      const concrete = ["Transaction", "Capacity", ...(service === "file" ? ["SLI"] : [])];
      const metrics = [...p.metrics.filter((m) => m.category !== "AllMetrics"), ...concrete.filter((c) => !p.metrics!.some((m) => m.category === c)).map((category) => ({ category, enabled: true }))];
      return { ...body, properties: { ...p, metrics } };
    },
  },
  // Template deployments: validate, then deploy each template resource with the caller's rights; exportTemplate returns
  // the template (azurerm resource_group_template_deployment_resource.go calls Validate before CreateOrUpdate and
  // ExportTemplate on Read). Deployments - Create Or Update answers 201 on create.
  "microsoft.resources/deployments": {
    createStatus: 201,
    onPut: (ctx, id, body) => deployTemplate(ctx, id, body),
    // Delete removes the deployed resources first (features.template_deployment.delete_nested_items_during_deletion),
    // through the providers' API versions and properties.outputResources (resource_group_template_deployment_resource.go).
    actions: {
      validate: (ctx, id) => {
        const body = parseJson(ctx.req);
        return json(200, { id, name: segments(id).pop(), properties: { provisioningState: "Succeeded", mode: (props(body) as { mode?: string }).mode, validatedResources: [] } });
      },
      exporttemplate: (ctx, id) => {
        const item = ctx.arm.store.get(id);
        if (!item) throw new ArmError(404, "DeploymentNotFound", `Deployment '${segments(id).pop()}' could not be found.`);
        return json(200, { template: (props(item.body) as { template?: unknown }).template ?? {} });
      },
    },
  },
};

/** 202 with the namespace's status URL, for a POST action that runs as a long-running operation. */
function accepted(ctx: QuirkContext, id: string): EmulatorResponse {
  const parts = segments(id);
  const cluster = "/" + parts.slice(0, 8).join("/");
  const location = String(ctx.arm.store.get(cluster)?.body.location ?? "");
  const op = ctx.arm.operations.start(cluster, "Microsoft.Cache/redisEnterprise", location, ctx.apiVersion, ctx.arm.concurrency.holdFor(`${id}/forceLinkToReplicationGroup`));
  return op ? { status: 202, headers: { [op.header]: op.url, "Retry-After": "0" } } : { status: 200 };
}

/** A private address for an endpoint's NIC, stable per NIC (10.x.y.z; the emulator does not allocate from the subnet). */
function privateAddress(seed: string): string {
  const h = createHash("sha256").update(seed).digest();
  return `10.${h[0]}.${h[1]}.${(h[2] % 250) + 4}`;
}

export function quirksFor(id: string): TypeQuirks {
  const type = resourceTypeOf(id)?.toLowerCase() ?? (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test("/" + segments(id).join("/")) ? "microsoft.resources/resourcegroups" : "");
  return QUIRKS[type] ?? {};
}
