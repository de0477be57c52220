import { Construct } from "constructs";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { Naming } from "../core/naming";
import { checkRange, checkResourceId } from "../core/validation";

export interface LogAnalyticsProps {
  readonly naming: Naming;
  readonly purpose: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Use this workspace (resource ID) instead of creating one. */
  readonly existingId?: string;
  /** Retention of a workspace created here (30–730 days). @default 90 */
  readonly retentionDays?: number;
}

/** The Log Analytics workspace diagnostics go to: the one passed in, or one created here (local auth off). */
export function logAnalyticsWorkspace(scope: Construct, id: string, props: LogAnalyticsProps): { readonly id: string; readonly workspace?: LogAnalyticsWorkspace } {
  if (props.existingId) {
    return { id: checkResourceId(scope, "logAnalyticsWorkspaceId", props.existingId, "Microsoft.OperationalInsights/workspaces") };
  }
  const workspace = new LogAnalyticsWorkspace(scope, id, {
    name: props.naming.logAnalyticsWorkspace(scope, props.purpose),
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    sku: "PerGB2018",
    retentionInDays: checkRange(scope, "logRetentionDays", props.retentionDays ?? 90, 30, 730),
    localAuthenticationEnabled: false,
  });
  return { id: workspace.id, workspace };
}
