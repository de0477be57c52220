import { BUILTIN_ROLE_IDS } from "../data-domain/builtin-roles";
import type { SynthesizedStack } from "./synthesized-app";

/**
 * Built-in role definition IDs the stacks assign beyond the PIM roles (fixed GUIDs, the same in every tenant; the
 * rehearsal's pinned rehearsal/authorization/builtin-roles.json names each one's source, and a test compares them).
 */
export const ASSIGNED_ROLE_IDS: Readonly<Record<string, string>> = {
  ...BUILTIN_ROLE_IDS,
  "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
  "EventGrid EventSubscription Contributor": "428e0ff0-5e57-4d9c-a221-2c70d0e0a443",
  "Azure Event Hubs Data Sender": "2b629674-e913-4c01-ae53-ef4638d8f975",
  "Azure Event Hubs Data Receiver": "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",
};

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The role definition IDs an environment's stacks assign (by name or by ID). A name with no known ID fails: the
 * condition would otherwise refuse that assignment at deploy.
 */
export function assignedRoleIds(stacks: readonly SynthesizedStack[], environment: string): string[] {
  const ids = new Set<string>();
  for (const stack of stacks.filter((s) => s.deployment.environment === environment)) {
    for (const type of ["azurerm_role_assignment", "azurerm_pim_eligible_role_assignment"]) {
      for (const attrs of Object.values(((stack.json.resource ?? {}) as Record<string, Record<string, { role_definition_name?: string; role_definition_id?: string }>>)[type] ?? {})) {
        if (attrs.role_definition_name !== undefined) {
          const id = ASSIGNED_ROLE_IDS[attrs.role_definition_name];
          if (!id) throw new Error(`stack ${stack.name}: role "${attrs.role_definition_name}" has no known definition ID: add it to ASSIGNED_ROLE_IDS (lib/ci/role-assignment-condition.ts)`);
          ids.add(id);
        } else {
          const id = GUID.exec(String(attrs.role_definition_id ?? ""))?.[0];
          if (!id) throw new Error(`stack ${stack.name}: a ${type} names its role by a value that is not a literal role definition ID: the condition cannot allow it`);
          ids.add(id.toLowerCase());
        }
      }
    }
  }
  return [...ids].sort();
}

/**
 * The ABAC condition (version 2.0) on the deploy identity's role assignment: it may create and delete role assignments
 * only of the roles its stacks assign — never Owner, User Access Administrator or any other role, to anyone. The
 * pattern is Microsoft's "Constrain roles" example
 * (https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples#example-constrain-roles).
 */
export function roleAssignmentCondition(roleIds: readonly string[]): string {
  const set = `{${roleIds.join(", ")}}`;
  return [
    "(",
    " (",
    "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})",
    " )",
    " OR",
    " (",
    `  @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${set}`,
    " )",
    ")",
    "AND",
    "(",
    " (",
    "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})",
    " )",
    " OR",
    " (",
    `  @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${set}`,
    " )",
    ")",
  ].join("\n");
}
