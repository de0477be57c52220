import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association";
import { Naming } from "../core/naming";

export interface NatEgressProps {
  readonly naming: Naming;
  readonly purpose: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly idleTimeoutMinutes: number;
  /** The subnets that leave through it, by construct ID of their association. */
  readonly subnets: Readonly<Record<string, string>>;
  readonly provider?: TerraformProvider;
}

/**
 * Explicit outbound access for subnets created with `default_outbound_access_enabled = false`: a Standard NAT gateway
 * with a static public IP, one of the explicit methods Azure documents ("Default outbound access in Azure",
 * https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access). Construct IDs `nat-ip`, `nat`
 * and `nat-ip-association` under `scope`, and the given ones for the subnet associations.
 */
export function addNatEgress(scope: Construct, props: NatEgressProps): NatGateway {
  const provider = props.provider ? { provider: props.provider } : {};
  const ip = new PublicIp(scope, "nat-ip", {
    ...provider,
    name: props.naming.publicIp(scope, props.purpose, "nat"),
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    allocationMethod: "Static",
    sku: "Standard",
  });
  const nat = new NatGateway(scope, "nat", {
    ...provider,
    name: props.naming.natGateway(scope, props.purpose),
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    skuName: "Standard",
    idleTimeoutInMinutes: props.idleTimeoutMinutes,
  });
  new NatGatewayPublicIpAssociation(scope, "nat-ip-association", { ...provider, natGatewayId: nat.id, publicIpAddressId: ip.id });
  for (const [id, subnetId] of Object.entries(props.subnets)) new SubnetNatGatewayAssociation(scope, id, { ...provider, subnetId, natGatewayId: nat.id });
  return nat;
}
