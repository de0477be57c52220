import { expressionOf } from "../lib/core/expressions";
import { MedallionPlatform, MedallionPlatformProps } from "../lib/medallion-platform/medallion-platform";
import { resourcesOf, synth, Synthesized, testStack } from "./helpers";

const DEPLOYER = "aaaaaaaa-0000-0000-0000-000000000001";
const PIPELINE = "aaaaaaaa-0000-0000-0000-000000000002";
const TENANT = "tttttttt-0000-0000-0000-000000000000".replace(/t/g, "c");

type Overrides = Partial<MedallionPlatformProps>;

function build(overrides: Overrides = {}) {
  const { stack, naming } = testStack();
  const platform = new MedallionPlatform(stack, "platform", {
    naming,
    resourceGroupName: "rg-lake-platform-dev-weu",
    location: "westeurope",
    tenantId: TENANT,
    workspace: { network: { addressSpace: "10.20.0.0/22" } },
    principals: { deploymentObjectId: DEPLOYER, pipelineObjectId: PIPELINE },
    ...overrides,
  });
  return { stack, platform };
}

function strip(json: Synthesized, type: string) {
  return resourcesOf(json, type).map(({ tags: _tags, ...rest }) => rest);
}

describe("MedallionPlatform lake", () => {
  const { stack, platform } = build({ lake: { zones: ["landing", "bronze", "silver", "gold-reporting", "gold-history"] } });
  const json = synth(stack);
  const [lake] = strip(json, "azurerm_storage_account").filter((a) => a.is_hns_enabled === true && String(a.name).startsWith("stlakelake"));

  test("ADLS Gen2 with every baseline attribute set explicitly", () => {
    expect(lake).toMatchObject({
      account_kind: "StorageV2",
      is_hns_enabled: true,
      account_replication_type: "ZRS",
      public_network_access_enabled: false,
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      allow_nested_items_to_be_public: false,
      min_tls_version: "TLS1_2",
      https_traffic_only_enabled: true,
      local_user_enabled: false,
      sftp_enabled: false,
      cross_tenant_replication_enabled: false,
      allowed_copy_scope: "PrivateLink",
      infrastructure_encryption_enabled: true,
      blob_properties: { versioning_enabled: false, delete_retention_policy: { days: 30 }, container_delete_retention_policy: { days: 30 } },
    });
    expect(lake.network_rules).toEqual({
      default_action: "Deny",
      bypass: ["None"],
      ip_rules: [],
      virtual_network_subnet_ids: [],
      private_link_access: [{ endpoint_resource_id: expect.stringMatching(/azurerm_databricks_access_connector\./), endpoint_tenant_id: TENANT }],
    });
  });

  test("one container per zone, through the management plane; zones in layer order", () => {
    const containers = strip(json, "azurerm_storage_container");
    expect(containers.map((c) => c.name).sort()).toEqual(["bronze", "gold-history", "gold-reporting", "landing", "silver"]);
    for (const c of containers) {
      expect(c.storage_account_id).toMatch(/azurerm_storage_account\./);
      expect(c.storage_account_name).toBeUndefined();
      expect(c.container_access_type).toBe("private");
    }
    expect(platform.zones.map((z) => z.identifier)).toEqual(["landing", "bronze", "silver", "gold_reporting", "gold_history"]);
    // References to the container and the account, not literals: what uses the URL comes after both.
    expect(expressionOf(stack, platform.zoneUrl("gold-history"))).toMatch(/^"abfss:\/\/\$\{azurerm_storage_container\.platform_lake_container-gold-history_[0-9A-F]+\.name\}@\$\{azurerm_storage_account\.platform_lake_account_[0-9A-F]+\.name\}\.dfs\.core\.windows\.net\/"$/);
  });

  test("landing data expires", () => {
    expect(strip(json, "azurerm_storage_management_policy")[0].rule).toEqual([
      { name: "landing-0", enabled: true, filters: { blob_types: ["blockBlob"], prefix_match: ["landing/"] }, actions: { base_blob: { delete_after_days_since_modification_greater_than: 30 } } },
    ]);
  });

  test("dfs and blob private endpoints, and diagnostics on the account and every storage service", () => {
    const endpoints = strip(json, "azurerm_private_endpoint").filter((e) => String(e.name).includes("-lake-lake-"));
    expect(endpoints.map((e) => (e.private_service_connection as { subresource_names: string[] }).subresource_names[0]).sort()).toEqual(["blob", "dfs"]);
    const targets = strip(json, "azurerm_monitor_diagnostic_setting").map((d) => String(d.target_resource_id));
    for (const service of ["blobServices", "queueServices", "tableServices", "fileServices"]) {
      expect(targets).toContainEqual(expect.stringMatching(new RegExp(`azurerm_storage_account\\.platform_lake_account_.*\\.id}/${service}/default$`)));
    }
  });
});

describe("MedallionPlatform Key Vault, access connector, ingestion", () => {
  const { stack } = build({ lake: { fileEvents: true } });
  const json = synth(stack);

  test("Key Vault: RBAC only, purge protection, 90 days, private", () => {
    const [vault] = strip(json, "azurerm_key_vault");
    expect(vault).toMatchObject({
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      public_network_access_enabled: false,
      network_acls: { default_action: "Deny", bypass: "None" },
    });
    expect(vault.access_policy).toBeUndefined();
    expect(vault.enable_rbac_authorization).toBeUndefined();
  });

  test("roles: access connector per zone plus queue and event subscriptions with file events; deployer officer; pipeline user", () => {
    const roles = strip(json, "azurerm_role_assignment").map((r) => `${r.role_definition_name} @ ${String(r.scope).split(".")[0].replace("${", "")} -> ${String(r.principal_id).replace(/_[0-9A-F]{8}\./, ".").replace(/^\$\{|\}$/g, "")}`);
    expect(roles.sort()).toEqual(
      [
        "EventGrid EventSubscription Contributor @ azurerm_storage_account -> azurerm_databricks_access_connector.platform_access-connector.identity[0].principal_id",
        "Key Vault Secrets Officer @ azurerm_key_vault -> " + DEPLOYER,
        "Key Vault Secrets User @ azurerm_key_vault -> " + PIPELINE,
        "Key Vault Secrets User @ azurerm_key_vault -> azurerm_data_factory.platform_ingestion_factory.identity[0].principal_id",
        "Storage Blob Data Contributor @ azurerm_storage_container -> azurerm_databricks_access_connector.platform_access-connector.identity[0].principal_id",
        "Storage Blob Data Contributor @ azurerm_storage_container -> azurerm_databricks_access_connector.platform_access-connector.identity[0].principal_id",
        "Storage Blob Data Contributor @ azurerm_storage_container -> azurerm_databricks_access_connector.platform_access-connector.identity[0].principal_id",
        "Storage Queue Data Contributor @ azurerm_storage_account -> azurerm_databricks_access_connector.platform_access-connector.identity[0].principal_id",
      ].sort(),
    );
  });

  test("Data Factory writes the landing files only, never a container of Unity Catalog's managed tables (databricks review M8)", () => {
    const { stack: zoned } = build({ lake: { zones: ["landing", "bronze", "silver", "gold"] } });
    const factoryRoles = strip(synth(zoned), "azurerm_role_assignment").filter((r) => String(r.principal_id).includes("azurerm_data_factory.") && r.role_definition_name === "Storage Blob Data Contributor");
    expect(factoryRoles.map((r) => String(r.scope).replace(/_[0-9A-F]{8}\./, "."))).toEqual(["${azurerm_storage_container.platform_lake_container-landing.id}"]);
  });

  test("file events: queue endpoint and the AzureServices bypass Event Grid needs", () => {
    const lake = strip(json, "azurerm_storage_account").find((a) => String(a.name).startsWith("stlakelake"))!;
    expect((lake.network_rules as { bypass: string[] }).bypass).toEqual(["AzureServices"]);
    const subresources = strip(json, "azurerm_private_endpoint").map((e) => (e.private_service_connection as { subresource_names: string[] }).subresource_names[0]);
    expect(subresources).toContain("queue");
  });

  test("Data Factory: managed VNet, private, managed private endpoints to the lake and the vault", () => {
    expect(strip(json, "azurerm_data_factory")[0]).toMatchObject({ managed_virtual_network_enabled: true, public_network_enabled: false, identity: { type: "SystemAssigned" } });
    expect(strip(json, "azurerm_data_factory_managed_private_endpoint").map((e) => e.subresource_name).sort()).toEqual(["dfs", "vault"]);
    const endpoint = strip(json, "azurerm_private_endpoint").find((e) => (e.private_service_connection as { subresource_names: string[] }).subresource_names[0] === "dataFactory");
    expect(endpoint).toBeDefined();
  });

  test("the workspace uses the platform's access connector and Log Analytics", () => {
    expect(strip(json, "azurerm_databricks_access_connector")).toHaveLength(1);
    expect(strip(json, "azurerm_log_analytics_workspace")).toHaveLength(1);
    expect(strip(json, "azurerm_databricks_workspace")[0].access_connector_id).toMatch(/platform_access-connector/);
  });
});

describe("MedallionPlatform modes", () => {
  test("single-principal mode: one principal deploys and runs, with no duplicate assignment", () => {
    const { stack } = build({ principals: { deploymentObjectId: DEPLOYER, secretReaders: [{ objectId: DEPLOYER }] } });
    const roles = strip(synth(stack), "azurerm_role_assignment").filter((r) => r.principal_id === DEPLOYER).map((r) => r.role_definition_name);
    expect(roles.sort()).toEqual(["Key Vault Secrets Officer", "Key Vault Secrets User"]);
  });

  test("ingestion with Git integration: publishing from the authoring UI stays off", () => {
    const { stack } = build({ ingestion: { git: { type: "github", accountName: "contoso", repositoryName: "adf", branchName: "main", rootFolder: "/factory" } } });
    const [factory] = resourcesOf(synth(stack), "azurerm_data_factory");
    expect(factory.github_configuration).toEqual({ account_name: "contoso", repository_name: "adf", branch_name: "main", root_folder: "/factory", publishing_enabled: false });
    expect(factory.vsts_configuration).toBeUndefined();
  });

  test("ingestion can be turned off", () => {
    const { stack, platform } = build({ ingestion: false });
    expect(platform.ingestion).toBeUndefined();
    expect(resourcesOf(synth(stack), "azurerm_data_factory")).toHaveLength(0);
  });

  test("protection from deletion: prevent_destroy and CanNotDelete locks on lake, vault and workspace", () => {
    const { stack } = build({ protectFromDeletion: true });
    const json = synth(stack);
    expect(strip(json, "azurerm_storage_account").find((a) => String(a.name).startsWith("stlakelake"))!.lifecycle).toEqual({ prevent_destroy: true });
    expect(strip(json, "azurerm_key_vault")[0].lifecycle).toEqual({ prevent_destroy: true });
    expect(strip(json, "azurerm_databricks_workspace")[0].lifecycle).toEqual({ prevent_destroy: true });
    const locks = strip(json, "azurerm_management_lock");
    expect(locks.map((l) => String(l.scope).split(".")[0])).toEqual(expect.arrayContaining(["${azurerm_storage_account", "${azurerm_key_vault"]));
    expect(locks.every((l) => l.lock_level === "CanNotDelete")).toBe(true);
  });

  test("user-assigned identity for the access connector", () => {
    const uami = { id: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-dbac", principalId: "bbbbbbbb-0000-0000-0000-000000000001" };
    const { stack, platform } = build({ accessConnectorIdentity: uami });
    expect(platform.accessConnectorManagedIdentityId).toBe(uami.id);
    expect(strip(synth(stack), "azurerm_databricks_access_connector")[0].identity).toEqual({ type: "UserAssigned", identity_ids: [uami.id] });
  });
});

describe("MedallionPlatform bad input", () => {
  test.each<[string, Overrides, RegExp]>([
    ["unknown zone", { lake: { zones: ["bronze", "silver", "gold", "platinum"] } }, /test\/platform: invalid lake\.zones "platinum": expected a layer \(landing, staging, bronze, silver, gold\) or a layer split/],
    ["duplicate zone", { lake: { zones: ["bronze", "silver", "gold", "silver"] } }, /invalid lake\.zones "silver": expected unique zone names/],
    ["missing layer", { lake: { zones: ["bronze", "silver"] } }, /invalid lake\.zones \["bronze","silver"\]: expected at least one gold zone/],
    ["qualified landing", { lake: { zones: ["landing-sap", "bronze", "silver", "gold"] } }, /invalid lake\.zones "landing-sap": expected "landing" without a qualifier/],
    ["zone with bad characters", { lake: { zones: ["bronze", "silver", "Gold"] } }, /invalid lake\.zones "Gold"/],
    ["empty zones", { lake: { zones: [] } }, /invalid lake\.zones \[\]: expected a non-empty list of zone names/],
    ["Key Vault retention too short", { keyVaultSoftDeleteRetentionDays: 5 }, /test\/platform: invalid keyVaultSoftDeleteRetentionDays 5: expected an integer from 7 to 90/],
    ["Key Vault retention too long", { keyVaultSoftDeleteRetentionDays: 120 }, /test\/platform: invalid keyVaultSoftDeleteRetentionDays 120: expected an integer from 7 to 90/],
    ["blob soft delete out of range", { lake: { blobSoftDeleteDays: 0 } }, /test\/platform\/lake: invalid blobSoftDeleteDays 0: expected an integer from 1 to 365/],
    ["container soft delete out of range", { lake: { containerSoftDeleteDays: 400 } }, /invalid containerSoftDeleteDays 400: expected an integer from 1 to 365/],
    ["replication", { lake: { replication: "GRS" as never } }, /test\/platform\/lake: invalid replication "GRS": expected one of ZRS, GZRS, RAGZRS, LRS/],
    ["file events without the queue endpoint", { lake: { fileEvents: true, privateEndpoints: ["blob", "dfs"] } }, /invalid lake\.privateEndpoints \["blob","dfs"\]: expected a list including "queue" when lake\.fileEvents is on/],
    ["file events without the trusted-service bypass", { lake: { fileEvents: true, networkBypass: [] } }, /invalid lake\.networkBypass \[\]: expected a list including "AzureServices" when lake\.fileEvents is on/],
    ["landing retention", { lake: { zones: ["landing", "bronze", "silver", "gold"], landingRetentionDays: 0 } }, /invalid lake\.landingRetentionDays 0: expected an integer from 1 to 3650/],
    ["log retention", { logRetentionDays: 7 }, /invalid logRetentionDays 7: expected an integer from 30 to 730/],
    ["deployment principal not an object ID", { principals: { deploymentObjectId: "deployer-app" } }, /test\/platform: invalid principals\.deploymentObjectId "deployer-app": expected an Entra object ID \(GUID\)/],
    ["access connector identity ID", { accessConnectorIdentity: { id: "id-dbac", principalId: DEPLOYER } }, /invalid accessConnectorIdentity\.id "id-dbac": expected an Azure resource ID of type Microsoft\.ManagedIdentity\/userAssignedIdentities/],
    ["Log Analytics ID", { logAnalyticsWorkspaceId: "log" }, /test\/platform: invalid logAnalyticsWorkspaceId "log"/],
    ["name overflow", { lake: { lifecycleRules: [{ prefix: "nowhere/", deleteAfterDays: 3 }] } }, /invalid lifecycleRules\[0\]\.prefix "nowhere\/": expected a path starting with one of the containers/],
  ])("%s", (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });

  test("lifecycle days must increase from cool to delete", () => {
    expect(() => build({ lake: { lifecycleRules: [{ prefix: "bronze/", coolAfterDays: 90, deleteAfterDays: 30 }] } })).toThrow(/invalid lifecycleRules\[0\] .*: expected days increasing from cool to cold to archive to delete/);
  });

  test("a name that overflows fails rather than being truncated", () => {
    const { stack } = testStack();
    const { Naming } = jest.requireActual("../lib/core/naming");
    const naming = new Naming(stack, { organization: "contoso", workload: "lakehouse1", environment: "prod01", region: "westeurope" });
    expect(() => new MedallionPlatform(stack, "platform", { naming, resourceGroupName: "rg", location: "westeurope", tenantId: TENANT, workspace: { network: { addressSpace: "10.0.0.0/22" } }, principals: { deploymentObjectId: DEPLOYER } })).toThrow(
      /invalid (storage account|Key Vault) name .*never truncated/,
    );
  });
});
