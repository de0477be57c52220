import { requestAction } from "../rehearsal/authorization/actions";
import { actionMatches, grantFor, RoleAssignment } from "../rehearsal/authorization/evaluate";
import { linkedChecks } from "../rehearsal/authorization/linked-access";
import { emulatedSide } from "../rehearsal/emulated-side";
import { AzureEmulator } from "../rehearsal/emulator/emulator";
import { EmulatorRequest } from "../rehearsal/emulator/http";

const SUB = "/subscriptions/11111111-1111-4111-8111-111111111111";
const RG = `${SUB}/resourceGroups/rg`;

describe("request → action (ARM's operation format, independent of the role generator)", () => {
  test.each([
    ["PUT", `${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s`, "Microsoft.Network/virtualNetworks/subnets/write"],
    ["GET", `${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets`, "Microsoft.Network/virtualNetworks/subnets/read"],
    ["DELETE", RG, "Microsoft.Resources/subscriptions/resourceGroups/delete"],
    ["GET", `${RG}/resources`, "Microsoft.Resources/subscriptions/resourceGroups/resources/read"],
    ["GET", `${SUB}/providers`, "Microsoft.Resources/subscriptions/providers/read"],
    ["GET", `${SUB}/providers/Microsoft.Cache`, "Microsoft.Resources/subscriptions/providers/read"],
    ["POST", `${RG}/providers/Microsoft.Storage/storageAccounts/a/listKeys`, "Microsoft.Storage/storageAccounts/listKeys/action"],
    ["POST", `${SUB}/providers/Microsoft.KeyVault/locations/westeurope/deletedVaults/kv/purge`, "Microsoft.KeyVault/locations/deletedVaults/purge/action"],
    ["PUT", `${RG}/providers/Microsoft.Storage/storageAccounts/a/blobServices/default/providers/Microsoft.Insights/diagnosticSettings/d`, "Microsoft.Insights/diagnosticSettings/write"],
    ["GET", `${SUB}/providers/Microsoft.Network/locations/westeurope/operations/op`, "Microsoft.Network/locations/operations/read"],
    // Storage publishes its status poll under another name than its status URL spells.
    ["GET", `${SUB}/providers/Microsoft.Storage/locations/westeurope/asyncoperations/op`, "Microsoft.Storage/operations/read"],
    ["GET", `//subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n`, "Microsoft.Network/networkSecurityGroups/read"],
  ])("%s %s → %s", (method, path, action) => {
    expect(requestAction(method, path).action).toBe(action);
  });
});

describe("RBAC evaluation", () => {
  const role = (actions: string[], notActions: string[] = []) => ({ id: "r", roleName: "r", actions, notActions, dataActions: [], notDataActions: [] });
  const assignment = (scope: string, actions: string[], notActions: string[] = []): RoleAssignment => ({ principalId: "P", scope, role: role(actions, notActions), origin: "test" });

  test("wildcards match without case; NotActions subtract; scopes inherit downwards only", () => {
    expect(actionMatches("Microsoft.Network/*/read", "microsoft.network/virtualNetworks/subnets/READ")).toBe(true);
    expect(actionMatches("*/read", "Microsoft.Storage/storageAccounts/listKeys/action")).toBe(false);
    const contributor = [assignment(SUB, ["*"], ["Microsoft.Authorization/*/Write"])];
    expect(grantFor(contributor, "p", "Microsoft.Network/virtualNetworks/write", `${RG}/providers/Microsoft.Network/virtualNetworks/v`)).toBeDefined();
    expect(grantFor(contributor, "P", "Microsoft.Authorization/locks/write", `${RG}/providers/Microsoft.Authorization/locks/l`)).toBeUndefined();
    const atGroup = [assignment(RG, ["*/read"])];
    expect(grantFor(atGroup, "P", "Microsoft.Resources/subscriptions/providers/read", `${SUB}/providers`)).toBeUndefined();
    expect(grantFor(atGroup, "P", "Microsoft.Network/virtualNetworks/read", `${RG}x/providers/Microsoft.Network/virtualNetworks/v`)).toBeUndefined();
  });
});

describe("linked access checks", () => {
  test("an endpoint needs join on its subnet and zones and the target's approval; self and parent references are not linked", () => {
    const pe = `${RG}/providers/Microsoft.Network/privateEndpoints/pe`;
    const checks = linkedChecks(pe, {
      id: pe,
      properties: {
        subnet: { id: `${SUB}/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/v/subnets/s` },
        privateLinkServiceConnections: [{ properties: { privateLinkServiceId: `${RG}/providers/Microsoft.Storage/storageAccounts/a`, groupIds: ["blob"] } }],
      },
    });
    expect(checks.map((c) => c.action).sort()).toEqual(["Microsoft.Network/virtualNetworks/subnets/join/action", "Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action"]);
    const group = linkedChecks(`${pe}/privateDnsZoneGroups/default`, { properties: { privateDnsZoneConfigs: [{ properties: { privateDnsZoneId: `${SUB}/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net` } }] } });
    expect(group.map((c) => c.action)).toEqual(["Microsoft.Network/privateDnsZones/join/action"]);
    const subnet = `${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s`;
    expect(linkedChecks(subnet, { id: subnet, properties: { networkSecurityGroup: { id: `${RG}/providers/Microsoft.Network/networkSecurityGroups/n` } } }).map((c) => c.action)).toEqual(["Microsoft.Network/networkSecurityGroups/join/action"]);
  });

  test("a storage network rule joins through the service endpoint; a peering needs peer on the remote VNet", () => {
    const rules = linkedChecks(`${RG}/providers/Microsoft.Storage/storageAccounts/a`, { properties: { networkAcls: { virtualNetworkRules: [{ id: `${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s` }] } } });
    expect(rules.map((c) => c.action)).toEqual(["Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action"]);
    const peering = linkedChecks(`${RG}/providers/Microsoft.Network/virtualNetworks/v/virtualNetworkPeerings/p`, { properties: { remoteVirtualNetwork: { id: `${SUB}/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub` } } });
    expect(peering.map((c) => c.action)).toEqual(["Microsoft.Network/virtualNetworks/peer/action"]);
  });
});

describe("the ARM emulator", () => {
  const make = () => {
    const emulator = new AzureEmulator({ tenantId: "t", subscriptions: [{ id: SUB.split("/")[2], displayName: "s" }], locations: ["westeurope"] });
    emulator.entra.add({ name: "deployer", clientId: "c", clientSecret: "s", objectId: "o", tenantId: "t" });
    const token = JSON.parse(JSON.stringify(emulator.entra.handleToken(req("POST", "/t/oauth2/v2.0/token", "client_id=c&client_secret=s&scope=https%3A%2F%2Fmanagement.azure.com%2F.default&grant_type=client_credentials", {}, "login.microsoftonline.com")).body)).access_token as string;
    const call = (method: string, path: string, body?: unknown) => emulator.arm.handle(req(method, path, body === undefined ? "" : JSON.stringify(body), { authorization: `Bearer ${token}` }), "test/apply");
    const grant = (actions: string[]) => {
      emulator.arm.defineRole({ id: "aaaaaaaa-0000-4000-8000-000000000001", roleName: "deployer role", actions, notActions: [], dataActions: [], notDataActions: [] });
      emulator.arm.assignRole("o", SUB, "aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000001");
    };
    return { emulator, call, grant };
  };

  test("every call is authorized, the status URL of a long-running operation included", () => {
    const { call, grant } = make();
    expect(call("PUT", RG, { location: "westeurope" })).toMatchObject({ status: 403, body: { error: { code: "AuthorizationFailed" } } });
    grant(["Microsoft.Resources/subscriptions/resourceGroups/write", "Microsoft.Network/virtualNetworks/write"]);
    expect(call("PUT", RG, { location: "westeurope" }).status).toBe(201);
    const vnet = call("PUT", `${RG}/providers/Microsoft.Network/virtualNetworks/v`, { location: "westeurope", properties: {} });
    expect(vnet.status).toBe(200);
    const status = new URL(vnet.headers!["Azure-AsyncOperation"]);
    const poll = call("GET", status.pathname);
    expect(poll.status).toBe(403);
    expect(JSON.stringify(poll.body)).toContain("Microsoft.Network/locations/operations/read");
  });

  test("a write linking to a resource without its join action is LinkedAuthorizationFailed, naming action and scope", () => {
    const { call, grant } = make();
    grant(["Microsoft.Resources/subscriptions/resourceGroups/write", "Microsoft.Network/virtualNetworks/subnets/write", "Microsoft.Network/virtualNetworks/write", "Microsoft.Network/networkSecurityGroups/write"]);
    call("PUT", RG, { location: "westeurope" });
    call("PUT", `${RG}/providers/Microsoft.Network/virtualNetworks/v`, { location: "westeurope" });
    call("PUT", `${RG}/providers/Microsoft.Network/networkSecurityGroups/n`, { location: "westeurope" });
    const refused = call("PUT", `${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s`, { properties: { networkSecurityGroup: { id: `${RG}/providers/Microsoft.Network/networkSecurityGroups/n` } } });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/LinkedAuthorizationFailed.*networkSecurityGroups\/join\/action.*networkSecurityGroups\/n/);
  });

  test("a CanNotDelete lock blocks deleting what is beneath it, not the lock itself", () => {
    const { call, grant } = make();
    grant(["*"]);
    call("PUT", RG, { location: "westeurope" });
    const account = `${RG}/providers/Microsoft.Storage/storageAccounts/a`;
    call("PUT", account, { location: "westeurope", sku: { name: "Standard_LRS" } });
    call("PUT", `${account}/blobServices/default/containers/c`, { properties: {} });
    const lock = `${account}/providers/Microsoft.Authorization/locks/l`;
    call("PUT", lock, { properties: { level: "CanNotDelete" } });
    expect(call("DELETE", `${account}/blobServices/default/containers/c`)).toMatchObject({ status: 409, body: { error: { code: "ScopeLocked" } } });
    expect(call("DELETE", lock).status).toBe(200);
    expect(call("DELETE", `${account}/blobServices/default/containers/c`).status).toBe(200);
  });

  test("a template deployment writes its resources with the caller's rights; an unknown action is an error, never a success", () => {
    const { call, grant } = make();
    grant(["Microsoft.Resources/subscriptions/resourceGroups/write", "Microsoft.Resources/deployments/write", "Microsoft.Cache/redisEnterprise/write", "Microsoft.Cache/redisEnterprise/databases/write", "Microsoft.Cache/redisEnterprise/flush/action"]);
    call("PUT", RG, { location: "westeurope" });
    call("PUT", `${RG}/providers/Microsoft.Cache/redisEnterprise/r`, { location: "westeurope" });
    call("PUT", `${RG}/providers/Microsoft.Cache/redisEnterprise/r/databases/default`, { properties: {} });
    const template = { resources: [{ type: "Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments", name: "[format('{0}/default/x', parameters('clusterName'))]", properties: { user: { objectId: "[parameters('objectId')]" } } }] };
    const refused = call("PUT", `${RG}/providers/Microsoft.Resources/deployments/d`, { properties: { mode: "Incremental", template, parameters: { clusterName: { value: "r" }, objectId: { value: "u" } } } });
    expect(JSON.stringify(refused.body)).toContain("Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments/write");
    expect(call("POST", `${RG}/providers/Microsoft.Cache/redisEnterprise/r/flush`, {})).toMatchObject({ status: 501, body: { error: { code: "RehearsalUnsupportedAction" } } });
  });
});

describe("the emulated side of a stack", () => {
  test("azuread blocks go, with everything that references them and the outputs they feed; databricks and azurerm stay as synthesized", () => {
    const stack = {
      provider: { azurerm: [{ features: [{}] }], azuread: [{ tenant_id: "t" }], databricks: [{ host: "x" }] },
      terraform: { required_providers: { azurerm: {}, azuread: {}, databricks: {} } },
      resource: {
        azurerm_resource_group: { g: { name: "g" } },
        azuread_group: { e: { display_name: "e" } },
        databricks_catalog: { c: { name: "c" } },
        azurerm_role_assignment: { r: { scope: "${azurerm_resource_group.g.id}", depends_on: ["azuread_group.e"] } },
        azurerm_storage_account: { s: { name: "${data.terraform_remote_state.up.outputs.gone}" } },
      },
      output: { keep: { value: "${azurerm_resource_group.g.id}" }, drop: { value: "${azuread_group.e.id}" } },
    };
    const side = emulatedSide(stack, new Map([["up", new Set(["gone"])]]));
    expect(Object.keys((side.json.resource as object) ?? {})).toEqual(["azurerm_resource_group", "databricks_catalog"]);
    expect(side.skipped.map((s) => s.address)).toEqual(["azuread_group.e", "azurerm_role_assignment.r", "azurerm_storage_account.s"]);
    expect(side.droppedOutputs).toEqual(["drop"]);
    expect(Object.keys(side.json.provider as object)).toEqual(["azurerm", "databricks"]);
    expect(side.resourceCount).toBe(2);
  });
});

function req(method: string, path: string, body: string, headers: Record<string, string>, host = "management.azure.com"): EmulatorRequest {
  const [p, q] = path.split("?");
  return { method, host, rawPath: p, query: new URLSearchParams(q ?? "api-version=2024-01-01"), headers, body: Buffer.from(body) };
}
