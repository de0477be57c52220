import { spawnSync } from "child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { exportVariables, TFVARS_FILE } from "../lib/ci/export-variables";
import { readSynthesizedApp, SynthesizedStack, SynthesizedVariable } from "../lib/ci/synthesized-app";
import { chunkGroups, MAX_JOBS_PER_RUN, stackWaves, WaveGroup } from "../lib/ci/waves";
import { sampleSynth } from "./sample-synth";

const ROOT = join(__dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "medallion-stack-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The per-stack CLI as a job runs it (sources through Sucrase, like Jest). */
const cli = (args: string[], env: Record<string, string | undefined>, input?: string) =>
  spawnSync(process.execPath, ["-r", "sucrase/register/ts", join(ROOT, "lib", "cli", "medallion-stack.ts"), ...args], { encoding: "utf8", input, env: { PATH: process.env.PATH, ...env } });

const variable = (name: string, extra: Partial<SynthesizedVariable> = {}): SynthesizedVariable => ({ name, sensitive: false, hasDefault: false, type: "string", source: { github: { kind: "vars", name: name.toUpperCase() } }, ...extra });

describe("export-variables", () => {
  test("each value from the name its stack declares, typed; runtime variables left to their step; a default holds when unset", () => {
    const result = exportVariables(
      [
        variable("tenant_id"),
        variable("retention", { type: "number" }),
        variable("enabled", { type: "bool" }),
        variable("token", { source: { github: { kind: "secrets", name: "TOKEN" } } }),
        variable("suffix", { hasDefault: true }),
        variable("key_vault_recover_soft_deleted", { type: "bool", hasDefault: true, source: { runtime: "key-vault-recovery" } }),
      ],
      { TENANT_ID: "t", RETENTION: "30", ENABLED: "true", TOKEN: "from vars, not secrets" },
      { TOKEN: "s3cret" },
    );
    expect(result).toEqual({ values: { tenant_id: "t", retention: 30, enabled: true, token: "s3cret" }, missing: [], runtime: ["key_vault_recover_soft_deleted"] });
  });

  test("unset or empty without a default is missing, named with its GitHub source; a value of the wrong type fails", () => {
    expect(exportVariables([variable("tenant_id"), variable("subscription_id")], { TENANT_ID: "" }, {}).missing).toEqual(["tenant_id (vars.TENANT_ID)", "subscription_id (vars.SUBSCRIPTION_ID)"]);
    expect(() => exportVariables([variable("enabled", { type: "bool" })], { ENABLED: "yes" }, {})).toThrow(/variable enabled: "yes" is not true or false/);
  });

  test("the CLI writes the stack's tfvars file, or fails naming every missing variable, with a decision line on every path", () => {
    const dir = join(tmp, "features-dev");
    cpSync(join(sampleSynth(), "stacks", "features-dev"), dir, { recursive: true });
    const stack = readSynthesizedApp(sampleSynth()).find((s) => s.name === "features-dev")!;
    const vars = Object.fromEntries(stack.variables.flatMap((v) => ("github" in v.source ? [[v.source.github.name, `value-of-${v.name}`]] : [])));

    const missing = cli(["export-variables", "--stack-dir", dir], { VARS_JSON: JSON.stringify({ ...vars, AZURE_TENANT_ID: undefined }), SECRETS_JSON: "{}" });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/medallion-stack \{"command":"export-variables","stack":"features-dev","decision":"missing","missing":\["tenant_id \(vars\.AZURE_TENANT_ID\)"\]\}/);
    expect(existsSync(join(dir, TFVARS_FILE))).toBe(false);

    const written = cli(["export-variables", "--stack-dir", dir], { VARS_JSON: JSON.stringify(vars), SECRETS_JSON: "{}" });
    expect(written.status).toBe(0);
    expect(written.stdout).toMatch(/"decision":"written"/);
    const values = JSON.parse(readFileSync(join(dir, TFVARS_FILE), "utf8")) as Record<string, string>;
    expect(values.tenant_id).toBe("value-of-tenant_id");
    expect(values).not.toHaveProperty("key_vault_recover_soft_deleted");

    const noContext = cli(["export-variables", "--stack-dir", dir], {});
    expect(noContext.status).toBe(2);
    expect(noContext.stdout).toMatch(/"decision":"error"/);
    expect(noContext.stderr).toMatch(/VARS_JSON is not set: pass \$\{\{ toJSON\(vars\) \}\}/);

    const usage = cli(["export-variables"], {});
    expect([usage.status, usage.stdout.trim()]).toEqual([2, 'medallion-stack {"command":"export-variables","decision":"usage-error"}']);
  });

  test("redact-outputs drops sensitive outputs (the artifact lives 30 days) and keeps the rest", () => {
    const outputs = { name: { sensitive: false, type: "string", value: "kv-lake" }, key: { sensitive: true, type: "string", value: "secret" } };
    const result = cli(["redact-outputs"], {}, JSON.stringify(outputs));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ name: outputs.name });
    expect(result.stderr).toMatch(/"dropped":\["key"\]/);
    expect(cli(["redact-outputs"], {}, "not json").status).toBe(2);
  });
});

describe("waves and chunks", () => {
  const group = (key: string, count: number): WaveGroup => ({ key, environment: "prod", wave: 0, network: "private", runner: ["self-hosted"], stacks: Array.from({ length: count }, (_, i) => `${key}-s${String(i).padStart(4, "0")}`) });

  test("a thousand stacks fit one run: the chunks of all groups and their plan and apply jobs stay within 256", () => {
    const groups = [group("a", 1000), group("b", 3), group("c", 1), group("d", 250), group("e", 2)];
    const chunks = chunkGroups(groups, undefined);
    const jobs = 1 + 2 * Object.values(chunks).reduce((n, c) => n + c.length, 0);
    expect(jobs).toBeLessThanOrEqual(MAX_JOBS_PER_RUN);
    expect(chunks.a.flatMap((c) => c.stacks.split(" "))).toEqual(groups[0].stacks);
    expect(chunks.b.map((c) => c.stacks.split(" ").length)).toEqual([1, 1, 1]);
    expect(Math.max(...chunks.a.map((c) => c.timeout))).toBe(360);
  });

  test("only the selected stacks; a group with none gets an empty list (its job is skipped)", () => {
    const chunks = chunkGroups([group("a", 3), group("b", 2)], new Set(["a-s0001"]));
    expect(chunks).toEqual({ a: [{ id: "a-1", stacks: "a-s0001", timeout: 45 }], b: [] });
  });

  test("waves follow the manifest's dependencies, and a cycle fails naming it", () => {
    const waves = stackWaves(readSynthesizedApp(sampleSynth()));
    expect([waves.get("platform-prod"), waves.get("catalog-prod"), waves.get("domain-fin-prod"), waves.get("pim-prod")]).toEqual([0, 1, 2, 3]);
    const cyclic = [
      { name: "a", dependencies: ["b"] },
      { name: "b", dependencies: ["a"] },
    ] as unknown as SynthesizedStack[];
    expect(() => stackWaves(cyclic)).toThrow(/stacks depend on each other in a cycle: a → b → a/);
  });
});

describe("refresh-mode and state-blobs (what a plan before the approval may open and refresh)", () => {
  const dir = (name: string) => join(sampleSynth(), "stacks", name);

  test("a stack with objects only an administrator may read is refreshed by the deploy identity; an Azure-only stack by the plan identity", () => {
    const mode = (name: string) => cli(["refresh-mode", "--stack-dir", dir(name)], {});
    expect(mode("catalog-prod").stdout).toBe("deploy\n");
    expect(mode("governance-dev").stdout).toBe("deploy\n");
    expect(mode("platform-prod").stdout).toBe("plan\n");
    expect(mode("features-dev").stdout).toBe("plan\n");
    expect(cli(["refresh-mode"], {}).status).toBe(2);
  });

  test("the stack's own blob and every upstream state it reads, named by literals", () => {
    const result = cli(["state-blobs", "--stack-dir", dir("catalog-prod")], {});
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(["self catalog-prod sttfstatecontosoprod tfstate catalog-prod.tfstate", "remote cross-stack-reference-input-platform-prod sttfstatecontosoprod tfstate platform-prod.tfstate"]);
    // The secondary reads nothing of the primary's state: its own region's account.
    for (const line of cli(["state-blobs", "--stack-dir", dir("catalog-prod-dr")], {}).stdout.trim().split("\n")) expect(line).toContain(" sttfstatecontosoproddr ");
  });
});
