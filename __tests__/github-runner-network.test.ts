import { TerraformVariable } from "cdktf";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stackPermissions } from "../lib/ci/deployer-permissions";
import { readSynthesizedApp } from "../lib/ci/synthesized-app";
import { GitHubRunnerNetwork, GitHubRunnerNetworkProps, NETWORK_SETTINGS_API_VERSION } from "../lib/network/github-runner-network";
import { DEFAULT_CONFIG_DIR, loadConfig } from "../stacks/config/load";
import { synthesize } from "../stacks/synth";
import { resourcesOf, synth, testStack } from "./helpers";

const tmp = mkdtempSync(join(tmpdir(), "medallion-runner-network-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function build(overrides: Partial<GitHubRunnerNetworkProps> = {}) {
  const { stack, naming } = testStack("test", overrides.location ?? "northeurope");
  const businessId = new TerraformVariable(stack, "github_network_business_id", { type: "string" }).stringValue;
  const network = new GitHubRunnerNetwork(stack, "runners", { naming, resourceGroupName: "rg-transit", location: "northeurope", virtualNetworkName: "vnet-transit", addressPrefix: "10.20.9.0/27", businessId, ...overrides });
  return { stack, network };
}

describe("GitHubRunnerNetwork", () => {
  test("a subnet delegated to GitHub.Network/networkSettings behind an NSG, and the networkSettings resource over it", () => {
    const json = synth(build().stack);
    const [subnet] = resourcesOf(json, "azurerm_subnet");
    expect(subnet).toMatchObject({ virtual_network_name: "vnet-transit", address_prefixes: ["10.20.9.0/27"], default_outbound_access_enabled: false });
    expect((subnet.delegation as { service_delegation: { name: string } }[])[0].service_delegation.name).toBe("GitHub.Network/networkSettings");
    expect(resourcesOf(json, "azurerm_subnet_network_security_group_association")).toHaveLength(1);
    const rules = resourcesOf(json, "azurerm_network_security_rule").map((r) => `${r.direction} ${r.access} ${r.destination_address_prefix}`).sort();
    expect(rules).toEqual(["Inbound Deny *", "Outbound Allow Internet", "Outbound Allow VirtualNetwork", "Outbound Deny *"]);
    const [deployment] = resourcesOf(json, "azurerm_resource_group_template_deployment");
    const template = JSON.parse(String(deployment.template_content)) as { resources: { type: string; apiVersion: string; properties: Record<string, string> }[] };
    expect(template.resources).toEqual([expect.objectContaining({ type: "GitHub.Network/networkSettings", apiVersion: NETWORK_SETTINGS_API_VERSION, properties: { subnetId: "[parameters('subnetId')]", businessId: "[parameters('businessId')]" } })]);
    // The subnet and the GitHub business ID are references, never literals; the deployment waits for the NSG.
    expect(String(deployment.parameters_content)).toMatch(/"subnetId" = \{"value" = azurerm_subnet\.[\w-]+\.id\}/);
    expect(String(deployment.parameters_content)).toMatch(/"businessId" = \{"value" = var\.github_network_business_id\}/);
    expect(deployment.depends_on).toEqual([expect.stringMatching(/^azurerm_subnet_network_security_group_association\./)]);
  });

  test("the subnet has no default outbound access, so it leaves through a NAT gateway of its own unless the VNet routes it (review M7)", () => {
    const json = synth(build().stack);
    const [nat] = resourcesOf(json, "azurerm_nat_gateway");
    expect(nat).toMatchObject({ sku_name: "Standard", location: "northeurope", resource_group_name: "rg-transit" });
    expect(resourcesOf(json, "azurerm_public_ip")).toEqual([expect.objectContaining({ sku: "Standard", allocation_method: "Static" })]);
    expect(resourcesOf(json, "azurerm_subnet_nat_gateway_association")).toEqual([expect.objectContaining({ subnet_id: expect.stringMatching(/^\$\{azurerm_subnet\.[\w-]+\.id\}$/), nat_gateway_id: expect.stringMatching(/^\$\{azurerm_nat_gateway\.[\w-]+\.id\}$/) })]);
    expect(resourcesOf(synth(build({ egress: "routed" }).stack), "azurerm_nat_gateway")).toHaveLength(0);
    expect(() => build({ egress: "open" as never })).toThrow(/invalid egress "open": expected "natGateway" or "routed"/);
  });

  test("fails at synth outside GitHub's supported regions, and on a subnet smaller than /28", () => {
    expect(() => build({ location: "westeurope" })).toThrow(/test\/runners: invalid location "westeurope": expected a region where GitHub-hosted runners can join a VNet \(.*northeurope.*\); elsewhere use self-hosted runners/);
    expect(() => build({ addressPrefix: "10.20.9.0/29" })).toThrow(/test\/runners: invalid addressPrefix "10\.20\.9\.0\/29": expected a \/28 or larger subnet/);
  });
});

describe("the sample app with deploy.runnerNetwork (in a supported region)", () => {
  const config = join(tmp, "config");
  cpSync(DEFAULT_CONFIG_DIR, config, { recursive: true, filter: (src) => !src.endsWith(".ts") && !src.endsWith(".js") });
  for (const [env, prefix] of [["dev", "10.20.9.0/27"], ["prod", "10.0.250.0/27"]]) {
    const file = join(config, "environments", `${env}.yaml`);
    // prod's disaster recovery secondary moves too: it must stay in another region than its primary.
    const text = readFileSync(file, "utf8").replace("    location: northeurope", "    location: swedencentral").replace("location: westeurope", "location: northeurope").replace("  stateBackend:\n", `  runnerNetwork: { addressPrefix: ${prefix} }\n  stateBackend:\n`);
    writeFileSync(file, text);
  }
  const out = join(tmp, "app", "cdktf.out");
  mkdirSync(join(tmp, "app"), { recursive: true });
  synthesize(loadConfig(config), out);
  const stacks = readSynthesizedApp(out);
  const platform = (env: string) => stacks.find((s) => s.name === `platform-${env}`)!.json as { resource: Record<string, Record<string, Record<string, unknown>>>; output: Record<string, unknown>; variable: Record<string, unknown> };

  test("dev: the runner subnet in the transit VNet, which gets the range; its IDs are outputs; the business ID a variable", () => {
    const dev = platform("dev");
    const transit = Object.values(dev.resource.azurerm_virtual_network).find((v) => String(v.name).includes("transit"))!;
    expect(transit.address_space).toEqual(["10.20.8.0/24", "10.20.9.0/27"]);
    const runners = Object.values(dev.resource.azurerm_subnet).find((s) => String(s.name).includes("runners"))!;
    expect(runners.virtual_network_name).toMatch(/^\$\{azurerm_virtual_network\.transit_vnet_/);
    expect(Object.keys(dev.output)).toEqual(expect.arrayContaining(["runner_network_settings_id", "runner_network_github_id"]));
    expect(dev.variable).toHaveProperty("github_network_business_id");
    expect(stackPermissions(stacks.find((s) => s.name === "platform-dev")!).byProvider.get("azurerm")!.actions).toEqual(expect.arrayContaining(["GitHub.Network/networkSettings/write"]));
  });

  test("prod (hub managed here): the runner subnet in the hub VNet, through the hub's provider", () => {
    const prod = platform("prod");
    const runners = Object.values(prod.resource.azurerm_subnet).find((s) => String(s.name).includes("runners"))!;
    expect(runners.provider).toBe("azurerm.hub");
    expect(String(runners.virtual_network_name)).toMatch(/element\(split\("\/", var\.hub_transit_vnet_id\), 8\)/);
  });
});
