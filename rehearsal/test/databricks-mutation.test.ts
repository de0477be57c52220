import { join } from "path";
import { build, rehearseFixture } from "./run-rehearsal";

/**
 * A mutated Databricks bootstrap: the fixture stack (a workspace, its metastore assignment, an account group, a system
 * schema and a grant on the `system` catalog, as governance-<env> holds them) deploys when its deploy identity is the
 * metastore admin its record states, and fails — naming the refused grant — when the bootstrap leaves that right out.
 * The real terraform, azurerm and databricks providers run against the emulator.
 */
const FIXTURE = join(__dirname, "fixture-databricks");
const rehearse = (mutation?: string) => rehearseFixture(FIXTURE, mutation ? ["--drop-databricks-right", mutation] : []);

beforeAll(build);

test.concurrent("the fixture passes with the bootstrap its record states", async () => {
  const run = await rehearse();
  expect({ status: run.status, tail: run.output.split("\n").slice(-8).join("\n") }).toMatchObject({ status: 0 });
  expect(run.report.stacks[0].phases.map((p) => `${p.phase} ${p.ok}`)).toEqual(["init true", "plan true", "apply true", "second-plan true", "plan-identity true", "destroy true"]);
});

test.concurrent("without the deployer's metastore admin role the system-catalog grant is refused and the rehearsal fails", async () => {
  const run = await rehearse("metastore-admin");
  expect(run.status).toBe(1);
  expect(run.output).toMatch(/governance-test: FAILED/);
  expect(run.output).toMatch(/grants on the system catalog need a metastore admin/);
});
