/**
 * Azure RBAC's evaluation of one action at one scope, as documented:
 * - a role grants an action when one of its `Actions` matches and none of its `NotActions` does; `*` is a wildcard
 *   and matching ignores case (https://learn.microsoft.com/azure/role-based-access-control/role-definitions#actions,
 *   #notactions);
 * - an assignment applies at its scope and every scope beneath it
 *   (https://learn.microsoft.com/azure/role-based-access-control/scope-overview);
 * - the identity's rights are the union of its applicable assignments; there are no deny assignments here.
 * Data actions (`DataActions`/`NotDataActions`) are a separate set, checked on data-plane calls only
 * (https://learn.microsoft.com/azure/role-based-access-control/role-definitions#dataactions).
 */
export interface RoleDefinition {
  readonly id: string;
  readonly roleName: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
}

export interface RoleAssignment {
  readonly principalId: string;
  readonly scope: string;
  readonly role: RoleDefinition;
  /** Who made it: `bootstrap` (the operator, before the first deploy) or the stack that created it. */
  readonly origin: string;
}

export interface Grant {
  readonly role: string;
  readonly scope: string;
  readonly origin: string;
}

const patternCache = new Map<string, RegExp>();

export function actionMatches(pattern: string, action: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp("^" + pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*") + "$", "i");
    patternCache.set(pattern, re);
  }
  return re.test(action);
}

/** Whether `scope` is `assignmentScope` or beneath it (segment-wise, ignoring case). */
export function withinScope(assignmentScope: string, scope: string): boolean {
  const a = normalizeScope(assignmentScope);
  const s = normalizeScope(scope);
  return a === "/" || s === a || s.startsWith(a + "/");
}

export function normalizeScope(scope: string): string {
  const parts = scope.split("/").filter((p) => p.length > 0);
  return ("/" + parts.join("/")).toLowerCase();
}

/** The assignment that grants `action` at `scope` to `principalId`, or undefined. */
export function grantFor(assignments: readonly RoleAssignment[], principalId: string, action: string, scope: string, data = false): Grant | undefined {
  for (const a of assignments) {
    if (a.principalId.toLowerCase() !== principalId.toLowerCase() || !withinScope(a.scope, scope)) continue;
    const allow = data ? a.role.dataActions : a.role.actions;
    const deny = data ? a.role.notDataActions : a.role.notActions;
    if (allow.some((p) => actionMatches(p, action)) && !deny.some((p) => actionMatches(p, action))) {
      return { role: a.role.roleName, scope: a.scope, origin: a.origin };
    }
  }
  return undefined;
}
