import { Construct } from "constructs";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { Naming } from "../core/naming";
import { checkPattern, checkResourceId, invalid } from "../core/validation";
import { checkProps } from "../core/prop-checks";

/** Private DNS zone names of the Private Link services the constructs use. */
export const PRIVATE_DNS_ZONES = {
  databricks: "privatelink.azuredatabricks.net",
  blob: "privatelink.blob.core.windows.net",
  dfs: "privatelink.dfs.core.windows.net",
  queue: "privatelink.queue.core.windows.net",
  vault: "privatelink.vaultcore.azure.net",
  dataFactory: "privatelink.datafactory.azure.net",
  redis: "privatelink.redis.azure.net",
  eventHub: "privatelink.servicebus.windows.net",
} as const;
export type PrivateDnsZoneKey = keyof typeof PRIVATE_DNS_ZONES;

export interface PrivateDnsProps {
  readonly naming: Naming;
  /** Resource group for the zones this construct creates. */
  readonly resourceGroupName: string;
  /**
   * Zones owned by a hub, by resource ID. Those are used as they are: the hub owns them and their VNet links.
   * @default {} — every zone is created here on first use
   */
  readonly hubZoneIds?: Partial<Record<PrivateDnsZoneKey, string>>;
}

/**
 * The one owner of the private DNS zones of a stack: each zone is created once, on first use (or taken from
 * a hub by ID), and every created zone is linked to every virtual network registered with {@link linkVirtualNetwork}.
 * Share one instance between constructs so two of them never create the same zone in one resource group.
 */
export class PrivateDns extends Construct {
  private readonly created = new Map<PrivateDnsZoneKey, PrivateDnsZone>();
  private readonly vnets = new Map<string, string>();

  constructor(scope: Construct, id: string, private readonly props: PrivateDnsProps) {
    super(scope, id);
    checkProps(this, props);
    for (const [key, zoneId] of Object.entries(props.hubZoneIds ?? {})) {
      if (!(key in PRIVATE_DNS_ZONES)) invalid(this, "hubZoneIds", key, `one of ${Object.keys(PRIVATE_DNS_ZONES).join(", ")}`);
      checkResourceId(this, `hubZoneIds.${key}`, zoneId as string, "Microsoft.Network/privateDnsZones");
    }
  }

  /** The resource ID of the zone for `key`, creating the zone if this stack owns it. */
  zoneId(key: PrivateDnsZoneKey): string {
    const hubId = this.props.hubZoneIds?.[key];
    if (hubId) return hubId;
    let zone = this.created.get(key);
    if (!zone) {
      zone = new PrivateDnsZone(this, key, { name: PRIVATE_DNS_ZONES[key], resourceGroupName: this.props.resourceGroupName });
      this.created.set(key, zone);
      for (const [linkKey, vnetId] of this.vnets) this.link(key, zone, linkKey, vnetId);
    }
    return zone.id;
  }

  /** Links every zone this construct creates (now or later) to the virtual network. `key` is a stable short name for it. */
  linkVirtualNetwork(key: string, virtualNetworkId: string): void {
    checkPattern(this, "virtual network link key", key, /^[a-z][a-z0-9]{0,11}$/, "1–12 characters of [a-z0-9], starting with a letter");
    if (this.vnets.has(key)) return;
    this.vnets.set(key, virtualNetworkId);
    for (const [zoneKey, zone] of this.created) this.link(zoneKey, zone, key, virtualNetworkId);
  }

  private link(zoneKey: PrivateDnsZoneKey, zone: PrivateDnsZone, vnetKey: string, virtualNetworkId: string): void {
    new PrivateDnsZoneVirtualNetworkLink(this, `${zoneKey}-${vnetKey}`, {
      name: this.props.naming.dnsZoneLink(this, zoneKey.toLowerCase(), vnetKey),
      privateDnsZoneName: zone.name,
      resourceGroupName: this.props.resourceGroupName,
      virtualNetworkId,
      registrationEnabled: false,
    });
  }
}
