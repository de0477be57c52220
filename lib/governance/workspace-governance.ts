import { Construct } from "constructs";
import { DataDatabricksGroup } from "@cdktf/provider-databricks/lib/data-databricks-group";
import { DisableLegacyAccessSetting } from "@cdktf/provider-databricks/lib/disable-legacy-access-setting";
import { DisableLegacyDbfsSetting } from "@cdktf/provider-databricks/lib/disable-legacy-dbfs-setting";
import { Entitlements } from "@cdktf/provider-databricks/lib/entitlements";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { RestrictWorkspaceAdminsSetting } from "@cdktf/provider-databricks/lib/restrict-workspace-admins-setting";
import { WorkspaceConf } from "@cdktf/provider-databricks/lib/workspace-conf";
import { checkRange, invalid } from "../core/validation";

/** The longest life of a personal access token this library allows (days). */
export const MAX_TOKEN_LIFETIME_DAYS = 90;

export interface WorkspaceGovernanceProps {
  /** The workspace-level provider of the governed workspace. */
  readonly workspaceProvider: DatabricksProvider;
  /**
   * Personal access tokens. Off by default: people sign in with Entra ID, automation with OIDC or managed identities.
   * @default { enabled: false }
   */
  readonly tokens?: { readonly enabled: false } | { readonly enabled: true; readonly maxLifetimeDays: number };
  /** Whether people may export notebooks. @default false */
  readonly notebookExport?: boolean;
  /** Whether people may download query and notebook results. @default false */
  readonly resultsDownload?: boolean;
}

/**
 * A workspace's day-one settings: tokens off (or short-lived), verbose audit logs, notebook export and results
 * download as decided, the legacy Hive metastore and DBFS root access off, workspace admins restricted (they may not
 * mint tokens for others or run jobs as other principals), and no cluster creation for the workspace's `users` group
 * (people create compute only through their domain's cluster policy).
 */
export class WorkspaceGovernance extends Construct {
  readonly workspaceConf: WorkspaceConf;
  readonly disableLegacyAccess: DisableLegacyAccessSetting;
  readonly disableLegacyDbfs: DisableLegacyDbfsSetting;
  readonly restrictWorkspaceAdmins: RestrictWorkspaceAdminsSetting;
  readonly usersEntitlements: Entitlements;

  constructor(scope: Construct, id: string, props: WorkspaceGovernanceProps) {
    super(scope, id);
    const provider = props.workspaceProvider;
    const tokens = props.tokens ?? { enabled: false };
    if (typeof tokens.enabled !== "boolean") invalid(this, "tokens.enabled", (tokens as { enabled: unknown }).enabled, "true or false");
    if (tokens.enabled) checkRange(this, "tokens.maxLifetimeDays", tokens.maxLifetimeDays, 1, MAX_TOKEN_LIFETIME_DAYS);
    const flag = (value: boolean) => (value ? "true" : "false");
    this.workspaceConf = new WorkspaceConf(this, "conf", {
      provider,
      // Workspace configuration values are strings ("true"/"false", days as a number string).
      customConfig: {
        enableTokensConfig: flag(tokens.enabled),
        // Always set: databricks 1.99 cannot remove the key in an apply (it sends "", which the API refuses), so
        // turning tokens off keeps it, at the longest lifetime allowed (irrelevant while tokens are off).
        maxTokenLifetimeDays: String(tokens.enabled ? tokens.maxLifetimeDays : MAX_TOKEN_LIFETIME_DAYS),
        enableVerboseAuditLogs: "true",
        enableExportNotebook: flag(props.notebookExport ?? false),
        enableResultsDownloading: flag(props.resultsDownload ?? false),
        enableNotebookTableClipboard: flag(props.resultsDownload ?? false),
        enableDbfsFileBrowser: "false",
      },
    });
    this.disableLegacyAccess = new DisableLegacyAccessSetting(this, "disable-legacy-access", { provider, disableLegacyAccess: { value: true } });
    this.disableLegacyDbfs = new DisableLegacyDbfsSetting(this, "disable-legacy-dbfs", { provider, disableLegacyDbfs: { value: true } });
    this.restrictWorkspaceAdmins = new RestrictWorkspaceAdminsSetting(this, "restrict-workspace-admins", { provider, restrictWorkspaceAdmins: { status: "RESTRICT_TOKENS_AND_JOB_RUN_AS" } });
    // The workspace's built-in group of everyone: no unrestricted cluster creation, no instance pools.
    const users = new DataDatabricksGroup(this, "users", { provider, displayName: "users" });
    // The resource owns the group's whole entitlement list: workspace and SQL access are stated, or they would be
    // taken from everyone; and destroying it would strip them too (databricks 1.99), so it is never destroyed.
    this.usersEntitlements = new Entitlements(this, "users-entitlements", {
      provider,
      groupId: users.id,
      lifecycle: { preventDestroy: true },
      allowClusterCreate: false,
      allowInstancePoolCreate: false,
      workspaceAccess: true,
      databricksSqlAccess: true,
    });
  }
}
