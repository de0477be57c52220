import { readFileSync } from "fs";
import { join } from "path";
import { authorizationOf, DATABRICKS_AUTHORIZATION, satisfies } from "../lib/ci/databricks-authorization";
import { deployRights, identityViolations, PLAN_RIGHTS, planRefresh } from "../lib/ci/identities";
import { ASSIGNED_ROLE_IDS, assignedRoleIds, roleAssignmentCondition } from "../lib/ci/role-assignment-condition";
import { readSynthesizedApp } from "../lib/ci/synthesized-app";
import { sampleSynth } from "./sample-synth";

const stacks = readSynthesizedApp(sampleSynth());
const byName = (name: string) => stacks.find((s) => s.name === name)!;

describe("who may do what (issue: identities per purpose)", () => {
  test("every databricks block of the sample has an authorization entry, and every stack's identities hold what it needs", () => {
    for (const stack of stacks.filter((s) => s.deployment.identities)) expect([stack.name, identityViolations(stack, stack.deployment.identities!)]).toEqual([stack.name, []]);
  });

  test("a grant on the system catalog needs a metastore admin: the owner environment's deploy identity has it, dev's has not", () => {
    const need = authorizationOf("resource", "databricks_grant", { catalog: "system" })!.write;
    expect(satisfies(deployRights({ metastoreAdmin: true, sharedDataConsumer: false }), need)).toBe(true);
    expect(satisfies(deployRights({ metastoreAdmin: false, sharedDataConsumer: false }), need)).toBe(false);
    expect(byName("governance-prod").deployment.identities!.deploy).toContain("metastore-admin");
    expect(byName("governance-dev").deployment.identities!.deploy).not.toContain("metastore-admin");
    expect(Object.keys((byName("governance-dev").json.resource ?? {}) as object).filter((t) => t === "databricks_grant" || t === "databricks_system_schema")).toEqual([]);
  });

  test("the plan identity is a workspace user: it refreshes no stack with admin-only objects, and reads every data source", () => {
    for (const stack of stacks.filter((s) => s.deployment.identities)) {
      expect(stack.deployment.identities!.plan).toEqual(PLAN_RIGHTS);
      // Every databricks stack of the sample holds an account-level or admin-only object.
      expect([stack.name, planRefresh(stack, stack.deployment.identities!)]).toEqual([stack.name, false]);
    }
    for (const [key, entry] of Object.entries(DATABRICKS_AUTHORIZATION).filter(([k]) => k.startsWith("data.") && k.endsWith("@workspace"))) expect([key, satisfies(PLAN_RIGHTS, entry.read)]).toEqual([key, true]);
  });

  test("a job without run_as, or a stack that lost its metastore role, fails the check", () => {
    const dr = byName("catalog-prod-dr");
    const json = JSON.parse(JSON.stringify(dr.json)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const [jobName] = Object.keys(json.resource.databricks_job);
    delete json.resource.databricks_job[jobName].run_as;
    expect(identityViolations({ name: dr.name, json }, dr.deployment.identities!).map((v) => v.detail)).toContain("the job has no run_as service principal: it would run as its creator, the deploy identity");
    const governance = byName("governance-prod");
    const demoted = { ...governance.deployment.identities!, deploy: governance.deployment.identities!.deploy.filter((r) => r !== "metastore-admin") };
    expect(identityViolations(governance, demoted).map((v) => v.detail)).toContain("the deploy identity cannot create, change or delete it: it needs metastore-admin");
  });

  test("the role assignment condition allows exactly the roles the stacks assign, never Owner or User Access Administrator", () => {
    const pinned = JSON.parse(readFileSync(join(__dirname, "..", "rehearsal", "authorization", "builtin-roles.json"), "utf8")) as { roles: { roleName: string; name?: string; id?: string }[] };
    const pinnedId = (role: string) => pinned.roles.filter((r) => r.roleName === role).map((r) => r.name ?? String(r.id).split("/").pop())[0];
    for (const [role, id] of Object.entries(ASSIGNED_ROLE_IDS)) expect([role, id]).toEqual([role, pinnedId(role)]);
    const ids = assignedRoleIds(stacks, "prod");
    const condition = roleAssignmentCondition(ids);
    for (const id of ids) expect(condition).toContain(id);
    for (const forbidden of ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"]) expect(condition).not.toContain(forbidden);
    expect(condition).toMatch(/@Request\[Microsoft\.Authorization\/roleAssignments:RoleDefinitionId\] ForAnyOfAnyValues:GuidEquals \{/);
    const unknown = { ...byName("pim-prod"), json: { resource: { azurerm_role_assignment: { x: { role_definition_name: "Owner" } } } } };
    expect(() => assignedRoleIds([unknown], "prod")).toThrow(/role "Owner" has no known definition ID/);
  });
});
