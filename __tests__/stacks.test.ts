import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadConfig } from "../stacks/config/load";
import { synthesize } from "../stacks/synth";
import { EnvironmentConfig } from "../stacks/config/schema";

const config = loadConfig();

function synthTo(dir: string, cfg = config): Record<string, string> {
  synthesize(cfg, dir);
  const stacks: Record<string, string> = {};
  for (const name of readdirSync(join(dir, "stacks")).sort()) stacks[name] = readFileSync(join(dir, "stacks", name, "cdk.tf.json"), "utf8");
  return stacks;
}

describe("the sample app", () => {
  const root = mkdtempSync(join(tmpdir(), "medallion-synth-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const first = synthTo(join(root, "a"));
  const parsed = Object.fromEntries(Object.entries(first).map(([k, v]) => [k, JSON.parse(v)]));

  test("synthesizes a platform stack per environment", () => {
    expect(Object.keys(first)).toEqual(["platform-dev", "platform-prod"]);
  });

  test.each(["platform-dev", "platform-prod"])("%s matches its snapshot", (stack) => {
    expect(parsed[stack]).toMatchSnapshot();
  });

  test("two synths are byte-identical and hold no absolute paths or timestamps", () => {
    const second = synthTo(join(root, "b"));
    expect(second).toEqual(first);
    const manifest = readFileSync(join(root, "a", "manifest.json"), "utf8");
    for (const text of [...Object.values(first), manifest]) {
      expect(text).not.toContain(root);
      expect(text).not.toContain(process.cwd());
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
  });

  test.each(["platform-dev", "platform-prod"])("%s: explicit azurerm backend on OIDC and Entra ID, own state key", (stack) => {
    expect(parsed[stack].terraform.backend).toEqual({
      azurerm: { resource_group_name: "rg-tfstate-contoso", storage_account_name: "sttfstatecontoso01", container_name: "tfstate", key: `${stack}.tfstate`, use_oidc: true, use_azuread_auth: true },
    });
  });

  test.each(["platform-dev", "platform-prod"])("%s: provider on OIDC, Entra storage auth, Key Vault recovery from the stack variable", (stack) => {
    const provider = parsed[stack].provider.azurerm[0];
    expect(provider).toMatchObject({ use_oidc: true, storage_use_azuread: true, subscription_id: "${var.subscription_id}", tenant_id: "${var.tenant_id}" });
    expect(provider.features[0].key_vault).toEqual([{ recover_soft_deleted_key_vaults: "${var.key_vault_recover_soft_deleted}", purge_soft_delete_on_destroy: false }]);
    expect(parsed[stack].variable.key_vault_recover_soft_deleted).toMatchObject({ type: "bool", default: true });
  });

  test("every variable has a static name usable as TF_VAR_<name>; tenant-specific values are variables", () => {
    for (const json of Object.values(parsed)) {
      for (const name of Object.keys(json.variable)) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    expect(Object.keys(parsed["platform-prod"].variable).sort()).toEqual([
      "hub_blob_dns_zone_id", "hub_databricks_dns_zone_id", "hub_dfs_dns_zone_id", "hub_private_endpoint_subnet_id", "hub_transit_vnet_id",
      "key_vault_recover_soft_deleted", "subscription_id", "tenant_id",
    ]);
    const text = Object.values(first).join("\n");
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  test("names are stack outputs, so CI reads them instead of recomputing them", () => {
    expect(parsed["platform-dev"].output).toMatchObject({
      resource_group_name: { value: "${azurerm_resource_group.resource-group.name}" },
      workspace_name: { value: "dbw-lake-core-dev-weu" },
      workspace_managed_resource_group_name: { value: "rg-lake-core-managed-dev-weu" },
    });
  });

  test("every taggable resource carries the mandatory tags", () => {
    for (const json of Object.values(parsed)) {
      for (const [type, resources] of Object.entries<Record<string, Record<string, unknown>>>(json.resource)) {
        for (const resource of Object.values(resources)) {
          if (!("tags" in resource)) continue;
          expect({ type, tags: Object.keys(resource.tags as object).sort() }).toEqual({ type, tags: ["costCenter", "dataClassification", "environment", "managedBy", "owner"] });
        }
      }
    }
    expect(parsed["platform-prod"].resource.azurerm_databricks_workspace).toBeDefined();
  });
});

describe("a bad input anywhere", () => {
  test("fails synth naming the construct path, and writes nothing", () => {
    const out = mkdtempSync(join(tmpdir(), "medallion-bad-"));
    const marker = join(out, "cdktf.out", "previous.txt");
    synthesize(config, join(out, "cdktf.out"));
    writeFileSync(marker, "previous run");
    const prod = config.environments[1];
    const bad: EnvironmentConfig = { ...prod, network: { ...prod.network, hostSubnetCidr: "10.40.0.0/27" } };
    expect(() => synthesize({ ...config, environments: [config.environments[0], bad] }, join(out, "cdktf.out"))).toThrow(
      /platform-prod\/workspace\/network: invalid hostSubnetCidr "10\.40\.0\.0\/27": expected a \/26 or larger subnet/,
    );
    expect(readFileSync(marker, "utf8")).toBe("previous run");
    expect(existsSync(join(out, "cdktf.out.staging"))).toBe(false);
    rmSync(out, { recursive: true, force: true });
  });
});
