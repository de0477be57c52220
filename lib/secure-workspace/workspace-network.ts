import { Construct } from "constructs";
import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { Route } from "@cdktf/provider-azurerm/lib/route";
import { RouteTable } from "@cdktf/provider-azurerm/lib/route-table";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { SubnetRouteTableAssociation } from "@cdktf/provider-azurerm/lib/subnet-route-table-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Naming } from "../core/naming";
import { checkPattern, checkResourceId, invalid } from "../core/validation";
import { addDiagnostics } from "../monitoring/diagnostics";
import { Cidr } from "../network/cidr";
import { addNsgRules, DATABRICKS_SUBNET_RULES, NsgRule, PRIVATE_ENDPOINT_SUBNET_RULES, validateNsgRules } from "./nsg-rules";
import { checkProps } from "../core/prop-checks";
import { addNatEgress } from "../network/nat-egress";

/** How cluster traffic leaves the network. Default outbound access is being retired, so egress is always explicit. */
export type EgressProps =
  | {
      /** A NAT gateway with a static public IP on the host and container subnets. */
      readonly mode: "natGateway";
      /** Idle timeout of outbound flows. @default 4 */
      readonly idleTimeoutMinutes?: number;
    }
  | {
      /** A route table sending 0.0.0.0/0 to a firewall or NVA; Databricks control-plane traffic goes by service tag. */
      readonly mode: "firewall";
      /** Private IP of the firewall in the hub (a literal IPv4 address or a Terraform reference). */
      readonly firewallPrivateIp: string;
    };

/** An existing virtual network to create the workspace subnets in. */
export interface ExistingVirtualNetwork {
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  /** The VNet's address space, for validating the subnets. */
  readonly addressSpace: string;
}

export interface WorkspaceNetworkProps {
  readonly naming: Naming;
  /** Name purpose of the network's resources, e.g. `core`. */
  readonly purpose: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Address space of the VNet to create: /16 to /24. Ignored (and not allowed) with `existingVirtualNetwork`. */
  readonly addressSpace?: string;
  /** Create the subnets in this VNet instead of creating one. */
  readonly existingVirtualNetwork?: ExistingVirtualNetwork;
  /** Host ("public") subnet: /26 or larger. @default carved from the address space: a quarter of it */
  readonly hostSubnetCidr?: string;
  /** Container ("private") subnet: /26 or larger. @default carved from the address space: a quarter of it */
  readonly containerSubnetCidr?: string;
  /** Private-endpoint subnet. @default carved after the two Databricks subnets: an eighth of the space, at most a /24 */
  readonly privateEndpointSubnetCidr?: string;
  /** Other subnets already in the VNet (e.g. a firewall or bastion subnet): ours must not overlap them. @default [] */
  readonly otherSubnetCidrs?: string[];
  /** @default { mode: "natGateway" } */
  readonly egress?: EgressProps;
  /**
   * Rules of yours added to the NSGs. On the Databricks subnets' NSG, priorities 100–199 are Databricks' (synth fails
   * on one of yours there). @default none
   */
  readonly additionalRules?: { readonly databricks?: NsgRule[]; readonly privateEndpoint?: NsgRule[] };
  /** Where the NSGs' logs go (NetworkSecurityGroupEvent, NetworkSecurityGroupRuleCounter). @default none */
  readonly logAnalyticsWorkspaceId?: string;
}

const DATABRICKS_DELEGATION = {
  name: "databricks",
  serviceDelegation: {
    name: "Microsoft.Databricks/workspaces",
    actions: [
      "Microsoft.Network/virtualNetworks/subnets/join/action",
      "Microsoft.Network/virtualNetworks/subnets/prepareNetworkPolicies/action",
      "Microsoft.Network/virtualNetworks/subnets/unprepareNetworkPolicies/action",
    ],
  },
};

/**
 * The network of one VNet-injected workspace: host and container subnets delegated to Databricks (never
 * shared between workspaces), a private-endpoint subnet, an NSG on each, and explicit egress.
 */
export class WorkspaceNetwork extends Construct {
  /** The VNet, when this construct created it. */
  readonly virtualNetwork?: VirtualNetwork;
  readonly virtualNetworkId: string;
  readonly virtualNetworkName: string;
  readonly hostSubnet: Subnet;
  readonly containerSubnet: Subnet;
  readonly privateEndpointSubnet: Subnet;
  readonly databricksNsg: NetworkSecurityGroup;
  readonly privateEndpointNsg: NetworkSecurityGroup;
  readonly hostNsgAssociation: SubnetNetworkSecurityGroupAssociation;
  readonly containerNsgAssociation: SubnetNetworkSecurityGroupAssociation;
  /** The NAT gateway, in `natGateway` egress mode. */
  readonly natGateway?: NatGateway;
  /** The route table, in `firewall` egress mode. */
  readonly routeTable?: RouteTable;
  /** The address ranges in use (after carving). */
  readonly cidrs: { readonly vnet: string; readonly host: string; readonly container: string; readonly privateEndpoint: string };
  /**
   * Most cluster nodes the workspace can run at once: each node takes one address in the host and one in the
   * container subnet, so the smaller subnet's usable addresses (less Azure's five reserved) bound it.
   */
  readonly maxClusterNodes: number;

  constructor(scope: Construct, id: string, props: WorkspaceNetworkProps) {
    super(scope, id);
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    const { naming, purpose } = props;
    this.cidrs = this.planAddresses(props);
    const host = Cidr.parse(this.cidrs.host);
    const container = Cidr.parse(this.cidrs.container);
    this.maxClusterNodes = Math.min(host.usableAddresses, container.usableAddresses);

    let vnetResourceGroup = props.resourceGroupName;
    if (props.existingVirtualNetwork) {
      const existing = props.existingVirtualNetwork;
      checkResourceId(this, "existingVirtualNetwork.id", existing.id, "Microsoft.Network/virtualNetworks");
      this.virtualNetworkId = existing.id;
      this.virtualNetworkName = existing.name;
      vnetResourceGroup = existing.resourceGroupName;
    } else {
      this.virtualNetwork = new VirtualNetwork(this, "vnet", {
        name: naming.virtualNetwork(this, purpose),
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        addressSpace: [this.cidrs.vnet],
      });
      this.virtualNetworkId = this.virtualNetwork.id;
      this.virtualNetworkName = this.virtualNetwork.name;
    }

    const subnet = (id: string, qualifier: string, cidr: string, delegated: boolean) =>
      new Subnet(this, id, {
        name: naming.subnet(this, purpose, qualifier),
        resourceGroupName: vnetResourceGroup,
        virtualNetworkName: this.virtualNetworkName,
        addressPrefixes: [cidr],
        defaultOutboundAccessEnabled: false,
        privateEndpointNetworkPolicies: "Enabled",
        privateLinkServiceNetworkPoliciesEnabled: true,
        delegation: delegated ? [DATABRICKS_DELEGATION] : undefined,
      });
    this.hostSubnet = subnet("host-subnet", "host", this.cidrs.host, true);
    this.containerSubnet = subnet("container-subnet", "container", this.cidrs.container, true);
    this.privateEndpointSubnet = subnet("pe-subnet", "pe", this.cidrs.privateEndpoint, false);

    const databricksRules = [...DATABRICKS_SUBNET_RULES, ...(props.additionalRules?.databricks ?? [])];
    const privateEndpointRules = [...PRIVATE_ENDPOINT_SUBNET_RULES, ...(props.additionalRules?.privateEndpoint ?? [])];
    validateNsgRules(this, "additionalRules.databricks", databricksRules, true);
    validateNsgRules(this, "additionalRules.privateEndpoint", privateEndpointRules, false);
    this.databricksNsg = new NetworkSecurityGroup(this, "databricks-nsg", {
      name: naming.networkSecurityGroup(this, purpose, "dbw"),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    addNsgRules(this.databricksNsg, databricksRules);
    this.privateEndpointNsg = new NetworkSecurityGroup(this, "pe-nsg", {
      name: naming.networkSecurityGroup(this, purpose, "pe"),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    addNsgRules(this.privateEndpointNsg, privateEndpointRules);
    if (props.logAnalyticsWorkspaceId) {
      for (const [key, nsg, qualifier] of [["databricks-nsg-diagnostics", this.databricksNsg, "dbw"], ["pe-nsg-diagnostics", this.privateEndpointNsg, "pe"]] as const) {
        addDiagnostics(this, key, { name: naming.diagnosticSetting(this, purpose, `nsg${qualifier}`), targetResourceId: nsg.id, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, kind: "networkSecurityGroup" });
      }
    }

    const associate = (id: string, s: Subnet, nsg: NetworkSecurityGroup) =>
      new SubnetNetworkSecurityGroupAssociation(this, id, { subnetId: s.id, networkSecurityGroupId: nsg.id });
    this.hostNsgAssociation = associate("host-nsg", this.hostSubnet, this.databricksNsg);
    this.containerNsgAssociation = associate("container-nsg", this.containerSubnet, this.databricksNsg);
    associate("pe-nsg-association", this.privateEndpointSubnet, this.privateEndpointNsg);

    const egress = props.egress ?? { mode: "natGateway" };
    if (egress.mode === "natGateway") {
      this.natGateway = this.natEgress(props, egress.idleTimeoutMinutes ?? 4);
    } else if (egress.mode === "firewall") {
      this.routeTable = this.firewallEgress(props, egress.firewallPrivateIp);
    } else {
      invalid(this, "egress.mode", (egress as { mode: unknown }).mode, `"natGateway" or "firewall"`);
    }
  }

  private natEgress(props: WorkspaceNetworkProps, idleTimeoutMinutes: number): NatGateway {
    if (!Number.isInteger(idleTimeoutMinutes) || idleTimeoutMinutes < 4 || idleTimeoutMinutes > 120) {
      invalid(this, "egress.idleTimeoutMinutes", idleTimeoutMinutes, "an integer from 4 to 120");
    }
    const nat = addNatEgress(this, { naming: props.naming, purpose: props.purpose, resourceGroupName: props.resourceGroupName, location: props.location, idleTimeoutMinutes, subnets: { "host-nat": this.hostSubnet.id, "container-nat": this.containerSubnet.id } });
    return nat;
  }

  private firewallEgress(props: WorkspaceNetworkProps, firewallPrivateIp: string): RouteTable {
    checkPattern(this, "egress.firewallPrivateIp", firewallPrivateIp, /^(\d{1,3}\.){3}\d{1,3}$/, "an IPv4 address");
    const table = new RouteTable(this, "route-table", {
      name: props.naming.routeTable(this, props.purpose),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      bgpRoutePropagationEnabled: false,
    });
    const route = { resourceGroupName: props.resourceGroupName, routeTableName: table.name };
    new Route(this, "default-to-firewall", { ...route, name: "default-to-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopInIpAddress: firewallPrivateIp });
    new Route(this, "databricks-control-plane", { ...route, name: "databricks-control-plane", addressPrefix: "AzureDatabricks", nextHopType: "Internet" });
    new SubnetRouteTableAssociation(this, "host-routes", { subnetId: this.hostSubnet.id, routeTableId: table.id });
    new SubnetRouteTableAssociation(this, "container-routes", { subnetId: this.containerSubnet.id, routeTableId: table.id });
    return table;
  }

  /** Validates the address plan, carving any subnet not given. */
  private planAddresses(props: WorkspaceNetworkProps): WorkspaceNetwork["cidrs"] {
    const parse = (prop: string, text: string): Cidr => {
      try {
        return Cidr.parse(text);
      } catch (e) {
        return invalid(this, prop, text, `an IPv4 CIDR block with no host bits set (${(e as Error).message})`);
      }
    };
    if (props.existingVirtualNetwork && props.addressSpace) {
      invalid(this, "addressSpace", props.addressSpace, "no addressSpace with existingVirtualNetwork (its addressSpace is used)");
    }
    const vnetText = props.existingVirtualNetwork?.addressSpace ?? props.addressSpace;
    const vnetProp = props.existingVirtualNetwork ? "existingVirtualNetwork.addressSpace" : "addressSpace";
    if (vnetText === undefined) invalid(this, "addressSpace", vnetText, "the VNet address space (a /16 to /24 CIDR block)");
    const vnet = parse(vnetProp, vnetText);
    if (vnet.prefix < 16 || vnet.prefix > 24) invalid(this, vnetProp, vnetText, "a /16 to /24 CIDR block (Databricks' supported VNet sizes)");

    const carved = vnet.carve([vnet.prefix + 2, vnet.prefix + 2, Math.max(vnet.prefix + 3, 24)]);
    const host = props.hostSubnetCidr ? parse("hostSubnetCidr", props.hostSubnetCidr) : carved[0];
    const container = props.containerSubnetCidr ? parse("containerSubnetCidr", props.containerSubnetCidr) : carved[1];
    const pe = props.privateEndpointSubnetCidr ? parse("privateEndpointSubnetCidr", props.privateEndpointSubnetCidr) : carved[2];

    const subnets: [string, Cidr][] = [
      ["hostSubnetCidr", host],
      ["containerSubnetCidr", container],
      ["privateEndpointSubnetCidr", pe],
    ];
    for (const [prop, block] of subnets.slice(0, 2)) {
      if (block.prefix > 26) invalid(this, prop, block.toString(), "a /26 or larger subnet (Databricks' minimum)");
    }
    if (pe.prefix > 28) invalid(this, "privateEndpointSubnetCidr", pe.toString(), "a /28 or larger subnet");
    for (const [prop, block] of subnets) {
      if (!vnet.contains(block)) invalid(this, prop, block.toString(), `a range inside the VNet ${vnet.toString()}`);
    }
    const others = (props.otherSubnetCidrs ?? []).map((text, i) => [`otherSubnetCidrs[${i}]`, parse(`otherSubnetCidrs[${i}]`, text)] as [string, Cidr]);
    const all = [...subnets, ...others];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        if (all[i][1].overlaps(all[j][1])) {
          invalid(this, all[i][0], all[i][1].toString(), `a range that does not overlap ${all[j][0]} (${all[j][1].toString()})`);
        }
      }
    }
    return { vnet: vnet.toString(), host: host.toString(), container: container.toString(), privateEndpoint: pe.toString() };
  }
}
