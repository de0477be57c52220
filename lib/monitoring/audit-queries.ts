/**
 * The audit alerts' queries, in one place (help/workspace-governance.md documents each). They read the workspace's
 * diagnostic logs in Log Analytics, where Azure Databricks writes resource-specific tables (`DatabricksAccounts`,
 * `DatabricksWorkspace`, …) with `ActionName`, `RequestParams`, `Response` and `Identity` columns. Account-level
 * events (network policies, account admins) are not in a workspace's diagnostic logs: they are in `system.access.audit`,
 * which the audit group reads.
 */
export interface AuditQuery {
  /** Stable key: it names the alert rule. */
  readonly key: string;
  readonly title: string;
  /** Why someone should look. */
  readonly description: string;
  /** 0 (critical) to 4 (verbose). */
  readonly severity: 0 | 1 | 2 | 3 | 4;
  readonly query: string;
  /** The alert fires when the query returns more than this many rows in the window. */
  readonly threshold: number;
  /** Evaluation frequency and window (ISO 8601 durations). */
  readonly frequency: "PT5M" | "PT15M" | "PT1H";
}

export const AUDIT_QUERIES: readonly AuditQuery[] = [
  {
    key: "admin-changes",
    title: "Workspace admin membership changed",
    description: "Someone was made a workspace admin, or removed from the admins: admins can change every setting of the workspace.",
    severity: 1,
    query: [
      "DatabricksAccounts",
      '| where ActionName in ("setAdmin", "removeAdmin") or (ActionName in ("addPrincipalToGroup", "removePrincipalFromGroup") and RequestParams has "\\"admins\\"")',
      "| project TimeGenerated, ActionName, Identity, RequestParams, Response",
    ].join("\n"),
    threshold: 0,
    frequency: "PT5M",
  },
  {
    key: "token-created",
    title: "Personal access token created",
    description: "A personal access token was generated: tokens are off or short-lived here, and each one is a credential that outlives a session.",
    severity: 2,
    query: ["DatabricksAccounts", '| where ActionName == "generateDbToken"', "| project TimeGenerated, ActionName, Identity, RequestParams, Response"].join("\n"),
    threshold: 0,
    frequency: "PT15M",
  },
  {
    key: "settings-changed",
    title: "Workspace configuration changed",
    description: "A workspace setting changed outside Terraform's view (tokens, audit logs, export, downloads): the next plan shows the drift.",
    severity: 2,
    query: ["DatabricksWorkspace", '| where ActionName == "workspaceConfEdit"', "| project TimeGenerated, ActionName, Identity, RequestParams, Response"].join("\n"),
    threshold: 0,
    frequency: "PT15M",
  },
  {
    key: "failed-logins",
    title: "Spike of failed sign-ins",
    description: "More than 20 failed sign-ins in 15 minutes: credential stuffing, a broken client, or an expired service credential.",
    severity: 2,
    query: [
      "DatabricksAccounts",
      '| where ActionName in ("aadBrowserLogin", "aadTokenLogin", "tokenLogin", "login")',
      '| where toint(parse_json(Response).statusCode) >= 400',
      "| project TimeGenerated, ActionName, Identity, Response",
    ].join("\n"),
    threshold: 20,
    frequency: "PT15M",
  },
];
