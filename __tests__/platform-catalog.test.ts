import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { parseZones } from "../lib/medallion-platform/zones";
import { PlatformCatalog, PlatformCatalogProps } from "../lib/medallion-platform/platform-catalog";
import { resourcesOf, synth, testStack } from "./helpers";

const METASTORE = "12345678-aaaa-bbbb-cccc-1234567890ab";
const PIPELINE_APP = "87654321-aaaa-bbbb-cccc-1234567890ab";
const STORAGE = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stlakelakedevweu35c76";
const CONNECTOR = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Databricks/accessConnectors/dbac-lake-platform-dev-weu";

function build(overrides: Partial<PlatformCatalogProps> = {}) {
  const { stack, naming } = testStack();
  const workspaceProvider = new DatabricksProvider(stack, "ws", { alias: "workspace", host: "https://adb-1.azuredatabricks.net" });
  const accountProvider = new DatabricksProvider(stack, "acc", { alias: "account", host: "https://accounts.azuredatabricks.net", accountId: "x" });
  const catalog = new PlatformCatalog(stack, "catalog", {
    naming,
    workspaceProvider,
    accountProvider,
    workspaceId: "1234567890",
    metastore: { existingId: METASTORE },
    accessConnectorId: CONNECTOR,
    storageAccountName: "stlakelakedevweu35c76",
    storageAccountId: STORAGE,
    zones: parseZones(stack, ["landing", "bronze", "silver", "gold"]),
    adminGroup: "lake-platform-admins",
    pipelinePrincipalClientId: PIPELINE_APP,
    region: "westeurope",
    ...overrides,
  });
  return { stack, catalog };
}

describe("zones", () => {
  test("are returned in layer order whatever the configured order", () => {
    const { stack } = testStack();
    expect(parseZones(stack, ["gold-history", "bronze", "landing", "gold-reporting", "silver"]).map((z) => z.name)).toEqual(["landing", "bronze", "silver", "gold-history", "gold-reporting"]);
  });
});

describe("PlatformCatalog", () => {
  const { stack, catalog } = build();
  const json = synth(stack);

  test("assigns the existing metastore to the workspace with the account provider", () => {
    expect(resourcesOf(json, "databricks_metastore_assignment")).toEqual([{ metastore_id: METASTORE, workspace_id: 1234567890, provider: "databricks.account" }]);
    expect(resourcesOf(json, "databricks_metastore")).toHaveLength(0);
  });

  test("an ISOLATED storage credential over the access connector, bound to the workspace", () => {
    expect(resourcesOf(json, "databricks_storage_credential")[0]).toMatchObject({
      name: "lake_dev_lake",
      azure_managed_identity: { access_connector_id: CONNECTOR },
      isolation_mode: "ISOLATION_MODE_ISOLATED",
      owner: "lake-platform-admins",
      skip_validation: false,
      force_destroy: true,
      provider: "databricks.workspace",
    });
    expect(resourcesOf(json, "databricks_workspace_binding")).toContainEqual(
      expect.objectContaining({ securable_type: "storage_credential", binding_type: "BINDING_TYPE_READ_WRITE", workspace_id: 1234567890 }),
    );
  });

  test("one ISOLATED external location per zone, with grants to admins and the pipeline", () => {
    const locations = resourcesOf(json, "databricks_external_location");
    expect(locations.map((l) => l.name).sort()).toEqual(["lake_dev_bronze", "lake_dev_gold", "lake_dev_landing", "lake_dev_silver"]);
    expect(locations.find((l) => l.name === "lake_dev_bronze")).toMatchObject({ url: "abfss://bronze@stlakelakedevweu35c76.dfs.core.windows.net/", isolation_mode: "ISOLATION_MODE_ISOLATED", enable_file_events: false });
    expect(catalog.externalLocationNames).toEqual({ landing: "lake_dev_landing", bronze: "lake_dev_bronze", silver: "lake_dev_silver", gold: "lake_dev_gold" });
    const grants = resourcesOf(json, "databricks_grants").filter((g) => g.external_location);
    expect(grants).toHaveLength(4);
    for (const g of grants) {
      expect(g.grant).toEqual([
        { principal: "lake-platform-admins", privileges: ["ALL_PRIVILEGES"] },
        { principal: PIPELINE_APP, privileges: ["READ_FILES", "WRITE_FILES", "CREATE_EXTERNAL_TABLE"] },
      ]);
    }
  });

  test("serverless: an NCC with dfs and blob private endpoint rules on the lake, bound to the workspace", () => {
    expect(resourcesOf(json, "databricks_mws_network_connectivity_config")[0]).toMatchObject({ name: "ncc-lake-platform-dev-weu", region: "westeurope", provider: "databricks.account" });
    expect(resourcesOf(json, "databricks_mws_ncc_private_endpoint_rule").map((r) => [r.group_id, r.resource_id])).toEqual([["dfs", STORAGE], ["blob", STORAGE]].sort());
    expect(resourcesOf(json, "databricks_mws_ncc_binding")).toHaveLength(1);
  });

  test("production: no force_destroy anywhere", () => {
    const { stack } = build({ protectFromDeletion: true });
    const prod = synth(stack);
    for (const type of ["databricks_storage_credential", "databricks_external_location"]) {
      expect(resourcesOf(prod, type).every((r) => r.force_destroy === false)).toBe(true);
    }
  });

  test("file events use a managed queue in the lake's resource group", () => {
    const { stack } = build({ fileEvents: { subscriptionId: "${var.subscription_id}", resourceGroupName: "rg-lake-platform-dev-weu" } });
    const location = resourcesOf(synth(stack), "databricks_external_location")[0];
    expect(location).toMatchObject({ enable_file_events: true, file_event_queue: { managed_aqs: { resource_group: "rg-lake-platform-dev-weu" } } });
  });

  test("optionally creates the regional metastore", () => {
    const { stack, catalog: created } = build({ metastore: { create: { region: "westeurope" } } });
    expect(created.createdMetastore).toBeDefined();
    expect(resourcesOf(synth(stack), "databricks_metastore")[0]).toMatchObject({ name: "metastore_westeurope", region: "westeurope", force_destroy: false });
  });

  test.each<[string, Partial<PlatformCatalogProps>, RegExp]>([
    ["metastore ID", { metastore: { existingId: "main" } }, /test\/catalog: invalid metastore\.existingId "main": expected a metastore ID \(GUID\)/],
    ["pipeline client ID", { pipelinePrincipalClientId: "pipeline-sp" }, /invalid pipelinePrincipalClientId "pipeline-sp": expected an application \(client\) ID/],
    ["access connector ID", { accessConnectorId: "dbac" }, /invalid accessConnectorId "dbac": expected an Azure resource ID of type Microsoft\.Databricks\/accessConnectors/],
    ["workspace ID", { workspaceId: "adb-123" }, /invalid workspaceId "adb-123": expected a numeric Databricks workspace ID/],
    ["storage account ID", { storageAccountId: CONNECTOR }, /invalid storageAccountId .*Microsoft\.Storage\/storageAccounts/],
    ["admin group", { adminGroup: " admins" }, /invalid adminGroup " admins": expected a Databricks account group name/],
    ["no zones", { zones: [] }, /invalid zones \[\]: expected at least one zone/],
  ])("bad input: %s", (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
