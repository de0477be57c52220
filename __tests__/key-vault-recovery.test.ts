import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "lib", "cli", "medallion-kv-recover.ts");
const FAKES = join(__dirname, "fixtures", "fake-azure");
const SUB = "11111111-1111-1111-1111-111111111111";
const VAULT = "kv-lake-dev-weu-35c76";
const TARGET = "rg-lake-platform-dev-weu";
const ADDRESS = "azurerm_key_vault.platform_key-vault_E3DDF9DA";

interface AzureState {
  subscription: string;
  groups: Record<string, { location: string; resources: string[] }>;
  vaults: Record<string, { group: string; location: string }>;
  deleted: Record<string, { group: string; location: string; purgeProtection: boolean }>;
  elsewhere?: string[];
  failures?: Record<string, { error: string; times: number }>;
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

function scenario(state: Partial<AzureState>, options: { args?: string[]; stackJson?: Record<string, unknown>; env?: Record<string, string> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kv-recovery-"));
  const stackDir = join(dir, "cdktf.out", "stacks", "platform-dev");
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(options.stackJson ?? stack()));
  const statePath = join(dir, "azure.json");
  writeFileSync(statePath, JSON.stringify({ subscription: SUB, groups: {}, vaults: {}, deleted: {}, ...state }));
  const files = { env: join(dir, "github-env"), summary: join(dir, "summary.md"), log: join(dir, "calls.log") };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const result = spawnSync(process.execPath, ["-r", "sucrase/register/ts", CLI, "--stack-dir", stackDir, ...(options.args ?? [])], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      PATH: `${FAKES}:${process.env.PATH}`,
      FAKE_AZURE_STATE: statePath,
      FAKE_AZURE_LOG: files.log,
      GITHUB_ENV: files.env,
      GITHUB_STEP_SUMMARY: files.summary,
      MEDALLION_RETRY_BASE_MS: "1",
      TF_VAR_subscription_id: SUB,
      ...options.env,
    },
  });
  const read = (f: string) => readFileSync(f, "utf8");
  const decisionLine = result.stdout.split("\n").find((l) => l.startsWith("kv-recovery "));
  const out = {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    githubEnv: read(files.env),
    summary: read(files.summary),
    calls: read(files.log).trim().split("\n").filter(Boolean).map((l) => (JSON.parse(l) as string[]).slice(0, 3).join(" ")),
    decision: decisionLine ? (JSON.parse(decisionLine.slice("kv-recovery ".length)) as { decision: string; recoverSoftDeleted: boolean; actions: string[] }) : undefined,
    azure: JSON.parse(read(statePath)) as AzureState,
  };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

const group = (...resources: string[]) => ({ location: "westeurope", resources });

describe("Key Vault soft-delete recovery (the CLI against a fake az)", () => {
  test("no vault in the stack: nothing asked of Azure, flag false", () => {
    const r = scenario({}, { stackJson: { provider: { azurerm: [{}] }, resource: {} } });
    expect(r.code).toBe(0);
    expect(r.decision).toMatchObject({ decision: "no-vault-in-stack", recoverSoftDeleted: false });
    expect(r.calls).toEqual([]);
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=false\n");
  });

  test("no vault of that name anywhere: fresh create", () => {
    const r = scenario({ groups: { [TARGET]: group() } });
    expect(r.code).toBe(0);
    expect(r.decision).toMatchObject({ decision: "fresh-create", recoverSoftDeleted: false, actions: [] });
    expect(r.calls).toEqual(["az keyvault show", "az keyvault list-deleted", "az rest --method"]);
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=false\n");
    expect(r.summary).toContain("`fresh-create`");
    expect(r.summary).toContain("### Key Vault recovery: platform-dev");
    expect(r.stdout).toContain('kv-recovery {"stack":"platform-dev"');
  });

  test("active vault in the target group, missing from state: imported, nothing recovered", () => {
    const r = scenario({ groups: { [TARGET]: group(VAULT) }, vaults: { [VAULT]: { group: TARGET, location: "westeurope" } } });
    expect(r.decision).toMatchObject({ decision: "active-in-target", recoverSoftDeleted: false, actions: [`imported ${ADDRESS}`] });
    expect(r.calls).toEqual(["az keyvault show", "terraform state list", "terraform import -input=false"]);
    expect(r.azure.tfState).toEqual([ADDRESS]);
  });

  test("active vault in the target group, already in state: no import", () => {
    const r = scenario({ groups: { [TARGET]: group(VAULT) }, vaults: { [VAULT]: { group: TARGET, location: "westeurope" } }, tfState: [ADDRESS] });
    expect(r.decision).toMatchObject({ decision: "active-in-target", actions: [] });
    expect(r.calls).toEqual(["az keyvault show", "terraform state list"]);
  });

  test("soft-deleted vault of the target group, which exists: the provider recovers it (flag true)", () => {
    const r = scenario({ groups: { [TARGET]: group() }, deleted: { [VAULT]: { group: TARGET, location: "westeurope", purgeProtection: true } } });
    expect(r.code).toBe(0);
    expect(r.decision).toMatchObject({ decision: "recover", recoverSoftDeleted: true });
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=true\n");
    expect(r.calls).toEqual(["az keyvault show", "az keyvault list-deleted", "az group exists"]);
  });

  test("soft-deleted vault whose group was deleted, group managed by the stack: Terraform recreates it, then recovers", () => {
    const r = scenario({ deleted: { [VAULT]: { group: TARGET, location: "westeurope", purgeProtection: true } } });
    expect(r.decision).toMatchObject({ decision: "recreate-group-then-recover", recoverSoftDeleted: true });
    expect(r.calls).not.toContain("az group create");
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=true\n");
  });

  test("soft-deleted vault whose group was deleted, group not managed by the stack: recreated, then recovered", () => {
    const r = scenario({ deleted: { [VAULT]: { group: TARGET, location: "westeurope", purgeProtection: true } } }, { stackJson: stack(false) });
    expect(r.decision).toMatchObject({ decision: "recreate-group-then-recover", recoverSoftDeleted: true, actions: [`created resource group ${TARGET}`] });
    expect(r.azure.groups[TARGET]).toBeDefined();
  });

  test("soft-deleted vault of another group: recovered there, moved into the target, imported", () => {
    const r = scenario({ groups: { [TARGET]: group(), "rg-old": group() }, deleted: { [VAULT]: { group: "rg-old", location: "westeurope", purgeProtection: true } } });
    expect(r.code).toBe(0);
    expect(r.decision).toMatchObject({ decision: "recover-then-move", recoverSoftDeleted: false });
    expect(r.decision!.actions).toEqual(["recovered the vault into rg-old", `moved the vault from rg-old to ${TARGET}`, `imported ${ADDRESS}`]);
    expect(r.azure.vaults[VAULT].group).toBe(TARGET);
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=false\n");
  });

  test("soft-deleted vault of another group that is gone: recreate it, recover, move, remove the empty group", () => {
    const r = scenario({ deleted: { [VAULT]: { group: "rg-old", location: "westeurope", purgeProtection: true } } });
    expect(r.decision).toMatchObject({ decision: "recreate-group-recover-move", recoverSoftDeleted: false });
    expect(r.decision!.actions).toEqual([
      "created resource group rg-old",
      "recovered the vault into rg-old",
      `created resource group ${TARGET}`,
      "imported azurerm_resource_group.resource-group",
      `moved the vault from rg-old to ${TARGET}`,
      `imported ${ADDRESS}`,
      "removed the then-empty resource group rg-old",
    ]);
    expect(Object.keys(r.azure.groups)).toEqual([TARGET]);
    expect(r.azure.tfState).toEqual(["azurerm_resource_group.resource-group", ADDRESS]);
  });

  test("active vault in another group: moved into the target", () => {
    const r = scenario({ groups: { [TARGET]: group(), "rg-other": group(VAULT) }, vaults: { [VAULT]: { group: "rg-other", location: "westeurope" } } });
    expect(r.decision).toMatchObject({ decision: "move-active", recoverSoftDeleted: false });
    expect(r.azure.vaults[VAULT].group).toBe(TARGET);
  });

  test("moves disabled: fails loudly with the exact commands, flag still written", () => {
    const r = scenario({ groups: { [TARGET]: group(), "rg-old": group() }, deleted: { [VAULT]: { group: "rg-old", location: "westeurope", purgeProtection: true } } }, { args: ["--no-move"] });
    expect(r.code).toBe(1);
    expect(r.decision).toMatchObject({ decision: "moves-disabled", recoverSoftDeleted: false });
    expect(r.stderr).toContain(`az keyvault recover --name ${VAULT} --subscription ${SUB}`);
    expect(r.stderr).toContain(`az resource move --destination-group ${TARGET} --ids /subscriptions/${SUB}/resourceGroups/rg-old/providers/Microsoft.KeyVault/vaults/${VAULT}`);
    expect(r.calls).not.toContain("az keyvault recover");
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=false\n");
  });

  test("the name is held in another subscription or tenant: fails with a clear message", () => {
    const r = scenario({ groups: { [TARGET]: group() }, elsewhere: [VAULT] });
    expect(r.code).toBe(1);
    expect(r.decision).toMatchObject({ decision: "name-taken-elsewhere" });
    expect(r.stderr).toMatch(/held by a vault in another subscription or tenant .*Choose another name/);
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=false\n");
  });

  test("purge: never by default, even without purge protection", () => {
    const r = scenario({ groups: { [TARGET]: group() }, deleted: { [VAULT]: { group: TARGET, location: "westeurope", purgeProtection: false } } });
    expect(r.decision).toMatchObject({ decision: "recover" });
    expect(r.calls).not.toContain("az keyvault purge");
  });

  test("purge: only when explicitly allowed and purge protection is off", () => {
    const allowed = scenario({ groups: { [TARGET]: group() }, deleted: { [VAULT]: { group: TARGET, location: "westeurope", purgeProtection: false } } }, { args: ["--allow-purge"] });
    expect(allowed.decision).toMatchObject({ decision: "purge-then-create", recoverSoftDeleted: false });
    expect(allowed.azure.deleted).toEqual({});
    const protectedVault = scenario({ groups: { [TARGET]: group() }, deleted: { [VAULT]: { group: TARGET, location: "westeurope", purgeProtection: true } } }, { args: ["--allow-purge"] });
    expect(protectedVault.decision).toMatchObject({ decision: "recover", recoverSoftDeleted: true });
    expect(protectedVault.calls).not.toContain("az keyvault purge");
    expect(protectedVault.stderr).toMatch(/purge is allowed but the vault has purge protection/);
  });

  test("authentication errors are reported clearly; the flag is still written", () => {
    const r = scenario({ failures: { "az keyvault show": { error: "AADSTS700016: Application not found in the directory", times: 1 } } });
    expect(r.code).toBe(2);
    expect(r.decision).toMatchObject({ decision: "azure-error", recoverSoftDeleted: false });
    expect(r.stderr).toMatch(/authentication\/permission error in `az keyvault show/);
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=false\n");
  });

  test("no permission to list deleted vaults: recovery-first fallback with a warning", () => {
    const r = scenario({ groups: { [TARGET]: group() }, failures: { "az keyvault list-deleted": { error: "(AuthorizationFailed) The client does not have authorization to perform action 'Microsoft.KeyVault/deletedVaults/read'", times: 9 } } });
    expect(r.code).toBe(0);
    expect(r.decision).toMatchObject({ decision: "recovery-first-fallback", recoverSoftDeleted: true });
    expect(r.stderr).toMatch(/::warning::.*no permission to list deleted vaults/);
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=true\n");
  });

  test("transient errors are retried with bounded backoff", () => {
    const r = scenario({ groups: { [TARGET]: group() }, failures: { "az keyvault show": { error: "(TooManyRequests) Rate limit exceeded. Status code 429", times: 2 } } });
    expect(r.code).toBe(0);
    expect(r.decision).toMatchObject({ decision: "fresh-create" });
    expect(r.calls.filter((c) => c === "az keyvault show")).toHaveLength(3);
  });

  test("persistent transient errors give up after the bounded attempts", () => {
    const r = scenario({ failures: { "az keyvault show": { error: "(ServiceUnavailable) 503", times: 99 } } });
    expect(r.code).toBe(2);
    expect(r.calls.filter((c) => c === "az keyvault show")).toHaveLength(4);
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=false\n");
  });

  test("names come from the synthesized stack; a missing input fails without guessing", () => {
    const r = scenario({}, { env: { TF_VAR_subscription_id: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs TF_VAR_subscription_id, which is not set/);
    expect(r.calls).toEqual([]);
    expect(r.githubEnv).toBe("TF_VAR_key_vault_recover_soft_deleted=false\n");
  });
});
