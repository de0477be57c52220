import { TerraformVariable } from "cdktf";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignments } from "../lib/identity/role-assignments";
import { resourcesOf, synth, testStack } from "./helpers";

const ID = "11111111-2222-3333-4444-555555555555";

describe("RoleAssignments", () => {
  test("de-duplicates on (scope, role, principal), comparing references by the expression they stand for", () => {
    const { stack } = testStack();
    const rg = new ResourceGroup(stack, "rg", { name: "rg-a", location: "westeurope" });
    const principal = new TerraformVariable(stack, "deployment_principal_object_id", { type: "string" });
    const roles = RoleAssignments.of(stack);
    const first = roles.grant(stack, rg.id, "Reader", { objectId: principal.stringValue });
    // Fresh tokens for the same variable and resource: still the same assignment.
    const again = RoleAssignments.of(stack).grant(stack, rg.id, "Reader", { objectId: principal.stringValue });
    expect(again).toBe(first);
    roles.grant(stack, rg.id, "Contributor", { objectId: principal.stringValue });
    roles.grant(stack, rg.id, "Reader", { objectId: ID, type: "Group" });
    expect(roles.count).toBe(3);
    const json = synth(stack);
    const assignments = resourcesOf(json, "azurerm_role_assignment");
    expect(assignments).toHaveLength(3);
    expect(assignments).toContainEqual(expect.objectContaining({ role_definition_name: "Reader", principal_id: "${var.deployment_principal_object_id}", principal_type: "ServicePrincipal", skip_service_principal_aad_check: true }));
    expect(assignments).toContainEqual(expect.objectContaining({ principal_id: ID, principal_type: "Group" }));
  });

  test("construct IDs derive from the triple, so they do not depend on the order of grants", () => {
    const ids = (order: string[]) => {
      const { stack } = testStack();
      for (const role of order) RoleAssignments.of(stack).grant(stack, "/subscriptions/0/resourceGroups/rg", role, { objectId: ID });
      return RoleAssignments.of(stack).node.children.map((c) => c.node.id).sort();
    };
    expect(ids(["Reader", "Contributor"])).toEqual(ids(["Contributor", "Reader"]));
  });

  test("a principal that is not an object ID fails, naming the requester", () => {
    const { stack } = testStack();
    expect(() => RoleAssignments.of(stack).grant(stack, "/subscriptions/0", "Reader", { objectId: "my-app" })).toThrow(
      /test: invalid principal objectId "my-app": expected an Entra object ID \(GUID\) of the Enterprise Application/,
    );
  });
});
