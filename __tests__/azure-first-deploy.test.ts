import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { BUILTIN_ROLE_IDS } from "../lib/data-domain/builtin-roles";
import { DATABRICKS_RESERVED_PRIORITIES, DATABRICKS_RULE_PREFIX } from "../lib/secure-workspace/nsg-rules";
import { sampleSynth } from "./sample-synth";

/**
 * What a first apply on a real tenant needs of the synthesized sample app, stack by stack: each assertion is one of
 * the reasons the previous output would not have come up (the Azure side of the review).
 */
type Block = Record<string, Record<string, Record<string, unknown>>>;
interface Stack {
  resource: Block;
  variable?: Record<string, unknown>;
  provider?: Record<string, Record<string, unknown>[]>;
}
const stacks: Record<string, Stack> = Object.fromEntries(
  readdirSync(join(sampleSynth(), "stacks")).map((name) => [name, JSON.parse(readFileSync(join(sampleSynth(), "stacks", name, "cdk.tf.json"), "utf8")) as Stack]),
);
const entries = (stack: Stack, type: string) => Object.entries(stack.resource[type] ?? {});
const ref = (type: string, key: string) => `\${${type}.${key}.id}`;
const zoneIds = (e: Record<string, unknown>) => (e.private_dns_zone_group as { private_dns_zone_ids: string[] }).private_dns_zone_ids;
const target = (e: Record<string, unknown>) => (e.private_service_connection as { private_connection_resource_id: string }).private_connection_resource_id;

describe("the sample app on a real tenant: the Azure side", () => {
  test("storage services' diagnostic settings name the categories Azure stores, not AllMetrics (no perpetual diff, review M1)", () => {
    const services = Object.values(stacks).flatMap((stack) => entries(stack, "azurerm_monitor_diagnostic_setting").map(([, d]) => d)).filter((d) => /Services\/default$/.test(String(d.target_resource_id)));
    expect(services.length).toBeGreaterThan(0);
    for (const d of services) {
      const categories = ((d.enabled_metric as { category: string }[]) ?? []).map((m) => m.category);
      expect(categories).toEqual(String(d.target_resource_id).endsWith("/fileServices/default") ? ["Transaction", "Capacity", "SLI"] : ["Transaction", "Capacity"]);
    }
  });

  test.each(Object.keys(stacks).filter((s) => entries(stacks[s], "azurerm_management_lock").length > 0))("%s: each delete lock waits for everything that references the locked resource, so a destroy removes it first (review M6)", (name) => {
    const stack = stacks[name];
    for (const [, lock] of entries(stack, "azurerm_management_lock")) {
      const locked = /^\$\{([a-z_]+)\.([A-Za-z0-9_-]+)\.id\}$/.exec(String(lock.scope));
      expect(locked).not.toBeNull();
      // Everything that references the locked resource, directly or through another such resource (the deploy
      // rehearsal's destroy met role assignments on a locked lake's containers).
      const dependants: string[] = [];
      const frontier = [`${locked![1]}.${locked![2]}.`];
      while (frontier.length > 0) {
        const reference = frontier.shift()!;
        for (const [type, byName] of Object.entries(stack.resource)) {
          for (const [key, body] of Object.entries(byName)) {
            const address = `${type}.${key}`;
            if (body === lock || dependants.includes(address) || !JSON.stringify(body).includes(reference)) continue;
            dependants.push(address);
            frontier.push(`${address}.`);
          }
        }
      }
      expect(dependants.length).toBeGreaterThan(0);
      expect([...((lock.depends_on as string[]) ?? [])].sort()).toEqual(dependants.sort());
    }
  });

  test.each(Object.keys(stacks).filter((s) => s.startsWith("platform-")))("%s: every workspace's private endpoints run one at a time, back end first", (name) => {
    const stack = stacks[name];
    const workspaces = entries(stack, "azurerm_databricks_workspace");
    expect(workspaces.length).toBeGreaterThan(0);
    for (const [key] of workspaces) {
      const endpoints = entries(stack, "azurerm_private_endpoint").filter(([, e]) => target(e) === ref("azurerm_databricks_workspace", key));
      const independent = endpoints.filter(([, e]) => !(e.depends_on as string[] | undefined)?.some((d) => endpoints.some(([k]) => d === `azurerm_private_endpoint.${k}`)));
      // One chain: exactly one endpoint waits for none of the others.
      expect(independent).toHaveLength(1);
      const first = independent[0][1].private_service_connection as { subresource_names: string[] };
      expect(first.subresource_names[0]).toBe(endpoints.length > 1 && endpoints.some(([k]) => k.includes("backend")) ? "databricks_ui_api" : first.subresource_names[0]);
    }
  });

  test.each(Object.keys(stacks))("%s: no rule of ours in the priorities Databricks reserves on its subnets' NSGs", (name) => {
    const stack = stacks[name];
    const delegatedNsgs = new Set(
      entries(stack, "azurerm_subnet_network_security_group_association")
        .filter(([, a]) => entries(stack, "azurerm_subnet").some(([k, s]) => a.subnet_id === ref("azurerm_subnet", k) && s.delegation !== undefined))
        .map(([, a]) => String(a.network_security_group_id)),
    );
    for (const [, rule] of entries(stack, "azurerm_network_security_rule")) {
      const nsg = entries(stack, "azurerm_network_security_group").find(([, g]) => rule.network_security_group_name === `\${azurerm_network_security_group.${Object.entries(stack.resource.azurerm_network_security_group).find(([, x]) => x === g)![0]}.name}`);
      if (!nsg || !delegatedNsgs.has(ref("azurerm_network_security_group", nsg[0]))) continue;
      const priority = Number(rule.priority);
      const reserved = priority >= DATABRICKS_RESERVED_PRIORITIES.from && priority <= DATABRICKS_RESERVED_PRIORITIES.to;
      expect([rule.name, reserved && !String(rule.name).startsWith(DATABRICKS_RULE_PREFIX)]).toEqual([rule.name, false]);
    }
  });

  test.each(["platform-dev", "platform-prod"])("%s: front end and back end resolve in different privatelink.azuredatabricks.net zones", (name) => {
    const stack = stacks[name];
    const endpoints = entries(stack, "azurerm_private_endpoint");
    const backEnd = endpoints.find(([k]) => k.includes("platform_workspace_backend-endpoint"))![1];
    const frontEnd = endpoints.find(([k]) => k.includes("platform_workspace_frontend-endpoint"))![1];
    const browser = endpoints.find(([k]) => k.includes("browser-auth-endpoint"))![1];
    expect(zoneIds(backEnd)).not.toEqual(zoneIds(frontEnd));
    expect(zoneIds(browser)).toEqual(zoneIds(frontEnd));
    // The workspace VNet is linked to the back-end zone only, never to the front-end one.
    const workspaceVnet = ref("azurerm_virtual_network", entries(stack, "azurerm_virtual_network").find(([, v]) => v.name === "vnet-lake-core-" + name.split("-")[1] + "-weu")![0]);
    const linksOfWorkspace = entries(stack, "azurerm_private_dns_zone_virtual_network_link").filter(([, l]) => l.virtual_network_id === workspaceVnet);
    const databricksZones = entries(stack, "azurerm_private_dns_zone").filter(([, z]) => z.name === "privatelink.azuredatabricks.net").map(([k]) => k);
    const linkedDatabricks = linksOfWorkspace.filter(([, l]) => databricksZones.some((z) => String(l.private_dns_zone_name).includes(z)));
    expect(linkedDatabricks).toHaveLength(1);
    expect(zoneIds(backEnd)[0]).toContain(linkedDatabricks[0][1].private_dns_zone_name === undefined ? "" : String(linkedDatabricks[0][1].private_dns_zone_name).replace(".name}", ""));
  });

  test("platform-dev: the transit stand-in lives in a resource group of its own, its zone linked to the transit VNet only", () => {
    const stack = stacks["platform-dev"];
    const groups = entries(stack, "azurerm_resource_group").map(([, g]) => g.name).sort();
    expect(groups).toEqual(["rg-lake-platform-dev-weu", "rg-lake-transit-dev-weu"]);
    const transitZone = entries(stack, "azurerm_private_dns_zone").find(([k]) => k.startsWith("transit-dns_databricks"))!;
    expect(transitZone[1].resource_group_name).toMatch(/transit-resource-group/);
    const links = entries(stack, "azurerm_private_dns_zone_virtual_network_link").filter(([, l]) => String(l.private_dns_zone_name).includes(transitZone[0]));
    expect(links.map(([, l]) => l.virtual_network_id)).toEqual([expect.stringMatching(/azurerm_virtual_network\.transit_vnet/)]);
  });

  describe("platform-prod: hub mode", () => {
    const stack = stacks["platform-prod"];
    const peerings = entries(stack, "azurerm_virtual_network_peering").map(([, p]) => p);

    test("each spoke is peered to the hub, and the hub back to each spoke through the hub's provider", () => {
      const toHub = peerings.filter((p) => p.remote_virtual_network_id === "${var.hub_transit_vnet_id}");
      expect(toHub.map((p) => p.name).sort()).toEqual(["peer-lake-auth-hub-prod-weu", "peer-lake-core-hub-prod-weu"]);
      expect(toHub.every((p) => p.provider === undefined && p.allow_forwarded_traffic === true)).toBe(true);
      const back = peerings.filter((p) => p.provider === "azurerm.hub");
      expect(back.map((p) => p.name).sort()).toEqual(["peer-lake-hub-auth-prod-weu", "peer-lake-hub-core-prod-weu"]);
      expect(back.every((p) => String(p.virtual_network_name).includes("var.hub_transit_vnet_id") && String(p.remote_virtual_network_id).startsWith("${azurerm_virtual_network."))).toBe(true);
      expect(stack.provider!.azurerm.find((p) => p.alias === "hub")).toMatchObject({ subscription_id: "${var.hub_subscription_id}", use_oidc: true });
    });

    test("the workspace VNet is linked into each hub zone it resolves — not the hub's databricks zone; the web-auth VNet into none", () => {
      const links = entries(stack, "azurerm_private_dns_zone_virtual_network_link").filter(([, l]) => l.provider === "azurerm.hub").map(([, l]) => l);
      const zones = links.map((l) => /var\.hub_(\w+)_dns_zone_id/.exec(String(l.private_dns_zone_name))![1]).sort();
      expect(zones).toEqual(["blob", "datafactory", "dfs", "eventhub", "queue", "redis", "vault"]);
      expect(links.every((l) => String(l.virtual_network_id).includes("platform_workspace_network_vnet"))).toBe(true);
    });

    test("the firewall route leads somewhere: egress goes to a hub that is peered, at an address inside it", () => {
      const route = entries(stack, "azurerm_route").find(([, r]) => r.address_prefix === "0.0.0.0/0")![1];
      expect(route.next_hop_in_ip_address).toBe("10.0.0.4");
      expect(peerings.some((p) => String(p.name).startsWith("peer-lake-core-hub"))).toBe(true);
    });
  });

  test.each(["platform-dev", "platform-prod"])("%s: Data Factory runs its pipelines in the managed VNet", (name) => {
    const stack = stacks[name];
    const [factoryKey, factory] = entries(stack, "azurerm_data_factory")[0];
    expect(factory.managed_virtual_network_enabled).toBe(true);
    const runtimes = entries(stack, "azurerm_data_factory_integration_runtime_azure").map(([, r]) => r);
    expect(runtimes).toEqual([expect.objectContaining({ data_factory_id: ref("azurerm_data_factory", factoryKey), virtual_network_enabled: true, location: "AutoResolve" })]);
  });

  test("PIM-eligible roles have no active assignment anywhere", () => {
    const pim = entries(stacks["pim-prod"], "azurerm_pim_eligible_role_assignment").map(([, e]) => e);
    expect(pim.length).toBe(3);
    const roleName = (id: string) => Object.entries(BUILTIN_ROLE_IDS).find(([, guid]) => id.endsWith(guid))![0];
    for (const e of pim) {
      const [, domainStack, variable] = /cross-stack-reference-input-(domain-\w+-prod)\.outputs\.cross-stack-output-var(\w+)/.exec(String(e.principal_id))!;
      const active = entries(stacks[domainStack], "azurerm_role_assignment").filter(([, a]) => a.principal_id === `\${var.${variable}}` && a.role_definition_name === roleName(String(e.role_definition_id)));
      expect([domainStack, variable, active.map(([k]) => k)]).toEqual([domainStack, variable, []]);
      expect(e.schedule).toEqual({ expiration: { duration_days: 180 } });
    }
  });

  test("custom roles are assigned by ID, never by a name that may not have replicated yet", () => {
    for (const [name, stack] of Object.entries(stacks)) {
      for (const [, a] of entries(stack, "azurerm_role_assignment")) {
        expect([name, typeof a.role_definition_name === "string" && a.role_definition_name.includes("${")]).toEqual([name, false]);
      }
    }
    // Every assignment by ID names a role definition's role_definition_resource_id (data-domain.test: the domain's data roles).
    const byId = Object.values(stacks).flatMap((s) => entries(s, "azurerm_role_assignment")).filter(([, a]) => a.role_definition_id !== undefined);
    expect(byId.every(([, a]) => /azurerm_role_definition\..*\.role_definition_resource_id\}$/.test(String(a.role_definition_id)))).toBe(true);
  });

  test("budgets start in the month of their first apply and keep that start", () => {
    const budgets = Object.values(stacks).flatMap((s) => entries(s, "azurerm_consumption_budget_resource_group").map(([, b]) => b));
    expect(budgets.length).toBeGreaterThanOrEqual(7);
    for (const b of budgets) {
      expect(b.time_period).toEqual({ start_date: "${formatdate(\"YYYY-MM-01'T'00:00:00'Z'\", timestamp())}" });
      expect(b.lifecycle).toEqual({ ignore_changes: ["time_period"] });
    }
  });

  test("resource-specific tables are asked for only where the API keeps the setting; every NSG sends its logs", () => {
    for (const [name, stack] of Object.entries(stacks)) {
      const settings = entries(stack, "azurerm_monitor_diagnostic_setting").map(([, d]) => d);
      for (const d of settings.filter((x) => x.log_analytics_destination_type !== undefined)) {
        expect([name, String(d.target_resource_id)]).toEqual([name, expect.stringMatching(/^\$\{azurerm_data_factory\./)]);
      }
      for (const [key] of entries(stack, "azurerm_network_security_group")) {
        expect([name, key, settings.some((d) => d.target_resource_id === ref("azurerm_network_security_group", key))]).toEqual([name, key, true]);
      }
    }
  });

  test("Entra groups (mkt dev) do not look up names in Graph", () => {
    const groups = entries(stacks["domain-mkt-dev"], "azuread_group").map(([, g]) => g);
    expect(groups.length).toBe(3);
    expect(groups.every((g) => g.prevent_duplicate_names === false)).toBe(true);
  });

  test("the compliance security profile names only standards azurerm 4.55 accepts", () => {
    const workspace = entries(stacks["platform-prod"], "azurerm_databricks_workspace").find(([, w]) => w.name === "dbw-lake-core-prod-weu")![1];
    expect(workspace.enhanced_security_compliance).toMatchObject({ compliance_security_profile_enabled: true, compliance_security_profile_standards: ["HIPAA"] });
  });
});
