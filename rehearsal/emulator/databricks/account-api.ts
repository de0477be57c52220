import { EmulatorRequest, EmulatorResponse, json } from "../http";
import { DatabricksState } from "./databricks-state";
import { Caller, DatabricksError, denied, notFound, numericId, uuid, WorkspaceRecord } from "./databricks-world";

type Json = Record<string, unknown>;

const SCIM_LIST = ["urn:ietf:params:scim:api:messages:2.0:ListResponse"];

/** The request body as JSON (an empty body is `{}`); a body that is not JSON is the API's 400. */
export function body(req: EmulatorRequest): Json {
  if (req.body.length === 0) return {};
  try {
    return JSON.parse(req.body.toString("utf8")) as Json;
  } catch {
    throw new DatabricksError(400, "MALFORMED_REQUEST", "Could not parse request object: invalid JSON.");
  }
}

/** `displayName eq "x"` / `applicationId eq "x"` / `id eq "x"` (the provider's SCIM filters, scim/data_*.go). */
function filterOf(req: EmulatorRequest): { field: string; value: string } | undefined {
  const m = /^(\w+) eq "(.*)"$/.exec(req.query.get("filter") ?? "");
  return m ? { field: m[1], value: m[2] } : undefined;
}

/**
 * The account API on accounts.azuredatabricks.net, as the databricks provider v1.99.0 calls it (routes, bodies and the
 * fields each Read copies: /tmp research of mws/, scim/, finops/, permissions/ and pluginfw/products/ at v1.99.0 and
 * databricks-sdk-go v0.93.0 service/{iam,provisioning,settings,billing,catalog}/impl.go). Every call needs an account
 * admin: Databricks has no other account role for these objects (https://learn.microsoft.com/azure/databricks/admin/).
 */
export function accountApi(state: DatabricksState, accountId: string, req: EmulatorRequest, caller: Caller, workspaceById: (id: number) => WorkspaceRecord | undefined): EmulatorResponse {
  const m = /^\/api\/2\.[01]\/(?:preview\/)?accounts\/([^/]+)\/(.*)$/.exec(req.rawPath);
  if (!m) throw notFound(`API ${req.rawPath}`);
  if (m[1] !== accountId) throw denied(`Account ${m[1]} is not the caller's account.`);
  caller.requireAccountAdmin(`${req.method} ${req.rawPath}`);
  const rest = m[2].split("/").filter(Boolean);
  const method = req.method;
  const [area, ...tail] = rest;

  // SCIM groups and service principals (scim/resource_group.go, resource_service_principal.go, data_*.go).
  if (area === "scim" && tail[0] === "v2") {
    const scimError = (e: DatabricksError) => new DatabricksError(e.status, e.code, e.message, true);
    const kind = tail[1];
    const store = kind === "Groups" ? state.groups : kind === "ServicePrincipals" ? state.servicePrincipals : undefined;
    if (!store) throw scimError(notFound(`SCIM resource ${kind}`));
    const id = tail[2];
    if (!id && method === "POST") {
      const b = body(req);
      if (kind === "Groups") {
        const name = String(b.displayName ?? "");
        if ([...store.values()].some((g) => g.displayName === name)) throw new DatabricksError(409, "RESOURCE_ALREADY_EXISTS", `Group with name ${name} already exists.`, true);
        const group = { id: numericId(`group:${name}`), displayName: name, ...(b.externalId ? { externalId: b.externalId } : {}), schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"] };
        store.set(group.id, group);
        return json(201, group);
      }
      // A service principal without an application ID is Databricks-managed: the account makes one up.
      const applicationId = String(b.applicationId ?? uuid(`sp:${String(b.displayName)}`));
      const existing = [...store.values()].find((s) => s.applicationId === applicationId);
      if (existing?.active) throw new DatabricksError(409, "RESOURCE_ALREADY_EXISTS", `Service principal with application ID ${applicationId} already exists.`, true);
      const sp = { id: numericId(`sp:${applicationId}`), applicationId, displayName: b.displayName ?? applicationId, active: b.active ?? true, schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"] };
      store.set(sp.id, sp);
      return json(201, sp);
    }
    if (!id && method === "GET") {
      const f = filterOf(req);
      const found = [...store.values()].filter((x) => !f || String(x[f.field]) === f.value).filter((x) => kind !== "ServicePrincipals" || x.active !== false);
      return json(200, { totalResults: found.length, startIndex: 1, itemsPerPage: found.length, schemas: SCIM_LIST, Resources: found });
    }
    const item = id ? store.get(id) : undefined;
    if (!item) throw scimError(notFound(`${kind} ${id}`));
    if (method === "GET") return json(200, item);
    if (method === "PUT") {
      const b = body(req);
      store.set(id, { ...item, displayName: b.displayName ?? item.displayName, ...(b.active !== undefined ? { active: b.active } : {}) });
      return json(200, store.get(id));
    }
    if (method === "PATCH") {
      // The provider's account-level delete of a service principal deactivates it (scim/resource_service_principal.go).
      const ops = (body(req).Operations ?? []) as { op: string; path: string; value: { value: string }[] }[];
      for (const op of ops) if (op.path === "active") item.active = op.value?.[0]?.value === "true";
      return json(200, item);
    }
    if (method === "DELETE") {
      store.delete(id);
      return { status: 204 };
    }
  }

  // Workspaces: assignments, metastore assignment, NCC binding, network option.
  if (area === "workspaces") {
    const workspace = workspaceById(Number(tail[0]));
    if (!workspace) throw notFound(`Workspace ${tail[0]}`);
    const sub = tail.slice(1);
    if (sub.length === 0) {
      if (method === "PATCH") {
        // ncc_binding: PATCH ?update_mask=network_connectivity_config_id; the waiter needs workspace_id and RUNNING.
        const ncc = String(body(req).network_connectivity_config_id ?? "");
        if (!state.nccs.has(ncc)) throw notFound(`Network connectivity configuration ${ncc}`);
        state.nccBindings.set(workspace.id, ncc);
      }
      if (method === "PATCH" || method === "GET") {
        return json(200, { account_id: accountId, workspace_id: workspace.id, workspace_status: "RUNNING", workspace_status_message: "Workspace is running.", cloud: "azure", network_connectivity_config_id: state.nccBindings.get(workspace.id) });
      }
    }
    if (sub[0] === "permissionassignments") {
      const byPrincipal = state.assignments.get(workspace.id) ?? new Map<string, string[]>();
      state.assignments.set(workspace.id, byPrincipal);
      if (sub.length === 1 && method === "GET") {
        return json(200, { permission_assignments: [...byPrincipal].map(([principal, permissions]) => ({ permissions, principal: principalInfo(state, principal) })) });
      }
      const principal = sub[2];
      if (sub[1] === "principals" && principal) {
        if (method === "PUT") {
          if (!state.groups.has(principal) && !state.servicePrincipals.has(principal)) throw notFound(`Principal ${principal}`);
          byPrincipal.set(principal, (body(req).permissions ?? []) as string[]);
          return json(200, { permissions: byPrincipal.get(principal), principal: principalInfo(state, principal) });
        }
        if (method === "DELETE") {
          byPrincipal.delete(principal);
          return json(200, {});
        }
      }
    }
    if (sub[0] === "metastore" && method === "GET") {
      if (!workspace.metastoreId) throw notFound(`Metastore assignment of workspace ${workspace.id}`);
      return json(200, { metastore_assignment: { metastore_id: workspace.metastoreId, workspace_id: workspace.id, default_catalog_name: "hive_metastore" } });
    }
    if (sub[0] === "metastores" && sub[1]) {
      if (!state.metastores.has(sub[1])) throw notFound(`Metastore ${sub[1]}`);
      if (method === "POST" || method === "PUT") {
        if (method === "POST" && workspace.metastoreId) throw new DatabricksError(409, "RESOURCE_ALREADY_EXISTS", `Workspace ${workspace.id} already has a metastore assigned.`);
        workspace.metastoreId = sub[1];
        return json(200, {});
      }
      if (method === "DELETE") {
        workspace.metastoreId = undefined;
        return json(200, {});
      }
    }
    if (sub[0] === "network") {
      if (method === "PUT") {
        const policy = String(body(req).network_policy_id ?? "");
        if (!state.networkPolicies.has(policy)) throw notFound(`Network policy ${policy}`);
        state.networkOptions.set(workspace.id, policy);
      }
      // A workspace never set answers the account's default policy; its ID "default-policy" is unverified (research of
      // pluginfw workspace_network_option at v1.99.0 names no value), and no stack reads it.
      if (method === "PUT" || method === "GET") return json(200, { workspace_id: workspace.id, network_policy_id: state.networkOptions.get(workspace.id) ?? "default-policy" });
    }
  }

  // Network connectivity configurations and their private endpoint rules (mws/resource_mws_network_connectivity_config.go, …_ncc_private_endpoint_rule.go).
  if (area === "network-connectivity-configs") {
    const [nccId, rules, ruleId] = tail;
    if (!nccId && method === "POST") {
      const b = body(req);
      const id = uuid(`ncc:${String(b.name)}:${String(b.region)}`);
      const ncc = { account_id: accountId, network_connectivity_config_id: id, name: b.name, region: b.region, creation_time: 1700000000000, updated_time: 1700000000000 };
      state.nccs.set(id, ncc);
      return json(200, ncc);
    }
    const ncc = state.nccs.get(nccId);
    if (!ncc) throw notFound(`Network connectivity configuration ${nccId}`);
    if (!rules) {
      if (method === "GET") return json(200, ncc);
      if (method === "DELETE") {
        // A bound NCC cannot be deleted, and the binding has no delete API (help/unity-catalog.md, provider #3741):
        // unknown in detail, so refused — the runbook's teardown removes the NCC from state instead.
        const bound = [...state.nccBindings].find(([, n]) => n === nccId);
        if (bound) throw new DatabricksError(400, "INVALID_STATE", `Network connectivity configuration ${nccId} is bound to workspace ${bound[0]}.`);
        state.nccs.delete(nccId);
        return json(200, {});
      }
    }
    if (rules === "private-endpoint-rules") {
      if (!ruleId && method === "POST") {
        const b = body(req);
        const id = uuid(`rule:${nccId}:${String(b.resource_id)}:${String(b.group_id)}`);
        const rule = { rule_id: id, network_connectivity_config_id: nccId, resource_id: b.resource_id, group_id: b.group_id, endpoint_name: `databricks-${id.slice(0, 8)}-pe`, connection_state: "PENDING", creation_time: 1700000000000, updated_time: 1700000000000 };
        state.endpointRules.set(`${nccId}/${id}`, rule);
        return json(200, rule);
      }
      const rule = state.endpointRules.get(`${nccId}/${ruleId}`);
      if (!rule) throw notFound(`Private endpoint rule ${ruleId}`);
      if (method === "GET") return json(200, rule);
      if (method === "DELETE") {
        state.endpointRules.delete(`${nccId}/${ruleId}`);
        return json(200, { ...rule, deactivated: true, deactivated_at: 1700000000000 });
      }
    }
  }

  // Budget policies (unwrapped create response; pluginfw budget_policy) and budgets (`{"budget":…}` both ways).
  if (area === "budget-policies") {
    const [id] = tail;
    if (!id && method === "POST") {
      const policy = (body(req).policy ?? {}) as Json;
      const policyId = uuid(`budget-policy:${String(policy.policy_name)}`);
      const stored = { policy_id: policyId, ...policy };
      state.budgetPolicies.set(policyId, stored);
      return json(200, stored);
    }
    const policy = state.budgetPolicies.get(id);
    if (!policy) throw notFound(`Budget policy ${id}`);
    if (method === "GET") return json(200, policy);
    if (method === "PATCH") {
      state.budgetPolicies.set(id, { ...body(req), policy_id: id });
      return json(200, state.budgetPolicies.get(id));
    }
    if (method === "DELETE") {
      state.budgetPolicies.delete(id);
      return json(200, {});
    }
  }
  if (area === "budgets") {
    const [id] = tail;
    const withIds = (budget: Json, budgetId: string): Json => ({
      ...budget,
      account_id: accountId,
      budget_configuration_id: budgetId,
      create_time: 1700000000000,
      update_time: 1700000000000,
      alert_configurations: ((budget.alert_configurations ?? []) as Json[]).map((a, i) => ({
        ...a,
        alert_configuration_id: a.alert_configuration_id ?? uuid(`alert:${budgetId}:${i}`),
        action_configurations: ((a.action_configurations ?? []) as Json[]).map((c, j) => ({ ...c, action_configuration_id: c.action_configuration_id ?? uuid(`action:${budgetId}:${i}:${j}`) })),
      })),
    });
    if (!id && method === "POST") {
      const budget = (body(req).budget ?? {}) as Json;
      const budgetId = uuid(`budget:${String(budget.display_name)}`);
      state.budgets.set(budgetId, withIds(budget, budgetId));
      return json(200, { budget: state.budgets.get(budgetId) });
    }
    const budget = state.budgets.get(id);
    if (!budget) throw notFound(`Budget ${id}`);
    if (method === "GET") return json(200, { budget });
    if (method === "PUT") {
      state.budgets.set(id, withIds((body(req).budget ?? {}) as Json, id));
      return json(200, { budget: state.budgets.get(id) });
    }
    if (method === "DELETE") {
      state.budgets.delete(id);
      return json(200, {});
    }
  }

  // Account access control rule sets (permissions/resource_access_control_rule_set.go): GET answers the default rule
  // set of any existing object, PUT replaces it with the etag.
  if (area === "access-control" && tail[0] === "rule-sets") {
    if (method === "GET") {
      const name = req.query.get("name") ?? "";
      if (!ruleSetTargetExists(state, accountId, name)) throw notFound(`Rule set ${name}`);
      return json(200, state.ruleSets.get(name) ?? { name, etag: "RENUAAABAAA=", grant_rules: [] });
    }
    if (method === "PUT") {
      const b = body(req) as { name?: string; rule_set?: { grant_rules?: Json[] } };
      const name = String(b.name ?? "");
      if (!ruleSetTargetExists(state, accountId, name)) throw notFound(`Rule set ${name}`);
      const stored = { name, etag: `etag-${Date.now()}`, ...(b.rule_set?.grant_rules ? { grant_rules: b.rule_set.grant_rules } : {}) };
      state.ruleSets.set(name, stored);
      return json(200, stored);
    }
  }

  // Account network policies (pluginfw account_network_policy): the response echoes the request; `account_id` is left
  // out — the provider's schema marks it optional and not computed (databricks/terraform-provider-databricks#5477).
  if (area === "network-policies") {
    const [id] = tail;
    if (!id && method === "POST") {
      const policy = body(req);
      const policyId = String(policy.network_policy_id ?? uuid(`np:${JSON.stringify(policy)}`));
      state.networkPolicies.set(policyId, { ...policy, network_policy_id: policyId });
      return json(200, state.networkPolicies.get(policyId));
    }
    const policy = state.networkPolicies.get(id);
    if (!policy) throw notFound(`Network policy ${id}`);
    if (method === "GET") return json(200, policy);
    if (method === "PUT") {
      state.networkPolicies.set(id, { ...body(req), network_policy_id: id });
      return json(200, state.networkPolicies.get(id));
    }
    if (method === "DELETE") {
      // Attached to a workspace: refused (unknown in detail, so refused; the runbook's teardown detaches by state rm).
      const attached = [...state.networkOptions].find(([, p]) => p === id);
      if (attached) throw new DatabricksError(400, "INVALID_STATE", `Network policy ${id} is attached to workspace ${attached[0]}.`);
      state.networkPolicies.delete(id);
      return json(200, {});
    }
  }
  throw notFound(`API ${method} ${req.rawPath}`);
}

/** The principal object of a permission assignment: every entry has one (mws_permission_assignment reads principal_id). */
export function principalInfo(state: DatabricksState, principalId: string): Json {
  const group = state.groups.get(principalId);
  if (group) return { principal_id: Number(principalId), display_name: group.displayName, group_name: group.displayName };
  const sp = state.servicePrincipals.get(principalId);
  return { principal_id: Number(principalId), display_name: sp?.displayName, service_principal_name: sp?.applicationId };
}

/** Whether a rule set's object exists: `accounts/{a}/budgetPolicies/{id}/ruleSets/default`, `…/servicePrincipals/{appId}/…`. */
function ruleSetTargetExists(state: DatabricksState, accountId: string, name: string): boolean {
  const m = /^accounts\/([^/]+)\/(budgetPolicies|servicePrincipals|groups)\/([^/]+)\/ruleSets\/default$/.exec(name);
  if (!m || m[1] !== accountId) return false;
  if (m[2] === "budgetPolicies") return state.budgetPolicies.has(m[3]);
  if (m[2] === "servicePrincipals") return [...state.servicePrincipals.values()].some((s) => s.applicationId === m[3] && s.active !== false);
  return state.groups.has(m[3]);
}
