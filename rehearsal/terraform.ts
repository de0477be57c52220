import { spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { homedir } from "os";
import { join } from "path";

/**
 * The pinned provider binaries (azurerm 4.55.0, azuread 3.7.0, databricks 1.99.0, built from their release tags), as
 * `tf-validate` unpacks them: once per archive, into a cache folder named by the archive's hash.
 */
export function providerMirror(archive: string): string {
  if (!existsSync(archive)) throw new Error(`the provider archive ${archive} is missing: pass --tools <the folder holding terraform-providers.tar.xz>`);
  const key = createHash("sha256").update(readFileSync(archive)).digest("hex").slice(0, 16);
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "medallion-terraform-providers", key);
  if (!existsSync(join(cache, ".complete"))) {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    const tar = spawnSync("tar", ["-xJf", archive, "-C", cache], { stdio: "inherit" });
    if (tar.status !== 0) throw new Error(`unpacking ${archive} failed`);
    writeFileSync(join(cache, ".complete"), "");
  }
  return cache;
}

export interface TerraformResult {
  readonly code: number;
  readonly output: string;
  readonly ms: number;
  readonly timedOut: boolean;
}

/** Runs terraform with exactly `env` (nothing inherited), killing it at the timeout: some mistakes hang instead of failing. */
export function runTerraform(args: readonly string[], cwd: string, env: Readonly<Record<string, string>>, timeoutMs: number): Promise<TerraformResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("terraform", args, { cwd, env: { ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? 124 : code ?? 1, output: Buffer.concat(chunks).toString("utf8"), ms: Date.now() - started, timedOut });
    });
  });
}

/** Only what terraform needs; every credential variable of the calling environment (ARM_*, ACTIONS_ID_TOKEN_*, DATABRICKS_*, AZURE_*, TF_VAR_*) is left behind. */
export function scrubbedEnvironment(base: NodeJS.ProcessEnv): Record<string, string> {
  const keep = ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR"];
  return Object.fromEntries(keep.filter((k) => base[k] !== undefined).map((k) => [k, String(base[k])]));
}
