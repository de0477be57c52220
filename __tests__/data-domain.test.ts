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

const DEPLOYER = "dddddddd-0000-0000-0000-000000000001";

function build(overrides: Overrides = {}, options: { principals?: "provision" | "lookup"; serverless?: boolean } = {}) {
  const { principals } = options;
  const { stack, naming } = testStack();
  if (overrides.entraGroups) new AzureadProvider(stack, "azuread", {});
  const accountProvider = new DatabricksProvider(stack, "acc", { alias: "account", host: "https://accounts.azuredatabricks.net", accountId: "acc-1" });
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
      account: { provider: accountProvider, accountId: "acc-1", principals },
      deployerClientId: DEPLOYER,
      serverless: options.serverless ? { accountProvider, networkConnectivityConfigId: "ncc-1" } : undefined,
      logAnalyticsWorkspaceId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log",
      privateEndpointSubnetId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe",
      privateDns,
      storageCredential: { name: "lake_dev_lake", accessConnectorId: CONNECTOR, accessConnectorPrincipalId: id(50) },
      catalogZoneUrl: "abfss://gold@stlakelakedevweu00000.dfs.core.windows.net/",
    },
    catalog: { dataProducts: ["orders", "customers"] },
    budget: { amount: 500 },
    ...overrides,
  });
  return { stack, domain };
}

type Grant = { principal: string; privileges: string[] };
/** How grants name an account group: a reference to the group the domain created for it. */
const groupRef = (json: Synthesized, displayName: string) => `\${databricks_group.${Object.entries(json.resource.databricks_group).find(([, g]) => g.display_name === displayName)![0]}.display_name}`;
const catalogGrantsOf = (json: Synthesized, catalog = "databricks_catalog.domain_catalog_") => Object.values(json.resource.databricks_grants).find((g) => String(g.catalog).includes(catalog))!.grant as Grant[];

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

  test("data plane: catalog grants follow the same declaration, the deployer's included, naming account groups", () => {
    const { stack } = build({ personas: { admins: ADMINS, engineers: ENGINEERS, readers: READERS, stewards: STEWARDS } });
    const json = synth(stack);
    const grants = catalogGrantsOf(json);
    const of = (name: string) => grants.find((g) => g.principal === groupRef(json, name))!.privileges;
    expect(of("sales-admins")).toEqual(["ALL_PRIVILEGES", "MANAGE"]);
    expect(of("sales-analysts")).toEqual(["SELECT", "USE_CATALOG", "USE_SCHEMA"]);
    expect(of("sales-engineers")).toEqual(expect.arrayContaining(["USE_CATALOG", "USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE", "CREATE_SCHEMA", "CREATE_FUNCTION", "CREATE_VOLUME", "CREATE_MATERIALIZED_VIEW"]));
    expect(of("sales-stewards")).toEqual(["APPLY_TAG", "BROWSE", "USE_CATALOG", "USE_SCHEMA"]);
    expect(grants.find((g) => g.principal === DEPLOYER)).toEqual({ principal: DEPLOYER, privileges: ["ALL_PRIVILEGES"] });
    // Each persona group exists in the account and is assigned to the workspace.
    expect(resourcesOf(json, "databricks_group").map((g) => g.display_name).sort()).toEqual(["sales-admins", "sales-analysts", "sales-engineers", "sales-stewards"]);
    expect(resourcesOf(json, "databricks_mws_permission_assignment")).toHaveLength(4);
  });

  test("where people read only, engineers and admins read; an exception keeps its writes; service principals always write", () => {
    const sp = { objectId: id(9), principalName: "11111111-2222-3333-4444-555555555555", type: "ServicePrincipal" as const };
    const personas = { admins: ADMINS, engineers: ENGINEERS, readers: READERS, stewards: STEWARDS, servicePrincipals: sp };
    const json = synth(build({ personas, peopleAccess: "readOnly" }).stack);
    const of = (name: string) => catalogGrantsOf(json).find((g) => g.principal === groupRef(json, name))!.privileges;
    expect(of("sales-engineers")).toEqual(["SELECT", "USE_CATALOG", "USE_SCHEMA"]);
    expect(of("sales-admins")).toEqual(["BROWSE", "SELECT", "USE_CATALOG", "USE_SCHEMA"]);
    const spRef = `\${databricks_service_principal.${Object.keys(json.resource.databricks_service_principal)[0]}.application_id}`;
    expect(catalogGrantsOf(json).find((g) => g.principal === spRef)!.privileges).toContain("MODIFY");
    const excepted = synth(build({ personas, peopleAccess: "readOnly", writeExceptions: [{ persona: "engineers", reason: "Backfills during the 2027 migration" }] }).stack);
    expect(catalogGrantsOf(excepted).find((g) => g.principal === groupRef(excepted, "sales-engineers"))!.privileges).toContain("MODIFY");
  });

  test("lookup mode: persona groups are assigned to the workspace by name (no account read, which needs an account admin), none created", () => {
    const json = synth(build({}, { principals: "lookup" }).stack);
    expect(resourcesOf(json, "databricks_group")).toHaveLength(0);
    expect(json.data).toBeUndefined();
    const assignments = resourcesOf(json, "databricks_permission_assignment");
    expect(assignments.map((a) => a.group_name).sort()).toEqual(["sales-admins", "sales-analysts", "sales-engineers"]);
    expect(new Set(assignments.map((a) => a.provider))).toEqual(new Set(["databricks.workspace"]));
    // Grants name the assignment's attribute: they follow it.
    expect(catalogGrantsOf(json).map((g) => g.principal)).toEqual(expect.arrayContaining([expect.stringMatching(/^\$\{databricks_permission_assignment\.[\w-]+\.group_name\}$/)]));
  });

  test("one principal in several personas: one grant with the union, no duplicate role assignment", () => {
    const same = { objectId: id(7), principalName: "sales-team" };
    const { stack } = build({ personas: { admins: ADMINS, engineers: same, readers: same, stewards: same } });
    const json = synth(stack);
    const grants = catalogGrantsOf(json);
    expect(resourcesOf(json, "databricks_group").filter((g) => g.display_name === "sales-team")).toHaveLength(1);
    expect(grants.filter((g) => g.principal === groupRef(json, "sales-team"))).toHaveLength(1);
    expect(grants.find((g) => g.principal === groupRef(json, "sales-team"))!.privileges).toEqual(expect.arrayContaining(["MODIFY", "APPLY_TAG", "BROWSE", "SELECT"]));
    const forSame = resourcesOf(json, "azurerm_role_assignment").filter((r) => r.principal_id === same.objectId);
    expect(forSame.map((r) => r.role_definition_name)).toEqual(["Reader"]);
  });

  test("ALL_PRIVILEGES absorbs the other personas' privileges, but not MANAGE, which it does not include", () => {
    const { stack } = testStack();
    const personas = declaredPersonas(stack, { admins: ADMINS, engineers: { ...ENGINEERS, principalName: ADMINS.principalName }, readers: READERS });
    expect(catalogGrants(personas).find((g) => g.principal === ADMINS.principalName)!.privileges).toEqual(["ALL_PRIVILEGES", "MANAGE"]);
  });
});

describe("DataDomain data", () => {
  test("an ISOLATED catalog under the platform's gold zone, owned by the deployer, not bound explicitly, a schema per data product", () => {
    const { stack, domain } = build();
    const json = synth(stack);
    expect(domain.catalogName).toBe("sales_dev");
    const [catalog] = resourcesOf(json, "databricks_catalog");
    expect(catalog).toMatchObject({
      name: "sales_dev",
      isolation_mode: "ISOLATED",
      storage_root: "abfss://gold@stlakelakedevweu00000.dfs.core.windows.net/domains/sales/",
      force_destroy: true,
      properties: { domain: "sales", dataClassification: "internal" },
    });
    expect(catalog.owner).toBeUndefined();
    // The provider binds the ISOLATED catalog to the workspace that creates it; an explicit binding there breaks destroy.
    expect(resourcesOf(json, "databricks_workspace_binding")).toEqual([]);
    expect(resourcesOf(json, "databricks_schema").every((x) => x.owner === undefined)).toBe(true);
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
    const [locationKey, location] = Object.entries(json.resource.databricks_external_location)[0];
    expect(location).toMatchObject({ credential_name: "lake_dev_lake", isolation_mode: "ISOLATION_MODE_ISOLATED" });
    expect(location.url).toMatch(/^abfss:\/\/\$\{azurerm_storage_container\..*\.name\}@\$\{azurerm_storage_account\..*\.name\}\.dfs\.core\.windows\.net\/$/);
    // A reference to the location: the catalog is created after the location that covers its managed storage.
    expect(resourcesOf(json, "databricks_catalog")[0].storage_root).toBe(`\${databricks_external_location.${locationKey}.url}`);
    expect(domain.catalogStorage).toBeDefined();
    // Serverless compute reaches the dedicated account through the platform's NCC (when the platform has one).
    expect(resourcesOf(json, "databricks_mws_ncc_private_endpoint_rule")).toHaveLength(0);
    const withNcc = synth(build({ catalog: { storage: "dedicated" } }, { serverless: true }).stack);
    const accountRef = `\${azurerm_storage_account.${Object.keys(withNcc.resource.azurerm_storage_account)[0]}.id}`;
    expect(resourcesOf(withNcc, "databricks_mws_ncc_private_endpoint_rule").map((r) => `${r.group_id} ${r.resource_id} ${r.network_connectivity_config_id}`).sort()).toEqual([`blob ${accountRef} ncc-1`, `dfs ${accountRef} ncc-1`]);
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

  test.each(["confidential", "restricted"] as const)("%s: domain data roles, created when a component grants storage access, assignable only in the domain's groups, assigned by ID", (dataClassification) => {
    const { stack, domain } = build({ dataClassification, sandbox: { expiresOn: "2099-12-31", budgetAmount: 100 } });
    expect(resourcesOf(synth(stack), "azurerm_role_definition")).toHaveLength(0);
    domain.grantDataRead(`${domain.resourceGroupId}/providers/Microsoft.Storage/storageAccounts/x`, domain.persona("readers"), "readers read x");
    const json = synth(stack);
    const roles = resourcesOf(json, "azurerm_role_definition");
    expect(roles.map((r) => r.name).sort()).toEqual(["role-lake-sales-datareader-dev-weu", "role-lake-sales-datawriter-dev-weu"]);
    for (const role of roles) {
      expect(role.assignable_scopes).toEqual([expect.stringMatching(/azurerm_resource_group\.domain_resource-group/), expect.stringMatching(/azurerm_resource_group\.domain_sandbox_resource-group/)]);
    }
    // By ID, never by name: azurerm looks a name up once, and a role created moments before may not be found yet.
    const dataAssignments = resourcesOf(json, "azurerm_role_assignment").filter((r) => String(r.role_definition_id).includes("azurerm_role_definition"));
    expect(dataAssignments).toHaveLength(1);
    expect(dataAssignments.every((r) => /\.role_definition_resource_id\}$/.test(String(r.role_definition_id)) && r.role_definition_name === undefined)).toBe(true);
  });

  test("the sandbox gives people no storage role on Unity Catalog's managed storage: raw files go in a volume", () => {
    const { stack } = build({ dataClassification: "confidential", sandbox: { expiresOn: "2099-12-31", budgetAmount: 100 } });
    const json = synth(stack);
    const people = [ADMINS, ENGINEERS, READERS].map((p) => p.objectId);
    const storageRoles = resourcesOf(json, "azurerm_role_assignment").filter((r) => people.includes(String(r.principal_id)) && /Storage|role_definition/.test(`${r.role_definition_name ?? r.role_definition_id}`));
    expect(storageRoles).toEqual([]);
    expect(resourcesOf(json, "databricks_volume")).toEqual([expect.objectContaining({ name: "files", volume_type: "MANAGED" })]);
    expect(resourcesOf(json, "databricks_schema").map((x) => x.name)).toContain("scratch");
  });
});

describe("DataDomain budget and monitoring", () => {
  test("monthly budget with actual 80/100 and forecast 100/110 to the contacts and the action group", () => {
    const json = synth(build().stack);
    const [budget] = resourcesOf(json, "azurerm_consumption_budget_resource_group");
    expect(budget).toMatchObject({ amount: 500, time_grain: "Monthly", time_period: { start_date: "${formatdate(\"YYYY-MM-01'T'00:00:00'Z'\", timestamp())}" }, lifecycle: { ignore_changes: ["time_period"] }, name: "budget-lake-sales-dev-weu" });
    const fixed = resourcesOf(synth(build({ budget: { amount: 500, startDate: "2027-03-01" } }).stack), "azurerm_consumption_budget_resource_group")[0];
    expect(fixed.time_period).toEqual({ start_date: "2027-03-01T00:00:00Z" });
    const notifications = budget.notification as { threshold: number; threshold_type: string; contact_emails: string[]; contact_groups: string[] }[];
    expect(notifications.map((n) => `${n.threshold_type} ${n.threshold}`)).toEqual(["Actual 80", "Actual 100", "Forecasted 100", "Forecasted 110"]);
    expect(notifications.every((n) => n.contact_emails[0] === "sales@example.com" && /azurerm_monitor_action_group/.test(n.contact_groups[0]))).toBe(true);
    expect(resourcesOf(json, "azurerm_monitor_action_group")[0]).toMatchObject({ short_name: "sales-dev", location: "global", email_receiver: [{ name: "contact-1", email_address: "sales@example.com", use_common_alert_schema: true }] });
  });

  test("DBU cost: a budget policy tagging the domain's spend, assigned to its groups and service principals, and an account budget alerting the contacts", () => {
    const sp = { objectId: id(9), principalName: "11111111-2222-3333-4444-555555555555", type: "ServicePrincipal" as const };
    const json = synth(build({ personas: { admins: ADMINS, engineers: ENGINEERS, readers: READERS, servicePrincipals: sp }, dbuBudget: { monthlyAmountUsd: 300 } }).stack);
    const [policyKey, policy] = Object.entries(json.resource.databricks_budget_policy)[0];
    expect(policy).toMatchObject({ provider: "databricks.account", policy_name: "sales-dev", custom_tags: [{ key: "domain", value: "sales" }, { key: "costCenter", value: "CC-2001" }], binding_workspace_ids: [1234567890] });
    const [ruleSet] = resourcesOf(json, "databricks_access_control_rule_set");
    expect(ruleSet.name).toBe(`accounts/acc-1/budgetPolicies/\${databricks_budget_policy.${policyKey}.policy_id}/ruleSets/default`);
    const [rule] = ruleSet.grant_rules as { role: string; principals: string[] }[];
    expect(rule.role).toBe("roles/budgetPolicy.user");
    expect(rule.principals.sort()).toEqual([...["sales-admins", "sales-analysts", "sales-engineers"].map((g) => `groups/${groupRef(json, g)}`), `servicePrincipals/\${databricks_service_principal.${Object.keys(json.resource.databricks_service_principal)[0]}.application_id}`].sort());
    const [budget] = resourcesOf(json, "databricks_budget");
    expect(budget).toMatchObject({
      display_name: "sales-dev-dbu",
      alert_configurations: [{ time_period: "MONTH", trigger_type: "CUMULATIVE_SPENDING_EXCEEDED", quantity_type: "LIST_PRICE_DOLLARS_USD", quantity_threshold: "300", action_configurations: [{ action_type: "EMAIL_NOTIFICATION", target: "sales@example.com" }] }],
      filter: { tags: [{ key: "domain", value: { operator: "IN", values: ["sales"] } }, { key: "costCenter", value: { operator: "IN", values: ["CC-2001"] } }], workspace_id: { operator: "IN", values: [1234567890] } },
    });
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

  test("the sandbox catalog gives service principals (production automation) nothing; the deployer keeps its access", () => {
    const sandboxGrants = catalogGrantsOf(json, "domain_sandbox_catalog");
    const spRef = `\${databricks_service_principal.${Object.keys(json.resource.databricks_service_principal)[0]}.application_id}`;
    expect(sandboxGrants.map((g) => g.principal)).not.toContain(spRef);
    expect(sandboxGrants).toContainEqual({ principal: DEPLOYER, privileges: ["ALL_PRIVILEGES"] });
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
    // An Entra group is not an account group: the account group of the same name is provisioned beside it.
    expect(resourcesOf(json, "databricks_group").map((g) => g.display_name).sort()).toEqual(["sales-admins", "sales-analysts", "sales-engineers"]);
  });

  test("with account principals looked up (SCIM), an Entra group created in the same apply fails at synth", () => {
    expect(() => build({ entraGroups: true, personas: { admins: { objectId: "", principalName: "sales-admins" }, engineers: ENGINEERS, readers: READERS } }, { principals: "lookup" })).toThrow(
      /test\/domain: invalid entraGroups true: expected account principals provisioned here/,
    );
  });
});

describe("DomainPim", () => {
  const eligibility: PimEligibility = { principalObjectId: id(1), role: "Contributor", scopeId: "/subscriptions/s/resourceGroups/rg-sales", durationDays: 180, justification: "Operational support of sales" };
  function pim(eligibilities: PimEligibility[]) {
    const { stack } = testStack();
    new DomainPim(stack, "pim", { domain: "sales", subscriptionId: "00000000-0000-0000-0000-0000000000aa", eligibilities });
    return synth(stack);
  }

  test("eligible (not active) assignments that start when created: no date in the configuration to go stale", () => {
    expect(resourcesOf(pim([eligibility]), "azurerm_pim_eligible_role_assignment")).toEqual([
      {
        scope: "/subscriptions/s/resourceGroups/rg-sales",
        principal_id: id(1),
        role_definition_id: "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
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
    ["domain name with a capital", { name: "Sales" }, /test\/domain: invalid name "Sales": expected 2–8 characters of \[a-z0-9\], starting with a letter \(the limit here comes from the action group short name <name>-dev \(12 characters\)\)/],
    ["domain name too long", { name: "salesandmarketing" }, /invalid name "salesandmarketing": expected 2–8 characters/],
    ["domain name too long for its sandbox's storage account", { name: "salesemea", sandbox: { expiresOn: "2099-01-01", budgetAmount: 10 } }, /invalid name "salesemea": expected 2–5 characters of \[a-z0-9\], starting with a letter \(the limit here comes from the sandbox storage account name <name>sb/],
    ["domain name with a hyphen", { name: "sales-eu" }, /invalid name "sales-eu"/],
    ["unknown persona", { personas: { admins: ADMINS, engineers: ENGINEERS, readers: READERS, auditors: READERS } as never }, /invalid personas "auditors": expected one of admins, engineers, readers, stewards, servicePrincipals/],
    ["missing persona", { personas: { admins: ADMINS, engineers: ENGINEERS } as never }, /invalid personas\.readers \(missing\): expected a persona/],
    ["persona without object ID", { personas: { admins: { objectId: "", principalName: "a" }, engineers: ENGINEERS, readers: READERS } }, /invalid personas\.admins\.objectId "": expected an Entra object ID \(or entraGroups: true/],
    ["persona object ID not a GUID", { personas: { admins: { objectId: "sales-admins", principalName: "a" }, engineers: ENGINEERS, readers: READERS } }, /test\/domain: invalid personas\.admins\.objectId "sales-admins": expected an Entra object ID \(GUID\)/],
    ["budget of zero", { budget: { amount: 0 } }, /test\/domain: invalid budget\.amount 0: expected a positive amount/],
    ["negative budget", { budget: { amount: -5 } }, /test\/domain: invalid budget\.amount -5: expected a positive amount/],
    ["budget start not the first of a month", { budget: { amount: 5, startDate: "2026-12-15" } }, /test\/domain: invalid budget\.startDate "2026-12-15": expected the first day of a month/],
    ["too many notifications", { budget: { amount: 5, startDate: "2026-12-01", actualThresholds: [50, 80, 100], forecastThresholds: [100, 110, 120] } }, /expected at most 5 notifications in all/],
    ["threshold out of range", { budget: { amount: 5, startDate: "2026-12-01", actualThresholds: [0] } }, /test\/domain: invalid budget\.actualThresholds 0: expected whole percentages from 1 to 1000/],
    ["no contacts", { contacts: [] }, /invalid contacts \[\]: expected at least one contact e-mail/],
    ["bad contact", { contacts: ["sales"] }, /test\/domain: invalid contacts\[0\] "sales": expected an e-mail address/],
    ["sandbox expired", { sandbox: { expiresOn: "2020-01-31", budgetAmount: 10 } }, /test\/domain\/sandbox: invalid sandbox\.expiresOn "2020-01-31": expected a date in the future/],
    ["sandbox expiry not a date", { sandbox: { expiresOn: "2099-02-30", budgetAmount: 10 } }, /invalid sandbox\.expiresOn "2099-02-30": expected a real calendar date/],
    ["sandbox budget not smaller", { sandbox: { expiresOn: "2099-01-31", budgetAmount: 500 } }, /invalid sandbox\.budgetAmount 500: expected a positive amount smaller than the domain's budget \(500\)/],
    ["catalog storage kind", { catalog: { storage: "somewhere" as never } }, /invalid catalog\.storage "somewhere": expected "platformLake" or "dedicated"/],
    ["data product name", { catalog: { dataProducts: ["Orders"] } }, /invalid schemas "Orders": expected a data product name/],
    ["duplicate data product", { catalog: { dataProducts: ["orders", "orders"] } }, /invalid schemas "orders": expected unique data product names/],
    ["classification", { dataClassification: "secret" as never }, /invalid dataClassification "secret": expected one of public, internal, confidential, restricted/],
    ["people access", { peopleAccess: "some" as never }, /test\/domain: invalid peopleAccess "some": expected "readWrite" or "readOnly"/],
    ["a write exception where people write anyway", { writeExceptions: [{ persona: "engineers", reason: "Backfills in 2027 migration" }] }, /invalid writeExceptions .*: expected no exceptions where people read and write anyway/],
    ["a write exception for an undeclared persona", { peopleAccess: "readOnly", writeExceptions: [{ persona: "stewards", reason: "Backfills in 2027 migration" }] }, /invalid writeExceptions\[0\]\.persona "stewards": expected a declared people persona \(admins, engineers, readers\)/],
    ["a write exception without a reason", { peopleAccess: "readOnly", writeExceptions: [{ persona: "engineers", reason: "why" }] }, /invalid writeExceptions\[0\]\.reason "why": expected a reason of at least 10 characters/],
    ["a DBU budget of zero", { dbuBudget: { monthlyAmountUsd: 0 } }, /test\/domain\/dbu-cost: invalid monthlyAmountUsd 0: expected a positive monthly amount/],
  ])("%s", (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
