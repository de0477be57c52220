import { Construct } from "constructs";
import { Eventhub } from "@cdktf/provider-azurerm/lib/eventhub";
import { EventhubNamespace } from "@cdktf/provider-azurerm/lib/eventhub-namespace";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { Naming } from "../core/naming";
import { checkRange } from "../core/validation";
import { Principal, RoleAssignments } from "../identity/role-assignments";
import { addDiagnostics } from "../monitoring/diagnostics";
import { PrivateDns } from "../network/private-dns";
import { addPrivateEndpoint } from "../network/private-endpoint";
import { checkProps } from "../core/prop-checks";

export interface StreamingIngressOptions {
  /** Event hub partitions (1–32): the streaming job's parallelism. @default 4 */
  readonly partitions?: number;
  /** Days events are kept (1–7 on Standard). @default 1 */
  readonly retentionDays?: number;
}

export interface StreamingIngressProps extends StreamingIngressOptions {
  readonly naming: Naming;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly privateEndpointSubnetId: string;
  readonly privateDns: PrivateDns;
  readonly logAnalyticsWorkspaceId: string;
  /** Sends transaction events (the online service). */
  readonly sender: Principal;
  /** Consumes them (the Databricks streaming job's identity). */
  readonly receiver: Principal;
}

/**
 * An Event Hubs namespace for the transaction events the Databricks streaming job consumes: private (public access
 * off, private endpoint), Entra ID only (local SAS auth off), TLS 1.2, diagnostics.
 */
export class StreamingIngress extends Construct {
  readonly namespace: EventhubNamespace;
  readonly eventHub: Eventhub;
  readonly privateEndpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: StreamingIngressProps) {
    super(scope, id);
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    this.namespace = new EventhubNamespace(this, "namespace", {
      name: props.naming.globalName(this, "evhns", "features", 50),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "Standard",
      capacity: 1,
      publicNetworkAccessEnabled: false,
      localAuthenticationEnabled: false,
      minimumTlsVersion: "1.2",
      networkRulesets: [{ defaultAction: "Deny", publicNetworkAccessEnabled: false, trustedServiceAccessEnabled: false, ipRule: [], virtualNetworkRule: [] }],
    });
    this.eventHub = new Eventhub(this, "transactions", {
      name: "transactions",
      namespaceId: this.namespace.id,
      partitionCount: checkRange(this, "partitions", props.partitions ?? 4, 1, 32),
      messageRetention: checkRange(this, "retentionDays", props.retentionDays ?? 1, 1, 7),
    });
    this.privateEndpoint = addPrivateEndpoint(this, "endpoint", {
      ...props,
      purpose: "features",
      subnetId: props.privateEndpointSubnetId,
      resourceId: this.namespace.id,
      subresource: "namespace",
      zone: "eventHub",
    });
    addDiagnostics(this, "diagnostics", { name: props.naming.diagnosticSetting(this, "evhns"), targetResourceId: this.namespace.id, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, kind: "eventHubNamespace" });
    const roles = RoleAssignments.of(this);
    roles.grant(this, this.eventHub.id, "Azure Event Hubs Data Sender", props.sender, "Online service publishes transaction events");
    roles.grant(this, this.eventHub.id, "Azure Event Hubs Data Receiver", props.receiver, "Streaming feature job consumes transaction events");
  }
}
