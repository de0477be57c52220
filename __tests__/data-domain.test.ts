import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { DataDomain, DataDomainProps } from "../lib/data-domain/data-domain";
import { DomainPim, PimEligibility } from "../lib/data-domain/domain-pim";
import { catalogGrants, declaredPersonas } from "../lib/data-domain/personas";
import { PrivateDns } from "../lib/network/private-dns";
import { resourcesOf, synth, Synthesized, testStack } from "./helpers";

const id = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, "0")}`;
const ADMINS = { objectId: id(1), principalName: "sales-admins" };
const ENGINEERS = { objectId: id(2), principalName: "sales-engineers" };
const READERS = { objectId: id(3), principalName: "sales-analysts" };
const STEWARDS = { objectId: id(4), principalName: "sales-stewards" };
const CONNECTOR = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Databricks/accessConnectors/dbac-platform";
const ZONE = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z";

type Overrides = Partial<DataDomainProps>;

function build(overrides: Overrides = {}, options: { dbuBudgetPolicy?: boolean } = {}) {
  const { stack, naming } = testStack();
  if (overrides.entraGroups) new AzureadProvider(stack, "azuread", {});
  const dbuBudgetPolicy = options.dbuBudgetPolicy ? { accountProvider: new DatabricksProvider(stack, "acc", { alias: "account" }) } : undefined;
  const workspaceProvider = new DatabricksProvider(stack, "ws", { alias: "workspace", host: "https://adb-1.azuredatabricks.net" });
  const privateDns = new PrivateDns(stack, "dns", { naming, resourceGroupName: "rg", hubZoneIds: { blob: ZONE, dfs: ZONE } });
  const domain = new DataDomain(stack, "domain", {
    naming,
    name: "sales",
    location: "westeurope",
    owner: "sales@example.com",
    costCenter: "CC-2001",
    dataClassification: "internal",
    environmentTags: { environment: "dev", managedBy: "tests" },
    personas: { admins: ADMINS, engineers: ENGINEERS, readers: READERS },
    contacts: ["sales@example.com"],
    platform: {
      tenantId: id(99),
      subscriptionId: id(98),
      workspaceProvider,
      workspaceId: "1234567890",
      logAnalyticsWorkspaceId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log",
      privateEndpointSubnetId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe",
      privateDns,
      storageCredential: { name: "lake_dev_lake", accessConnectorId: CONNECTOR, accessConnectorPrincipalId: id(50) },
      catalogZoneUrl: "abfss://gold@stlakelakedevweu00000.dfs.core.windows.net/",
    },
    catalog: { dataProducts: ["orders", "customers"] },
    budget: { amount: 500, startDate: "2026-12-01" },
    dbuBudgetPolicy,
    ...overrides,
  });
  return { stack, domain };
}

const assignments = (json: Synthesized) => resourcesOf(json, "azurerm_role_assignment").map((r) => `${r.role_definition_name} ${String(r.scope).replace(/_[0-9A-F]{8}\./, ".")} ${r.principal_id}`);

describe("DataDomain personas", () => {
  test("control plane: least privilege on the domain's resource group, never Owner", () => {
    const { stack } = build({ personas: { admins: ADMINS, engineers: ENGINEERS, readers: READERS, stewards: STEWARDS } });
    const json = synth(stack);
    expect(assignments(json).sort()).toEqual(
      [
        `Contributor \${azurerm_resource_group.domain_resource-group.id} ${ADMINS.objectId}`,
        `Reader \${azurerm_resource_group.domain_resource-group.id} ${ENGINEERS.objectId}`,
        `Reader \${azurerm_resource_group.domain_resource-group.id} ${READERS.objectId}`,
        `Reader \${azurerm_resource_group.domain_resource-group.id} ${STEWARDS.objectId}`,
      ].sort(),
    );
    expect(resourcesOf(json, "azurerm_role_assignment").every((r) => r.role_definition_name !== "Owner" && r.principal_type === "Group")).toBe(true);
  });

  test("data plane: catalog grants follow the same declaration", () => {
    const { stack } = build({ personas: { admins: ADMINS, engineers: ENGINEERS, readers: READERS, stewards: STEWARDS } });
    const grants = resourcesOf(synth(stack), "databricks_grants")[0].grant as { principal: string; privileges: string[] }[];
    const of = (p: string) => grants.find((g) => g.principal === p)!.privileges;
    expect(of("sales-admins")).toEqual(["ALL_PRIVILEGES"]);
    expect(of("sales-analysts")).toEqual(["SELECT", "USE_CATALOG", "USE_SCHEMA"]);
    expect(of("sales-engineers")).toEqual(expect.arrayContaining(["USE_CATALOG", "USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE", "CREATE_SCHEMA", "CREATE_FUNCTION", "CREATE_VOLUME", "CREATE_MATERIALIZED_VIEW"]));
    expect(of("sales-stewards")).toEqual(["APPLY_TAG", "BROWSE", "USE_CATALOG", "USE_SCHEMA"]);
  });

  test("one principal in several personas: one grant with the union, no duplicate role assignment", () => {
    const same = { objectId: id(7), principalName: "sales-team" };
    const { stack } = build({ personas: { admins: ADMINS, engineers: same, readers: same, stewards: same } });
    const json = synth(stack);
    const grants = resourcesOf(json, "databricks_grants")[0].grant as { principal: string; privileges: string[] }[];
    expect(grants.filter((g) => g.principal === "sales-team")).toHaveLength(1);
    expect(grants.find((g) => g.principal === "sales-team")!.privileges).toEqual(expect.arrayContaining(["MODIFY", "APPLY_TAG", "BROWSE", "SELECT"]));
    const forSame = resourcesOf(json, "azurerm_role_assignment").filter((r) => r.principal_id === same.objectId);
    expect(forSame.map((r) => r.role_definition_name)).toEqual(["Reader"]);
  });

  test("ALL_PRIVILEGES absorbs the other personas' privileges", () => {
    const { stack } = testStack();
    const personas = declaredPersonas(stack, { admins: ADMINS, engineers: { ...ENGINEERS, principalName: ADMINS.principalName }, readers: READERS });
    expect(catalogGrants(personas).find((g) => g.principal === ADMINS.principalName)!.privileges).toEqual(["ALL_PRIVILEGES"]);
  });
});

describe("DataDomain data", () => {
  test("an ISOLATED catalog under the platform's gold zone, bound to the workspace, a schema per data product", () => {
    const { stack, domain } = build();
    const json = synth(stack);
    expect(domain.catalogName).toBe("sales_dev");
    expect(resourcesOf(json, "databricks_catalog")[0]).toMatchObject({
      name: "sales_dev",
      isolation_mode: "ISOLATED",
      storage_root: "abfss://gold@stlakelakedevweu00000.dfs.core.windows.net/domains/sales/",
      owner: "sales-admins",
      force_destroy: true,
      properties: { domain: "sales", dataClassification: "internal" },
    });
    expect(resourcesOf(json, "databricks_workspace_binding")).toContainEqual(expect.objectContaining({ securable_type: "catalog", workspace_id: 1234567890 }));
    expect(resourcesOf(json, "databricks_schema").map((s) => s.name).sort()).toEqual(["customers", "orders"]);
  });

  test("production: no force_destroy on the catalog or its schemas", () => {
    const { stack } = build({ protectFromDeletion: true });
    const json = synth(stack);
    for (const type of ["databricks_catalog", "databricks_schema"]) expect(resourcesOf(json, type).every((r) => r.force_destroy === false)).toBe(true);
  });

  test("dedicated storage: the lake's baseline, the platform credential, and the catalog's managed location in it", () => {
    const { stack, domain } = build({ catalog: { storage: "dedicated" } });
    const json = synth(stack);
    const [account] = resourcesOf(json, "azurerm_storage_account");
    expect(account).toMatchObject({ name: expect.stringMatching(/^stlakesalesdevweu/), public_network_access_enabled: false, shared_access_key_enabled: false, is_hns_enabled: true });
    expect(resourcesOf(json, "databricks_storage_credential")).toHaveLength(0);
    expect(resourcesOf(json, "databricks_external_location")[0]).toMatchObject({ credential_name: "lake_dev_lake", isolation_mode: "ISOLATION_MODE_ISOLATED" });
    expect(resourcesOf(json, "databricks_catalog")[0].storage_root).toBe(domain.catalogStorage!.url);
  });

  test("tags: the domain, its owner and cost center on every domain resource", () => {
    const json = synth(build().stack);
    expect(resourcesOf(json, "azurerm_resource_group")[0].tags).toEqual({ environment: "dev", managedBy: "tests", owner: "sales@example.com", costCenter: "CC-2001", dataClassification: "internal", domain: "sales" });
  });
});

describe("DataDomain classification", () => {
  test("internal: built-in data roles, no custom role", () => {
    const { stack } = build({ sandbox: { expiresOn: "2099-12-31", budgetAmount: 100 } });
    const json = synth(stack);
    expect(resourcesOf(json, "azurerm_role_definition")).toHaveLength(0);
    expect(resourcesOf(json, "azurerm_role_assignment").map((r) => r.role_definition_name)).toContain("Storage Blob Data Contributor");
  });

  test.each(["confidential", "restricted"] as const)("%s: domain data roles, assignable only in the domain's groups, used by its components", (dataClassification) => {
    const { stack } = build({ dataClassification, sandbox: { expiresOn: "2099-12-31", budgetAmount: 100 } });
    const json = synth(stack);
    const roles = resourcesOf(json, "azurerm_role_definition");
    expect(roles.map((r) => r.name).sort()).toEqual(["role-lake-sales-datareader-dev-weu", "role-lake-sales-datawriter-dev-weu"]);
    for (const role of roles) {
      expect(role.assignable_scopes).toEqual([expect.stringMatching(/azurerm_resource_group\.domain_resource-group/), expect.stringMatching(/azurerm_resource_group\.domain_sandbox_resource-group/)]);
    }
    // By ID, never by name: azurerm looks a name up once, and a role created moments before may not be found yet.
    const dataAssignments = resourcesOf(json, "azurerm_role_assignment").filter((r) => String(r.role_definition_id).includes("azurerm_role_definition"));
    expect(dataAssignments.length).toBe(3);
    expect(dataAssignments.every((r) => /\.role_definition_resource_id\}$/.test(String(r.role_definition_id)) && r.role_definition_name === undefined)).toBe(true);
    expect(resourcesOf(json, "azurerm_role_assignment").some((r) => String(r.role_definition_name).includes("azurerm_role_definition"))).toBe(false);
    expect(resourcesOf(json, "azurerm_role_assignment").filter((r) => r.role_definition_name === "Storage Blob Data Contributor" && r.principal_type !== "ServicePrincipal")).toHaveLength(0);
  });
});

describe("DataDomain budget and monitoring", () => {
  test("monthly budget with actual 80/100 and forecast 100/110 to the contacts and the action group", () => {
    const json = synth(build().stack);
    const [budget] = resourcesOf(json, "azurerm_consumption_budget_resource_group");
    expect(budget).toMatchObject({ amount: 500, time_grain: "Monthly", time_period: { start_date: "2026-12-01T00:00:00Z" }, name: "budget-lake-sales-dev-weu" });
    const notifications = budget.notification as { threshold: number; threshold_type: string; contact_emails: string[]; contact_groups: string[] }[];
    expect(notifications.map((n) => `${n.threshold_type} ${n.threshold}`)).toEqual(["Actual 80", "Actual 100", "Forecasted 100", "Forecasted 110"]);
    expect(notifications.every((n) => n.contact_emails[0] === "sales@example.com" && /azurerm_monitor_action_group/.test(n.contact_groups[0]))).toBe(true);
    expect(resourcesOf(json, "azurerm_monitor_action_group")[0]).toMatchObject({ short_name: "sales-dev", location: "global", email_receiver: [{ name: "contact-1", email_address: "sales@example.com", use_common_alert_schema: true }] });
  });

  test("a Databricks budget policy tags DBU spend with the domain, bound to the workspace", () => {
    const json = synth(build({}, { dbuBudgetPolicy: true }).stack);
    expect(resourcesOf(json, "databricks_budget_policy")).toEqual([
      {
        provider: "databricks.account",
        policy_name: "sales-dev",
        custom_tags: [
          { key: "domain", value: "sales" },
          { key: "costCenter", value: "CC-2001" },
        ],
        binding_workspace_ids: [1234567890],
      },
    ]);
    expect(resourcesOf(synth(build().stack), "databricks_budget_policy")).toHaveLength(0);
  });
});

describe("Innovation sandbox", () => {
  const { stack, domain } = build({
    personas: { admins: ADMINS, engineers: ENGINEERS, readers: READERS, servicePrincipals: { objectId: id(9), principalName: "11111111-2222-3333-4444-555555555555" } },
    sandbox: { expiresOn: "2099-06-30", budgetAmount: 150 },
  });
  const json = synth(stack);
  const sandbox = domain.sandbox!;

  test("its own resource group tagged with the expiry, and a smaller budget", () => {
    const groups = resourcesOf(json, "azurerm_resource_group");
    const rg = groups.find((g) => g.name === "rg-lake-salessb-dev-weu")!;
    expect(rg.tags).toMatchObject({ expiresOn: "2099-06-30", sandbox: "true", domain: "sales" });
    expect(resourcesOf(json, "azurerm_consumption_budget_resource_group").map((b) => b.amount).sort()).toEqual([150, 500]);
  });

  test("isolated: its own access connector and credential, whose identity reaches only the sandbox storage", () => {
    expect(resourcesOf(json, "databricks_storage_credential")).toEqual([expect.objectContaining({ name: "lake_dev_salessb", isolation_mode: "ISOLATION_MODE_ISOLATED" })]);
    const connectorRoles = resourcesOf(json, "azurerm_role_assignment").filter((r) => String(r.principal_id).includes("domain_sandbox_storage_access-connector"));
    expect(connectorRoles).toHaveLength(1);
    expect(connectorRoles[0].scope).toMatch(/azurerm_storage_container\.domain_sandbox_storage_container-catalog/);
    expect(resourcesOf(json, "azurerm_role_assignment").filter((r) => String(r.scope).includes("stlakelake") || String(r.principal_id) === id(50))).toHaveLength(0);
  });

  test("the sandbox catalog gives service principals (production automation) nothing", () => {
    const sandboxGrants = resourcesOf(json, "databricks_grants").find((g) => String(g.catalog).includes("domain_sandbox_catalog"))!;
    expect((sandboxGrants.grant as { principal: string }[]).map((g) => g.principal)).not.toContain("11111111-2222-3333-4444-555555555555");
    expect(sandbox.catalogName).toBe("sales_sandbox_dev");
  });

  test("writable storage with the baseline", () => {
    const account = resourcesOf(json, "azurerm_storage_account").find((a) => String(a.name).startsWith("stlakesalessb"))!;
    expect(account).toMatchObject({ public_network_access_enabled: false, shared_access_key_enabled: false, min_tls_version: "TLS1_2" });
  });
});

describe("Entra groups (opt-in)", () => {
  test("creates security groups for personas without object IDs and uses their object IDs", () => {
    const { stack, domain } = build({ entraGroups: true, personas: { admins: { objectId: "", principalName: "sales-admins" }, engineers: { objectId: "", principalName: "sales-engineers" }, readers: READERS } });
    const json = synth(stack);
    expect(resourcesOf(json, "azuread_group").map((g) => g.display_name).sort()).toEqual(["sales-admins", "sales-engineers"]);
    expect(resourcesOf(json, "azuread_group").every((g) => g.security_enabled === true && g.mail_enabled === false && g.prevent_duplicate_names === false)).toBe(true);
    expect(Object.keys(domain.groups).sort()).toEqual(["admins", "engineers"]);
    expect(json.data).toBeUndefined();
  });
});

describe("DomainPim", () => {
  const eligibility: PimEligibility = { principalObjectId: id(1), role: "Contributor", scopeId: "/subscriptions/s/resourceGroups/rg-sales", durationDays: 180, justification: "Operational support of sales" };
  function pim(eligibilities: PimEligibility[]) {
    const { stack } = testStack();
    new DomainPim(stack, "pim", { domain: "sales", subscriptionId: "s", eligibilities });
    return synth(stack);
  }

  test("eligible (not active) assignments that start when created: no date in the configuration to go stale", () => {
    expect(resourcesOf(pim([eligibility]), "azurerm_pim_eligible_role_assignment")).toEqual([
      {
        scope: "/subscriptions/s/resourceGroups/rg-sales",
        principal_id: id(1),
        role_definition_id: "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
        justification: "sales: Operational support of sales",
        schedule: { expiration: { duration_days: 180 } },
      },
    ]);
    const fixed = resourcesOf(pim([{ ...eligibility, startDateTime: "2027-01-01T00:00:00Z" }]), "azurerm_pim_eligible_role_assignment")[0];
    expect(fixed.schedule).toEqual({ start_date_time: "2027-01-01T00:00:00Z", expiration: { duration_days: 180 } });
  });

  test.each<[string, Partial<PimEligibility>, RegExp]>([
    ["unknown role", { role: "Owner" as never }, /test\/pim: invalid eligibilities\[0\]\.role "Owner": expected one of Contributor, Reader/],
    ["start time", { startDateTime: "tomorrow" }, /invalid eligibilities\[0\]\.startDateTime "tomorrow": expected a UTC instant/],
    ["duration", { durationDays: 400 }, /invalid eligibilities\[0\]\.durationDays 400: expected an integer from 1 to 365/],
    ["justification", { justification: "ops" }, /invalid eligibilities\[0\]\.justification "ops": expected a justification of at least 10 characters/],
  ])("bad input: %s", (_name, override, message) => {
    expect(() => pim([{ ...eligibility, ...override }])).toThrow(message);
  });

  test("bad input: the same role twice for one principal", () => {
    expect(() => pim([eligibility, eligibility])).toThrow(/invalid eligibilities\[1\] "Contributor": expected one eligibility per role and principal/);
  });
});

describe("DataDomain bad input", () => {
  test.each<[string, Overrides, RegExp]>([
    ["domain name with a capital", { name: "Sales" }, /test\/domain: invalid name "Sales": expected 2–10 characters of \[a-z0-9\]/],
    ["domain name too long", { name: "salesandmarketing" }, /invalid name "salesandmarketing": expected 2–10 characters/],
    ["domain name with a hyphen", { name: "sales-eu" }, /invalid name "sales-eu"/],
    ["unknown persona", { personas: { admins: ADMINS, engineers: ENGINEERS, readers: READERS, auditors: READERS } as never }, /invalid personas "auditors": expected one of admins, engineers, readers, stewards, servicePrincipals/],
    ["missing persona", { personas: { admins: ADMINS, engineers: ENGINEERS } as never }, /invalid personas\.readers \(missing\): expected a persona/],
    ["persona without object ID", { personas: { admins: { objectId: "", principalName: "a" }, engineers: ENGINEERS, readers: READERS } }, /invalid personas\.admins\.objectId "": expected an Entra object ID \(or entraGroups: true/],
    ["persona object ID not a GUID", { personas: { admins: { objectId: "sales-admins", principalName: "a" }, engineers: ENGINEERS, readers: READERS } }, /invalid principal objectId "sales-admins"/],
    ["budget of zero", { budget: { amount: 0, startDate: "2026-12-01" } }, /test\/domain\/budget: invalid amount 0: expected a positive amount/],
    ["negative budget", { budget: { amount: -5, startDate: "2026-12-01" } }, /invalid amount -5: expected a positive amount/],
    ["budget start not the first of a month", { budget: { amount: 5, startDate: "2026-12-15" } }, /invalid startDate "2026-12-15": expected the first day of a month/],
    ["too many notifications", { budget: { amount: 5, startDate: "2026-12-01", actualThresholds: [50, 80, 100], forecastThresholds: [100, 110, 120] } }, /expected at most 5 notifications in all/],
    ["threshold out of range", { budget: { amount: 5, startDate: "2026-12-01", actualThresholds: [0] } }, /invalid actualThresholds 0: expected whole percentages from 1 to 1000/],
    ["no contacts", { contacts: [] }, /invalid contacts \[\]: expected at least one contact e-mail/],
    ["bad contact", { contacts: ["sales"] }, /invalid contactEmails "sales": expected e-mail addresses/],
    ["sandbox expired", { sandbox: { expiresOn: "2020-01-31", budgetAmount: 10 } }, /test\/domain\/sandbox: invalid sandbox\.expiresOn "2020-01-31": expected a date in the future/],
    ["sandbox expiry not a date", { sandbox: { expiresOn: "2099-02-30", budgetAmount: 10 } }, /invalid sandbox\.expiresOn "2099-02-30": expected a real calendar date/],
    ["sandbox budget not smaller", { sandbox: { expiresOn: "2099-01-31", budgetAmount: 500 } }, /invalid sandbox\.budgetAmount 500: expected a positive amount smaller than the domain's budget \(500\)/],
    ["catalog storage kind", { catalog: { storage: "somewhere" as never } }, /invalid catalog\.storage "somewhere": expected "platformLake" or "dedicated"/],
    ["data product name", { catalog: { dataProducts: ["Orders"] } }, /invalid schemas "Orders": expected a data product name/],
    ["duplicate data product", { catalog: { dataProducts: ["orders", "orders"] } }, /invalid schemas "orders": expected unique data product names/],
    ["classification", { dataClassification: "secret" as never }, /invalid dataClassification "secret": expected one of public, internal, confidential, restricted/],
  ])("%s", (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
