/**
 * Request → Azure RBAC action, by ARM's documented shape of operations, written independently of the project's role
 * generator (lib/ci/deployer-permissions.ts), so that the rehearsal checks the generator instead of agreeing with it.
 *
 * An operation is `{namespace}/{resourceType}[/{childType}…]/{read|write|delete|<name>/action}`
 * (https://learn.microsoft.com/azure/role-based-access-control/role-definitions#actions-format). The type is read
 * from the path after its last `providers/{namespace}` segment, so extension resources (diagnostic settings, locks,
 * role assignments under any scope) are charged to their own namespace
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/extension-resource-types). Paths without a
 * provider segment are the Microsoft.Resources subscription and resource-group operations.
 */
export interface RequestAction {
  /** The action, e.g. `Microsoft.Network/virtualNetworks/subnets/write`. */
  readonly action: string;
  /** The scope the action is checked at: the resource itself, or the collection's parent. */
  readonly scope: string;
}

/**
 * Status URLs whose published action is not the one their path spells: Storage answers a create with
 * `…/Microsoft.Storage/locations/{loc}/asyncoperations/{id}` (Azure CLI recording
 * storage/tests/latest/recordings/test_create_storage_account_with_dns_endpoint_type.yaml), and its operations list
 * publishes the poll as `Microsoft.Storage/operations/read`, "Polls the status of an asynchronous operation"
 * (https://learn.microsoft.com/azure/role-based-access-control/permissions/storage).
 */
const STATUS_ACTIONS: readonly { readonly path: RegExp; readonly action: string }[] = [
  { path: /^\/subscriptions\/[^/]+\/providers\/microsoft\.storage\/locations\/[^/]+\/asyncoperations\/[^/]+$/i, action: "Microsoft.Storage/operations/read" },
];

const VERB: Readonly<Record<string, string>> = { GET: "read", HEAD: "read", PUT: "write", PATCH: "write", DELETE: "delete" };

/** Splits an ARM path into its segments, ignoring empty ones (`//subscriptions` is the same resource as `/subscriptions`). */
export function segments(path: string): string[] {
  return path.split("?")[0].split("/").filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
}

export function requestAction(method: string, path: string): RequestAction {
  const parts = segments(path);
  const scope = "/" + parts.join("/");
  const upper = method.toUpperCase();
  const status = upper === "GET" ? STATUS_ACTIONS.find((s) => s.path.test(scope)) : undefined;
  if (status) return { action: status.action, scope };
  const providerAt = lastIndexOfCi(parts, "providers");
  if (providerAt < 0) {
    // /subscriptions/{s}[/resourceGroups/{rg}[/resources]]
    const types = ["Microsoft.Resources/subscriptions"];
    if (parts.length >= 3 && eqCi(parts[2], "resourceGroups")) types.push("resourceGroups");
    if (parts.length >= 5) types.push(parts[4]);
    const type = types.join("/");
    if (upper === "POST") return { action: `${type}/${parts[parts.length - 1]}/action`, scope };
    return { action: `${type}/${verb(upper)}`, scope };
  }
  const namespace = parts[providerAt + 1];
  const rest = parts.slice(providerAt + 2);
  if (!namespace) {
    // /subscriptions/{s}/providers: the resource providers' registration state.
    return { action: `Microsoft.Resources/subscriptions/providers/${verb(upper)}`, scope };
  }
  // type/name pairs; an odd tail is a collection (GET) or an action on the resource before it (POST).
  const typeSegments: string[] = [];
  for (let i = 0; i < rest.length; i += 2) typeSegments.push(rest[i]);
  if (upper === "POST") {
    if (rest.length % 2 === 1) {
      const operation = typeSegments.pop()!;
      return { action: [namespace, ...typeSegments, operation, "action"].join("/"), scope: "/" + parts.slice(0, parts.length - 1).join("/") };
    }
    return { action: [namespace, ...typeSegments, "action"].join("/"), scope };
  }
  // GET /subscriptions/{s}/providers/{namespace}: Providers - Get, a read of the subscription's registrations
  // (https://learn.microsoft.com/rest/api/resources/providers/get).
  if (typeSegments.length === 0) return { action: `Microsoft.Resources/subscriptions/providers/${verb(upper)}`, scope };
  return { action: [namespace, ...typeSegments, verb(upper)].join("/"), scope };
}

function verb(method: string): string {
  const v = VERB[method];
  if (!v) throw new Error(`no RBAC verb for the HTTP method ${method}`);
  return v;
}

function eqCi(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function lastIndexOfCi(parts: readonly string[], value: string): number {
  for (let i = parts.length - 1; i >= 0; i--) if (eqCi(parts[i], value)) return i;
  return -1;
}
