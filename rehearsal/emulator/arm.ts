import { requestAction, segments } from "../authorization/actions";
import { Grant, RoleAssignment, RoleDefinition, grantFor, withinScope } from "../authorization/evaluate";
import { linkedChecks, resourceTypeOf } from "../authorization/linked-access";
import { builtinRoles, resolveAssignments, roleGuid, RoleAssignmentBody } from "../authorization/role-store";
import { AsyncOperation, AsyncOperations } from "./async-operations";
import { CallLog, pathTemplate } from "./call-log";
import { ConcurrencyRules } from "./concurrency";
import { EntraEmulator, Identity } from "./entra";
import { ArmError, EmulatorRequest, EmulatorResponse, json, parseJson } from "./http";
import { ResourceStore, StoredResource, parentOf } from "./resource-store";
import { QuirkContext, quirksFor } from "./type-quirks";

/** The tenant's fixed facts: subscriptions that exist before the first deploy. */
export interface ArmWorld {
  readonly tenantId: string;
  readonly subscriptions: readonly { readonly id: string; readonly displayName: string }[];
  /** Regions the metadata endpoint lists (enhanced validation of `location`). */
  readonly locations: readonly string[];
}

/** What one authorized call was granted, for the call log. */
interface Decision {
  readonly action: string;
  readonly grant?: Grant;
  readonly linked: { action: string; scope: string; grant?: Grant }[];
}

const AUTHORIZATION_FAILED =
  // The wording of ARM's 403, as quoted in Azure/Enterprise-Scale#257 and Azure/data-landing-zone#203 (azurerm review B1, B3).
  (id: Identity, action: string, scope: string) =>
    `The client '${id.clientId}' with object id '${id.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;

/**
 * Azure Resource Manager as the providers see it: metadata, resource-provider registration, role definitions, the
 * generic resource store with the long-running operation protocol, and the checks that make real deploys fail —
 * authorization of every call (including status URLs), linked access, locks and concurrent writes.
 */
export class ArmEmulator {
  readonly store = new ResourceStore();
  readonly operations = new AsyncOperations();
  readonly concurrency = new ConcurrencyRules();
  private readonly definitions = new Map<string, RoleDefinition>();
  /** Who created each role assignment: `bootstrap`, or the run that made it. */
  private readonly assignmentOrigin = new Map<string, string>();
  private assignmentCache?: RoleAssignment[];

  constructor(readonly world: ArmWorld, readonly entra: EntraEmulator, readonly log: CallLog) {
    for (const role of builtinRoles()) this.definitions.set(role.id.toLowerCase(), role);
    for (const sub of world.subscriptions) {
      this.store.put(`/subscriptions/${sub.id}`, { id: `/subscriptions/${sub.id}`, subscriptionId: sub.id, tenantId: world.tenantId, displayName: sub.displayName, state: "Enabled" });
    }
  }

  /** A custom role created before the first deploy (`az role definition create`). */
  defineRole(role: RoleDefinition): void {
    this.definitions.set(role.id.toLowerCase(), role);
  }

  /** A role assignment made before the first deploy (`az role assignment create`). */
  assignRole(principalId: string, scope: string, roleId: string, name: string): void {
    const id = `${scope.replace(/\/$/, "")}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    this.store.put(id, { id, name, type: "Microsoft.Authorization/roleAssignments", properties: { principalId, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${roleId}`, scope } });
    this.assignmentOrigin.set(id.toLowerCase(), "bootstrap");
    this.assignmentCache = undefined;
  }

  /** A resource that exists before the first deploy (the hub's network and zones). */
  seed(id: string, body: Record<string, unknown>): void {
    this.store.put(id, { id, name: segments(id).pop(), ...body });
  }

  handle(req: EmulatorRequest, run: string): EmulatorResponse {
    const path = "/" + segments(req.rawPath).join("/");
    const apiVersion = req.query.get("api-version") ?? "";
    if (/^\/metadata\/endpoints$/i.test(path)) return this.metadata();
    let identity: Identity | undefined;
    let decision: Decision | undefined;
    try {
      identity = this.entra.identityOf(req);
      decision = this.authorize(identity, req, path);
      const response = this.route(req, path, apiVersion, identity, run);
      this.log.add({ run, identity: identity.name, host: req.host, method: req.method, path, template: pathTemplate(req.host, path), apiVersion, status: response.status, action: decision.action, grant: decision.grant, linked: decision.linked });
      return response;
    } catch (error) {
      const armError = error instanceof ArmError ? error : new ArmError(500, "RehearsalEmulatorError", (error as Error).stack ?? String(error));
      this.log.add({ run, identity: identity?.name ?? "anonymous", host: req.host, method: req.method, path, template: pathTemplate(req.host, path), apiVersion, status: armError.status, action: decision?.action ?? safeAction(req.method, path), grant: decision?.grant, linked: decision?.linked ?? armError.linked, error: `${armError.code}: ${armError.message}` });
      return armError.toResponse();
    }
  }

  /** Every role assignment in force: the bootstrap's and those the stacks created. */
  assignments(): RoleAssignment[] {
    if (!this.assignmentCache) {
      const stored = this.store.all().filter((r) => /\/providers\/microsoft\.authorization\/roleassignments\/[^/]+$/i.test(r.id)).map((r) => ({ id: r.id, body: r.body as RoleAssignmentBody, origin: this.assignmentOrigin.get(r.id.toLowerCase()) ?? "deployed" }));
      this.assignmentCache = resolveAssignments(stored, this.definitions);
    }
    return this.assignmentCache;
  }

  /** Whether `identity` holds a data action at a scope (Key Vault and storage data planes). */
  dataGrant(identity: Identity, dataAction: string, scope: string): Grant | undefined {
    return grantFor(this.assignments(), identity.objectId, dataAction, scope, true);
  }

  private authorize(identity: Identity, req: EmulatorRequest, path: string): Decision {
    const { action, scope } = requestAction(req.method, path);
    // Listing the subscription's providers and reading the subscription itself happen before any RBAC-checked call;
    // ARM authorizes them too (Microsoft.Resources/subscriptions/read), so they are checked like the rest.
    const grant = grantFor(this.assignments(), identity.objectId, action, scope);
    if (!grant) throw new ArmError(403, "AuthorizationFailed", AUTHORIZATION_FAILED(identity, action, scope));
    const linked: Decision["linked"] = [];
    if (req.method === "PUT" || req.method === "PATCH") {
      const body = parseJson(req);
      const missing: { action: string; scope: string }[] = [];
      for (const check of linkedChecks(path, body)) {
        const g = grantFor(this.assignments(), identity.objectId, check.action, check.scope);
        linked.push({ action: check.action, scope: check.scope, grant: g });
        if (!g) missing.push(check);
      }
      if (missing.length > 0) {
        // The wording of ARM's linked check, as quoted in Azure/data-landing-zone#203 (azurerm review B1).
        const refused = new ArmError(403, "LinkedAuthorizationFailed", `The client '${identity.clientId}' with object id '${identity.objectId}' has permission to perform action '${action}' on scope '${scope}'; however, it does not have permission to perform action(s) '${missing.map((m) => m.action).join("', '")}' on the linked scope(s) '${missing.map((m) => m.scope).join("', '")}' (respectively) or the linked scope(s) are invalid.`);
        refused.linked = linked;
        throw refused;
      }
    }
    return { action, grant, linked };
  }

  private route(req: EmulatorRequest, path: string, apiVersion: string, identity: Identity, run: string): EmulatorResponse {
    const parts = segments(path);
    const lower = parts.map((p) => p.toLowerCase());
    const op = this.operations.byPath(path);
    if (req.method === "GET" && op) return this.operationStatus(op);
    if (lower[0] !== "subscriptions" || !this.store.get(`/subscriptions/${parts[1]}`)) {
      throw new ArmError(404, "SubscriptionNotFound", `The subscription '${parts[1] ?? ""}' could not be found.`);
    }
    if (parts.length === 3 && lower[2] === "providers" && req.method === "GET") return this.providers(parts[1]);
    if (parts.length === 4 && lower[2] === "providers" && req.method === "GET") return this.provider(parts[1], parts[3]);
    if (lower.includes("roledefinitions") && req.method === "GET") return this.roleDefinitions(parts, req.query);
    if (parts.length === 5 && lower[2] === "resourcegroups" && lower[4] === "resources" && req.method === "GET") {
      return json(200, { value: this.store.beneath(`/subscriptions/${parts[1]}/resourceGroups/${parts[3]}`).filter((r) => isTrackedTopLevel(r.id)).map((r) => r.body) });
    }
    const ctx: QuirkContext = { arm: this, identity, run, apiVersion, req };
    if (req.method === "POST") return this.action(ctx, path);
    if (isCollection(parts)) {
      if (req.method !== "GET") throw new ArmError(405, "MethodNotAllowed", `The rehearsal emulator does not accept ${req.method} on the collection ${path}.`);
      return json(200, { value: this.store.list(path).map((r) => quirksFor(r.id).onGet?.(ctx, r) ?? r.body) });
    }
    switch (req.method) {
      case "GET":
      case "HEAD":
        return this.get(ctx, path);
      case "PUT":
        return this.put(ctx, path, parseJson(req), false);
      case "PATCH":
        return this.patch(ctx, path, parseJson(req));
      case "DELETE":
        return this.delete(ctx, path);
      default:
        throw new ArmError(405, "MethodNotAllowed", `The rehearsal emulator does not accept ${req.method} on ${path}.`);
    }
  }

  private get(ctx: QuirkContext, path: string): EmulatorResponse {
    const item = this.store.get(path);
    if (!item) throw notFound(path);
    return json(200, quirksFor(item.id).onGet?.(ctx, item) ?? item.body);
  }

  /** PUT: parents must exist; the body is stored as ARM would return it; computed fields come from the type's quirks. */
  put(ctx: QuirkContext, path: string, body: Record<string, unknown>, merge: boolean): EmulatorResponse {
    const parent = parentOf(path);
    if (parent && !this.store.get(parent)) {
      const isGroup = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(parent);
      throw isGroup
        ? new ArmError(404, "ResourceGroupNotFound", `Resource group '${segments(parent)[3]}' could not be found.`)
        : new ArmError(404, "ParentResourceNotFound", `Failed to perform 'write' on resource(s) of type '${resourceTypeOf(path) ?? "?"}', because the parent resource '${parent}' could not be found.`);
    }
    const quirks = quirksFor(path);
    const existing = this.store.get(path);
    const parts = segments(path);
    const base = merge && existing ? deepMerge(existing.body, body) : body;
    const properties = { ...((base.properties as Record<string, unknown> | undefined) ?? {}) };
    if (quirks.provisioningState !== false) properties.provisioningState = "Succeeded";
    let stored: Record<string, unknown> = { ...base, id: existing?.id ?? path, name: parts[parts.length - 1], type: armType(path), properties };
    this.concurrency.begin(ctx, path, stored);
    this.noteApiVersion(armType(path), ctx.apiVersion);
    stored = quirks.onPut?.(ctx, path, stored, existing) ?? stored;
    this.store.put(path, stored);
    if (/\/roleassignments\//i.test(path)) {
      this.assignmentOrigin.set(path.toLowerCase(), ctx.run);
      this.assignmentCache = undefined;
    }
    const status = existing ? quirks.updateStatus ?? 200 : quirks.createStatus ?? 200;
    const headers: Record<string, string> = {};
    const hold = this.concurrency.holdFor(path, stored);
    const op = this.operations.start(path, armType(path), String(stored.location ?? ""), ctx.apiVersion, hold);
    if (op) {
      headers[op.header] = op.url;
      headers["Retry-After"] = "0";
    }
    const returned = quirks.onGet?.(ctx, this.store.get(path)!) ?? stored;
    // While the operation holds its target, the answer says so: a client that skips polling on a finished state
    // (the autorest client of template deployments) then polls like it would against Azure.
    const running = op && hold > 0 ? { ...returned, properties: { ...(returned.properties as object), provisioningState: "Running" } } : returned;
    return json(status, running, headers);
  }

  /** A status URL: `{"status"}` documents for Azure-AsyncOperation, 202 then the resource for Location. */
  private operationStatus(op: AsyncOperation): EmulatorResponse {
    const running = this.operations.running(op);
    if (op.header === "Location") {
      if (running) return { status: 202, headers: { Location: op.url, "Retry-After": "0" } };
      const item = this.store.get(op.resourceId);
      return item ? json(200, item.body) : { status: 204 };
    }
    return json(200, { status: running ? "InProgress" : "Succeeded" });
  }

  private patch(ctx: QuirkContext, path: string, body: Record<string, unknown>): EmulatorResponse {
    if (!this.store.get(path)) throw notFound(path);
    return this.put(ctx, path, body, true);
  }

  private delete(ctx: QuirkContext, path: string): EmulatorResponse {
    const item = this.store.get(path);
    if (!item) return { status: 204 };
    this.checkLocks(path);
    const quirks = quirksFor(path);
    quirks.onDelete?.(ctx, item);
    this.concurrency.begin(ctx, path, item.body);
    this.store.delete(path);
    if (/\/roleassignments\//i.test(path)) this.assignmentCache = undefined;
    // A delete that holds its target runs as a long-running operation (202 and a status URL), so a client that follows
    // it (the template deployment's nested deletes) waits like it would against Azure.
    const hold = this.concurrency.holdFor(path, item.body);
    const op = hold > 0 ? this.operations.start(path, armType(path), String(item.body.location ?? ""), ctx.apiVersion, hold) : undefined;
    if (op) return { status: 202, headers: { [op.header]: op.url, "Retry-After": "0" } };
    return { status: quirks.deleteStatus ?? 200 };
  }

  /**
   * A `CanNotDelete` lock at or above a resource blocks its deletion (and a `ReadOnly` lock blocks it too); deleting
   * the lock itself is allowed (https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources).
   * A private endpoint to a locked resource cannot be deleted either: the delete writes the target's
   * privateEndpointConnectionProxies (hashicorp/terraform-provider-azurerm#17478, azurerm review M6).
   */
  checkLocks(path: string): void {
    if (/\/providers\/microsoft\.authorization\/locks\/[^/]+$/i.test(path)) return;
    const targets = [path];
    const item = this.store.get(path);
    if (item && /\/providers\/microsoft\.network\/privateendpoints\/[^/]+$/i.test(path)) {
      const props = (item.body.properties ?? {}) as { privateLinkServiceConnections?: { properties?: { privateLinkServiceId?: string } }[] };
      for (const c of props.privateLinkServiceConnections ?? []) if (c.properties?.privateLinkServiceId) targets.push(c.properties.privateLinkServiceId);
    }
    for (const target of targets) {
      for (const lock of this.locks()) {
        const scope = lock.id.replace(/\/providers\/Microsoft\.Authorization\/locks\/[^/]+$/i, "");
        if (withinScope(scope, target)) {
          // ARM's answer (https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources#considerations-before-applying-your-locks).
          throw new ArmError(409, "ScopeLocked", `The scope '${path}' cannot perform delete operation because following scope(s) are locked: '${scope}'. Please remove the lock and try again.`);
        }
      }
    }
  }

  private locks(): StoredResource[] {
    return this.store.all().filter((r) => /\/providers\/microsoft\.authorization\/locks\/[^/]+$/i.test(r.id));
  }

  private action(ctx: QuirkContext, path: string): EmulatorResponse {
    const parts = segments(path);
    const name = parts[parts.length - 1];
    const target = "/" + parts.slice(0, parts.length - 1).join("/");
    const handler = quirksFor(target).actions?.[name.toLowerCase()];
    if (!handler) {
      // Unknown is an error, never the happy path: the run fails naming the call.
      throw new ArmError(501, "RehearsalUnsupportedAction", `The rehearsal emulator has no handler for POST ${pathTemplate("management.azure.com", path)}; add one to rehearsal/emulator/type-quirks.ts with its source.`);
    }
    return handler(ctx, target);
  }

  private metadata(): EmulatorResponse {
    // go-azure-helpers resourcemanager/location/supported_azure.go reads cloudEndpoint[*].{endpoint,locations}.
    return json(200, { cloudEndpoint: { public: { endpoint: "management.azure.com", locations: this.world.locations } } });
  }

  private providers(subscription: string): EmulatorResponse {
    // GET /subscriptions/{id}/providers (Providers - List): every namespace the stacks use, registered by the bootstrap.
    const namespaces = ["Microsoft.Authorization", "Microsoft.Cache", "Microsoft.Consumption", "Microsoft.Databricks", "Microsoft.DataFactory", "Microsoft.EventGrid", "Microsoft.EventHub", "Microsoft.Insights", "Microsoft.KeyVault", "Microsoft.ManagedIdentity", "Microsoft.Network", "Microsoft.OperationalInsights", "Microsoft.Resources", "Microsoft.Storage"];
    return json(200, { value: namespaces.map((namespace) => ({ id: `/subscriptions/${subscription}/providers/${namespace}`, namespace, registrationState: "Registered", registrationPolicy: "RegistrationRequired", resourceTypes: [] })) });
  }

  /**
   * Providers - Get: the namespace's resource types with the API versions the stacks used (azurerm's template
   * deployment looks up an API version for each resource it deletes, resource_group_template_deployment_resource.go).
   */
  private provider(subscription: string, namespace: string): EmulatorResponse {
    const resourceTypes = [...this.apiVersions].filter(([type]) => type.startsWith(`${namespace.toLowerCase()}/`)).map(([type, versions]) => ({ resourceType: type.slice(namespace.length + 1), locations: this.world.locations, apiVersions: [...versions].sort().reverse() }));
    return json(200, { id: `/subscriptions/${subscription}/providers/${namespace}`, namespace, registrationState: "Registered", resourceTypes });
  }

  /** The API versions each resource type was written with, for Providers - Get. */
  readonly apiVersions = new Map<string, Set<string>>();

  noteApiVersion(type: string, apiVersion: string): void {
    if (!apiVersion) return;
    const key = type.toLowerCase();
    this.apiVersions.set(key, (this.apiVersions.get(key) ?? new Set()).add(apiVersion));
  }

  private roleDefinitions(parts: string[], query: URLSearchParams): EmulatorResponse {
    const body = (role: RoleDefinition) => ({
      id: `/subscriptions/${parts[1]}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
      name: role.id,
      type: "Microsoft.Authorization/roleDefinitions",
      properties: { roleName: role.roleName, type: this.isBuiltin(role) ? "BuiltInRole" : "CustomRole", description: role.roleName, assignableScopes: ["/"], permissions: [{ actions: role.actions, notActions: role.notActions, dataActions: role.dataActions, notDataActions: role.notDataActions }] },
    });
    if (parts[parts.length - 1].toLowerCase() !== "roledefinitions") {
      const role = this.definitions.get(roleGuid(parts.join("/")));
      if (!role) throw new ArmError(404, "RoleDefinitionDoesNotExist", "The specified role definition with ID '" + parts[parts.length - 1] + "' does not exist.");
      return json(200, body(role));
    }
    // $filter=roleName eq '<name>' (Role Definitions - List, https://learn.microsoft.com/rest/api/authorization/role-definitions/list)
    const filter = /roleName eq '([^']*)'/i.exec(query.get("$filter") ?? "")?.[1];
    const roles = [...this.definitions.values()].filter((r) => filter === undefined || r.roleName.toLowerCase() === filter.toLowerCase());
    return json(200, { value: roles.map(body) });
  }

  private readonly builtin = new Set(builtinRoles().map((r) => r.id.toLowerCase()));

  private isBuiltin(role: RoleDefinition): boolean {
    return this.builtin.has(role.id.toLowerCase());
  }
}

/** `type` as ARM returns it: namespace and type names, without names (resource groups: `Microsoft.Resources/resourceGroups`). */
function armType(path: string): string {
  const type = resourceTypeOf(path);
  if (type) return type;
  return /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(path) ? "Microsoft.Resources/resourceGroups" : "Microsoft.Resources/unknown";
}

function isCollection(parts: readonly string[]): boolean {
  const lower = parts.map((p) => p.toLowerCase());
  const providerAt = lower.lastIndexOf("providers");
  if (providerAt < 0) return parts.length % 2 === 1;
  return (parts.length - providerAt - 2) % 2 === 1;
}

/**
 * Top-level tracked resources of a group: Resources - List By Resource Group lists those
 * (https://learn.microsoft.com/rest/api/resources/resources/list-by-resource-group), not child resources and not
 * extension resources applied to the group itself — role assignments, PIM requests and schedules, locks, budgets
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/extension-resource-types).
 */
function isTrackedTopLevel(id: string): boolean {
  const parts = segments(id);
  const extension = /^(microsoft\.authorization|microsoft\.consumption)$/i.test(parts[5] ?? "") || /^microsoft\.insights\/diagnosticsettings$/i.test(`${parts[5]}/${parts[6]}`);
  return parts.length === 8 && parts[4].toLowerCase() === "providers" && !extension;
}

function notFound(path: string): ArmError {
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(path)) {
    return new ArmError(404, "ResourceGroupNotFound", `Resource group '${segments(path)[3]}' could not be found.`);
  }
  return new ArmError(404, "ResourceNotFound", `The Resource '${resourceTypeOf(path) ?? path}/${segments(path).pop()}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}

function safeAction(method: string, path: string): string | undefined {
  try {
    return requestAction(method, path).action;
  } catch {
    return undefined;
  }
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === "object" && !Array.isArray(v) && prev && typeof prev === "object" && !Array.isArray(prev) ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
