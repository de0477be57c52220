import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { personaAccess, PersonaAccess } from "../lib/data-domain/persona-access";
import { ADMIN_PRIVILEGES, PersonaName, READ_PRIVILEGES } from "../lib/data-domain/personas";
import { PIPELINE_FILE_PRIVILEGES, PIPELINE_LAYER_PRIVILEGES } from "../lib/medallion-platform/platform-access";
import { loadConfig } from "../stacks/config/load";
import { sampleSynth } from "./sample-synth";

/** Unity Catalog in one apply, checked on the synthesized sample app (catalog and domain stacks). */
type Attrs = Record<string, unknown>;
interface Stack {
  resource: Record<string, Record<string, Attrs>>;
  data?: Record<string, Record<string, Attrs>>;
  variable?: Record<string, unknown>;
}
const stacks: Record<string, Stack> = Object.fromEntries(
  readdirSync(join(sampleSynth(), "stacks"))
    .filter((n) => n.startsWith("catalog-") || n.startsWith("domain-"))
    .map((name) => [name, JSON.parse(readFileSync(join(sampleSynth(), "stacks", name, "cdk.tf.json"), "utf8")) as Stack]),
);
const config = loadConfig();
// share_name and provider_name name securables of the other region's metastore (a disaster recovery source): no
// reference can name them, and they contain the catalog's name by design.
const IGNORED = new Set(["//", "name", "display_name", "comment", "description", "properties", "provider", "custom_tags", "policy_name", "share_name", "provider_name"]);

/** Every literal string of a resource (references `${…}` excluded), with its attribute path. */
function literals(value: unknown, at = ""): [string, string][] {
  if (typeof value === "string") return value.includes("${") ? [] : [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => literals(v, `${at}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => (IGNORED.has(k) ? [] : literals(v, at ? `${at}.${k}` : k)));
  return [];
}

describe("Unity Catalog: every cross-resource fact is a reference", () => {
  test.each(Object.keys(stacks))("%s: no databricks resource repeats another resource's name or URL as a literal", (name) => {
    const stack = stacks[name];
    const named: [string, string][] = [];
    for (const [type, byId] of Object.entries(stack.resource)) {
      for (const [id, attrs] of Object.entries(byId)) {
        for (const key of ["name", "url", "display_name"]) {
          const v = attrs[key];
          if (typeof v === "string" && !v.includes("${") && v.length >= 4) named.push([`${type}.${id}.${key}`, v]);
        }
      }
    }
    const offenders: string[] = [];
    for (const [type, byId] of Object.entries(stack.resource).filter(([t]) => t.startsWith("databricks_"))) {
      for (const [id, attrs] of Object.entries(byId)) {
        for (const [at, literal] of literals(attrs)) {
          for (const [owner, value] of named) {
            if (owner.startsWith(`${type}.${id}.`)) continue;
            if (literal === value || (literal.length > value.length && literal.includes(value) && value.length >= 8)) offenders.push(`${type}.${id}.${at} = ${JSON.stringify(literal)} repeats ${owner}`);
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  test.each(Object.keys(stacks))("%s: what a databricks resource uses of its stack, it references", (name) => {
    const stack = stacks[name];
    const ref = (value: unknown, ...types: string[]) => typeof value === "string" && types.some((t) => value.includes(`\${${t}.`) || value.includes("${data.terraform_remote_state."));
    const each = (type: string) => Object.entries(stack.resource[type] ?? {});
    for (const [id, g] of each("databricks_grants")) {
      const securable = g.catalog ?? g.external_location ?? g.storage_credential ?? g.schema ?? g.share;
      expect([id, ref(securable, "databricks_catalog", "databricks_external_location", "databricks_storage_credential", "databricks_schema", "databricks_share")]).toEqual([id, true]);
    }
    // A catalog is stored under an external location, or mounts a share of the other region's metastore (no storage).
    for (const [id, c] of each("databricks_catalog")) expect([id, c.share_name !== undefined || ref(c.storage_root, "databricks_external_location")]).toEqual([id, true]);
    for (const [id, share] of each("databricks_share")) {
      for (const o of share.object as { name: string }[]) expect([id, o.name, ref(o.name, "databricks_schema")]).toEqual([id, o.name, true]);
    }
    for (const [id, s] of each("databricks_schema")) expect([id, ref(s.catalog_name, "databricks_catalog")]).toEqual([id, true]);
    for (const [id, v] of each("databricks_volume")) expect([id, ref(v.catalog_name, "databricks_catalog") && ref(v.schema_name, "databricks_schema")]).toEqual([id, true]);
    for (const [id, l] of each("databricks_external_location")) {
      expect([id, ref(l.credential_name, "databricks_storage_credential"), ref(l.url, "azurerm_storage_container")]).toEqual([id, true, true]);
    }
    for (const [id, a] of each("databricks_mws_permission_assignment")) expect([id, ref(a.principal_id, "databricks_group", "databricks_service_principal", "data.databricks_group", "data.databricks_service_principal")]).toEqual([id, true]);
    for (const [id, r] of each("databricks_access_control_rule_set")) expect([id, ref(r.name, "databricks_budget_policy", "databricks_service_principal")]).toEqual([id, true]);
    // A synced principal is assigned by name, and grants name the assignment's attribute (so they follow it).
    for (const [id, a] of each("databricks_permission_assignment")) expect([id, typeof (a.group_name ?? a.service_principal_name)]).toEqual([id, "string"]);
    for (const [id, j] of each("databricks_job")) expect([id, ref((j.run_as as { service_principal_name?: string }).service_principal_name, "databricks_service_principal")]).toEqual([id, true]);
  });

  test.each(Object.keys(stacks))("%s: no explicit binding to the workspace that creates the securables; nothing owned by anyone but the deployer", (name) => {
    const stack = stacks[name];
    expect(Object.keys(stack.resource.databricks_workspace_binding ?? {})).toEqual([]);
    for (const type of ["databricks_catalog", "databricks_schema", "databricks_external_location", "databricks_storage_credential", "databricks_volume", "databricks_metastore"]) {
      expect(Object.values(stack.resource[type] ?? {}).filter((r) => r.owner !== undefined)).toEqual([]);
    }
  });

  test.each(Object.keys(stacks))("%s: every principal a grant names exists in the account (provisioned or looked up here) and is assigned to the workspace", (name) => {
    const stack = stacks[name];
    const deployer = "${var.deployment_principal_client_id}";
    const attribute = (t: string) => (t === "databricks_group" ? "display_name" : "application_id");
    const known = new Set([
      deployer,
      ...["databricks_group", "databricks_service_principal"].flatMap((t) => [
        ...Object.keys(stack.resource[t] ?? {}).map((id) => `\${${t}.${id}.${attribute(t)}}`),
        ...Object.keys(stack.data?.[t] ?? {}).map((id) => `\${data.${t}.${id}.${attribute(t)}}`),
      ]),
      // Synced principals (lookup): the workspace assignment by name, whose attribute the grants name.
      ...Object.keys(stack.resource.databricks_permission_assignment ?? {}).flatMap((id) => [`\${databricks_permission_assignment.${id}.group_name}`, `\${databricks_permission_assignment.${id}.service_principal_name}`]),
      // A share's grants name its recipient (the secondary metastore), not an account principal: created here or in
      // the catalog stack.
      ...Object.keys(stack.resource.databricks_recipient ?? {}).map((id) => `\${databricks_recipient.${id}.name}`),
    ]);
    const recipientOfCatalogStack = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-catalog-[a-z0-9-]+\.outputs\.cross-stack-output-databricks_recipient[\w-]+name\}$/;
    for (const g of Object.values(stack.resource.databricks_grants ?? {})) {
      for (const { principal } of g.grant as { principal: string }[]) expect([name, principal, known.has(principal) || principal === "${var.pipeline_principal_client_id}" || recipientOfCatalogStack.test(principal)]).toEqual([name, principal, true]);
    }
    const assigned = [
      ...Object.values(stack.resource.databricks_mws_permission_assignment ?? {}).map((a) => a.principal_id),
      ...Object.values(stack.resource.databricks_permission_assignment ?? {}).map((a) => a.service_principal_name),
    ];
    for (const t of ["databricks_group", "databricks_service_principal"]) {
      for (const id of Object.keys(stack.resource[t] ?? {})) expect([id, assigned.includes(`\${${t}.${id}.id}`) || assigned.includes(`\${${t}.${id}.application_id}`)]).toEqual([id, true]);
    }
  });

  test("serverless compute has a private path to every storage account: lake, root storage, dedicated domain storage, sandbox storage", () => {
    const rules = (stack: string) => Object.values(stacks[stack].resource.databricks_mws_ncc_private_endpoint_rule ?? {}).map((r) => `${r.group_id} ${String(r.resource_id).replace(/_[0-9A-F]{8}/g, "")}`).sort();
    for (const env of ["dev", "prod"]) {
      const catalogRules = rules(`catalog-${env}`);
      expect(catalogRules.filter((r) => r.startsWith("dfs"))).toHaveLength(2);
      expect(catalogRules.filter((r) => r.startsWith("blob"))).toHaveLength(2);
      expect(catalogRules.some((r) => r.includes("Microsoft.Storage/storageAccounts/stlakecore"))).toBe(true);
    }
    expect(rules("domain-fin-prod")).toHaveLength(2); // dedicated catalog storage
    expect(rules("domain-sales-dev")).toHaveLength(2); // the sandbox's storage
    expect(rules("domain-mkt-dev")).toHaveLength(0);
  });
});

describe("the grants matrix: persona × environment × securable, the deployer included", () => {
  type Grant = { principal: string; privileges: string[] };
  const groupName = (stack: Stack, ref: string) => {
    const m = /^\$\{databricks_group\.([^.]+)\.display_name\}$/.exec(ref);
    return m ? String(stack.resource.databricks_group[m[1]].display_name) : ref;
  };
  const grantsOf = (stack: Stack, attr: string, match: RegExp): Record<string, string[]> =>
    Object.fromEntries(
      (Object.values(stack.resource.databricks_grants).find((g) => match.test(String(g[attr])))!.grant as Grant[]).map((g) => [groupName(stack, g.principal), g.privileges]),
    );
  const expected = (privileges: readonly string[]) => (privileges.includes("ALL_PRIVILEGES") ? ["ALL_PRIVILEGES", ...(privileges.includes("MANAGE") ? ["MANAGE"] : [])] : [...privileges].sort());
  const DEPLOYER = "${var.deployment_principal_client_id}";

  const cases = config.environments.flatMap((env) =>
    config.domains
      .filter((d) => env.environment in d.environments)
      .flatMap((d) =>
        (Object.keys(d.personas) as PersonaName[]).map((persona) => [env.environment, d.domain, persona] as const),
      ),
  );

  /** The persona a grant's principal is: an environment-scoped group by its display name, or the domain's service principal. */
  const personaOf = (stack: Stack, env: string, domain: (typeof config.domains)[number], principal: string): string => {
    if (principal === DEPLOYER) return "deployer";
    if (/^\$\{databricks_service_principal\./.test(principal)) return "servicePrincipals";
    const name = groupName(stack, principal);
    const persona = Object.entries(domain.personas as Record<string, { principalName?: string }>).find(([, p]) => p.principalName && `${p.principalName}-${env}` === name);
    return persona ? persona[0] : `unknown principal ${name}`;
  };
  const SECURABLES: [keyof PersonaAccess, string, RegExp][] = [
    ["domainCatalog", "catalog", /databricks_catalog\.domain_catalog_/],
    ["catalogStorageLocation", "external_location", /databricks_external_location\.domain_catalog-storage_location_/],
    ["sandboxCatalog", "catalog", /databricks_catalog\.domain_sandbox_catalog_/],
    ["sandboxStorageLocation", "external_location", /databricks_external_location\.domain_sandbox_storage_location_/],
  ];

  test.each(cases)("%s / %s / %s: every securable of the domain grants what the persona model says", (env, domainName, persona) => {
    const stack = stacks[`domain-${domainName}-${env}`];
    const environment = config.environments.find((e) => e.environment === env)!;
    const domain = config.domains.find((d) => d.domain === domainName)!;
    const settings = domain.environments[env];
    const model = personaAccess({
      peopleAccess: environment.catalog.peopleAccess ?? "readWrite",
      writeExceptions: (settings.writeExceptions ?? []).map((e) => e.persona),
      privilegedAccess: settings.pim ? "pim" : "standing",
    })[persona];
    const present = {
      domainCatalog: true,
      catalogStorageLocation: settings.catalogStorage === "dedicated",
      sandboxCatalog: settings.sandbox !== undefined,
      sandboxStorageLocation: settings.sandbox !== undefined,
    } as Record<string, boolean>;
    for (const [securable, attr, match] of SECURABLES) {
      const block = Object.values(stack.resource.databricks_grants).find((g) => match.test(String(g[attr])));
      expect([securable, block !== undefined]).toEqual([securable, present[securable]]);
      if (!block) continue;
      const byPersona = Object.fromEntries((block.grant as Grant[]).map((g) => [personaOf(stack, env, domain, g.principal), g.privileges]));
      const privileges = model[securable] as readonly string[];
      expect([securable, byPersona[persona]]).toEqual([securable, privileges.length ? expected(privileges) : undefined]);
      // The deployer's own privileges are part of every authoritative block; nobody else is in it.
      expect([securable, byPersona.deployer]).toEqual([securable, ["ALL_PRIVILEGES"]]);
      expect(Object.keys(byPersona).filter((k) => k !== "deployer" && !(k in domain.personas))).toEqual([]);
      // In production people read: no write, create or administer privilege, unless listed as an exception.
      if (env === "prod" && persona !== "servicePrincipals" && !(settings.writeExceptions ?? []).some((e) => e.persona === persona)) {
        expect([securable, (byPersona[persona] ?? []).filter((p) => /^(MODIFY|WRITE_|CREATE_|ALL_PRIVILEGES|MANAGE)/.test(p))]).toEqual([securable, []]);
      }
    }
  });

  test.each(config.environments.map((e) => e.environment))("%s: layer catalogs, locations and the credential — admins, pipeline, gold readers, deployer", (env) => {
    const stack = stacks[`catalog-${env}`];
    const environment = config.environments.find((e) => e.environment === env)!;
    const admins = `${environment.catalog.adminGroup}-${env}`;
    const pipeline = environment.identity.singlePrincipal ? DEPLOYER : Object.keys(stack.resource.databricks_service_principal ?? {}).map((id) => `\${databricks_service_principal.${id}.application_id}`)[0];
    const readWrite = (environment.catalog.peopleAccess ?? "readWrite") === "readWrite";
    const layerZones = environment.lake.zones.filter((z) => !/^(landing|staging)/.test(z));
    for (const zone of layerZones) {
      const grants = grantsOf(stack, "catalog", new RegExp(`catalog_catalog-${zone}_`));
      expect(grants[admins]).toEqual(expected(readWrite ? ADMIN_PRIVILEGES : [...READ_PRIVILEGES, "BROWSE"]));
      if (environment.identity.singlePrincipal) expect(grants[DEPLOYER]).toEqual(["ALL_PRIVILEGES"]);
      else {
        expect(grants[pipeline]).toEqual([...PIPELINE_LAYER_PRIVILEGES].sort());
        expect(grants[DEPLOYER]).toEqual(["ALL_PRIVILEGES"]);
      }
      const readers = (environment.catalog.goldReaders ?? []).map((g) => `${g}-${env}`);
      for (const reader of readers) expect(grants[reader]).toEqual(zone.startsWith("gold") ? [...READ_PRIVILEGES].sort() : undefined);
    }
    for (const zone of environment.lake.zones) {
      const grants = grantsOf(stack, "external_location", new RegExp(`catalog_location-${zone}_`));
      expect(grants[DEPLOYER]).toEqual(["ALL_PRIVILEGES"]);
      const fileZone = /^(landing|staging)/.test(zone);
      if (!environment.identity.singlePrincipal) expect(grants[pipeline]).toEqual(fileZone ? [...PIPELINE_FILE_PRIVILEGES] : undefined);
    }
    const credential = grantsOf(stack, "storage_credential", /databricks_storage_credential/);
    expect(credential).toEqual({ [DEPLOYER]: ["ALL_PRIVILEGES"], [admins]: ["CREATE_EXTERNAL_LOCATION"] });
  });
});

describe("people read only in production (databricks review M2)", () => {
  // A service principal is named by an application ID: a client-ID variable, a service principal's application_id or a
  // by-name assignment of one; a share's recipient is a metastore. Everything else a grant names is a group of people.
  const machine = (principal: string) =>
    /^\$\{var\.[a-z_]*client_id\}$/.test(principal) ||
    /\.application_id\}$/.test(principal) ||
    /\.service_principal_name\}$/.test(principal) ||
    /databricks_recipient/.test(principal);
  const WRITES = new Set(["ALL_PRIVILEGES", "MANAGE", "MODIFY", "CREATE_TABLE", "CREATE_SCHEMA", "CREATE_VOLUME", "CREATE_FUNCTION", "CREATE_MODEL", "CREATE_MATERIALIZED_VIEW", "WRITE_VOLUME", "WRITE_FILES"]);
  // APPLY_TAG (stewards) changes a securable's tags, not its data: it stays with the people who classify it.
  const prodStacks = Object.entries(stacks).filter(([name]) => /-prod(-dr)?$/.test(name));

  test.each(prodStacks.map(([name]) => name))("%s: no group of people holds a write privilege on a catalog or schema", (name) => {
    const writes = Object.values(stacks[name].resource.databricks_grants ?? {})
      .filter((g) => g.catalog !== undefined || g.schema !== undefined)
      .flatMap((g) => (g.grant as { principal: string; privileges: string[] }[]).filter((x) => !machine(x.principal)).flatMap((x) => x.privileges.filter((p) => WRITES.has(p)).map((p) => `${x.principal} ${p}`)));
    expect(writes).toEqual([]);
  });
});

describe("no code runs as the deployer (databricks review M1)", () => {
  test.each(Object.keys(stacks).filter((name) => Object.keys(stacks[name].resource.databricks_job ?? {}).length > 0))("%s: every job runs as a sync principal the deployer may use; its notebook is outside /Shared in a folder with an ACL", (name) => {
    const stack = stacks[name];
    const principals = Object.keys(stack.resource.databricks_service_principal ?? {}).map((id) => `\${databricks_service_principal.${id}.application_id}`);
    const ruleSets = Object.values(stack.resource.databricks_access_control_rule_set ?? {}) as { name: string; grant_rules: { role: string; principals: string[] }[] }[];
    for (const job of Object.values(stack.resource.databricks_job ?? {})) {
      const runAs = (job.run_as as { service_principal_name?: string }).service_principal_name!;
      expect(principals).toContain(runAs);
      const rules = ruleSets.find((r) => r.name.includes(runAs.replace(/^\$\{|\}$/g, "")));
      expect(rules?.grant_rules).toEqual([{ role: "roles/servicePrincipal.user", principals: ["servicePrincipals/${var.deployment_principal_client_id}"] }]);
    }
    for (const notebook of Object.values(stack.resource.databricks_notebook ?? {})) expect(String(notebook.path)).not.toMatch(/^\/Shared\//);
    const folders = Object.keys(stack.resource.databricks_directory ?? {});
    const acls = Object.values(stack.resource.databricks_permissions ?? {}).filter((p) => p.directory_path !== undefined);
    expect(acls).toHaveLength(folders.length);
    for (const acl of acls) expect((acl.access_control as { service_principal_name?: string; permission_level: string }[]).map((a) => a.permission_level)).toEqual(["CAN_READ"]);
  });
});

describe("the secondary's serverless egress reaches what it clones from (databricks review B2)", () => {
  const all = (prefix: string) =>
    Object.fromEntries(readdirSync(join(sampleSynth(), "stacks")).filter((n) => n.startsWith(prefix)).map((n) => [n, JSON.parse(readFileSync(join(sampleSynth(), "stacks", n, "cdk.tf.json"), "utf8")) as Stack]));
  const destinations = (stack: Stack) =>
    Object.values(stack.resource.databricks_account_network_policy ?? {}).flatMap((p) => ((p.egress as { network_access: { allowed_storage_destinations?: { azure_storage_account: string; azure_storage_service: string; storage_destination_type: string }[] } }).network_access.allowed_storage_destinations ?? []));

  test("the allowed storage destinations are exactly the primary accounts the secondary's NCC rules reach, blob and dfs each", () => {
    const secondary = { ...all("catalog-prod-dr"), ...Object.fromEntries(Object.entries(all("domain-")).filter(([n]) => n.endsWith("-prod-dr"))) };
    const nccSources = new Set(
      Object.values(secondary)
        .flatMap((s) => Object.entries(s.resource.databricks_mws_ncc_private_endpoint_rule ?? {}))
        .filter(([id]) => /primary/.test(id))
        .map(([, rule]) => String(rule.resource_id).split("/").pop()!),
    );
    expect(nccSources.size).toBeGreaterThan(1);
    const allowed = destinations(all("governance-prod-dr")["governance-prod-dr"]);
    expect(new Set(allowed.map((d) => d.azure_storage_account))).toEqual(nccSources);
    for (const account of nccSources) expect(allowed.filter((d) => d.azure_storage_account === account).map((d) => `${d.azure_storage_service} ${d.storage_destination_type}`).sort()).toEqual(["blob AZURE_STORAGE", "dfs AZURE_STORAGE"]);
    // The primary clones nothing: no storage destination beyond its own locations and endpoints.
    expect(destinations(all("governance-prod")["governance-prod"])).toEqual([]);
  });
});
