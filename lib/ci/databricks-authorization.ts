/**
 * Who may call what in Databricks, as data: for each databricks resource and data source type the constructs emit, the
 * API plane, what a create/update/delete needs, what a refresh (read) needs, and where that is stated. The deploy
 * rehearsal enforces exactly these needs (rehearsal/emulator/databricks-*.ts), a synth rule (MDL-DEP-008) checks each
 * stack's identities against them, and help/identity-permissions.md is generated from them.
 *
 * Unknown means refused: where no source states that a weaker right suffices, the stronger one is required.
 */

/** A right an identity holds in Databricks. */
export type DatabricksRight =
  | "account-admin"
  | "workspace-admin"
  | "workspace-user"
  | "metastore-admin"
  /** Owns the securable: the identity that created it (Unity Catalog makes the creator the owner). */
  | "owner"
  | "CREATE_CATALOG"
  | "CREATE_EXTERNAL_LOCATION"
  | "CREATE_STORAGE_CREDENTIAL"
  | "CREATE_SHARE"
  | "CREATE_RECIPIENT"
  | "USE_PROVIDER"
  /** roles/servicePrincipal.user on a job's run_as service principal. */
  | "service-principal-user";

export const DATABRICKS_RIGHTS: readonly DatabricksRight[] = [
  "account-admin", "workspace-admin", "workspace-user", "metastore-admin", "owner", "CREATE_CATALOG", "CREATE_EXTERNAL_LOCATION",
  "CREATE_STORAGE_CREDENTIAL", "CREATE_SHARE", "CREATE_RECIPIENT", "USE_PROVIDER", "service-principal-user",
];

/** A need: held when every right of at least one alternative is held. */
export interface Need {
  readonly anyOf: readonly (readonly DatabricksRight[])[];
}

export interface TypeAuthorization {
  readonly plane: "account" | "workspace";
  readonly write: Need;
  readonly read: Need;
  /** Provider source at v1.99.0, SDK v0.93.0, or documentation. */
  readonly evidence: readonly string[];
}

const need = (...anyOf: DatabricksRight[][]): Need => ({ anyOf });
const ACCOUNT_ADMIN = need(["account-admin"]);
const WORKSPACE_ADMIN = need(["workspace-admin"]);
// A securable's owner or a metastore admin reads it in full; BROWSE shows only metadata, and grants only the caller's own.
const OWNER = need(["owner"], ["metastore-admin"]);
const ACCOUNT_API = "https://learn.microsoft.com/azure/databricks/admin/ (account console and account APIs: account admins)";
const SETTINGS = "https://learn.microsoft.com/azure/databricks/admin/workspace-settings/ (workspace settings: workspace admins)";
const UC_PRIVILEGES = "https://learn.microsoft.com/azure/databricks/data-governance/unity-catalog/manage-privileges/privileges";
const UC_OWNERSHIP = "https://learn.microsoft.com/azure/databricks/data-governance/unity-catalog/manage-privileges/ownership";

/** Every databricks type the constructs emit (resources, and data sources as `data.<type>`). A missing one fails generation. */
export const DATABRICKS_AUTHORIZATION: Readonly<Record<string, TypeAuthorization>> = {
  // Account plane: the account API answers account admins only; there is no read-only account role.
  databricks_group: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["scim/resource_group.go", ACCOUNT_API] },
  databricks_service_principal: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["scim/resource_service_principal.go", ACCOUNT_API] },
  "data.databricks_group": { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["docs/resources/permission_assignment.md: the account-level data sources 'has to be an account admin'"] },
  "data.databricks_service_principal": { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["docs/resources/permission_assignment.md: the account-level data sources 'has to be an account admin'"] },
  databricks_mws_permission_assignment: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["mws/resource_mws_permission_assignment.go", ACCOUNT_API] },
  databricks_metastore_assignment: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["catalog/resource_metastore_assignment.go", ACCOUNT_API] },
  databricks_mws_network_connectivity_config: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["mws/resource_mws_network_connectivity_config.go", ACCOUNT_API] },
  databricks_mws_ncc_private_endpoint_rule: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["mws/resource_mws_ncc_private_endpoint_rule.go", ACCOUNT_API] },
  databricks_mws_ncc_binding: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["mws/resource_mws_ncc_binding.go", ACCOUNT_API] },
  databricks_budget_policy: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["internal/providers/pluginfw/products/budget_policy", ACCOUNT_API] },
  databricks_budget: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["internal/providers/pluginfw/products/budget", ACCOUNT_API] },
  databricks_access_control_rule_set: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["permissions/resource_access_control_rule_set.go", ACCOUNT_API] },
  databricks_account_network_policy: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["internal/providers/pluginfw/products/account_network_policy", ACCOUNT_API] },
  databricks_workspace_network_option: { plane: "account", write: ACCOUNT_ADMIN, read: ACCOUNT_ADMIN, evidence: ["internal/providers/pluginfw/products/workspace_network_option", ACCOUNT_API] },
  // Workspace plane, administration: workspace admins only.
  databricks_permission_assignment: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["access/resource_permission_assignment.go (/api/2.0/preview/permissionassignments)", "https://learn.microsoft.com/azure/databricks/admin/users-groups/ (workspace admins manage workspace access)"] },
  databricks_workspace_conf: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["workspace/resource_workspace_conf.go", SETTINGS] },
  databricks_restrict_workspace_admins_setting: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["settings/resource_restrict_workspace_admins_setting.go", SETTINGS] },
  databricks_disable_legacy_access_setting: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["settings/resource_disable_legacy_access_setting.go", SETTINGS] },
  databricks_disable_legacy_dbfs_setting: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["settings/resource_disable_legacy_dbfs_setting.go", SETTINGS] },
  databricks_default_namespace_setting: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["settings/resource_default_namespace_setting.go", SETTINGS] },
  databricks_entitlements: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["scim/resource_entitlement.go", "https://learn.microsoft.com/azure/databricks/security/auth/entitlements (workspace admins manage entitlements)"] },
  // A workspace group by name (the `users` group): the workspace SCIM API lists groups to non-admin users with their
  // display name and ID only (Databricks' SCIM reference, "Admin users … Non-admin users …", as quoted by DatabricksPS'
  // SCIMAPI.ps1 from docs.databricks.com/dev-tools/api/latest/scim.html); the data source uses only the ID.
  "data.databricks_group@workspace": { plane: "workspace", write: WORKSPACE_ADMIN, read: need(["workspace-user"]), evidence: ["scim/data_group.go (GET /api/2.0/preview/scim/v2/Groups?filter=displayName eq …)", "https://docs.databricks.com/dev-tools/api/latest/scim.html (non-admin users: display name and ID)"] },
  databricks_cluster_policy: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["policies/resource_cluster_policy.go", "https://learn.microsoft.com/azure/databricks/admin/clusters/policies (only workspace admins create policies)"] },
  databricks_permissions: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["permissions/resource_permissions.go", "https://learn.microsoft.com/azure/databricks/security/auth/access-control/ (CAN_MANAGE or workspace admin)"] },
  databricks_directory: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["workspace/resource_directory.go", "https://learn.microsoft.com/azure/databricks/security/auth/access-control/ (folders outside a user's home: workspace admins)"] },
  databricks_notebook: { plane: "workspace", write: WORKSPACE_ADMIN, read: WORKSPACE_ADMIN, evidence: ["workspace/resource_notebook.go", "https://learn.microsoft.com/azure/databricks/security/auth/access-control/"] },
  // A job whose run_as is a service principal needs its creator to hold roles/servicePrincipal.user on it.
  databricks_job: { plane: "workspace", write: need(["workspace-admin", "service-principal-user"]), read: WORKSPACE_ADMIN, evidence: ["jobs/resource_job.go", "https://learn.microsoft.com/azure/databricks/jobs/privileges#run-as (Service Principal User role)"] },
  // Unity Catalog: the creator owns; metastore privileges create.
  databricks_storage_credential: { plane: "workspace", write: need(["CREATE_STORAGE_CREDENTIAL"], ["metastore-admin"]), read: OWNER, evidence: ["catalog/resource_storage_credential.go", UC_PRIVILEGES] },
  databricks_external_location: { plane: "workspace", write: need(["CREATE_EXTERNAL_LOCATION", "owner"], ["metastore-admin"]), read: OWNER, evidence: ["catalog/resource_external_location.go", UC_PRIVILEGES] },
  databricks_catalog: { plane: "workspace", write: need(["CREATE_CATALOG"], ["metastore-admin"]), read: OWNER, evidence: ["catalog/resource_catalog.go", UC_PRIVILEGES] },
  databricks_schema: { plane: "workspace", write: OWNER, read: OWNER, evidence: ["catalog/resource_schema.go", UC_OWNERSHIP] },
  databricks_volume: { plane: "workspace", write: OWNER, read: OWNER, evidence: ["catalog/resource_volume.go", UC_OWNERSHIP] },
  // Authoritative grants are read in full (every principal's): only the owner or a metastore admin sees them all.
  databricks_grants: { plane: "workspace", write: OWNER, read: OWNER, evidence: ["catalog/resource_grants.go", UC_OWNERSHIP] },
  databricks_grant: { plane: "workspace", write: OWNER, read: OWNER, evidence: ["catalog/resource_grant.go", UC_OWNERSHIP] },
  databricks_share: { plane: "workspace", write: need(["CREATE_SHARE"], ["metastore-admin"]), read: OWNER, evidence: ["internal/providers/pluginfw/products/sharing/resource_share.go", "https://learn.microsoft.com/azure/databricks/delta-sharing/create-share"] },
  databricks_recipient: { plane: "workspace", write: need(["CREATE_RECIPIENT"], ["metastore-admin"]), read: OWNER, evidence: ["sharing/resource_recipient.go", "https://learn.microsoft.com/azure/databricks/delta-sharing/create-recipient"] },
  // Enabling a system schema is a metastore-level act: a metastore admin (or an account admin, per help/workspace-governance.md's source).
  databricks_system_schema: { plane: "workspace", write: need(["metastore-admin"], ["account-admin"]), read: need(["metastore-admin"], ["account-admin"]), evidence: ["catalog/resource_system_schema.go", "https://learn.microsoft.com/azure/databricks/admin/system-tables/ (enable system schemas)"] },
};

/**
 * The `system` catalog and its schemas are Databricks' own: a grant on them needs a metastore admin (databricks review
 * B1; https://learn.microsoft.com/azure/databricks/admin/system-tables/#grant-access-to-system-tables).
 */
const SYSTEM_SECURABLE = /^system(\.|$)/;

/** The authorization entry of one block: `type` of a resource, `data.<type>` of a data source. */
export function authorizationOf(kind: "resource" | "data", type: string, attrs: Record<string, unknown>, providerAlias?: string): TypeAuthorization | undefined {
  if (kind === "data") {
    const workspaceLevel = providerAlias !== undefined && /\.workspace$/.test(providerAlias);
    return DATABRICKS_AUTHORIZATION[`data.${type}${workspaceLevel ? "@workspace" : ""}`] ?? DATABRICKS_AUTHORIZATION[`data.${type}`];
  }
  const base = DATABRICKS_AUTHORIZATION[type];
  if (!base) return undefined;
  if (type === "databricks_grant" || type === "databricks_grants") {
    const securable = [attrs.catalog, attrs.schema].find((v) => typeof v === "string") as string | undefined;
    if (securable && SYSTEM_SECURABLE.test(securable)) return { ...base, write: need(["metastore-admin"]), read: need(["metastore-admin"]) };
  }
  return base;
}

/** Whether `held` meets `needed`. The identity that creates a securable owns it: `owner` counts as held for its deployer. */
export function satisfies(held: readonly DatabricksRight[], needed: Need): boolean {
  return needed.anyOf.some((alternative) => alternative.every((right) => held.includes(right)));
}

/** How a need reads in a table: `CREATE_CATALOG, or metastore-admin`. */
export function describeNeed(needed: Need): string {
  return needed.anyOf.map((alternative) => alternative.join(" + ")).join(", or ");
}
