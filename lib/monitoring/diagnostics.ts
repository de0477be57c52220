import { Construct } from "constructs";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";

/** What a diagnostic setting targets: it decides which logs and metrics exist and where they can go. */
export type DiagnosticsTarget =
  | "storageAccount"
  | "storageService"
  | "storageFileService"
  | "keyVault"
  | "databricksWorkspace"
  | "dataFactory"
  | "eventHubNamespace"
  | "managedRedis"
  | "managedRedisDatabase"
  | "networkSecurityGroup";

interface TargetDiagnostics {
  /** `allLogs` (the category group: new categories come without a change here), named categories, or none. */
  readonly logs: "allLogs" | readonly string[] | false;
  /**
   * `true` for `AllMetrics`, or the concrete categories where Azure stores those instead: it answers a storage
   * service's `AllMetrics` with Transaction and Capacity (plus SLI for files), and azurerm would plan the same update
   * forever (Azure/terraform-azurerm-avm-res-storage-storageaccount PR #380; azurerm review M1).
   */
  readonly metrics: boolean | readonly string[];
  /**
   * Whether to ask for resource-specific tables (`Dedicated`). Only where the API returns the value it was given:
   * elsewhere it answers null and azurerm plans the same update forever (azurerm#20140, azure-rest-api-specs#22400).
   */
  readonly dedicated: boolean;
}

const TARGETS: Readonly<Record<DiagnosticsTarget, TargetDiagnostics>> = {
  // The account itself has only metrics; its services have the logs.
  storageAccount: { logs: false, metrics: true, dedicated: false },
  storageService: { logs: "allLogs", metrics: ["Transaction", "Capacity"], dedicated: false },
  storageFileService: { logs: "allLogs", metrics: ["Transaction", "Capacity", "SLI"], dedicated: false },
  keyVault: { logs: "allLogs", metrics: true, dedicated: false },
  databricksWorkspace: { logs: "allLogs", metrics: false, dedicated: false },
  dataFactory: { logs: "allLogs", metrics: true, dedicated: true },
  eventHubNamespace: { logs: "allLogs", metrics: true, dedicated: false },
  managedRedis: { logs: false, metrics: true, dedicated: false },
  managedRedisDatabase: { logs: "allLogs", metrics: false, dedicated: false },
  // NSG flow events and rule counters; NSGs export no metrics ("Metric export is not enabled").
  networkSecurityGroup: { logs: ["NetworkSecurityGroupEvent", "NetworkSecurityGroupRuleCounter"], metrics: false, dedicated: false },
};

export interface DiagnosticsProps {
  /** Diagnostic setting name (from the naming module). */
  readonly name: string;
  readonly targetResourceId: string;
  readonly logAnalyticsWorkspaceId: string;
  /** What the target is. */
  readonly kind: DiagnosticsTarget;
}

/** Sends a resource's logs and metrics — what its kind has — to Log Analytics. */
export function addDiagnostics(scope: Construct, id: string, props: DiagnosticsProps): MonitorDiagnosticSetting {
  const target = TARGETS[props.kind];
  return new MonitorDiagnosticSetting(scope, id, {
    name: props.name,
    targetResourceId: props.targetResourceId,
    logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
    logAnalyticsDestinationType: target.dedicated ? "Dedicated" : undefined,
    enabledLog: target.logs === false ? undefined : target.logs === "allLogs" ? [{ categoryGroup: "allLogs" }] : target.logs.map((category) => ({ category })),
    enabledMetric: target.metrics === true ? [{ category: "AllMetrics" }] : target.metrics ? target.metrics.map((category) => ({ category })) : undefined,
  });
}
