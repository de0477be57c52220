import { WorkspaceNetwork, WorkspaceNetworkProps } from "../lib/secure-workspace/workspace-network";
import { DATABRICKS_SUBNET_RULES } from "../lib/secure-workspace/nsg-rules";
import { resourceNamed, resourcesOf, synth, testStack } from "./helpers";

const LOGS = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log";

function build(overrides: Partial<WorkspaceNetworkProps> = {}) {
  const { stack, naming } = testStack();
  const network = new WorkspaceNetwork(stack, "network", { naming, purpose: "core", resourceGroupName: "rg", location: "westeurope", addressSpace: "10.20.0.0/22", ...overrides });
  return { stack, network };
}

describe("WorkspaceNetwork", () => {
  test("carves host, container and private-endpoint subnets and reports capacity", () => {
    const { network } = build();
    expect(network.cidrs).toEqual({ vnet: "10.20.0.0/22", host: "10.20.0.0/24", container: "10.20.1.0/24", privateEndpoint: "10.20.2.0/25" });
    expect(network.maxClusterNodes).toBe(251);
    expect(build({ addressSpace: "10.0.0.0/16" }).network.cidrs.privateEndpoint).toBe("10.0.128.0/24");
    expect(build({ addressSpace: "10.0.0.0/24" }).network.cidrs).toMatchObject({ host: "10.0.0.0/26", container: "10.0.0.64/26", privateEndpoint: "10.0.0.128/27" });
  });

  test("Databricks subnets are delegated, without default outbound access, each behind an NSG", () => {
    const json = synth(build().stack);
    const host = resourceNamed(json, "azurerm_subnet", "snet-lake-core-host-dev-weu");
    expect(host).toMatchObject({ default_outbound_access_enabled: false, address_prefixes: ["10.20.0.0/24"] });
    expect((host.delegation as { service_delegation: { name: string } }[])[0].service_delegation.name).toBe("Microsoft.Databricks/workspaces");
    const pe = resourceNamed(json, "azurerm_subnet", "snet-lake-core-pe-dev-weu");
    expect(pe).toMatchObject({ default_outbound_access_enabled: false, private_endpoint_network_policies: "Enabled" });
    expect(pe.delegation).toBeUndefined();
    expect(resourcesOf(json, "azurerm_subnet_network_security_group_association")).toHaveLength(3);
  });

  test("NSG rules: Databricks' own rules exactly as it declares them, nothing of ours in its priorities, nothing inbound from the internet", () => {
    const rules = resourcesOf(synth(build().stack), "azurerm_network_security_rule");
    const databricks = rules.filter((r) => String(r.name).startsWith("Microsoft.Databricks-workspaces_UseOnly_"));
    expect(databricks.map((r) => [String(r.name).slice("Microsoft.Databricks-workspaces_UseOnly_".length), r.direction, r.priority, r.destination_address_prefix, r.destination_port_range ?? r.destination_port_ranges]).sort()).toEqual([
      ["databricks-worker-to-eventhub", "Outbound", 104, "EventHub", ["9093"]],
      ["databricks-worker-to-sql", "Outbound", 101, "Sql", ["3306"]],
      ["databricks-worker-to-storage", "Outbound", 102, "Storage", ["443"]],
      ["databricks-worker-to-worker-inbound", "Inbound", 100, "VirtualNetwork", "*"],
      ["databricks-worker-to-worker-outbound", "Outbound", 103, "VirtualNetwork", "*"],
    ]);
    // With back-end Private Link (NoAzureDatabricksRules) there is no rule to the AzureDatabricks tag.
    expect(rules.some((r) => r.destination_address_prefix === "AzureDatabricks")).toBe(false);
    const dbwNsg = (r: Record<string, unknown>) => String(r.network_security_group_name).includes("databricks-nsg");
    const ours = rules.filter((r) => dbwNsg(r) && !String(r.name).startsWith("Microsoft.Databricks-workspaces_UseOnly_"));
    expect(ours.every((r) => Number(r.priority) >= 200)).toBe(true);
    const inboundAllows = rules.filter((r) => r.direction === "Inbound" && r.access === "Allow");
    expect(inboundAllows.every((r) => r.source_address_prefix === "VirtualNetwork")).toBe(true);
    expect(rules.filter((r) => r.direction === "Inbound" && r.source_address_prefix === "Internet").every((r) => r.access === "Deny")).toBe(true);
    expect(rules).toHaveLength(DATABRICKS_SUBNET_RULES.length + 2);
  });

  const rule = (priority: number, direction: "Inbound" | "Outbound" = "Outbound", name = "allow-proxy") => ({ name, description: "test", priority, direction, access: "Allow" as const, protocol: "Tcp" as const, sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "10.0.0.5", destinationPortRanges: ["8080"] });

  test.each<[string, NonNullable<WorkspaceNetworkProps["additionalRules"]>, RegExp]>([
    ["a priority Databricks reserves on its subnets", { databricks: [rule(150)] }, /invalid additionalRules\.databricks\[6\]\.priority 150: expected a priority outside 100–199, which Azure Databricks reserves/],
    ["a priority taken in the same direction", { databricks: [rule(300), rule(300, "Outbound", "allow-other")] }, /invalid additionalRules\.databricks\[7\]\.priority 300: expected a priority not used by allow-proxy in the same direction \(Azure: SecurityRuleConflict\)/],
    ["a name in Databricks' namespace", { databricks: [rule(300, "Outbound", "Microsoft.Databricks-workspaces_UseOnly_mine")] }, /invalid additionalRules\.databricks\[6\]\.name .*: expected a name not starting with Microsoft\.Databricks-workspaces_UseOnly_/],
    ["a priority out of range", { privateEndpoint: [rule(5000, "Inbound")] }, /invalid additionalRules\.privateEndpoint\[2\]\.priority 5000: expected an integer from 100 to 4096/],
  ])("extra NSG rules: %s fails at synth", (_name, additionalRules, message) => {
    expect(() => build({ additionalRules })).toThrow(message);
  });

  test("extra rules at free priorities are added; 150 is fine on the private-endpoint subnet, which Databricks does not manage", () => {
    const rules = resourcesOf(synth(build({ additionalRules: { databricks: [rule(300)], privateEndpoint: [rule(150, "Inbound")] } }).stack), "azurerm_network_security_rule");
    expect(rules.filter((r) => r.name === "allow-proxy").map((r) => r.priority).sort()).toEqual([150, 300]);
  });

  test("both NSGs send their flow events and rule counters to Log Analytics (no metrics: NSGs export none)", () => {
    const json = synth(build({ logAnalyticsWorkspaceId: LOGS }).stack);
    const settings = resourcesOf(json, "azurerm_monitor_diagnostic_setting");
    expect(settings.map((d) => d.target_resource_id).sort()).toEqual([expect.stringMatching(/databricks-nsg/), expect.stringMatching(/pe-nsg/)]);
    for (const d of settings) {
      expect(d.enabled_log).toEqual([{ category: "NetworkSecurityGroupEvent" }, { category: "NetworkSecurityGroupRuleCounter" }]);
      expect(d.enabled_metric).toBeUndefined();
      expect(d.log_analytics_destination_type).toBeUndefined();
    }
  });

  test("NAT gateway egress by default, on both Databricks subnets", () => {
    const json = synth(build().stack);
    expect(resourcesOf(json, "azurerm_nat_gateway")[0]).toMatchObject({ sku_name: "Standard", idle_timeout_in_minutes: 4 });
    expect(resourcesOf(json, "azurerm_public_ip")[0]).toMatchObject({ sku: "Standard", allocation_method: "Static" });
    expect(resourcesOf(json, "azurerm_subnet_nat_gateway_association")).toHaveLength(2);
    expect(resourcesOf(json, "azurerm_route_table")).toHaveLength(0);
  });

  test("firewall egress: default route to the firewall, no NAT gateway", () => {
    const json = synth(build({ egress: { mode: "firewall", firewallPrivateIp: "10.0.0.4" } }).stack);
    expect(resourcesOf(json, "azurerm_route_table")[0]).toMatchObject({ bgp_route_propagation_enabled: false });
    expect(resourcesOf(json, "azurerm_route")).toContainEqual(expect.objectContaining({ address_prefix: "0.0.0.0/0", next_hop_type: "VirtualAppliance", next_hop_in_ip_address: "10.0.0.4" }));
    expect(resourcesOf(json, "azurerm_subnet_route_table_association")).toHaveLength(2);
    expect(resourcesOf(json, "azurerm_nat_gateway")).toHaveLength(0);
  });

  test("an existing VNet gets the subnets, and no new VNet is created", () => {
    const id = "/subscriptions/0/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-shared";
    const { stack } = build({ addressSpace: undefined, existingVirtualNetwork: { id, name: "vnet-shared", resourceGroupName: "rg-net", addressSpace: "10.50.0.0/21" } });
    const json = synth(stack);
    expect(resourcesOf(json, "azurerm_virtual_network")).toHaveLength(0);
    expect(resourcesOf(json, "azurerm_subnet").every((s) => s.virtual_network_name === "vnet-shared" && s.resource_group_name === "rg-net")).toBe(true);
  });
});

describe("WorkspaceNetwork bad input", () => {
  const existing = { id: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v", name: "v", resourceGroupName: "rg", addressSpace: "10.0.0.0/20" };
  test.each<[string, Partial<WorkspaceNetworkProps>, RegExp]>([
    ["VNet larger than /16", { addressSpace: "10.0.0.0/15" }, /test\/network: invalid addressSpace "10\.0\.0\.0\/15": expected a \/16 to \/24 CIDR block/],
    ["VNet smaller than /24", { addressSpace: "10.0.0.0/25" }, /invalid addressSpace "10\.0\.0\.0\/25": expected a \/16 to \/24 CIDR block/],
    ["VNet not a CIDR", { addressSpace: "10.0.0.0" }, /invalid addressSpace "10\.0\.0\.0": expected an IPv4 CIDR block/],
    ["VNet with host bits", { addressSpace: "10.0.0.1/22" }, /invalid addressSpace "10\.0\.0\.1\/22": expected an IPv4 CIDR block with no host bits set/],
    ["no address space", { addressSpace: undefined }, /invalid addressSpace \(missing\): expected the VNet address space/],
    ["host subnet smaller than /26", { hostSubnetCidr: "10.20.0.0/27" }, /invalid hostSubnetCidr "10\.20\.0\.0\/27": expected a \/26 or larger subnet/],
    ["container subnet smaller than /26", { containerSubnetCidr: "10.20.1.0/28" }, /invalid containerSubnetCidr "10\.20\.1\.0\/28": expected a \/26 or larger subnet/],
    ["subnet outside the VNet", { hostSubnetCidr: "10.99.0.0/24" }, /invalid hostSubnetCidr "10\.99\.0\.0\/24": expected a range inside the VNet 10\.20\.0\.0\/22/],
    ["host and container overlap", { hostSubnetCidr: "10.20.0.0/24", containerSubnetCidr: "10.20.0.128/25" }, /invalid hostSubnetCidr "10\.20\.0\.0\/24": expected a range that does not overlap containerSubnetCidr \(10\.20\.0\.128\/25\)/],
    ["private-endpoint subnet overlaps", { privateEndpointSubnetCidr: "10.20.1.0/26" }, /invalid containerSubnetCidr "10\.20\.1\.0\/24": expected a range that does not overlap privateEndpointSubnetCidr/],
    ["private-endpoint subnet too small", { privateEndpointSubnetCidr: "10.20.3.0/29" }, /invalid privateEndpointSubnetCidr "10\.20\.3\.0\/29": expected a \/28 or larger subnet/],
    ["overlap with another subnet", { otherSubnetCidrs: ["10.20.2.64/26"] }, /invalid privateEndpointSubnetCidr "10\.20\.2\.0\/25": expected a range that does not overlap otherSubnetCidrs\[0\]/],
    ["address space with an existing VNet", { existingVirtualNetwork: existing }, /invalid addressSpace "10\.20\.0\.0\/22": expected no addressSpace with existingVirtualNetwork/],
    ["existing VNet ID", { addressSpace: undefined, existingVirtualNetwork: { ...existing, id: "vnet-1" } }, /invalid existingVirtualNetwork\.id "vnet-1": expected an Azure resource ID/],
    ["firewall IP", { egress: { mode: "firewall", firewallPrivateIp: "firewall" } }, /invalid egress\.firewallPrivateIp "firewall": expected an IPv4 address/],
    ["NAT idle timeout", { egress: { mode: "natGateway", idleTimeoutMinutes: 2 } }, /invalid egress\.idleTimeoutMinutes 2: expected an integer from 4 to 120/],
    ["egress mode", { egress: { mode: "internet" } as never }, /invalid egress\.mode "internet": expected "natGateway" or "firewall"/],
  ])("%s", (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
