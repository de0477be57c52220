import { spawn, spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "rehearsal", "cli.js");

export interface RehearsalRun {
  readonly status: number;
  readonly output: string;
  readonly report: { stacks: { phases: { phase: string; ok: boolean }[] }[] };
}

/** The compiled rehearsal CLI on a fixture app, with extra arguments (a mutation); its exit code, output and report. */
export function rehearseFixture(fixture: string, args: readonly string[] = []): Promise<RehearsalRun> {
  const out = mkdtempSync(join(tmpdir(), "rehearsal-fixture-"));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "--app", fixture, "--out", out, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
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

/** Compiles the project (the CLI runs from dist/). */
export function build(): void {
  const result = spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stdout + result.stderr);
}
