import { spawn, spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/**
 * A mutated Databricks bootstrap: the fixture stack (a workspace, its metastore assignment, an account group, a system
 * schema and a grant on the `system` catalog, as governance-<env> holds them) deploys when its deploy identity is the
 * metastore admin its record states, and fails — naming the refused grant — when the bootstrap leaves that right out.
 * The real terraform, azurerm and databricks providers run against the emulator.
 */
const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "rehearsal", "cli.js");
const FIXTURE = join(__dirname, "fixture-databricks");

function rehearse(dropRight?: string): Promise<{ status: number; output: string; report: { stacks: { phases: { phase: string; ok: boolean }[] }[] } }> {
  const out = mkdtempSync(join(tmpdir(), "rehearsal-databricks-"));
  return new Promise((resolve) => {
    const args = [CLI, "--app", FIXTURE, "--out", out, ...(dropRight ? ["--drop-databricks-right", dropRight] : [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c));
    child.stderr.on("data", (c: Buffer) => (output += c));
    child.on("close", (status: number) => {
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      rmSync(out, { recursive: true, force: true });
      resolve({ status, output, report });
    });
  });
}

beforeAll(() => {
  const build = spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(build.stdout + build.stderr);
});

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
