import { ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { DataDatabricksGroup } from "@cdktf/provider-databricks/lib/data-databricks-group";
import { DataDatabricksServicePrincipal } from "@cdktf/provider-databricks/lib/data-databricks-service-principal";
import { Group } from "@cdktf/provider-databricks/lib/group";
import { MwsPermissionAssignment } from "@cdktf/provider-databricks/lib/mws-permission-assignment";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { ServicePrincipal } from "@cdktf/provider-databricks/lib/service-principal";
import { expressionOf, stableId } from "../core/expressions";
import { checkPattern, invalid } from "../core/validation";
import { databricksWorkspaceId } from "../core/workspace-id";
import { checkProps } from "../core/prop-checks";

/**
 * How the Databricks account principals that grants name come to exist. `provision`: created here with the account
 * provider and assigned to the workspace — it works in a restricted tenant, where nothing syncs Entra into the account.
 * `lookup`: SCIM provisioning or automatic identity management already syncs them; they are read with account-level data
 * sources, so a missing one fails the plan, naming it, before anything is applied.
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
  private readonly assignments: MwsPermissionAssignment[] = [];

  constructor(scope: Construct, id: string, props: AccountPrincipalsProps) {
    super(scope, id);
    checkProps(this, props);
    this.mode = props.mode ?? "provision";
    if (!ACCOUNT_PRINCIPALS_MODES.includes(this.mode)) invalid(this, "mode", this.mode, `one of ${ACCOUNT_PRINCIPALS_MODES.join(", ")}`);
    this.props = props;
    this.workspaceId = databricksWorkspaceId(this, "workspaceId", props.workspaceId);
  }

  /**
   * The workspace assignments made so far. Unity Catalog grants need only the account principal; a workspace object's
   * permissions (a cluster policy's ACL) need the principal assigned to the workspace first.
   */
  get workspaceAssignments(): readonly MwsPermissionAssignment[] {
    return [...this.assignments];
  }

  /** The account group `displayName`, as grants name it (created, or looked up), assigned to the workspace. */
  group(displayName: string): string {
    checkPattern(this, "group displayName", displayName, GROUP_NAME, "a Databricks account group name (no leading space, no ${ } or %)");
    return this.principal("group", displayName, () => {
      const id = stableId("group", expressionOf(this, displayName));
      const provider = this.props.accountProvider;
      if (this.mode === "lookup") {
        const found = new DataDatabricksGroup(this, id, { provider, displayName });
        return { name: found.displayName, principalId: found.id };
      }
      const created = new Group(this, id, { provider, displayName, force: false });
      return { name: created.displayName, principalId: created.id };
    });
  }

  /** The service principal of an Entra application (by its application ID), as grants name it, assigned to the workspace. */
  servicePrincipal(applicationId: string, displayName?: string): string {
    checkPattern(this, "servicePrincipal applicationId", applicationId, APPLICATION_ID, "an Entra application (client) ID (GUID)");
    return this.principal("sp", applicationId, () => {
      const id = stableId("sp", expressionOf(this, applicationId));
      const provider = this.props.accountProvider;
      if (this.mode === "lookup") {
        const found = new DataDatabricksServicePrincipal(this, id, { provider, applicationId });
        return { name: found.applicationId, principalId: found.id };
      }
      const created = new ServicePrincipal(this, id, { provider, applicationId, displayName, active: true, force: false });
      return { name: created.applicationId, principalId: created.id };
    });
  }

  /** One principal per name; each assigned to the workspace once (as a user, never an admin). */
  private principal(kind: string, key: string, make: () => { name: string; principalId: string }): string {
    const cacheKey = `${kind}|${expressionOf(this, key)}`;
    const known = this.names.get(cacheKey);
    if (known) return known;
    const { name, principalId } = make();
    const assignment = new MwsPermissionAssignment(this, stableId(`${kind}-assignment`, cacheKey), {
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
}
