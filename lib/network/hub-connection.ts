import { Fn, TerraformOutput, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { VirtualNetworkPeering } from "@cdktf/provider-azurerm/lib/virtual-network-peering";
import { Naming } from "../core/naming";
import { checkPattern, checkResourceId, invalid } from "../core/validation";
import { PRIVATE_DNS_ZONES, PrivateDnsZoneKey } from "./private-dns";
import { checkProps } from "../core/prop-checks";

/** A spoke network of this deployment. */
export interface Spoke {
  /** Short stable name (`core`, `auth`): names the peerings and links. */
  readonly key: string;
  readonly virtualNetworkId: string;
  readonly virtualNetworkName: string;
  readonly resourceGroupName: string;
  /** Whether workloads in it resolve the hub's privatelink zones (clusters do; a web-auth workspace runs none). */
  readonly resolvesPrivateEndpoints: boolean;
}

export interface HubConnectionProps {
  readonly naming: Naming;
  /** The hub VNet, by resource ID. */
  readonly hubVirtualNetworkId: string;
  readonly spokes: readonly Spoke[];
  /**
   * The hub's privatelink zones the spokes must resolve, by resource ID. Not `databricks`: a workspace VNet keeps a
   * back-end zone of its own, and Azure links a VNet to one zone of a name only.
   */
  readonly hubZoneIds: Partial<Record<PrivateDnsZoneKey, string>>;
  /**
   * A provider on the hub's subscription. With it, the hub side — the peerings back to each spoke and the spokes'
   * links in the hub's zones — is created here. @default none: the hub side is the network team's, listed in the
   * `hubSide` output
   */
  readonly hubProvider?: TerraformProvider;
  /** Spokes use the hub's VPN/ExpressRoute gateways. @default false */
  readonly useRemoteGateways?: boolean;
}

/** The resource group and name parts of a resource ID (a literal or a Terraform reference). */
function idParts(id: string): { resourceGroupName: string; name: string } {
  return { resourceGroupName: Fn.element(Fn.split("/", id), 4), name: Fn.element(Fn.split("/", id), 8) };
}

/**
 * Connects spokes to a hub: each spoke peered to the hub (forwarded traffic allowed, since egress and return traffic
 * pass the hub firewall), and — on the hub side — the peering back and a link of each resolving spoke in each of the
 * hub's privatelink zones, so the spoke resolves the private endpoints registered there. Without a hub provider the
 * hub side is not created; `hubSide` lists it for the network team.
 */
export class HubConnection extends Construct {
  readonly spokePeerings: readonly VirtualNetworkPeering[];
  readonly hubPeerings: readonly VirtualNetworkPeering[];
  readonly zoneLinks: readonly PrivateDnsZoneVirtualNetworkLink[];
  /** What the hub side needs (created here with a hub provider; by the network team otherwise). */
  readonly hubSide: { readonly peerings: { name: string; remoteVirtualNetworkId: string }[]; readonly zoneLinks: { zone: string; name: string; virtualNetworkId: string }[] };
  /** The hub VNet's resource group and name (from its ID). */
  readonly hubVirtualNetwork: { readonly resourceGroupName: string; readonly name: string };
  /** The provider of the hub's subscription, when this side manages the hub's. */
  readonly hubProvider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: HubConnectionProps) {
    super(scope, id);
    checkProps(this, props);
    this.hubProvider = props.hubProvider;
    const { naming } = props;
    checkResourceId(this, "hubVirtualNetworkId", props.hubVirtualNetworkId, "Microsoft.Network/virtualNetworks");
    if (props.spokes.length === 0) invalid(this, "spokes", props.spokes, "at least one spoke network");
    const keys = new Set<string>();
    for (const spoke of props.spokes) {
      checkPattern(this, "spokes[].key", spoke.key, /^[a-z][a-z0-9]{0,11}$/, "1–12 characters of [a-z0-9], starting with a letter");
      if (keys.has(spoke.key)) invalid(this, "spokes[].key", spoke.key, "unique spoke keys");
      keys.add(spoke.key);
    }
    for (const [key, zoneId] of Object.entries(props.hubZoneIds)) {
      if (!(key in PRIVATE_DNS_ZONES)) invalid(this, "hubZoneIds", key, `one of ${Object.keys(PRIVATE_DNS_ZONES).join(", ")}`);
      if (key === "databricks") invalid(this, "hubZoneIds", key, "no databricks zone: a workspace VNet resolves its back-end endpoint in a zone of its own");
      checkResourceId(this, `hubZoneIds.${key}`, zoneId as string, "Microsoft.Network/privateDnsZones");
    }
    const hub = idParts(props.hubVirtualNetworkId);
    this.hubVirtualNetwork = hub;

    this.spokePeerings = props.spokes.map(
      (spoke) =>
        new VirtualNetworkPeering(this, `${spoke.key}-to-hub`, {
          name: naming.virtualNetworkPeering(this, spoke.key, "hub"),
          resourceGroupName: spoke.resourceGroupName,
          virtualNetworkName: spoke.virtualNetworkName,
          remoteVirtualNetworkId: props.hubVirtualNetworkId,
          allowVirtualNetworkAccess: true,
          allowForwardedTraffic: true,
          allowGatewayTransit: false,
          useRemoteGateways: props.useRemoteGateways ?? false,
        }),
    );

    const peerings = props.spokes.map((spoke) => ({ name: naming.virtualNetworkPeering(this, "hub", spoke.key), remoteVirtualNetworkId: spoke.virtualNetworkId }));
    const zoneLinks = props.spokes
      .filter((spoke) => spoke.resolvesPrivateEndpoints)
      .flatMap((spoke) =>
        (Object.entries(props.hubZoneIds) as [PrivateDnsZoneKey, string][]).map(([key, zoneId]) => ({ key: `${key}-${spoke.key}`, zoneId, zone: PRIVATE_DNS_ZONES[key], name: naming.dnsZoneLink(this, key.toLowerCase(), spoke.key), virtualNetworkId: spoke.virtualNetworkId })),
      );
    this.hubSide = { peerings, zoneLinks: zoneLinks.map(({ zone, name, virtualNetworkId }) => ({ zone, name, virtualNetworkId })) };

    const provider = props.hubProvider;
    this.hubPeerings = provider
      ? peerings.map(
          (p, i) =>
            new VirtualNetworkPeering(this, `hub-to-${props.spokes[i].key}`, {
              provider,
              name: p.name,
              resourceGroupName: hub.resourceGroupName,
              virtualNetworkName: hub.name,
              remoteVirtualNetworkId: p.remoteVirtualNetworkId,
              allowVirtualNetworkAccess: true,
              allowForwardedTraffic: true,
              allowGatewayTransit: props.useRemoteGateways ?? false,
              useRemoteGateways: false,
            }),
        )
      : [];
    this.zoneLinks = provider
      ? zoneLinks.map((link) => {
          const zone = idParts(link.zoneId);
          return new PrivateDnsZoneVirtualNetworkLink(this, `link-${link.key}`, {
            provider,
            name: link.name,
            resourceGroupName: zone.resourceGroupName,
            privateDnsZoneName: zone.name,
            virtualNetworkId: link.virtualNetworkId,
            registrationEnabled: false,
          });
        })
      : [];
    if (!provider) {
      new TerraformOutput(this, "hub_side_requirements", { staticId: true, description: "What the hub's network team creates: peerings back to the spokes and the spokes' links in the hub's privatelink zones", value: this.hubSide });
    }
  }
}
