import { Construct } from "constructs";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Naming } from "../lib/core/naming";
import { addDiagnostics } from "../lib/monitoring/diagnostics";
import { addNsgRules, PRIVATE_ENDPOINT_SUBNET_RULES } from "../lib/secure-workspace/nsg-rules";

export interface TransitNetworkProps {
  readonly naming: Naming;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly addressSpace: string;
  /** Further ranges of the VNet for subnets others add (the runner subnet). @default [] */
  readonly additionalAddressSpaces?: readonly string[];
}

/**
 * A stand-in for the connectivity hub in environments that have none: a transit VNet with one
 * private-endpoint subnet (front-end and browser-authentication endpoints), behind an NSG.
 */
export class TransitNetwork extends Construct {
  readonly virtualNetwork: VirtualNetwork;
  readonly privateEndpointSubnet: Subnet;
  readonly networkSecurityGroup: NetworkSecurityGroup;
  readonly resourceGroupName: string;
  private readonly props: TransitNetworkProps;

  constructor(scope: Construct, id: string, props: TransitNetworkProps) {
    super(scope, id);
    this.props = props;
    this.resourceGroupName = props.resourceGroupName;
    this.virtualNetwork = new VirtualNetwork(this, "vnet", {
      name: props.naming.virtualNetwork(this, "transit"),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      addressSpace: [props.addressSpace, ...(props.additionalAddressSpaces ?? [])],
    });
    this.privateEndpointSubnet = new Subnet(this, "pe-subnet", {
      name: props.naming.subnet(this, "transit", "pe"),
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: this.virtualNetwork.name,
      addressPrefixes: [props.addressSpace],
      defaultOutboundAccessEnabled: false,
      privateEndpointNetworkPolicies: "Enabled",
      privateLinkServiceNetworkPoliciesEnabled: true,
    });
    const nsg = (this.networkSecurityGroup = new NetworkSecurityGroup(this, "pe-nsg", {
      name: props.naming.networkSecurityGroup(this, "transit", "pe"),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    }));
    addNsgRules(nsg, PRIVATE_ENDPOINT_SUBNET_RULES);
    new SubnetNetworkSecurityGroupAssociation(this, "pe-nsg-association", { subnetId: this.privateEndpointSubnet.id, networkSecurityGroupId: nsg.id });
  }

  /** Sends the NSG's flow events and rule counters to Log Analytics (created after the network, by the platform). */
  sendLogsTo(logAnalyticsWorkspaceId: string): void {
    addDiagnostics(this, "pe-nsg-diagnostics", { name: this.props.naming.diagnosticSetting(this, "transit", "nsgpe"), targetResourceId: this.networkSecurityGroup.id, logAnalyticsWorkspaceId, kind: "networkSecurityGroup" });
  }
}
