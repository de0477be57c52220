import { Construct } from "constructs";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";

export interface DiagnosticsProps {
  /** Diagnostic setting name (from the naming module). */
  readonly name: string;
  readonly targetResourceId: string;
  readonly logAnalyticsWorkspaceId: string;
  /** Whether the target emits resource logs (every category, through the `allLogs` group). @default true */
  readonly logs?: boolean;
  /** Whether the target emits platform metrics (`AllMetrics`). @default true */
  readonly metrics?: boolean;
}

/**
 * Sends a resource's logs (category group `allLogs`, so new categories are picked up without a change here)
 * and metrics to Log Analytics, in resource-specific tables.
 */
export function addDiagnostics(scope: Construct, id: string, props: DiagnosticsProps): MonitorDiagnosticSetting {
  return new MonitorDiagnosticSetting(scope, id, {
    name: props.name,
    targetResourceId: props.targetResourceId,
    logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
    logAnalyticsDestinationType: "Dedicated",
    enabledLog: props.logs === false ? undefined : [{ categoryGroup: "allLogs" }],
    enabledMetric: props.metrics === false ? undefined : [{ category: "AllMetrics" }],
  });
}
