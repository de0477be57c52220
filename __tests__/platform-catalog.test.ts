import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { parseZones } from "../lib/medallion-platform/zones";
import { PlatformCatalog, PlatformCatalogProps } from "../lib/medallion-platform/platform-catalog";
import { resourcesOf, synth, testStack } from "./helpers";

const METASTORE = "12345678-aaaa-bbbb-cccc-1234567890ab";
const PIPELINE_APP = "87654321-aaaa-bbbb-cccc-1234567890ab";
const STORAGE = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stlakelakedevweu35c76";
const CONNECTOR = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Databricks/accessConnectors/dbac-lake-platform-dev-weu";

const DEPLOYER = "11111111-aaaa-bbbb-cccc-1234567890ab";
const URL = (zone: string) => `abfss://${zone}@stlakelakedevweu35c76.dfs.core.windows.net/`;

function build(overrides: Partial<PlatformCatalogProps> = {}) {
  const { stack, naming } = testStack();
  const workspaceProvider = new DatabricksProvider(stack, "ws", { alias: "workspace", host: "https://adb-1.azuredatabricks.net" });
  const accountProvider = new DatabricksProvider(stack, "acc", { alias: "account", host: "https://accounts.azuredatabricks.net", accountId: "x" });
  const zones = parseZones(stack, ["landing", "bronze", "silver", "gold"]);
  const catalog = new PlatformCatalog(stack, "catalog", {
    naming,
    workspaceProvider,
    accountProvider,
    workspaceId: "1234567890",
    metastore: { existingId: METASTORE },
    accessConnectorId: CONNECTOR,
    storageAccountId: STORAGE,
    zones,
    zoneUrls: Object.fromEntries(zones.map((z) => [z.name, URL(z.name)])),
    deployerClientId: DEPLOYER,
    adminGroup: "lake-platform-admins-dev",
    goldReaders: ["lake-gold-readers-dev"],
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

  const group = (name: string) => `\${databricks_group.${Object.entries(json.resource.databricks_group).find(([, g]) => g.display_name === name)![0]}.display_name}`;
  const sp = (appId: string) => `\${databricks_service_principal.${Object.entries(json.resource.databricks_service_principal).find(([, p]) => p.application_id === appId)![0]}.application_id}`;
  type Grant = { principal: string; privileges: string[] };
  const grantsOf = (key: string, name: string) => Object.values(json.resource.databricks_grants).find((g) => String(g[key]).includes(name))!.grant as Grant[];

  test("an ISOLATED storage credential over the access connector, owned by the deployer (no owner handed away), not bound explicitly", () => {
    const credential = resourcesOf(json, "databricks_storage_credential")[0];
    expect(credential).toMatchObject({
      name: "lake_dev_lake",
      azure_managed_identity: { access_connector_id: CONNECTOR },
      isolation_mode: "ISOLATION_MODE_ISOLATED",
      skip_validation: false,
      force_destroy: true,
      provider: "databricks.workspace",
    });
    expect(credential.owner).toBeUndefined();
    // The provider binds an ISOLATED securable to the workspace that creates it; an explicit binding to it breaks destroy.
    expect(resourcesOf(json, "databricks_workspace_binding")).toEqual([]);
    expect(grantsOf("storage_credential", "storage_credential")).toEqual(
      [{ principal: DEPLOYER, privileges: ["ALL_PRIVILEGES"] }, { principal: group("lake-platform-admins-dev"), privileges: ["CREATE_EXTERNAL_LOCATION"] }].sort((a, b) => a.principal.localeCompare(b.principal)),
    );
  });

  test("the admin group, gold readers and pipeline exist in the account (provisioned) and are assigned to the workspace as users", () => {
    expect(resourcesOf(json, "databricks_group").map((g) => [g.display_name, g.provider]).sort()).toEqual([
      ["lake-gold-readers-dev", "databricks.account"],
      ["lake-platform-admins-dev", "databricks.account"],
    ]);
    expect(resourcesOf(json, "databricks_service_principal")).toEqual([expect.objectContaining({ application_id: PIPELINE_APP, provider: "databricks.account", active: true })]);
    const assignments = resourcesOf(json, "databricks_mws_permission_assignment");
    expect(assignments).toHaveLength(3);
    expect(assignments.every((a) => a.workspace_id === 1234567890 && JSON.stringify(a.permissions) === '["USER"]')).toBe(true);
  });

  test("principals are assigned to the workspace only after its metastore assignment (which makes it identity-federated)", () => {
    const assignment = Object.keys((json.resource as Record<string, Record<string, unknown>>).databricks_metastore_assignment)[0];
    for (const a of resourcesOf(json, "databricks_mws_permission_assignment")) expect(a.depends_on).toEqual([`databricks_metastore_assignment.${assignment}`]);
  });

  test("lookup mode assigns the principals to the workspace by name, reads nothing from the account and creates none", () => {
    const looked = synth(build({ principals: "lookup" }).stack);
    expect(resourcesOf(looked, "databricks_group")).toHaveLength(0);
    expect(resourcesOf(looked, "databricks_mws_permission_assignment")).toHaveLength(0);
    expect(looked.data).toBeUndefined();
    const byName = resourcesOf(looked, "databricks_permission_assignment");
    expect(byName.filter((a) => a.group_name).map((a) => a.group_name).sort()).toEqual(["lake-gold-readers-dev", "lake-platform-admins-dev"]);
    expect(byName.every((a) => a.provider === "databricks.workspace" && JSON.stringify(a.permissions) === '["USER"]')).toBe(true);
  });

  test("a sync principal (a disaster recovery secondary) writes the layer catalogs' tables and nothing else", () => {
    const SYNC = "33333333-3333-3333-3333-333333333333";
    const synced = synth(build({ syncPrincipalApplicationId: SYNC }).stack);
    const grants = Object.entries((synced.resource as Record<string, Record<string, { catalog?: string; grant: { principal: string; privileges: string[] }[] }>>).databricks_grants);
    const syncSp = `\${databricks_service_principal.${Object.entries((synced.resource as Record<string, Record<string, { application_id?: string }>>).databricks_service_principal).find(([, p]) => p.application_id === SYNC)![0]}.application_id}`;
    const forSync = grants.flatMap(([id, g]) => g.grant.filter((x) => x.principal === syncSp).map((x) => [id, g.catalog !== undefined, x.privileges] as const));
    expect(forSync.length).toBeGreaterThan(0);
    for (const [, onCatalog, privileges] of forSync) {
      expect(onCatalog).toBe(true);
      expect([...privileges].sort()).toEqual(["CREATE_TABLE", "MODIFY", "SELECT", "USE_CATALOG", "USE_SCHEMA"]);
    }
    expect(grants.filter(([, g]) => g.catalog !== undefined).every(([, g]) => g.grant.some((x) => x.principal === syncSp))).toBe(true);
  });

  test("one ISOLATED external location per zone; file privileges for the pipeline only on landing", () => {
    const locations = resourcesOf(json, "databricks_external_location");
    expect(locations.map((l) => l.name).sort()).toEqual(["lake_dev_bronze", "lake_dev_gold", "lake_dev_landing", "lake_dev_silver"]);
    expect(locations.find((l) => l.name === "lake_dev_bronze")).toMatchObject({ url: URL("bronze"), isolation_mode: "ISOLATION_MODE_ISOLATED", enable_file_events: false });
    expect(locations.every((l) => l.owner === undefined)).toBe(true);
    expect(catalog.externalLocationNames).toEqual({ landing: "lake_dev_landing", bronze: "lake_dev_bronze", silver: "lake_dev_silver", gold: "lake_dev_gold" });
    const pipelineGrant = (zone: string) => grantsOf("external_location", `location-${zone}_`).find((g) => g.principal === sp(PIPELINE_APP));
    expect(pipelineGrant("landing")).toEqual({ principal: sp(PIPELINE_APP), privileges: ["READ_FILES", "WRITE_FILES"] });
    for (const zone of ["bronze", "silver", "gold"]) expect(pipelineGrant(zone)).toBeUndefined();
    for (const zone of ["landing", "bronze", "silver", "gold"]) expect(grantsOf("external_location", `location-${zone}_`)).toContainEqual({ principal: DEPLOYER, privileges: ["ALL_PRIVILEGES"] });
  });

  test("a catalog per medallion layer, with managed storage under its zone's location, writable by the pipeline; gold readable by its readers", () => {
    const catalogs = resourcesOf(json, "databricks_catalog");
    expect(catalogs.map((c) => c.name).sort()).toEqual(["lake_bronze_dev", "lake_gold_dev", "lake_silver_dev"]);
    for (const zone of ["bronze", "silver", "gold"]) {
      const c = catalogs.find((x) => x.name === `lake_${zone}_dev`)!;
      expect(c).toMatchObject({ isolation_mode: "ISOLATED", properties: { layer: zone, zone } });
      expect(c.storage_root).toMatch(new RegExp(`^\\$\\{databricks_external_location\\.catalog_location-${zone}_[A-Z0-9]+\\.url\\}unity-catalog/$`));
      expect(c.owner).toBeUndefined();
      const grants = grantsOf("catalog", `catalog-${zone}_`);
      expect(grants).toContainEqual({ principal: sp(PIPELINE_APP), privileges: ["CREATE_SCHEMA", "CREATE_TABLE", "MODIFY", "SELECT", "USE_CATALOG", "USE_SCHEMA"] });
      expect(grants).toContainEqual({ principal: DEPLOYER, privileges: ["ALL_PRIVILEGES"] });
      expect(grants).toContainEqual({ principal: group("lake-platform-admins-dev"), privileges: ["ALL_PRIVILEGES", "MANAGE"] });
      expect(grants.some((g) => g.principal === group("lake-gold-readers-dev"))).toBe(zone === "gold");
    }
    expect(grantsOf("catalog", "catalog-gold_")).toContainEqual({ principal: group("lake-gold-readers-dev"), privileges: ["SELECT", "USE_CATALOG", "USE_SCHEMA"] });
  });

  test("production: the admin group reads; single-principal mode merges deployer and pipeline into one grant", () => {
    const prod = synth(build({ peopleAccess: "readOnly", pipelinePrincipalClientId: DEPLOYER }).stack);
    const grants = Object.values(prod.resource.databricks_grants).find((g) => String(g.catalog).includes("catalog-silver_"))!.grant as Grant[];
    expect(grants.find((g) => g.principal === DEPLOYER)).toEqual({ principal: DEPLOYER, privileges: ["ALL_PRIVILEGES"] });
    expect(grants.filter((g) => g.principal === DEPLOYER)).toHaveLength(1);
    expect(grants.find((g) => g.principal !== DEPLOYER)!.privileges).toEqual(["BROWSE", "SELECT", "USE_CATALOG", "USE_SCHEMA"]);
    expect(resourcesOf(prod, "databricks_service_principal")).toHaveLength(0);
  });

  test("other workspaces are bound explicitly, read-only by default; the creating one never", () => {
    const bound = synth(build({ additionalWorkspaces: [{ workspaceId: "222" }] }).stack);
    const bindings = resourcesOf(bound, "databricks_workspace_binding");
    expect(bindings.length).toBe(1 + 4 + 3);
    expect(bindings.every((b) => b.workspace_id === 222 && b.binding_type === "BINDING_TYPE_READ_ONLY" && String(b.securable_name).startsWith("${databricks_"))).toBe(true);
  });

  test("serverless: an NCC with dfs and blob private endpoint rules on the lake and every further account, bound to the workspace", () => {
    expect(resourcesOf(json, "databricks_mws_network_connectivity_config")[0]).toMatchObject({ name: "ncc-lake-platform-dev-weu", region: "westeurope", provider: "databricks.account" });
    expect(resourcesOf(json, "databricks_mws_ncc_private_endpoint_rule").map((r) => [r.group_id, r.resource_id]).sort()).toEqual([["blob", STORAGE], ["dfs", STORAGE]]);
    expect(resourcesOf(json, "databricks_mws_ncc_binding")).toHaveLength(1);
    const root = STORAGE.replace("stlakelakedevweu35c76", "stlakecoredevweu35c76");
    const withRoot = synth(build({ serverlessStorageAccountIds: { root } }).stack);
    expect(resourcesOf(withRoot, "databricks_mws_ncc_private_endpoint_rule").map((r) => `${r.group_id} ${r.resource_id}`).sort()).toEqual([`blob ${STORAGE}`, `blob ${root}`, `dfs ${STORAGE}`, `dfs ${root}`].sort());
  });

  test("production: no force_destroy anywhere", () => {
    const { stack } = build({ protectFromDeletion: true });
    const prod = synth(stack);
    for (const type of ["databricks_storage_credential", "databricks_external_location", "databricks_catalog"]) {
      expect(resourcesOf(prod, type).every((r) => r.force_destroy === false)).toBe(true);
    }
  });

  test("file events use a managed queue in the lake's resource group", () => {
    const { stack } = build({ fileEvents: { subscriptionId: "00000000-0000-0000-0000-0000000000aa", resourceGroupName: "rg-lake-platform-dev-weu" } });
    const location = resourcesOf(synth(stack), "databricks_external_location")[0];
    expect(location).toMatchObject({ enable_file_events: true, file_event_queue: { managed_aqs: { resource_group: "rg-lake-platform-dev-weu" } } });
  });

  test("optionally creates the regional metastore", () => {
    const { stack, catalog: created } = build({ metastore: { create: { region: "westeurope" } } });
    expect(created.createdMetastore).toBeDefined();
    // Secure by default: Delta Sharing inside the account only, open tokens of at most 90 days.
    expect(resourcesOf(synth(stack), "databricks_metastore")[0]).toMatchObject({ name: "metastore_westeurope", region: "westeurope", force_destroy: false, delta_sharing_scope: "INTERNAL", delta_sharing_recipient_token_lifetime_in_seconds: 90 * 86_400 });
  });

  test("a created metastore shares outside the account only when asked, with the token lifetime it is given", () => {
    const { stack } = build({ metastore: { create: { region: "westeurope", sharing: { scope: "INTERNAL_AND_EXTERNAL", recipientTokenLifetimeDays: 30, organizationName: "Contoso" } } } });
    expect(resourcesOf(synth(stack), "databricks_metastore")[0]).toMatchObject({ delta_sharing_scope: "INTERNAL_AND_EXTERNAL", delta_sharing_recipient_token_lifetime_in_seconds: 30 * 86_400, delta_sharing_organization_name: "Contoso" });
    expect(() => build({ metastore: { create: { region: "westeurope", sharing: { scope: "INTERNAL", recipientTokenLifetimeDays: 400 } } } })).toThrow(/invalid metastore\.create\.sharing\.recipientTokenLifetimeDays 400: expected an integer from 1 to 365/);
  });

  test.each<[string, Partial<PlatformCatalogProps>, RegExp]>([
    ["metastore ID", { metastore: { existingId: "main" } }, /test\/catalog: invalid metastore\.existingId "main": expected a metastore ID \(GUID\)/],
    ["pipeline client ID", { pipelinePrincipalClientId: "pipeline-sp" }, /invalid pipelinePrincipalClientId "pipeline-sp": expected an application \(client\) ID/],
    ["access connector ID", { accessConnectorId: "dbac" }, /invalid accessConnectorId "dbac": expected an Azure resource ID of type Microsoft\.Databricks\/accessConnectors/],
    ["workspace ID", { workspaceId: "adb-123" }, /invalid workspaceId "adb-123": expected a numeric Databricks workspace ID/],
    ["storage account ID", { storageAccountId: CONNECTOR }, /invalid storageAccountId .*Microsoft\.Storage\/storageAccounts/],
    ["admin group", { adminGroup: " admins" }, /invalid group displayName " admins": expected a Databricks account group name/],
    ["deployer client ID", { deployerClientId: "deployer" }, /invalid deployerClientId "deployer": expected an application \(client\) ID \(GUID\)/],
    ["people access", { peopleAccess: "some" as never }, /invalid peopleAccess "some": expected "readWrite" or "readOnly"/],
    ["principals mode", { principals: "sync" as never }, /invalid mode "sync": expected one of provision, lookup/],
    ["a zone without its URL", { zoneUrls: {} }, /invalid zoneUrls "landing": expected the URL of every zone/],
    ["no zones", { zones: [] }, /invalid zones \[\]: expected at least one zone/],
  ])("bad input: %s", (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
