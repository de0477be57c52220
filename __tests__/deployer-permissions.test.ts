import { DATABRICKS_AUTHORIZATION } from "../lib/ci/databricks-authorization";
import { deployerRole, PERMISSIONS_BY_TYPE, stackPermissions } from "../lib/ci/deployer-permissions";
import { readSynthesizedApp, SynthesizedStack } from "../lib/ci/synthesized-app";
import { sampleSynth } from "./sample-synth";

const stacks = readSynthesizedApp(sampleSynth());
const byName = (name: string) => stacks.find((s) => s.name === name)!;

describe("deployer permissions, from the synthesized stacks", () => {
  test("every resource type of the sample app is mapped", () => {
    const types = new Set(stacks.flatMap((s) => Object.keys((s.json.resource ?? {}) as object)));
    expect([...types].filter((t) => !(t in (t.startsWith("databricks_") ? DATABRICKS_AUTHORIZATION : PERMISSIONS_BY_TYPE)))).toEqual([]);
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

  test("the hub's role covers what is created in the hub's subscription and what links to it (reviews B1, B4)", () => {
    const hub = deployerRole(stacks, "prod", "azurerm.hub")!;
    expect(hub.Actions).toEqual([
      // the status URLs of the peerings' and the zone links' long-running operations (B4)
      "Microsoft.Network/locations/operationResults/read",
      "Microsoft.Network/locations/operations/read",
      "Microsoft.Network/privateDnsOperationResults/read",
      "Microsoft.Network/privateDnsOperationStatuses/read",
      // the spokes' endpoints register in the hub's zones, and two of them sit in the hub's subnet (B1)
      "Microsoft.Network/privateDnsZones/join/action",
      "Microsoft.Network/privateDnsZones/virtualNetworkLinks/delete",
      "Microsoft.Network/privateDnsZones/virtualNetworkLinks/read",
      "Microsoft.Network/privateDnsZones/virtualNetworkLinks/write",
      // the spoke's peering to the hub VNet
      "Microsoft.Network/virtualNetworks/peer/action",
      "Microsoft.Network/virtualNetworks/subnets/join/action",
      "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete",
      "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read",
      "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write",
      // the provider on the hub's subscription lists its resource providers when it starts
      "Microsoft.Resources/subscriptions/providers/read",
    ]);
    expect(deployerRole(stacks, "dev", "azurerm.hub")).toBeUndefined();
  });

  test("a linked action is charged to the subscription of the resource referenced: a stack variable's resourcesIn, else the referencing provider", () => {
    const json = {
      variable: { hub_zone: { "//": { resourcesIn: "azurerm.hub" } }, local_subnet: {} },
      resource: {
        azurerm_private_endpoint: { e: { subnet_id: "${var.local_subnet}", private_dns_zone_group: { private_dns_zone_ids: ["${var.hub_zone}"] } } },
        azurerm_private_dns_zone_virtual_network_link: { l: { provider: "azurerm.hub", virtual_network_id: "${azurerm_virtual_network.v.id}" } },
        azurerm_virtual_network: { v: {} },
      },
    };
    const permissions = stackPermissions({ ...byName("platform-prod"), json }).byProvider;
    expect(permissions.get("azurerm.hub")!.actions).toContain("Microsoft.Network/privateDnsZones/join/action");
    expect(permissions.get("azurerm.hub")!.actions).not.toContain("Microsoft.Network/virtualNetworks/subnets/join/action");
    expect(permissions.get("azurerm")!.actions).toEqual(expect.arrayContaining(["Microsoft.Network/virtualNetworks/subnets/join/action", "Microsoft.Network/virtualNetworks/join/action"]));
    expect(permissions.get("azurerm")!.actions).not.toContain("Microsoft.Network/privateDnsZones/join/action");
  });

  test("what the providers call beyond CRUD: file service reads (B2), template validation and export (B3), status URLs (B4), the provider start", () => {
    const prod = deployerRole(stacks, "prod")!.Actions;
    expect(prod).toEqual(
      expect.arrayContaining([
        "Microsoft.Storage/storageAccounts/fileServices/read",
        "Microsoft.Resources/deployments/validate/action",
        "Microsoft.Resources/deployments/exportTemplate/action",
        "Microsoft.Network/locations/operations/read",
        "Microsoft.Storage/operations/read",
        "Microsoft.Databricks/locations/operationstatuses/read",
        "Microsoft.Cache/locations/operationsStatus/read",
        "Microsoft.Resources/subscriptions/providers/read",
      ]),
    );
  });

  test("per resource: an endpoint's target approval, a template's resources, Graph and Databricks", () => {
    const platform = stackPermissions(byName("platform-dev")).byProvider.get("azurerm")!;
    expect(platform.actions).toEqual(expect.arrayContaining(["Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action", "Microsoft.Databricks/workspaces/privateEndpointConnectionsApproval/action"]));
    const features = stackPermissions(byName("features-dev")).byProvider.get("azurerm")!;
    expect(features.actions).toContain("Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments/write");
    expect(stackPermissions(byName("domain-mkt-dev")).byProvider.get("azuread")!.graph).toEqual(["Group.Create"]);
    expect(stackPermissions(byName("domain-mkt-prod")).byProvider.has("azuread")).toBe(false);
    expect(stackPermissions(byName("catalog-dev")).byProvider.get("databricks.account")!.databricks).toEqual(
      expect.arrayContaining(["databricks_group: account-admin", "databricks_metastore_assignment: account-admin", "databricks_mws_permission_assignment: account-admin"]),
    );
    expect(stackPermissions(byName("catalog-dev")).byProvider.get("databricks.workspace")!.databricks).toEqual(
      expect.arrayContaining(["databricks_catalog: CREATE_CATALOG, or metastore-admin", "databricks_storage_credential: CREATE_STORAGE_CREDENTIAL, or metastore-admin"]),
    );
    expect(stackPermissions(byName("domain-sales-prod")).byProvider.get("databricks.account")!.databricks).toEqual(
      expect.arrayContaining(["databricks_budget_policy: account-admin", "databricks_access_control_rule_set: account-admin"]),
    );
  });

  test("an unmapped resource type fails the generation, naming it and where to add it", () => {
    const stack: SynthesizedStack = { ...byName("pim-prod"), json: { resource: { azurerm_sql_server: { x: {} } } } };
    expect(() => stackPermissions(stack)).toThrow(/stack pim-prod: no deployer permissions are known for azurerm_sql_server: add it to PERMISSIONS_BY_TYPE/);
  });
});
