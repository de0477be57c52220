import { Construct } from "constructs";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";
import { Naming } from "../core/naming";
import { checkResourceId, invalid } from "../core/validation";
import { AUDIT_QUERIES, AuditQuery } from "./audit-queries";

export interface AuditAlertsProps {
  readonly naming: Naming;
  readonly resourceGroupName: string;
  readonly location: string;
  /** The Log Analytics workspace receiving the Databricks workspace's diagnostic logs. */
  readonly logAnalyticsWorkspaceId: string;
  /** Who is told. */
  readonly actionGroupId: string;
  /** @default AUDIT_QUERIES */
  readonly queries?: readonly AuditQuery[];
}

/** Scheduled Log Analytics query alerts on the workspace's audit events, routed to an action group. */
export class AuditAlerts extends Construct {
  readonly alerts: Readonly<Record<string, MonitorScheduledQueryRulesAlertV2>>;

  constructor(scope: Construct, id: string, props: AuditAlertsProps) {
    super(scope, id);
    checkResourceId(this, "logAnalyticsWorkspaceId", props.logAnalyticsWorkspaceId, "Microsoft.OperationalInsights/workspaces");
    checkResourceId(this, "actionGroupId", props.actionGroupId, "Microsoft.Insights/actionGroups");
    const queries = props.queries ?? AUDIT_QUERIES;
    if (new Set(queries.map((q) => q.key)).size !== queries.length) invalid(this, "queries", queries.map((q) => q.key), "unique keys");
    const alerts: Record<string, MonitorScheduledQueryRulesAlertV2> = {};
    for (const q of queries) {
      alerts[q.key] = new MonitorScheduledQueryRulesAlertV2(this, q.key, {
        name: props.naming.metricAlert(this, `audit${q.key.replace(/[^a-z0-9]/g, "").slice(0, 7)}`),
        displayName: q.title,
        description: q.description,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        scopes: [props.logAnalyticsWorkspaceId],
        severity: q.severity,
        evaluationFrequency: q.frequency,
        windowDuration: q.frequency,
        criteria: [{ query: q.query, timeAggregationMethod: "Count", operator: "GreaterThan", threshold: q.threshold }],
        action: { actionGroups: [props.actionGroupId] },
        autoMitigationEnabled: false,
        // A new Log Analytics workspace has no Databricks tables until the first logs arrive: validating the query
        // at create would fail a first deploy.
        skipQueryValidation: true,
      });
    }
    this.alerts = alerts;
  }
}
