import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";

/** One NSG rule. Rules are separate `azurerm_network_security_rule` resources: explicit, and diffed one by one. */
export interface NsgRule {
  readonly name: string;
  readonly description: string;
  readonly priority: number;
  readonly direction: "Inbound" | "Outbound";
  readonly access: "Allow" | "Deny";
  readonly protocol: "Tcp" | "Udp" | "*";
  readonly sourceAddressPrefix: string;
  readonly destinationAddressPrefix: string;
  readonly destinationPortRanges: string[];
}

/** Creates the rules in the NSG, one child construct per rule named after the rule (stable IDs). */
export function addNsgRules(nsg: NetworkSecurityGroup, rules: readonly NsgRule[]): NetworkSecurityRule[] {
  return rules.map(
    (r) =>
      new NetworkSecurityRule(nsg, r.name, {
        ...r,
        sourcePortRange: "*",
        networkSecurityGroupName: nsg.name,
        resourceGroupName: nsg.resourceGroupName,
      }),
  );
}

/** Explicit deny of anything inbound from the internet, below every allow rule. */
const DENY_INTERNET_INBOUND: NsgRule = {
  name: "deny-internet-inbound",
  description: "No inbound traffic from the internet",
  priority: 4000,
  direction: "Inbound",
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "Internet",
  destinationAddressPrefix: "*",
  destinationPortRanges: ["0-65535"],
};

/**
 * The rules a VNet-injected workspace needs when `network_security_group_rules_required` is
 * `NoAzureDatabricksRules` (Databricks then adds none itself): worker-to-worker traffic, and outbound to the
 * control plane, the metastore, artifact/log storage and Event Hubs on the documented ports.
 */
export const DATABRICKS_SUBNET_RULES: readonly NsgRule[] = [
  { name: "allow-worker-to-worker-inbound", description: "Cluster nodes talk to each other", priority: 100, direction: "Inbound", access: "Allow", protocol: "*", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "VirtualNetwork", destinationPortRanges: ["0-65535"] },
  DENY_INTERNET_INBOUND,
  { name: "allow-worker-to-worker-outbound", description: "Cluster nodes talk to each other", priority: 100, direction: "Outbound", access: "Allow", protocol: "*", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "VirtualNetwork", destinationPortRanges: ["0-65535"] },
  { name: "allow-databricks-control-plane", description: "Control plane, SCC relay and internal services", priority: 110, direction: "Outbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "AzureDatabricks", destinationPortRanges: ["443", "3306", "8443-8451"] },
  { name: "allow-sql-metastore", description: "Legacy Hive metastore", priority: 120, direction: "Outbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "Sql", destinationPortRanges: ["3306"] },
  { name: "allow-storage", description: "Artifact, log and workspace storage", priority: 130, direction: "Outbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "Storage", destinationPortRanges: ["443"] },
  { name: "allow-eventhub", description: "Log delivery to Event Hubs", priority: 140, direction: "Outbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "EventHub", destinationPortRanges: ["9093"] },
];

/** Private-endpoint subnet: only clients inside the network reach the endpoints; nothing from the internet. */
export const PRIVATE_ENDPOINT_SUBNET_RULES: readonly NsgRule[] = [
  { name: "allow-vnet-to-private-endpoints", description: "Clients in the network reach the private endpoints", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "VirtualNetwork", destinationPortRanges: ["443", "6666", "3306", "8443-8451"] },
  DENY_INTERNET_INBOUND,
];
