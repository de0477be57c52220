import { deployerRole, PERMISSIONS_BY_TYPE, stackPermissions } from "../lib/ci/deployer-permissions";
import { readSynthesizedApp, SynthesizedStack } from "../lib/ci/synthesized-app";
import { sampleSynth } from "./sample-synth";

const stacks = readSynthesizedApp(sampleSynth());
const byName = (name: string) => stacks.find((s) => s.name === name)!;

describe("deployer permissions, from the synthesized stacks", () => {
  test("every resource type of the sample app is mapped", () => {
    const types = new Set(stacks.flatMap((s) => Object.keys((s.json.resource ?? {}) as object)));
    expect([...types].filter((t) => !(t in PERMISSIONS_BY_TYPE))).toEqual([]);
  });

  test("the production role holds what Contributor cannot do: locks, role assignments, PIM requests", () => {
    const role = deployerRole(stacks, "prod")!;
    for (const action of [
      "Microsoft.Authorization/locks/write",
      "Microsoft.Authorization/roleAssignments/write",
      "Microsoft.Authorization/roleEligibilityScheduleRequests/write",
    ]) {
      expect(role.Actions).toContain(action);
    }
    expect(role.Actions.some((a) => a.includes("*"))).toBe(false);
    expect(role.AssignableScopes).toEqual(["/subscriptions/<subscription-id>"]);
  });

  test("role definitions are asked for only where a stack defines a custom role", () => {
    expect(deployerRole(stacks, "prod")!.Actions).not.toContain("Microsoft.Authorization/roleDefinitions/write");
    const withRole: SynthesizedStack = { ...byName("domain-sales-prod"), json: { resource: { azurerm_role_definition: { reader: {} } } } };
    expect(stackPermissions(withRole).byProvider.get("azurerm")!.actions).toContain("Microsoft.Authorization/roleDefinitions/write");
  });

  test("dev has no PIM, so its role has no PIM actions; both have the recovery step's", () => {
    const dev = deployerRole(stacks, "dev")!;
    expect(dev.Actions.some((a) => a.includes("roleEligibility"))).toBe(false);
    for (const role of [dev, deployerRole(stacks, "prod")!]) {
      expect(role.Actions).toEqual(expect.arrayContaining(["Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/checkNameAvailability/read", "Microsoft.Resources/subscriptions/resourceGroups/moveResources/action"]));
    }
  });

  test("the hub's role covers exactly what is created in the hub's subscription", () => {
    const hub = deployerRole(stacks, "prod", "azurerm.hub")!;
    expect(hub.Actions).toEqual([
      "Microsoft.Network/privateDnsZones/virtualNetworkLinks/delete",
      "Microsoft.Network/privateDnsZones/virtualNetworkLinks/read",
      "Microsoft.Network/privateDnsZones/virtualNetworkLinks/write",
      "Microsoft.Network/virtualNetworks/join/action",
      "Microsoft.Network/virtualNetworks/peer/action",
      "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete",
      "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read",
      "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write",
    ]);
    expect(deployerRole(stacks, "dev", "azurerm.hub")).toBeUndefined();
  });

  test("per resource: an endpoint's target approval, a template's resources, Graph and Databricks", () => {
    const platform = stackPermissions(byName("platform-dev")).byProvider.get("azurerm")!;
    expect(platform.actions).toEqual(expect.arrayContaining(["Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action", "Microsoft.Databricks/workspaces/privateEndpointConnectionsApproval/action"]));
    const features = stackPermissions(byName("features-dev")).byProvider.get("azurerm")!;
    expect(features.actions).toContain("Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments/write");
    expect(stackPermissions(byName("domain-mkt-dev")).byProvider.get("azuread")!.graph).toEqual(["Group.Create"]);
    expect(stackPermissions(byName("domain-mkt-prod")).byProvider.has("azuread")).toBe(false);
    expect(stackPermissions(byName("catalog-dev")).byProvider.get("databricks.account")!.databricks).toEqual([
      "account admin",
      "account admin (assigns principals to the workspace)",
      "account admin (creates the account groups grants name)",
    ]);
    expect(stackPermissions(byName("domain-sales-prod")).byProvider.get("databricks.account")!.databricks).toEqual(
      expect.arrayContaining(["account admin (billing admin)", "account admin (manages the budget policy's users)"]),
    );
  });

  test("an unmapped resource type fails the generation, naming it and where to add it", () => {
    const stack: SynthesizedStack = { ...byName("pim-prod"), json: { resource: { azurerm_sql_server: { x: {} } } } };
    expect(() => stackPermissions(stack)).toThrow(/stack pim-prod: no deployer permissions are known for azurerm_sql_server: add it to PERMISSIONS_BY_TYPE/);
  });
});
