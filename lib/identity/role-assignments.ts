import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { RoleDefinition } from "@cdktf/provider-azurerm/lib/role-definition";
import { expressionOf, stableId } from "../core/expressions";
import { invalid, isDeferred } from "../core/validation";

/** Kinds of Entra principals a role is assigned to. Setting it spares Azure a Microsoft Graph lookup. */
export const PRINCIPAL_TYPES = ["ServicePrincipal", "Group", "User"] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/**
 * A role: a built-in one by name (they exist in every tenant), or a custom role defined in the same deployment, by its
 * definition — assigned by ID, because azurerm looks a name up once without retrying (azurerm#25194) and a role created
 * moments before may not be found yet.
 */
export type RoleRef = string | RoleDefinition;

/** A principal by Enterprise Application / group / user **object ID** (never an application/client ID). */
export interface Principal {
  readonly objectId: string;
  /** @default "ServicePrincipal" */
  readonly type?: PrincipalType;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one place a stack's Azure role assignments are made. Assignments are de-duplicated on
 * (scope, role, principal) — compared as Terraform expressions, so two references to the same variable or
 * resource count as one — because a tenant where one principal plays several personas would otherwise get a
 * 409 RoleAssignmentExists. Construct IDs derive from that triple, so they are stable.
 */
export class RoleAssignments extends Construct {
  /** The registry of a stack, created on first use. */
  static of(scope: IConstruct): RoleAssignments {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild("role-assignments");
    return existing instanceof RoleAssignments ? existing : new RoleAssignments(stack, "role-assignments");
  }

  private readonly assignments = new Map<string, RoleAssignment>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /**
   * Assigns `role` on `scope` to the principal, unless that exact assignment exists already (then returns it).
   * @param requester the construct asking, named in validation errors
   */
  grant(requester: IConstruct, scopeId: string, role: RoleRef, principal: Principal, description?: string): RoleAssignment {
    if (!isDeferred(principal.objectId) && !GUID.test(principal.objectId ?? "")) {
      invalid(requester, "principal objectId", principal.objectId, "an Entra object ID (GUID) of the Enterprise Application, group or user");
    }
    const custom = role instanceof RoleDefinition ? role : undefined;
    const roleKey = custom ? custom.roleDefinitionResourceId : (role as string);
    const key = [expressionOf(this, scopeId), expressionOf(this, roleKey), expressionOf(this, principal.objectId)].join("|");
    const existing = this.assignments.get(key);
    if (existing) return existing;
    if (!custom && (isDeferred(role) || typeof role !== "string" || role.trim() === "")) {
      invalid(requester, "role", role, "a built-in role name, or the RoleDefinition of a custom role (assigned by its ID)");
    }
    const id = stableId(custom ? "custom-role" : (role as string), key);
    const assignment = new RoleAssignment(this, id, {
      scope: scopeId,
      ...(custom ? { roleDefinitionId: custom.roleDefinitionResourceId } : { roleDefinitionName: role as string }),
      principalId: principal.objectId,
      principalType: principal.type ?? "ServicePrincipal",
      description,
      // A principal created in the same run may not have replicated yet; its type is given, so no lookup is needed.
      skipServicePrincipalAadCheck: (principal.type ?? "ServicePrincipal") === "ServicePrincipal" ? true : undefined,
    });
    this.assignments.set(key, assignment);
    return assignment;
  }

  /** Assignments made so far (after de-duplication). */
  get count(): number {
    return this.assignments.size;
  }
}
