import { ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { Group } from "@cdktf/provider-databricks/lib/group";
import { MwsPermissionAssignment } from "@cdktf/provider-databricks/lib/mws-permission-assignment";
import { PermissionAssignment } from "@cdktf/provider-databricks/lib/permission-assignment";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { ServicePrincipal } from "@cdktf/provider-databricks/lib/service-principal";
import { expressionOf, stableId } from "../core/expressions";
import { checkPattern, invalid } from "../core/validation";
import { databricksWorkspaceId } from "../core/workspace-id";
import { checkProps } from "../core/prop-checks";

/**
 * How the Databricks account principals that grants name come to exist. `provision`: created here with the account
 * provider and assigned to the workspace — it works in a restricted tenant, where nothing syncs Entra into the account.
 * `lookup`: SCIM provisioning or automatic identity management already syncs them; they are assigned to the workspace by
 * name with the workspace-level API (a workspace admin's call), because reading them from the account needs an account
 * admin in every plan — the plan identity is not one (lib/ci/databricks-authorization.ts). A missing one fails its
 * assignment, naming it, before any grant names it.
 */
export type AccountPrincipalsMode = "provision" | "lookup";
export const ACCOUNT_PRINCIPALS_MODES: readonly AccountPrincipalsMode[] = ["provision", "lookup"];

export interface AccountPrincipalsProps {
  /** Account-level provider (`accounts.azuredatabricks.net`, the account ID). */
  readonly accountProvider: DatabricksProvider;
  /** The workspace the principals are assigned to (as users): numeric, or a reference. */
  readonly workspaceId: string;
  /** @default "provision" */
  readonly mode?: AccountPrincipalsMode;
  /** Workspace-level provider: `lookup` assigns the principals by name through it. Required with `lookup`. */
  readonly workspaceProvider?: DatabricksProvider;
  /**
   * What must exist before a principal can be assigned to the workspace: its metastore assignment, which makes the
   * workspace identity-federated (the permission assignment API refuses other workspaces). @default none (it exists)
   */
  readonly workspaceReady?: ITerraformDependable[];
}

const APPLICATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GROUP_NAME = /^[^\s$%{}][^${}%]{0,254}$/;

/**
 * The account groups and service principals a stack's Unity Catalog grants and owners name. An Entra group is not a
 * Databricks account group, and a grant to a principal the account does not know fails mid-apply ("Could not find
 * principal"). Every grant names what {@link group} / {@link servicePrincipal} return — a reference to the resource or
 * data source — so Terraform orders the grant after the principal, and a missing principal shows at plan.
 */
export class AccountPrincipals extends Construct {
  readonly mode: AccountPrincipalsMode;
  private readonly props: AccountPrincipalsProps;
  private readonly workspaceId: number;
  private readonly names = new Map<string, string>();
  private readonly assignments: (MwsPermissionAssignment | PermissionAssignment)[] = [];

  constructor(scope: Construct, id: string, props: AccountPrincipalsProps) {
    super(scope, id);
    checkProps(this, props);
    this.mode = props.mode ?? "provision";
    if (!ACCOUNT_PRINCIPALS_MODES.includes(this.mode)) invalid(this, "mode", this.mode, `one of ${ACCOUNT_PRINCIPALS_MODES.join(", ")}`);
    if (this.mode === "lookup" && !props.workspaceProvider) invalid(this, "workspaceProvider", undefined, "the workspace-level provider (mode lookup assigns the principals by name through it)");
    this.props = props;
    this.workspaceId = databricksWorkspaceId(this, "workspaceId", props.workspaceId);
  }

  /**
   * The workspace assignments made so far. Unity Catalog grants need only the account principal; a workspace object's
   * permissions (a cluster policy's ACL) need the principal assigned to the workspace first.
   */
  get workspaceAssignments(): readonly ITerraformDependable[] {
    return [...this.assignments];
  }

  /** The account group `displayName`, as grants name it (created, or synced), assigned to the workspace. */
  group(displayName: string): string {
    checkPattern(this, "group displayName", displayName, GROUP_NAME, "a Databricks account group name (no leading space, no ${ } or %)");
    const cacheKey = `group|${expressionOf(this, displayName)}`;
    if (this.mode === "lookup") return this.assignByName(cacheKey, { groupName: displayName }, (a) => a.groupName);
    return this.principal(cacheKey, () => {
      const created = new Group(this, stableId("group", expressionOf(this, displayName)), { provider: this.props.accountProvider, displayName, force: false });
      return { name: created.displayName, principalId: created.id };
    });
  }

  /** The service principal of an Entra application (by its application ID), as grants name it, assigned to the workspace. */
  servicePrincipal(applicationId: string, displayName?: string): string {
    checkPattern(this, "servicePrincipal applicationId", applicationId, APPLICATION_ID, "an Entra application (client) ID (GUID)");
    const cacheKey = `sp|${expressionOf(this, applicationId)}`;
    if (this.mode === "lookup") return this.assignByName(cacheKey, { servicePrincipalName: applicationId }, (a) => a.servicePrincipalName);
    return this.principal(cacheKey, () => {
      const created = new ServicePrincipal(this, stableId("sp", expressionOf(this, applicationId)), { provider: this.props.accountProvider, applicationId, displayName, active: true, force: false });
      return { name: created.applicationId, principalId: created.id };
    });
  }

  /** A principal created here, assigned to the workspace once (as a user, never an admin) with the account API. */
  private principal(cacheKey: string, make: () => { name: string; principalId: string }): string {
    const known = this.names.get(cacheKey);
    if (known) return known;
    const { name, principalId } = make();
    const assignment = new MwsPermissionAssignment(this, stableId(`${cacheKey.split("|")[0]}-assignment`, cacheKey), {
      provider: this.props.accountProvider,
      workspaceId: this.workspaceId,
      principalId: Token.asNumber(principalId),
      permissions: ["USER"],
      dependsOn: this.props.workspaceReady,
    });
    this.assignments.push(assignment);
    this.names.set(cacheKey, name);
    return name;
  }

  /** A synced principal, assigned to the workspace once by name; grants name the assignment's attribute, so they follow it. */
  private assignByName(cacheKey: string, by: { groupName?: string; servicePrincipalName?: string }, name: (a: PermissionAssignment) => string): string {
    const known = this.names.get(cacheKey);
    if (known) return known;
    const assignment = new PermissionAssignment(this, stableId(`${cacheKey.split("|")[0]}-assignment`, cacheKey), {
      provider: this.props.workspaceProvider,
      ...by,
      permissions: ["USER"],
      dependsOn: this.props.workspaceReady,
    });
    this.assignments.push(assignment);
    this.names.set(cacheKey, name(assignment));
    return name(assignment);
  }
}
