import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { classifyAzFailure } from "../lib/ci/az-failures";

// The real CLI entry point as a subprocess, against the fake az/terraform (fixtures/fake-azure), whose every answer is
// quoted from azure-cli, ARM or terraform (fixtures/fake-azure/answers.js names the source of each).
const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "lib", "cli", "medallion-kv-recover.ts");
const FAKES = join(__dirname, "fixtures", "fake-azure");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const answers = require("./fixtures/fake-azure/answers.js") as Record<string, (...args: string[]) => { code: number; stdout: string; stderr: string }>;
const SUB = "11111111-1111-1111-1111-111111111111";
const VAULT = "kv-lake-dev-weu-35c76";
const TARGET = "rg-lake-platform-dev-weu";
const ADDRESS = "azurerm_key_vault.platform_key-vault_E3DDF9DA";
const RG_ADDRESS = "azurerm_resource_group.resource-group";
const FLAG = "TF_VAR_key_vault_recover_soft_deleted";
const MUTATING = ["az group create", "az group delete", "az keyvault recover", "az keyvault purge", "az resource move", "terraform import"];

type Failure = string[] | { always: string[] };
interface AzureState {
  subscription: string;
  groups: Record<string, { location: string; resources: string[] }>;
  vaults: Record<string, { group: string; location: string }>;
  deleted: Record<string, { group: string; location: string; purgeProtection: boolean | null }>;
  elsewhere?: string[];
  failures?: Record<string, Failure[] | Failure>;
  /** Terraform state addresses; absent: no state file at all. */
  tfState?: string[];
}

/** A synthesized stack with a vault whose resource group is managed by the stack (or a literal existing one). */
function stack(managedGroup = true): Record<string, unknown> {
  return {
    provider: { azurerm: [{ subscription_id: "${var.subscription_id}" }] },
    resource: {
      ...(managedGroup ? { azurerm_resource_group: { "resource-group": { name: TARGET, location: "westeurope" } } } : {}),
      azurerm_key_vault: {
        "platform_key-vault_E3DDF9DA": { name: VAULT, location: "westeurope", resource_group_name: managedGroup ? "${azurerm_resource_group.resource-group.name}" : TARGET },
      },
    },
  };
}

interface Options {
  args?: string[];
  stackJson?: Record<string, unknown> | null;
  env?: Record<string, string>;
  githubEnv?: string;
  cliArgs?: (stackDir: string) => string[];
  /** What export-variables wrote for Terraform in the stack directory. */
  tfvars?: Record<string, unknown>;
}

function scenario(state: Partial<AzureState>, options: Options = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kv-recovery-"));
  const stackDir = join(dir, "cdktf.out", "stacks", "platform-dev");
  mkdirSync(stackDir, { recursive: true });
  if (options.stackJson !== null) writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(options.stackJson ?? stack()));
  if (options.tfvars) writeFileSync(join(stackDir, "medallion.auto.tfvars.json"), JSON.stringify(options.tfvars));
  const statePath = join(dir, "azure.json");
  writeFileSync(statePath, JSON.stringify({ subscription: SUB, groups: {}, vaults: {}, deleted: {}, ...state }));
  const files = { env: join(dir, "github-env"), summary: join(dir, "summary.md"), log: join(dir, "calls.log") };
  writeFileSync(files.env, options.githubEnv ?? "");
  writeFileSync(files.summary, "");
  writeFileSync(files.log, "");
  const result = spawnSync(process.execPath, ["-r", "sucrase/register/ts", CLI, ...(options.cliArgs ? options.cliArgs(stackDir) : ["--stack-dir", stackDir, ...(options.args ?? [])])], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      PATH: `${FAKES}:${process.env.PATH}`,
      FAKE_AZURE_STATE: statePath,
      FAKE_AZURE_LOG: files.log,
      GITHUB_ENV: files.env,
      GITHUB_STEP_SUMMARY: files.summary,
      MEDALLION_RETRY_BASE_MS: "1",
      MEDALLION_RETRY_MAX_MS: "5",
      TF_VAR_subscription_id: SUB,
      ...options.env,
    },
  });
  const read = (f: string) => readFileSync(f, "utf8");
  const decisionLines = result.stdout.split("\n").filter((l) => l.startsWith("kv-recovery "));
  const calls = read(files.log).trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]);
  const command = (c: string[]) => [c[0], ...c.slice(1).filter((_, i, all) => all.slice(0, i + 1).every((a) => !a.startsWith("-")))].join(" ");
  const out = {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    githubEnv: read(files.env),
    summary: read(files.summary),
    /** Each call as its command words: `az resource list`, `terraform import`. */
    calls: calls.map(command),
    mutations: calls.map(command).filter((c) => MUTATING.includes(c)),
    decisionLines,
    decision: decisionLines[0] ? (JSON.parse(decisionLines[0].slice("kv-recovery ".length)) as { decision: string; recoverSoftDeleted: boolean; exitCode: number; actions: string[]; failure?: { kind: string; command: string } }) : undefined,
    azure: JSON.parse(read(statePath)) as AzureState,
  };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/** The value a later step sees, parsed as the runner parses $GITHUB_ENV (actions/runner FileCommandManager: NAME=value lines, last wins). */
function envValue(githubEnv: string, name: string): string | undefined {
  let value: string | undefined;
  for (const line of githubEnv.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0 && line.slice(0, eq) === name) value = line.slice(eq + 1);
  }
  return value;
}

const group = (...resources: string[]) => ({ location: "westeurope", resources });
const deletedIn = (g: string, purgeProtection: boolean | null = true) => ({ [VAULT]: { group: g, location: "westeurope", purgeProtection } });
const activeIn = (g: string) => ({ [VAULT]: { group: g, location: "westeurope" } });

/** The asserts every scenario makes: one decision line, the flag written once, the summary row. */
function expectReported(r: ReturnType<typeof scenario>, decision: string, flag: boolean, exitCode: number): void {
  expect(r.decisionLines).toHaveLength(1);
  expect(r.decision).toMatchObject({ decision, recoverSoftDeleted: flag, exitCode });
  expect(r.code).toBe(exitCode);
  expect(r.githubEnv).toBe(`${FLAG}=${flag}\n`);
  expect(r.summary).toContain(`\`${decision}\``);
}

describe("Key Vault recovery: the CLI against the fake az (every case of the runbook)", () => {
  test("first deploy of a new environment (no vault anywhere, no group, no state): fresh-create, exit 0", () => {
    const r = scenario({});
    expectReported(r, "fresh-create", false, 0);
    expect(r.calls).toEqual(["az resource list", "az keyvault list-deleted", "az rest", "az group exists"]);
    expect(r.mutations).toEqual([]);
    expect(r.summary).toContain("### Key Vault recovery: platform-dev");
    expect(r.azure.groups).toEqual({});
  });

  test("fresh create, the stack's group exists but state was lost: the group is imported", () => {
    const r = scenario({ groups: { [TARGET]: group() } });
    expectReported(r, "fresh-create", false, 0);
    expect(r.mutations).toEqual(["terraform import"]);
    expect(r.azure.tfState).toEqual([RG_ADDRESS]);
  });

  test("active in the target group, with state: nothing to do", () => {
    const r = scenario({ groups: { [TARGET]: group(VAULT) }, vaults: activeIn(TARGET), tfState: [RG_ADDRESS, ADDRESS] });
    expectReported(r, "active-in-target", false, 0);
    expect(r.mutations).toEqual([]);
    expect(r.calls).toEqual(["az resource list", "az group exists", "terraform state list"]);
  });

  test("active in the target group, state lost: the group and the vault are imported", () => {
    const r = scenario({ groups: { [TARGET]: group(VAULT) }, vaults: activeIn(TARGET) });
    expectReported(r, "active-in-target", false, 0);
    expect(r.decision!.actions).toEqual([`imported ${RG_ADDRESS}`, `imported ${ADDRESS}`]);
    expect(r.azure.tfState).toEqual([RG_ADDRESS, ADDRESS]);
  });

  test("active in the target group, group not managed by the stack: only the vault is imported", () => {
    const r = scenario({ groups: { [TARGET]: group(VAULT) }, vaults: activeIn(TARGET) }, { stackJson: stack(false) });
    expectReported(r, "active-in-target", false, 0);
    expect(r.azure.tfState).toEqual([ADDRESS]);
  });

  test("soft-deleted in the target group, group present: the provider recovers it (flag true)", () => {
    const r = scenario({ groups: { [TARGET]: group() }, deleted: deletedIn(TARGET), tfState: [RG_ADDRESS] });
    expectReported(r, "recover", true, 0);
    expect(r.mutations).toEqual([]);
    expect(r.azure.deleted[VAULT]).toBeDefined();
  });

  test("soft-deleted in the target group, group gone and managed by the stack: Terraform recreates it, then recovers", () => {
    const r = scenario({ deleted: deletedIn(TARGET) });
    expectReported(r, "recreate-group-then-recover", true, 0);
    expect(r.mutations).toEqual([]);
    expect(r.azure.groups).toEqual({});
  });

  test("soft-deleted in the target group, group gone and not managed by the stack: the CLI recreates it", () => {
    const r = scenario({ deleted: deletedIn(TARGET) }, { stackJson: stack(false) });
    expectReported(r, "recreate-group-then-recover", true, 0);
    expect(r.mutations).toEqual(["az group create"]);
    expect(r.azure.groups[TARGET]).toBeDefined();
  });

  test("displaced active vault, moves allowed: moved into the target group and imported", () => {
    const r = scenario({ groups: { [TARGET]: group(), "rg-other": group(VAULT) }, vaults: activeIn("rg-other") });
    expectReported(r, "move-active", false, 0);
    expect(r.mutations).toEqual(["az resource move", "terraform import", "terraform import"]);
    expect(r.azure.vaults[VAULT].group).toBe(TARGET);
    expect(r.azure.tfState).toEqual([RG_ADDRESS, ADDRESS]);
  });

  test("displaced active vault, target group missing: the group is created, then the vault moved", () => {
    const r = scenario({ groups: { "rg-other": group(VAULT) }, vaults: activeIn("rg-other") });
    expectReported(r, "move-active", false, 0);
    expect(r.mutations).toEqual(["az group create", "az resource move", "terraform import", "terraform import"]);
    expect(r.azure.groups[TARGET].resources).toEqual([VAULT]);
  });

  test("displaced active vault, moves disabled: fails with the exact command, nothing changed", () => {
    const r = scenario({ groups: { [TARGET]: group(), "rg-other": group(VAULT) }, vaults: activeIn("rg-other") }, { args: ["--no-move"] });
    expectReported(r, "moves-disabled", false, 1);
    expect(r.stderr).toContain(`az resource move --destination-group ${TARGET} --ids /subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.KeyVault/vaults/${VAULT}`);
    expect(r.mutations).toEqual([]);
    expect(r.azure.vaults[VAULT].group).toBe("rg-other");
  });

  test("displaced soft-deleted vault, moves allowed: recovered where it was, moved, imported", () => {
    const r = scenario({ groups: { [TARGET]: group(), "rg-old": group() }, deleted: deletedIn("rg-old") });
    expectReported(r, "recover-then-move", false, 0);
    expect(r.decision!.actions).toEqual(["recovered the vault into rg-old", `moved the vault from rg-old to ${TARGET}`, `imported ${RG_ADDRESS}`, `imported ${ADDRESS}`]);
    expect(r.mutations).toEqual(["az keyvault recover", "az resource move", "terraform import", "terraform import"]);
    expect(r.azure.vaults[VAULT].group).toBe(TARGET);
    expect(r.azure.deleted).toEqual({});
  });

  test("--check (the plan job, before the approval): the same decision, every change listed and none made, and the job fails", () => {
    const r = scenario({ groups: { [TARGET]: group(), "rg-old": group() }, deleted: deletedIn("rg-old") }, { args: ["--check"] });
    expectReported(r, "recover-then-move", false, 1);
    expect(r.mutations).toEqual([]);
    expect((r.decision as unknown as { pending: string[] }).pending).toEqual(["recovered the vault into rg-old", `moved the vault from rg-old to ${TARGET}`, `imported ${RG_ADDRESS}`, `imported ${ADDRESS}`]);
    expect(r.stderr).toContain("Dispatch the deploy workflow with recover: true");
    expect(r.azure.deleted[VAULT]).toBeDefined();
  });

  test("--check with nothing to change (the vault is soft-deleted in its own group, the state has both): exit 0 and the recovery flag", () => {
    const r = scenario({ groups: { [TARGET]: group() }, deleted: deletedIn(TARGET), tfState: [RG_ADDRESS, ADDRESS] }, { args: ["--check"] });
    expectReported(r, "recover", true, 0);
    expect(r.mutations).toEqual([]);
  });

  test("displaced soft-deleted vault, moves disabled: fails with the exact commands, nothing changed", () => {
    const r = scenario({ groups: { [TARGET]: group(), "rg-old": group() }, deleted: deletedIn("rg-old") }, { args: ["--no-move"] });
    expectReported(r, "moves-disabled", false, 1);
    expect(r.stderr).toContain(`az keyvault recover --name ${VAULT} --subscription ${SUB}`);
    expect(r.mutations).toEqual([]);
    expect(r.azure.deleted[VAULT]).toBeDefined();
  });

  test("displaced soft-deleted vault whose old group is gone: recreated, recovered, moved, the empty group removed", () => {
    const r = scenario({ deleted: deletedIn("rg-old") });
    expectReported(r, "recreate-group-recover-move", false, 0);
    expect(r.decision!.actions).toEqual([
      "created resource group rg-old",
      "recovered the vault into rg-old",
      `created resource group ${TARGET}`,
      `moved the vault from rg-old to ${TARGET}`,
      `imported ${RG_ADDRESS}`,
      `imported ${ADDRESS}`,
      "removed the then-empty resource group rg-old",
    ]);
    expect(r.mutations).toEqual(["az group create", "az keyvault recover", "az group create", "az resource move", "terraform import", "terraform import", "az group delete"]);
    expect(Object.keys(r.azure.groups)).toEqual([TARGET]);
    expect(r.azure.tfState).toEqual([RG_ADDRESS, ADDRESS]);
  });

  test("the name is held in another subscription or tenant: fails, naming the reason", () => {
    const r = scenario({ groups: { [TARGET]: group() }, elsewhere: [VAULT] });
    expectReported(r, "name-taken-elsewhere", false, 1);
    expect(r.stderr).toMatch(/held by a vault in another subscription or tenant \(AlreadyExists: The vault name .* is already in use\.\).*Choose another name/);
    expect(r.mutations).toEqual([]);
  });

  test("purge allowed, purge protection off: purged, then created anew", () => {
    const r = scenario({ groups: { [TARGET]: group() }, deleted: deletedIn(TARGET, false), tfState: [RG_ADDRESS] }, { args: ["--allow-purge"] });
    expectReported(r, "purge-then-create", false, 0);
    expect(r.mutations).toEqual(["az keyvault purge"]);
    expect(r.azure.deleted).toEqual({});
  });

  test.each([
    ["on", true],
    ["not stated (null)", null],
  ])("purge allowed, purge protection %s: never purged, recovered instead", (_label, protection) => {
    const r = scenario({ groups: { [TARGET]: group() }, deleted: deletedIn(TARGET, protection), tfState: [RG_ADDRESS] }, { args: ["--allow-purge"] });
    expectReported(r, "recover", true, 0);
    expect(r.mutations).toEqual([]);
    expect(r.stderr).toMatch(/::warning::.*purge is allowed but the vault has purge protection/);
  });

  test("purge not allowed, purge protection off: recovered, never purged", () => {
    const r = scenario({ groups: { [TARGET]: group() }, deleted: deletedIn(TARGET, false), tfState: [RG_ADDRESS] });
    expectReported(r, "recover", true, 0);
    expect(r.mutations).toEqual([]);
  });

  test("no permission to list deleted vaults (AuthorizationFailed): recovery-first fallback with a warning", () => {
    const scope = `/subscriptions/${SUB}`;
    const r = scenario({ groups: { [TARGET]: group() }, tfState: [RG_ADDRESS], failures: { "az keyvault list-deleted": [["authorizationFailed", "Microsoft.KeyVault/deletedVaults/read", scope]] } });
    expectReported(r, "recovery-first-fallback", true, 0);
    expect(r.stderr).toMatch(/::warning::.*no permission to list deleted vaults \(AuthorizationFailed\)/);
    expect(r.mutations).toEqual([]);
  });

  // An expired login at each call a path can make: always an error, never a fallback or "not found".
  test.each<[string, Partial<AzureState>, string[]]>([
    ["az resource list", {}, []],
    ["az keyvault list-deleted", {}, []],
    ["az rest", {}, []],
    ["az group exists", {}, []],
    ["az group create", { groups: { "rg-other": group(VAULT) }, vaults: activeIn("rg-other") }, []],
    ["az resource move", { groups: { [TARGET]: group(), "rg-other": group(VAULT) }, vaults: activeIn("rg-other") }, []],
    ["az keyvault recover", { groups: { [TARGET]: group(), "rg-old": group() }, deleted: deletedIn("rg-old") }, []],
    ["az group delete", { deleted: deletedIn("rg-old") }, []],
    ["az keyvault purge", { groups: { [TARGET]: group() }, deleted: deletedIn(TARGET, false) }, ["--allow-purge"]],
  ])("expired login at `%s`: azure-error (authentication), exit 2, flag false", (call, state, args) => {
    const r = scenario({ ...state, failures: { [call]: [["expiredLogin"]] } }, { args });
    expectReported(r, "azure-error", false, 2);
    expect(r.decision!.failure).toMatchObject({ kind: "authentication", command: expect.stringContaining(call) });
    expect(r.stderr).toMatch(/::error::.*authentication failure in `az .*AADSTS700024.*The login expired or failed/);
    // Nothing is changed after the failed call.
    expect(r.calls[r.calls.length - 1]).toBe(call);
  });

  test("not logged in at all: azure-error (authentication)", () => {
    const r = scenario({ failures: { "az resource list": [["notLoggedIn"]] } });
    expectReported(r, "azure-error", false, 2);
    expect(r.decision!.failure).toMatchObject({ kind: "authentication" });
  });

  test.each([
    ["az resource list", ["throttled", "SubscriptionRequestsThrottled"]],
    ["az keyvault list-deleted", ["throttled", "ResourceGroupRequestsThrottled"]],
    ["az group exists", ["throttled", "TenantRequestsThrottled"]],
    ["az rest", ["restThrottled"]],
  ])("ARM throttling at `%s`, then success: retried, fresh-create", (call, failure) => {
    const r = scenario({ failures: { [call]: [failure, failure] } });
    expectReported(r, "fresh-create", false, 0);
    expect(r.calls.filter((c) => c === call)).toHaveLength(3);
    expect(r.stderr).toMatch(/::warning::.*throttled answer to `az .*\(attempt 1 of 4\)/);
  });

  test.each([
    ["az resource list", ["serverError", "ServiceUnavailable"]],
    ["az rest", ["restServiceUnavailable"]],
  ])("5xx forever at `%s`: four attempts, then azure-error", (call, failure) => {
    const r = scenario({ failures: { [call]: { always: failure } } });
    expectReported(r, "azure-error", false, 2);
    expect(r.calls.filter((c) => c === call)).toHaveLength(4);
    expect(r.decision!.failure).toMatchObject({ kind: "server-error" });
  });

  test("an answer the CLI does not recognise is an error, not a fallback", () => {
    const r = scenario({ failures: { "az keyvault list-deleted": [["subscriptionNotFound", "nope"]] } });
    expectReported(r, "azure-error", false, 2);
    expect(r.decision!.failure).toMatchObject({ kind: "unknown" });
  });

  test("no vault in the stack: nothing asked of Azure, flag false", () => {
    const r = scenario({}, { stackJson: { provider: { azurerm: [{}] }, resource: {} } });
    expectReported(r, "no-vault-in-stack", false, 0);
    expect(r.calls).toEqual([]);
  });

  test("a missing TF_VAR_: missing-input, nothing asked of Azure", () => {
    const r = scenario({}, { env: { TF_VAR_subscription_id: "" } });
    expectReported(r, "missing-input", false, 2);
    expect(r.stderr).toMatch(/::error::.*needs TF_VAR_subscription_id, which is not set/);
    expect(r.calls).toEqual([]);
  });

  test("the variables the deploy wrote for Terraform (export-variables) stand in for TF_VAR_, and override it as Terraform does", () => {
    const fromFile = scenario({}, { env: { TF_VAR_subscription_id: "" }, tfvars: { subscription_id: SUB } });
    expectReported(fromFile, "fresh-create", false, 0);
    const overridden = scenario({}, { env: { TF_VAR_subscription_id: "00000000-0000-0000-0000-000000000000" }, tfvars: { subscription_id: SUB } });
    expectReported(overridden, "fresh-create", false, 0);
  });

  test("a stack directory without a synthesized stack: stack-unreadable", () => {
    const r = scenario({}, { stackJson: null });
    expectReported(r, "stack-unreadable", false, 2);
    expect(r.stderr).toMatch(/::error::kv-recovery platform-dev: cannot read the synthesized stack/);
    expect(r.calls).toEqual([]);
  });

  test.each([
    ["no --stack-dir", () => []],
    ["--stack-dir without a value", () => ["--stack-dir"]],
    ["an unknown option", (dir: string) => ["--stack-dir", dir, "--purge-everything"]],
  ])("bad arguments (%s): usage-error", (_label, cliArgs) => {
    const r = scenario({}, { cliArgs });
    expectReported(r, "usage-error", false, 2);
    expect(r.stderr).toMatch(/usage: medallion-kv-recover --stack-dir/);
    expect(r.calls).toEqual([]);
  });

  test("stale $GITHUB_ENV content without a trailing newline: our line stays whole and wins", () => {
    const r = scenario({ groups: { [TARGET]: group() }, deleted: deletedIn(TARGET), tfState: [RG_ADDRESS] }, { githubEnv: `OTHER=1\n${FLAG}=false` });
    expect(r.decision).toMatchObject({ decision: "recover", recoverSoftDeleted: true });
    expect(r.githubEnv).toBe(`OTHER=1\n${FLAG}=false\n${FLAG}=true\n`);
    expect(envValue(r.githubEnv, FLAG)).toBe("true");
    expect(envValue(r.githubEnv, "OTHER")).toBe("1");
  });
});

describe("classifying az answers (the real texts of answers.js)", () => {
  const classify = (a: { code: number; stdout: string; stderr: string }) => classifyAzFailure(a.code, a.stdout, a.stderr);

  test.each([
    ["keyvault show without -g, no active vault", answers.vaultNotFoundWithinSubscription(VAULT), "not-found"],
    ["keyvault show-deleted / recover, no deleted vault", answers.noDeletedVault(VAULT), "not-found"],
    ["group show / resource list -g, missing group (exit 3)", answers.resourceGroupNotFound("rg-x"), "not-found"],
    ["keyvault show -g, missing vault (exit 3)", answers.resourceNotFound("Microsoft.KeyVault/vaults", VAULT, "rg-x"), "not-found"],
    ["az rest 404", answers.restNotFound(), "not-found"],
    ["expired OIDC assertion", answers.expiredLogin(), "authentication"],
    ["not logged in", answers.notLoggedIn(), "authentication"],
    ["AuthorizationFailed", answers.authorizationFailed("Microsoft.KeyVault/deletedVaults/read", "/subscriptions/x"), "permission"],
    ["az rest 403", answers.restForbidden(), "permission"],
    ["SubscriptionRequestsThrottled", answers.throttled("SubscriptionRequestsThrottled"), "throttled"],
    ["ResourceGroupRequestsThrottled", answers.throttled("ResourceGroupRequestsThrottled"), "throttled"],
    ["TenantRequestsThrottled", answers.throttled("TenantRequestsThrottled"), "throttled"],
    ["az rest 429", answers.restThrottled(), "throttled"],
    ["InternalServerError", answers.serverError("InternalServerError"), "server-error"],
    ["az rest 503", answers.restServiceUnavailable(), "server-error"],
    ["unknown subscription", answers.subscriptionNotFound("x"), "unknown"],
  ])("%s → %s", (_label, answer, kind) => {
    expect(classify(answer).kind).toBe(kind);
  });

  test("Entra texts that say 'not found' are authentication failures, not absence", () => {
    const text = "ERROR: AADSTS700016: Application with identifier '33333333-3333-3333-3333-333333333333' was not found in the directory 'contoso'.\nInteractive authentication is needed. Please run:\naz login\n";
    expect(classifyAzFailure(1, "", text)).toMatchObject({ kind: "authentication", code: "AADSTS700016" });
  });

  test("ARM's retry hint is read; a not-found form with the wrong exit code is not trusted", () => {
    expect(classify(answers.throttled("SubscriptionRequestsThrottled")).retryAfterSeconds).toBe(1);
    const armNotFound = answers.resourceGroupNotFound("rg-x");
    expect(classifyAzFailure(1, armNotFound.stdout, armNotFound.stderr).kind).toBe("unknown");
  });
});
