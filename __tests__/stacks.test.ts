import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { BUILTIN_ROLE_IDS } from "../lib/data-domain/builtin-roles";
import { loadConfig } from "../stacks/config/load";
import { synthesize } from "../stacks/synth";
import { EnvironmentConfig } from "../stacks/config/schema";
import { sampleSynth } from "./sample-synth";

const config = loadConfig();
const configuredInstants = new Set(config.domains.flatMap((d) => (d.budget?.startDate ? [`${d.budget.startDate}T00:00:00Z`] : [])));

function synthTo(dir: string, cfg = config): Record<string, string> {
  synthesize(cfg, dir);
  return read(dir);
}

function read(dir: string): Record<string, string> {
  const stacks: Record<string, string> = {};
  for (const name of readdirSync(join(dir, "stacks")).sort()) stacks[name] = readFileSync(join(dir, "stacks", name, "cdk.tf.json"), "utf8");
  return stacks;
}

describe("the sample app", () => {
  const root = mkdtempSync(join(tmpdir(), "medallion-synth-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const first = read(sampleSynth());
  const parsed = Object.fromEntries(Object.entries(first).map(([k, v]) => [k, JSON.parse(v)]));

  const STACKS = [
    "catalog-dev", "catalog-prod", "catalog-prod-dr",
    "domain-fin-dev", "domain-fin-prod", "domain-fin-prod-dr", "domain-mkt-dev", "domain-mkt-prod", "domain-mkt-prod-dr", "domain-sales-dev", "domain-sales-prod", "domain-sales-prod-dr",
    "features-dev", "features-prod", "features-prod-dr", "governance-dev", "governance-prod", "governance-prod-dr", "pim-prod", "pim-prod-dr", "platform-dev", "platform-prod", "platform-prod-dr",
  ];

  test("synthesizes platform, catalog and domain stacks per environment, and PIM where asked, in dependency order", () => {
    expect(Object.keys(first)).toEqual(STACKS);
    const manifest = JSON.parse(readFileSync(join(sampleSynth(), "manifest.json"), "utf8"));
    expect(manifest.stacks["catalog-dev"].dependencies).toEqual(["platform-dev"]);
    expect(manifest.stacks["catalog-prod"].dependencies).toEqual(["platform-prod"]);
    expect(manifest.stacks["domain-sales-dev"].dependencies.sort()).toEqual(["catalog-dev", "platform-dev"]);
    expect(manifest.stacks["pim-prod"].dependencies.sort()).toEqual(["domain-fin-prod", "domain-mkt-prod", "domain-sales-prod"]);
    // prod's secondary region: each stack after its primary, and only the secondary's own stacks besides.
    expect(manifest.stacks["platform-prod-dr"].dependencies).toEqual(["platform-prod"]);
    expect(manifest.stacks["catalog-prod-dr"].dependencies.sort()).toEqual(["catalog-prod", "platform-prod-dr"]);
    expect(manifest.stacks["domain-sales-prod-dr"].dependencies.sort()).toEqual(["catalog-prod-dr", "domain-sales-prod", "platform-prod-dr"]);
    expect(manifest.stacks["features-prod-dr"].dependencies.sort()).toEqual(["features-prod", "platform-prod-dr"]);
  });

  test.each(STACKS)("%s matches its snapshot", (stack) => {
    expect(parsed[stack]).toMatchSnapshot();
  });

  test("two synths are byte-identical and hold no absolute paths or timestamps", () => {
    const second = synthTo(join(root, "b"));
    expect(second).toEqual(first);
    const manifest = readFileSync(join(sampleSynth(), "manifest.json"), "utf8");
    for (const text of [...Object.values(first), manifest]) {
      expect(text).not.toContain(root);
      expect(text).not.toContain(sampleSynth());
      expect(text).not.toContain(process.cwd());
      // Timestamps in the output are configured schedule dates, never readings of the clock.
      expect((text.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/g) ?? []).filter((t) => !configuredInstants.has(t))).toEqual([]);
    }
  });

  test.each(STACKS)("%s: explicit azurerm backend on OIDC and Entra ID, own state key", (stack) => {
    // State per environment (and per region of a disaster recovery pair): its own account, reachable only by that
    // environment's identities; a secondary's in its own region, so it plans while the primary region is down.
    const env = stack.endsWith("-dr") ? stack.split("-").slice(-2).join("-") : stack.split("-").pop()!;
    expect(parsed[stack].terraform.backend).toEqual({
      azurerm: { resource_group_name: `rg-tfstate-${env}`, storage_account_name: `sttfstatecontoso${env.replace("-", "")}`, container_name: "tfstate", key: `${stack}.tfstate`, use_oidc: true, use_azuread_auth: true },
    });
  });

  test.each(STACKS)("%s: provider on OIDC, Entra storage auth, Key Vault recovery from the stack variable", (stack) => {
    const provider = parsed[stack].provider.azurerm[0];
    expect(provider).toMatchObject({ use_oidc: true, storage_use_azuread: true, subscription_id: "${var.subscription_id}", tenant_id: "${var.tenant_id}" });
    expect(provider.features[0].storage).toEqual([{ data_plane_available: false }]);
    expect(provider.features[0].template_deployment).toEqual([{ delete_nested_items_during_deletion: true }]);
    expect(provider.features[0].key_vault).toEqual([{ recover_soft_deleted_key_vaults: "${var.key_vault_recover_soft_deleted}", purge_soft_delete_on_destroy: false }]);
    expect(parsed[stack].variable.key_vault_recover_soft_deleted).toMatchObject({ type: "bool", default: true });
  });

  test("every variable has a static name usable as TF_VAR_<name>; tenant-specific values are variables", () => {
    for (const json of Object.values(parsed)) {
      for (const name of Object.keys(json.variable)) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    expect(Object.keys(parsed["platform-prod"].variable).sort()).toEqual([
      "deployment_principal_object_id", "hub_blob_dns_zone_id", "hub_databricks_dns_zone_id", "hub_datafactory_dns_zone_id", "hub_dfs_dns_zone_id",
      "hub_eventhub_dns_zone_id", "hub_private_endpoint_subnet_id", "hub_queue_dns_zone_id", "hub_redis_dns_zone_id", "hub_subscription_id",
      "hub_transit_vnet_id", "hub_vault_dns_zone_id",
      "key_vault_recover_soft_deleted", "pipeline_principal_object_id", "platform_admins_group_object_id", "subscription_id", "tenant_id",
    ]);
    // Single-principal mode in dev: no pipeline principal variables.
    expect(Object.keys(parsed["platform-dev"].variable)).not.toContain("pipeline_principal_object_id");
    expect(Object.keys(parsed["catalog-dev"].variable).sort()).toEqual(["databricks_account_id", "databricks_auth_client_id", "deployment_principal_client_id", "key_vault_recover_soft_deleted", "metastore_id", "subscription_id", "tenant_id"]);
    expect(Object.keys(parsed["catalog-prod"].variable)).toContain("pipeline_principal_client_id");
    // The only GUIDs allowed are Azure's built-in role definition IDs, which are the same in every tenant, and the
    // sharing identifiers of partners' metastores (another company's, declared in the domain's YAML and reviewed there).
    const partners = new Set(Object.values(parsed).flatMap((p) => Object.values((p.resource?.databricks_recipient ?? {}) as Record<string, { data_recipient_global_metastore_id?: string }>)).map((r) => /:([0-9a-f-]{36})$/.exec(r.data_recipient_global_metastore_id ?? "")?.[1]).filter((g): g is string => g !== undefined));
    expect(partners.size).toBe(1);
    const guids = Object.values(first).join("\n").match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    expect(guids.filter((g) => !(Object.values(BUILTIN_ROLE_IDS) as string[]).includes(g) && !partners.has(g))).toEqual([]);
  });

  test("names are stack outputs, so CI reads them instead of recomputing them", () => {
    const outputs = parsed["platform-dev"].output;
    expect(outputs).toMatchObject({
      resource_group_name: { value: "${azurerm_resource_group.resource-group.name}" },
      location: { value: "westeurope" },
      workspace_name: { value: "dbw-lake-core-dev-weu" },
      workspace_managed_resource_group_name: { value: "rg-lake-core-managed-dev-weu" },
      key_vault_name: { value: expect.stringMatching(/^kv-lake-dev-weu-[0-9a-f]{5}$/) },
      storage_account_name: { value: expect.stringMatching(/^stlakelakedevweu[0-9a-f]{5}$/) },
      // A reference to the container and the account, so nothing reads the URL before both exist.
      lake_bronze_url: { value: expect.stringMatching(/^abfss:\/\/\$\{azurerm_storage_container\.[\w-]+bronze[\w-]*\.name\}@\$\{azurerm_storage_account\.[\w-]+\.name\}\.dfs\.core\.windows\.net\/$/) },
    });
    for (const name of ["workspace_url", "workspace_resource_id", "key_vault_id", "access_connector_id", "lake_landing_url", "lake_silver_url", "lake_gold_url"]) {
      expect(outputs[name]).toBeDefined();
    }
    expect(Object.keys(parsed["platform-prod"].output)).toEqual(expect.arrayContaining(["lake_gold_reporting_url", "lake_gold_history_url", "lake_staging_url"]));
    expect(parsed["catalog-prod"].output).toMatchObject({
      storage_credential_name: { value: "lake_prod_lake" },
      external_location_gold_reporting: { value: "lake_prod_gold_reporting" },
    });
  });

  test("a feature-serving stack per environment publishes the contract and the endpoint", () => {
    for (const env of ["dev", "prod"]) {
      const outputs = parsed[`features-${env}`].output;
      expect(JSON.parse(outputs.feature_serving_contract.value).keySchema).toBe("<domain>:<featureSet>:v<schemaVersion>:<entityKey>");
      expect(outputs.feature_store_port.value).toBe(10000);
      expect(outputs.feature_store_zone_redundant.value).toBe(true);
    }
    expect(Object.keys(parsed["features-prod"].variable)).toEqual(expect.arrayContaining(["feature_publisher_object_id", "online_serving_object_id", "hub_redis_dns_zone_id"]));
  });

  test("production guards data: prevent_destroy on lake, vault and workspace; no force_destroy in Unity Catalog", () => {
    const resources = parsed["platform-prod"].resource;
    const lake = Object.values<Record<string, unknown>>(resources.azurerm_storage_account).find((a) => String(a.name).startsWith("stlakelake"));
    expect(lake!.lifecycle).toEqual({ prevent_destroy: true });
    expect(Object.values<Record<string, unknown>>(resources.azurerm_key_vault)[0].lifecycle).toEqual({ prevent_destroy: true });
    const catalog = parsed["catalog-prod"].resource;
    for (const type of ["databricks_storage_credential", "databricks_external_location"]) {
      expect(Object.values<Record<string, unknown>>(catalog[type]).every((r) => r.force_destroy === false)).toBe(true);
    }
  });

  test("every taggable resource carries the mandatory tags", () => {
    for (const json of Object.values(parsed)) {
      for (const [type, resources] of Object.entries<Record<string, Record<string, unknown>>>(json.resource)) {
        for (const resource of Object.values(resources)) {
          if (!("tags" in resource)) continue;
          const keys = Object.keys(resource.tags as object);
          expect({ type, missing: ["costCenter", "dataClassification", "environment", "managedBy", "owner"].filter((k) => !keys.includes(k)) }).toEqual({ type, missing: [] });
        }
      }
    }
    expect(parsed["platform-prod"].resource.azurerm_databricks_workspace).toBeDefined();
    const domainGroup = Object.values<Record<string, Record<string, string>>>(parsed["domain-sales-prod"].resource.azurerm_resource_group)[0];
    expect(domainGroup.tags).toMatchObject({ domain: "sales", owner: "sales-data@contoso.example", costCenter: "CC-2001", dataClassification: "confidential" });
  });

  test("domains: persona object IDs are variables, except where the tenant lets the stack create groups", () => {
    expect(Object.keys(parsed["domain-sales-dev"].variable)).toEqual(expect.arrayContaining(["domain_sales_admins_object_id", "domain_sales_engineers_object_id", "domain_sales_readers_object_id", "domain_sales_stewards_object_id"]));
    expect(Object.keys(parsed["domain-fin-prod"].variable)).toEqual(expect.arrayContaining(["domain_fin_service_principals_object_id", "domain_fin_service_principals_client_id"]));
    expect(Object.keys(parsed["domain-mkt-dev"].variable).filter((v) => v.startsWith("domain_"))).toEqual([]);
    expect(Object.keys(parsed["domain-mkt-dev"].resource.azuread_group)).toHaveLength(3);
    for (const json of Object.values(parsed)) expect(Object.keys(json.data ?? {}).filter((d) => d.startsWith("azuread"))).toEqual([]);
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
      /platform-prod\/platform\/workspace\/network: invalid hostSubnetCidr "10\.40\.0\.0\/27": expected a \/26 or larger subnet/,
    );
    expect(readFileSync(marker, "utf8")).toBe("previous run");
    expect(existsSync(join(out, "cdktf.out.staging"))).toBe(false);
    rmSync(out, { recursive: true, force: true });
  });
});
