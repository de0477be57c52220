import { isHostedRunner } from "../ci/deploy-metadata";
import { DATABRICKS_RIGHTS } from "../ci/databricks-authorization";
import { identityViolations } from "../ci/identities";
import { get, of, type ResourceView, type Rule, type StackView, type Violation } from "./rules";

/**
 * Deployability: mistakes that synthesize and validate, and then fail a first apply or a destroy on a real tenant —
 * each one a class of the defects the Azure and Unity Catalog reviews found, caught wherever another team's app
 * repeats it. Errors by default; suppressible with a reason like any rule.
 */

/** `type.logicalId` of every resource a string references (`${type.id.attr}`), and of every depends_on entry. */
const REF = /\$\{(?:data\.)?([a-z][a-z0-9_]*\.[\w-]+)[.}]/g;
const address = (r: ResourceView) => `${r.type}.${r.logicalId}`;

const graphs = new WeakMap<StackView, Map<string, Set<string>>>();

/** Each resource's direct dependencies: what its attributes reference, and its depends_on (once per stack). */
function dependencyGraph(stack: StackView): Map<string, Set<string>> {
  const known = graphs.get(stack);
  if (known) return known;
  const graph = new Map<string, Set<string>>();
  graphs.set(stack, graph);
  for (const r of stack.resources) {
    const text = JSON.stringify(r.attrs);
    const deps = new Set([...text.matchAll(REF)].map((m) => m[1]));
    for (const d of (r.attrs.depends_on as string[] | undefined) ?? []) deps.add(d.replace(/^\$\{|\}$/g, ""));
    deps.delete(address(r));
    graph.set(address(r), deps);
  }
  return graph;
}

function reaches(graph: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const next = stack.pop()!;
    if (next === to) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return false;
}

/**
 * Attributes that name a resource itself or describe it — never a use of another resource of the stack — and those that
 * name a securable of another metastore (a Delta Sharing provider and its share), which no reference can name.
 */
const DESCRIPTIVE = new Set(["name", "display_name", "comment", "description", "tags", "//", "provider", "depends_on", "lifecycle", "location", "region", "sku", "sku_name", "properties", "custom_tags", "policy_name", "key", "share_name", "provider_name"]);

function literalStrings(value: unknown, at: string, out: [string, string][]): [string, string][] {
  if (typeof value === "string") {
    if (!value.includes("${")) out.push([at, value]);
  } else if (Array.isArray(value)) value.forEach((v, i) => literalStrings(v, `${at}[${i}]`, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) if (!DESCRIPTIVE.has(k)) literalStrings(v, at ? `${at}.${k}` : k, out);
  return out;
}

const DATABRICKS_RESERVED = { min: 100, max: 199 } as const;
const DATABRICKS_RULE_PREFIX = "Microsoft.Databricks-workspaces_UseOnly_";
const UNITY_CATALOG_SECURABLES = ["databricks_catalog", "databricks_schema", "databricks_external_location", "databricks_storage_credential", "databricks_volume", "databricks_metastore", "databricks_credential"];
/** Workspace-level Unity Catalog resources: each needs the workspace's metastore. */
const UNITY_CATALOG_CALLS = ["databricks_catalog", "databricks_schema", "databricks_external_location", "databricks_storage_credential", "databricks_share", "databricks_recipient", "databricks_grants", "databricks_grant", "databricks_volume", "databricks_system_schema", "databricks_default_namespace_setting"];
const DATED: Record<string, { path: string; kind: "month" | "instant" }> = {
  azurerm_consumption_budget_resource_group: { path: "time_period.start_date", kind: "month" },
  azurerm_consumption_budget_subscription: { path: "time_period.start_date", kind: "month" },
  azurerm_consumption_budget_management_group: { path: "time_period.start_date", kind: "month" },
  azurerm_pim_eligible_role_assignment: { path: "schedule.start_date_time", kind: "instant" },
  azurerm_pim_active_role_assignment: { path: "schedule.start_date_time", kind: "instant" },
};

export const DEPLOYABILITY_RULES = [
  {
    id: "MDL-DEP-001",
    severity: "error",
    title: "Cross-resource facts are references",
    why: "A literal that repeats another resource's name or URL of the same stack gives Terraform no dependency: it may create, update or destroy the two in either order (a catalog before the external location that contains its storage root, a binding before its securable).",
    fix: "Use the other resource's attribute (a token) instead of its literal value, or add depends_on.",
    check: (stack) => {
      const graph = dependencyGraph(stack);
      const named = stack.resources.flatMap((r) =>
        ["name", "url", "display_name"].flatMap((key) => {
          const v = r.attrs[key];
          return typeof v === "string" && !v.includes("${") && v.length >= 6 ? [[address(r), key, v] as const] : [];
        }),
      );
      const found: Violation[] = [];
      for (const r of stack.resources) {
        for (const [path, literal] of literalStrings(r.attrs, "", [])) {
          // Cheap string comparisons first; the dependency walk only for a match.
          for (const [owner, key, value] of named) {
            if (literal !== value && !(value.length >= 8 && literal.length > value.length && literal.includes(value))) continue;
            if (owner === address(r) || reaches(graph, address(r), owner)) continue;
            found.push({ path: r.path, detail: `${path} = ${JSON.stringify(literal)} repeats ${owner}.${key} without referencing it` });
          }
        }
      }
      return found;
    },
  },
  {
    id: "MDL-DEP-002",
    severity: "error",
    title: "Serialized changes to one Databricks workspace",
    why: "Azure applies one change at a time to a Databricks workspace: two private endpoints created on it in parallel fail with ConcurrentUpdateError.",
    fix: "Order them: each endpoint depends on the one before (SerialOperations does it), back end first.",
    check: (stack) => {
      const graph = dependencyGraph(stack);
      const byWorkspace = new Map<string, ResourceView[]>();
      for (const e of of(stack, "azurerm_private_endpoint")) {
        const target = String(get(e.attrs, "private_service_connection.private_connection_resource_id") ?? "");
        // The workspace itself (not its root storage, whose ID is derived from the workspace's).
        const workspace = of(stack, "azurerm_databricks_workspace").find((w) => target === `\${${address(w)}.id}`);
        const key = workspace ? address(workspace) : /\/providers\/Microsoft\.Databricks\/workspaces\/[^/]+$/i.test(target) ? target.toLowerCase() : undefined;
        if (key) byWorkspace.set(key, [...(byWorkspace.get(key) ?? []), e]);
      }
      const found: Violation[] = [];
      for (const [workspace, endpoints] of byWorkspace) {
        for (let i = 0; i < endpoints.length; i++) {
          for (let j = i + 1; j < endpoints.length; j++) {
            const [a, b] = [address(endpoints[i]), address(endpoints[j])];
            if (!reaches(graph, a, b) && !reaches(graph, b, a)) found.push({ path: endpoints[j].path, detail: `private endpoints ${a} and ${b} on ${workspace} have no order between them` });
          }
        }
      }
      return found;
    },
  },
  {
    id: "MDL-DEP-003",
    severity: "error",
    title: "No rules in the priorities Databricks reserves",
    why: "On an NSG of subnets delegated to Microsoft.Databricks/workspaces, Databricks manages its own rules at 100–199; a rule of ours at one of those priorities and directions fails with SecurityRuleConflict.",
    fix: "Use priorities from 200 on (or keep Databricks' own rules, named Microsoft.Databricks-workspaces_UseOnly_*, exactly as it declares them).",
    check: (stack) => {
      const delegated = of(stack, "azurerm_subnet").filter((s) => JSON.stringify(s.attrs.delegation ?? []).includes("Microsoft.Databricks/workspaces"));
      const nsgs = of(stack, "azurerm_network_security_group").filter((g) =>
        of(stack, "azurerm_subnet_network_security_group_association").some((a) => delegated.some((s) => String(a.attrs.subnet_id).includes(`${address(s)}.`)) && String(a.attrs.network_security_group_id).includes(`${address(g)}.`)),
      );
      const inline = nsgs.flatMap((g) => ((g.attrs.security_rule as Record<string, unknown>[] | undefined) ?? []).map((rule) => ({ path: g.path, rule })));
      const standalone = of(stack, "azurerm_network_security_rule").filter((r) => nsgs.some((g) => String(r.attrs.network_security_group_name).includes(`${address(g)}.`))).map((r) => ({ path: r.path, rule: r.attrs }));
      return [...inline, ...standalone]
        .filter(({ rule }) => Number(rule.priority) >= DATABRICKS_RESERVED.min && Number(rule.priority) <= DATABRICKS_RESERVED.max && !String(rule.name).startsWith(DATABRICKS_RULE_PREFIX))
        .map(({ path, rule }) => ({ path, detail: `rule ${String(rule.name)} at priority ${String(rule.priority)} on an NSG of Databricks-delegated subnets` }));
    },
  },
  {
    id: "MDL-DEP-004",
    severity: "error",
    title: "Custom roles are assigned by ID",
    why: "A role assignment that names a role defined in the same stack by its name looks the name up when it is planned or applied; the definition may not exist or may not have replicated yet, and a renamed role silently points elsewhere.",
    fix: "Assign by role_definition_id = the definition's role_definition_resource_id (RoleAssignments does it).",
    check: (stack) => {
      const definitions = of(stack, "azurerm_role_definition");
      return of(stack, "azurerm_role_assignment").flatMap((a) => {
        const name = a.attrs.role_definition_name;
        if (typeof name !== "string") return [];
        const match = definitions.find((d) => name.includes(`${address(d)}.`) || (typeof d.attrs.name === "string" && d.attrs.name === name));
        return match ? [{ path: a.path, detail: `role_definition_name names ${address(match)}` }] : [];
      });
    },
  },
  {
    id: "MDL-DEP-005",
    severity: "error",
    title: "The deployer keeps ownership of Unity Catalog securables",
    why: "The provider updates an ISOLATED securable's workspace bindings, and deletes it, as the deploying principal, which must own it or be metastore admin. Handing ownership to a group at create makes the apply fail half-way, and the tainted securable cannot be destroyed.",
    fix: "Leave owner unset (the deployer owns what it creates) and grant the admin group ALL_PRIVILEGES and MANAGE; suppress only where the deployer is metastore admin.",
    check: (stack) => of(stack, ...UNITY_CATALOG_SECURABLES).filter((r) => r.attrs.owner !== undefined).map((r) => ({ path: r.path, detail: `${r.type}.owner is ${JSON.stringify(r.attrs.owner)}` })),
  },
  {
    id: "MDL-DEP-006",
    severity: "error",
    title: "No start dates in the past",
    why: "A budget's start must be the first of the current month or later, and a PIM schedule's start now or later; both are ForceNew. A literal date passes today and fails — or forces replacement — at a later deploy.",
    fix: "Omit the start (DomainBudget and DomainPim start at apply time), or compute it at apply time with ignore_changes.",
    check: (stack) =>
      Object.entries(DATED).flatMap(([type, { path, kind }]) =>
        of(stack, type).flatMap((r) => {
          const value = get(r.attrs, path);
          if (typeof value !== "string" || value.includes("${")) return [];
          const date = new Date(value);
          const now = stack.now;
          const limit = kind === "month" ? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) : now.getTime();
          return Number.isNaN(date.getTime()) || date.getTime() < limit ? [{ path: r.path, detail: `${path} ${value} is before ${kind === "month" ? "the current month" : "now"} (${new Date(limit).toISOString().slice(0, 10)})` }] : [];
        }),
      ),
  },
  {
    id: "MDL-DEP-007",
    severity: "error",
    title: "Workspace-level calls run inside the network",
    why: "A workspace-level databricks provider calls adb-….azuredatabricks.net, which a workspace with public network access off answers only through its front-end private endpoint: from a GitHub-hosted runner every call fails.",
    fix: "Declare the stack's network with requirePrivateNetwork (its jobs then run on runners inside the network); suppress only for a workspace whose front end is public.",
    check: (stack) => {
      const runner = stack.deployment?.runner ?? ["ubuntu-24.04"];
      if (stack.deployment?.network === "private" && !isHostedRunner(runner)) return [];
      if (!isHostedRunner(runner)) return [];
      return Object.entries(stack.providers)
        .filter(([name]) => name === "databricks")
        .flatMap(([, configs]) => configs)
        .filter((c) => c.azure_workspace_resource_id !== undefined || (typeof c.host === "string" && !c.host.includes("accounts.")))
        .map((c) => ({ path: `${stack.name}/provider/databricks${c.alias ? `.${String(c.alias)}` : ""}`, detail: `the workspace-level provider runs on the GitHub-hosted runner ${runner.join(", ")}` }));
    },
  },
  {
    id: "MDL-DEP-009",
    severity: "error",
    title: "Unity Catalog calls come after the workspace's metastore assignment",
    why: "A workspace has no metastore until its assignment exists: a catalog, share, recipient, grant or system schema created in parallel with the assignment fails (\"No metastore assigned for the current workspace\"; databricks review m1, found again by the deploy rehearsal for the secondary's mounted share catalogs).",
    fix: "Reference the assignment or something after it (a location, a catalog stored under one), or add depends_on on the databricks_metastore_assignment.",
    check: (stack) => {
      const assignments = stack.resources.filter((r) => r.type === "databricks_metastore_assignment");
      if (assignments.length === 0) return [];
      const graph = dependencyGraph(stack);
      return stack.resources
        .filter((r) => UNITY_CATALOG_CALLS.includes(r.type))
        .filter((r) => !assignments.some((a) => reaches(graph, address(r), address(a))))
        .map((r) => ({ path: r.path, detail: `${address(r)} does not come after the metastore assignment` }));
    },
  },
  {
    id: "MDL-DEP-008",
    severity: "error",
    title: "Each identity holds what its calls need",
    why: "A Databricks call beyond the caller's role fails mid-apply (a grant on the system catalog without a metastore admin, databricks review B1), and a data source the plan identity cannot read fails every plan before the approval. The needs per type are lib/ci/databricks-authorization.ts; what each identity holds is the stack's deployment record.",
    fix: "Record the stack's identities (setStackDeployment identities), give the identity the right in the bootstrap and there, or move the resource to a stack whose identity holds it (metastore-level objects: the environment with catalog.metastoreOwner).",
    check: (stack) => {
      const calls = [...stack.resources, ...stack.dataSources].filter((r) => r.type.startsWith("databricks_"));
      if (calls.length === 0) return [];
      // Without a record of what the identities hold, only what holds for any identity is checked (a job's run_as).
      const identities = stack.deployment?.identities ?? { deploy: DATABRICKS_RIGHTS, plan: DATABRICKS_RIGHTS };
      const block = (views: readonly ResourceView[]) => {
        const out: Record<string, Record<string, Record<string, unknown>>> = {};
        for (const v of views) (out[v.type] ??= {})[v.logicalId] = v.attrs;
        return out;
      };
      const paths = new Map<string, string>([...stack.resources.map((r) => [`${r.type}.${r.logicalId}`, r.path] as const), ...stack.dataSources.map((r) => [`data.${r.type}.${r.logicalId}`, r.path] as const)]);
      return identityViolations({ name: stack.name, json: { resource: block(stack.resources), data: block(stack.dataSources) } }, identities).map((v) => ({ path: paths.get(v.address) ?? v.address, detail: `${v.address}: ${v.detail}` }));
    },
  },
] as const satisfies readonly Rule[];
