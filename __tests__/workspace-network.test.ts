import { WorkspaceNetwork, WorkspaceNetworkProps } from "../lib/secure-workspace/workspace-network";
import { DATABRICKS_SUBNET_RULES } from "../lib/secure-workspace/nsg-rules";
import { resourceNamed, resourcesOf, synth, testStack } from "./helpers";

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

  test("NSG rules: the Databricks outbound service tags on the documented ports, nothing inbound from the internet", () => {
    const rules = resourcesOf(synth(build().stack), "azurerm_network_security_rule");
    const outbound = (tag: string) => rules.find((r) => r.direction === "Outbound" && r.destination_address_prefix === tag && r.access === "Allow");
    expect(outbound("AzureDatabricks")!.destination_port_ranges).toEqual(["443", "3306", "8443-8451"]);
    expect(outbound("Sql")!.destination_port_ranges).toEqual(["3306"]);
    expect(outbound("Storage")!.destination_port_ranges).toEqual(["443"]);
    expect(outbound("EventHub")!.destination_port_ranges).toEqual(["9093"]);
    const inboundAllows = rules.filter((r) => r.direction === "Inbound" && r.access === "Allow");
    expect(inboundAllows.every((r) => r.source_address_prefix === "VirtualNetwork")).toBe(true);
    expect(rules.filter((r) => r.direction === "Inbound" && r.source_address_prefix === "Internet").every((r) => r.access === "Deny")).toBe(true);
    expect(rules).toHaveLength(DATABRICKS_SUBNET_RULES.length + 2);
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
