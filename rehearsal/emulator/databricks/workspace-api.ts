import { EmulatorRequest, EmulatorResponse, json } from "../http";
import { body, principalInfo } from "./account-api";
import { DatabricksState } from "./databricks-state";
import { Caller, DatabricksError, denied, notFound, numericId, WorkspaceRecord } from "./databricks-world";

type Json = Record<string, unknown>;

const SCIM_LIST = ["urn:ietf:params:scim:api:messages:2.0:ListResponse"];
/** The entitlement values the provider knows (scim/resource_entitlement.go); anything else breaks its Read. */
const ENTITLEMENTS = new Set(["allow-cluster-create", "allow-instance-pool-create", "databricks-sql-access", "workspace-access", "workspace-consume"]);

/**
 * A workspace's own API (everything but Unity Catalog), as the provider v1.99.0 calls it: policies/, permissions/,
 * workspace/, jobs/ (Jobs API 2.2), workspace/resource_workspace_conf.go, settings/, scim/ (research of v1.99.0 and
 * databricks-sdk-go v0.93.0). Administration — configuration, settings, entitlements, cluster policies and their ACLs,
 * workspace assignments, folders outside a user's home — needs a workspace admin
 * (https://learn.microsoft.com/azure/databricks/admin/); a job that runs as a service principal needs its creator to hold
 * roles/servicePrincipal.user on it (https://learn.microsoft.com/azure/databricks/jobs/privileges#run-as).
 */
export function workspaceApi(state: DatabricksState, workspace: WorkspaceRecord, req: EmulatorRequest, caller: Caller, accountId: string): EmulatorResponse {
  const objects = state.objectsOf(workspace);
  const method = req.method;
  const path = req.rawPath;
  const admin = (what: string) => caller.requireWorkspaceAdmin(workspace, what);

  // SCIM: the caller, the workspace's groups (users, admins) and their entitlements.
  if (path === "/api/2.0/preview/scim/v2/Me" && method === "GET") {
    return json(200, { id: numericId(`sp:${caller.applicationId}`), userName: caller.applicationId, displayName: caller.name, active: true });
  }
  const groupPath = /^\/api\/2\.0\/preview\/scim\/v2\/Groups(?:\/([^/]+))?$/.exec(path);
  if (groupPath) {
    const [, id] = groupPath;
    const scim = (e: DatabricksError) => new DatabricksError(e.status, e.code, e.message, true);
    if (!id && method === "GET") {
      const m = /^displayName eq "(.*)"$/.exec(req.query.get("filter") ?? "");
      const found = [...objects.localGroups].filter(([, g]) => !m || g.displayName === m[1]);
      // Non-admins list groups with their display name and ID only (workspace SCIM reference: "Non-admin users").
      const shown = found.map(([gid, g]) => (caller.isWorkspaceAdmin(workspace) ? { id: gid, displayName: g.displayName, entitlements: g.entitlements.map((value) => ({ value })), groups: [], members: [] } : { id: gid, displayName: g.displayName }));
      return json(200, { totalResults: shown.length, startIndex: 1, itemsPerPage: shown.length, schemas: SCIM_LIST, Resources: shown });
    }
    const group = id ? objects.localGroups.get(id) : undefined;
    if (!group) throw scim(notFound(`Group ${id}`));
    if (method === "GET") {
      if (!caller.isWorkspaceAdmin(workspace)) return json(200, { id, displayName: group.displayName });
      return json(200, { id, displayName: group.displayName, entitlements: group.entitlements.map((value) => ({ value })) });
    }
    if (method === "PATCH") {
      admin("changing a group's entitlements");
      for (const op of (body(req).Operations ?? []) as { op: string; path: string; value: { value: string }[] }[]) {
        if (op.path !== "entitlements") continue;
        const values = (op.value ?? []).map((v) => v.value).filter((v) => v !== "");
        for (const v of values) if (!ENTITLEMENTS.has(v)) throw scim(new DatabricksError(400, "INVALID_PARAMETER_VALUE", `Unknown entitlement ${v}`));
        if (op.op === "replace") group.entitlements = values;
        else if (op.op === "remove") group.entitlements = group.entitlements.filter((e) => !values.includes(e));
        else if (op.op === "add") group.entitlements = [...new Set([...group.entitlements, ...values])];
      }
      return { status: 204 };
    }
  }

  // Workspace assignment by name (access/resource_permission_assignment.go): the workspace resolves account principals.
  if (path.startsWith("/api/2.0/preview/permissionassignments")) {
    admin("assigning principals to the workspace");
    const byPrincipal = state.assignments.get(workspace.id) ?? new Map<string, string[]>();
    state.assignments.set(workspace.id, byPrincipal);
    if (path === "/api/2.0/preview/permissionassignments" && method === "POST") {
      const results = ((body(req).permission_assignments ?? []) as Json[]).map((a) => {
        const group = a.group_name ? [...state.groups.values()].find((g) => g.displayName === a.group_name) : undefined;
        const sp = a.service_principal_name ? [...state.servicePrincipals.values()].find((s) => s.applicationId === a.service_principal_name && s.active !== false) : undefined;
        const principal = (group ?? sp)?.id as string | undefined;
        if (!principal) return { error: `Principal ${String(a.group_name ?? a.service_principal_name ?? a.user_name)} not found in the account.` };
        byPrincipal.set(principal, (a.permissions ?? []) as string[]);
        return { permissions: a.permissions, principal: principalInfo(state, principal) };
      });
      return json(200, { permission_assignments: results });
    }
    if (path === "/api/2.0/preview/permissionassignments" && method === "GET") {
      return json(200, { permission_assignments: [...byPrincipal].map(([principal, permissions]) => ({ permissions, principal: principalInfo(state, principal) })) });
    }
    const m = /^\/api\/2\.0\/preview\/permissionassignments\/principals\/(\d+)$/.exec(path);
    if (m && method === "DELETE") {
      byPrincipal.delete(m[1]);
      return json(200, {});
    }
  }

  // Workspace configuration (workspace/resource_workspace_conf.go): string values, PATCH sets, GET ?keys=.
  if (path === "/api/2.0/workspace-conf") {
    admin("the workspace configuration");
    if (method === "PATCH") {
      for (const [k, v] of Object.entries(body(req))) objects.conf.set(k, String(v));
      return { status: 204 };
    }
    if (method === "GET") return json(200, Object.fromEntries((req.query.get("keys") ?? "").split(",").filter(Boolean).map((k) => [k, objects.conf.get(k) ?? null])));
  }

  // Settings v1 (settings/generic_setting.go): PATCH with allow_missing, GET/DELETE with the etag.
  const setting = /^\/api\/2\.0\/settings\/types\/([a-z_]+)\/names\/default$/.exec(path);
  if (setting) {
    admin(`the ${setting[1]} setting`);
    const name = setting[1];
    if (method === "PATCH") {
      const s = (body(req).setting ?? {}) as Json;
      objects.settings.set(name, { ...s, etag: `etag-${name}` });
      return json(200, objects.settings.get(name));
    }
    if (method === "GET") {
      const s = objects.settings.get(name);
      if (!s) throw notFound(`Setting ${name}`);
      return json(200, s);
    }
    if (method === "DELETE") {
      objects.settings.delete(name);
      return json(200, { etag: `etag-${name}-deleted` });
    }
  }

  // Cluster policies (policies/resource_cluster_policy.go): only workspace admins create, edit and delete them.
  if (path.startsWith("/api/2.0/policies/clusters/")) {
    const action = path.slice("/api/2.0/policies/clusters/".length);
    admin(`cluster policies (${action})`);
    if (action === "create" && method === "POST") {
      const b = body(req);
      const id = numericId(`policy:${workspace.id}:${String(b.name)}`).slice(0, 16).toUpperCase();
      if ([...objects.policies.values()].some((p) => p.name === b.name)) throw new DatabricksError(400, "INVALID_PARAMETER_VALUE", `Cluster policy with name ${String(b.name)} already exists.`);
      objects.policies.set(id, { policy_id: id, name: b.name, description: b.description, definition: b.definition, created_at_timestamp: 1700000000000, creator_user_name: caller.applicationId, is_default: false });
      return json(200, { policy_id: id });
    }
    const id = action === "get" ? req.query.get("policy_id") ?? "" : String(body(req).policy_id ?? "");
    const policy = objects.policies.get(id);
    if (!policy) throw notFound(`Cluster policy ${id}`);
    if (action === "get" && method === "GET") return json(200, policy);
    if (action === "edit" && method === "POST") {
      const b = body(req);
      objects.policies.set(id, { ...policy, name: b.name, description: b.description, definition: b.definition });
      return json(200, {});
    }
    if (action === "delete" && method === "POST") {
      objects.policies.delete(id);
      objects.acls.delete(`cluster-policies/${id}`);
      return json(200, {});
    }
  }

  // Object permissions (permissions/resource_permissions.go): the object must exist, and every group or service
  // principal named must be known to the workspace (assigned, or a workspace group) — the permissions API refuses others.
  const permissions = /^\/api\/2\.0\/permissions\/([a-z-]+)\/([^/]+)$/.exec(path);
  if (permissions) {
    const [, type, id] = permissions;
    admin(`permissions on ${type}/${id}`);
    const objectType = { "cluster-policies": "cluster-policy", directories: "directory", notebooks: "notebook", jobs: "job" }[type];
    const exists = type === "cluster-policies" ? objects.policies.has(id) : type === "jobs" ? objects.jobs.has(id) : [...objects.paths.values()].some((o) => String(o.object_id) === id);
    if (!objectType || !exists) throw notFound(`${type} ${id}`);
    if (method === "PUT") {
      const acl = (body(req).access_control_list ?? []) as Json[];
      for (const entry of acl) {
        if (entry.group_name && !knownGroup(state, workspace, objects, String(entry.group_name))) throw new DatabricksError(400, "INVALID_PARAMETER_VALUE", `Principal: GroupName(${String(entry.group_name)}) does not exist`);
        if (entry.service_principal_name && !assignedServicePrincipal(state, workspace, String(entry.service_principal_name))) throw new DatabricksError(400, "INVALID_PARAMETER_VALUE", `Principal: ServicePrincipalName(${String(entry.service_principal_name)}) does not exist`);
      }
      objects.acls.set(`${type}/${id}`, acl);
    }
    if (method === "PUT" || method === "GET") {
      const acl = objects.acls.get(`${type}/${id}`) ?? [];
      return json(200, {
        object_id: `/${type}/${id}`,
        object_type: objectType,
        access_control_list: [
          ...acl.map((e) => ({ ...pickPrincipal(e), all_permissions: [{ permission_level: e.permission_level, inherited: false }] })),
          { group_name: "admins", all_permissions: [{ permission_level: type === "cluster-policies" ? "CAN_USE" : "CAN_MANAGE", inherited: type !== "cluster-policies" }] },
        ],
      });
    }
  }

  // Workspace files (workspace/resource_notebook.go, resource_directory.go): folders outside a home need an admin.
  if (path.startsWith("/api/2.0/workspace/")) {
    const action = path.slice("/api/2.0/workspace/".length);
    if (action === "get-status" && method === "GET") {
      if (!caller.isWorkspaceUser(workspace)) throw denied("not a workspace user");
      const o = objects.paths.get(req.query.get("path") ?? "");
      if (!o) throw notFound(`Path (${String(req.query.get("path"))})`);
      return json(200, o);
    }
    const b = body(req);
    const target = String(b.path ?? "");
    admin(`writing ${target}`);
    const parent = target.replace(/\/[^/]+$/, "") || "/";
    if (action === "mkdirs" && method === "POST") {
      const parts = target.split("/").filter(Boolean);
      for (let i = 1; i <= parts.length; i++) {
        const p = "/" + parts.slice(0, i).join("/");
        if (!objects.paths.has(p)) objects.paths.set(p, { object_type: "DIRECTORY", path: p, object_id: Number(numericId(`path:${workspace.id}:${p}`).slice(0, 12)) });
      }
      return json(200, {});
    }
    if (action === "import" && method === "POST") {
      if (!objects.paths.has(parent)) throw notFound(`The parent folder (${parent})`);
      if (objects.paths.has(target) && !b.overwrite) throw new DatabricksError(400, "RESOURCE_ALREADY_EXISTS", `Path (${target}) already exists.`);
      const object_id = Number(numericId(`path:${workspace.id}:${target}`).slice(0, 12));
      objects.paths.set(target, { object_type: "NOTEBOOK", path: target, language: b.language, object_id, resource_id: String(object_id), created_at: 1700000000000, modified_at: 1700000000000 });
      return json(200, { object_id });
    }
    if (action === "delete" && method === "POST") {
      if (!objects.paths.has(target)) throw notFound(`Path (${target})`);
      const children = [...objects.paths.keys()].filter((p) => p.startsWith(`${target}/`));
      if (children.length > 0 && !b.recursive) throw new DatabricksError(400, "DIRECTORY_NOT_EMPTY", `Folder (${target}) is not empty`);
      for (const p of [target, ...children]) objects.paths.delete(p);
      return json(200, {});
    }
  }

  // Jobs API 2.2 (jobs/resource_job.go with tasks): any workspace user creates a job; its run_as service principal needs
  // the creator's roles/servicePrincipal.user and a workspace assignment.
  if (path.startsWith("/api/2.2/jobs/")) {
    if (!caller.isWorkspaceUser(workspace)) throw denied("not a workspace user");
    const action = path.slice("/api/2.2/jobs/".length);
    const checkRunAs = (settings: Json) => {
      const sp = (settings.run_as as { service_principal_name?: string } | undefined)?.service_principal_name;
      if (!sp || sp === caller.applicationId) return;
      const rules = (state.ruleSets.get(`accounts/${accountId}/servicePrincipals/${sp}/ruleSets/default`)?.grant_rules ?? []) as { role: string; principals: string[] }[];
      const mayUse = rules.some((r) => ["roles/servicePrincipal.user", "roles/servicePrincipal.manager"].includes(r.role) && r.principals.includes(`servicePrincipals/${caller.applicationId}`));
      if (!mayUse) throw denied(`User ${caller.applicationId} does not have the Service Principal User role on ${sp}, which run_as needs.`);
      if (!assignedServicePrincipal(state, workspace, sp)) throw new DatabricksError(400, "INVALID_PARAMETER_VALUE", `Service principal ${sp} is not a member of workspace ${workspace.id}.`);
    };
    if (action === "create" && method === "POST") {
      const settings = body(req);
      checkRunAs(settings);
      const jobId = numericId(`job:${workspace.id}:${String(settings.name)}`).slice(0, 15);
      objects.jobs.set(jobId, { job_id: Number(jobId), creator_user_name: caller.applicationId, run_as_user_name: (settings.run_as as { service_principal_name?: string } | undefined)?.service_principal_name ?? caller.applicationId, created_time: 1700000000000, settings: { ...settings, format: "MULTI_TASK" } });
      return json(200, { job_id: Number(jobId) });
    }
    const id = action === "get" ? req.query.get("job_id") ?? "" : String(body(req).job_id ?? "");
    const job = objects.jobs.get(id);
    // Jobs answers a missing job with 400 INVALID_PARAMETER_VALUE "Job … does not exist." (the SDK maps it to not-found).
    if (!job) throw new DatabricksError(400, "INVALID_PARAMETER_VALUE", `Job ${id} does not exist.`);
    if (job.creator_user_name !== caller.applicationId && !caller.isWorkspaceAdmin(workspace)) throw denied(`User does not have CAN_VIEW on job ${id}.`);
    if (action === "get" && method === "GET") return json(200, job);
    if (action === "reset" && method === "POST") {
      const settings = (body(req).new_settings ?? {}) as Json;
      checkRunAs(settings);
      objects.jobs.set(id, { ...job, run_as_user_name: (settings.run_as as { service_principal_name?: string } | undefined)?.service_principal_name ?? job.creator_user_name, settings: { ...settings, format: "MULTI_TASK" } });
      return json(200, {});
    }
    if (action === "delete" && method === "POST") {
      objects.jobs.delete(id);
      return json(200, {});
    }
  }
  throw notFound(`API ${method} ${req.rawPath}`);
}

function pickPrincipal(entry: Json): Json {
  return Object.fromEntries(["group_name", "user_name", "service_principal_name"].filter((k) => entry[k] !== undefined).map((k) => [k, entry[k]]));
}

/** A group the workspace knows: one of its own (`users`, `admins`) or an account group assigned to it. */
function knownGroup(state: DatabricksState, workspace: WorkspaceRecord, objects: ReturnType<DatabricksState["objectsOf"]>, name: string): boolean {
  if ([...objects.localGroups.values()].some((g) => g.displayName === name)) return true;
  const group = [...state.groups.values()].find((g) => g.displayName === name);
  return group !== undefined && (state.assignments.get(workspace.id)?.has(String(group.id)) ?? false);
}

function assignedServicePrincipal(state: DatabricksState, workspace: WorkspaceRecord, applicationId: string): boolean {
  const sp = [...state.servicePrincipals.values()].find((s) => s.applicationId === applicationId && s.active !== false);
  return sp !== undefined && (state.assignments.get(workspace.id)?.has(String(sp.id)) ?? false);
}
