import { segments } from "./actions";
import pinned from "./builtin-roles.json";
import { RoleAssignment, RoleDefinition } from "./evaluate";

/** The built-in roles pinned in builtin-roles.json (each with the page it was read from). */
export function builtinRoles(): RoleDefinition[] {
  return pinned.roles.map((r) => ({ id: r.id, roleName: r.roleName, actions: r.actions, notActions: r.notActions, dataActions: r.dataActions, notDataActions: r.notDataActions }));
}

/** The GUID at the end of a role definition ID (`/subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/<guid>`). */
export function roleGuid(roleDefinitionId: string): string {
  const parts = segments(roleDefinitionId);
  return (parts[parts.length - 1] ?? "").toLowerCase();
}

/** A stored role assignment's body, as ARM returns it. */
export interface RoleAssignmentBody {
  readonly properties?: { readonly roleDefinitionId?: string; readonly principalId?: string; readonly scope?: string };
}

/** Resolves role assignments (bootstrap and created) against the role definitions known to the emulator. */
export function resolveAssignments(
  stored: readonly { id: string; body: RoleAssignmentBody; origin: string }[],
  definitions: ReadonlyMap<string, RoleDefinition>,
): RoleAssignment[] {
  const out: RoleAssignment[] = [];
  for (const s of stored) {
    const props = s.body.properties ?? {};
    const role = definitions.get(roleGuid(props.roleDefinitionId ?? ""));
    if (!role || !props.principalId) continue;
    const idParts = segments(s.id);
    const scope = props.scope ?? "/" + idParts.slice(0, idParts.length - 4).join("/");
    out.push({ principalId: props.principalId, scope, role, origin: s.origin });
  }
  return out;
}
