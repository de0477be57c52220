import { DomainAccessRecord, PlatformAccessRecord } from "../lib/ci/access-record";
import { readSynthesizedApp, SynthesizedStack } from "../lib/ci/synthesized-app";
import { personaAccess } from "../lib/data-domain/persona-access";
import { PERSONAS, WRITE_PRIVILEGES } from "../lib/data-domain/personas";
import { personaAccessDocument } from "../lib/docs/persona-access-document";
import { platformAccess } from "../lib/medallion-platform/platform-access";
import { loadConfig } from "../stacks/config/load";
import { sampleSynth } from "./sample-synth";

const WRITES = ["MODIFY", "CREATE_TABLE", "CREATE_SCHEMA", "WRITE_VOLUME", "WRITE_FILES", "ALL_PRIVILEGES", "MANAGE"];
const PEOPLE = PERSONAS.filter((p) => p !== "servicePrincipals");

describe("the persona model", () => {
  test("where people read only, no person writes to a domain catalog; service principals still do", () => {
    const access = personaAccess({ peopleAccess: "readOnly", writeExceptions: [], privilegedAccess: "standing" });
    for (const persona of PEOPLE) expect([persona, access[persona].domainCatalog.filter((p) => WRITES.includes(p))]).toEqual([persona, []]);
    expect(access.servicePrincipals.domainCatalog).toEqual(WRITE_PRIVILEGES);
    expect(access.admins.catalogStorageLocation).toEqual(["BROWSE"]);
  });

  test("a write exception gives back that persona's write privileges, and only that persona's", () => {
    const access = personaAccess({ peopleAccess: "readOnly", writeExceptions: ["engineers"], privilegedAccess: "standing" });
    expect(access.engineers.domainCatalog).toEqual(WRITE_PRIVILEGES);
    expect(access.admins.domainCatalog).not.toContain("MODIFY");
  });

  test("with PIM, admins' Contributor is eligible only; service principals' stays standing", () => {
    const access = personaAccess({ peopleAccess: "readOnly", writeExceptions: [], privilegedAccess: "pim" });
    expect(access.admins.resourceGroupRole).toEqual({ role: "Contributor", assignment: "eligible" });
    expect(access.servicePrincipals.resourceGroupRole).toEqual({ role: "Contributor", assignment: "standing" });
  });

  test("sandbox: people experiment, automation gets nothing, and only admins administer its location", () => {
    const access = personaAccess({ peopleAccess: "readWrite", writeExceptions: [], privilegedAccess: "standing" });
    expect(access.servicePrincipals.sandboxCatalog).toEqual([]);
    expect(access.servicePrincipals.sandboxResourceGroupRole).toBeUndefined();
    expect(access.engineers.sandboxCatalog).toEqual(expect.arrayContaining(["READ_VOLUME", "WRITE_VOLUME"]));
    expect(PERSONAS.filter((p) => access[p].sandboxStorageLocation.length > 0)).toEqual(["admins"]);
  });

  test("platform: admins never get more than CREATE_EXTERNAL_LOCATION on the credential; in production they read only", () => {
    expect(platformAccess("readWrite").admins.storageCredential).toEqual(["CREATE_EXTERNAL_LOCATION"]);
    const prod = platformAccess("readOnly");
    for (const securable of Object.values(prod.admins)) expect((securable as string[]).filter((p) => WRITES.includes(p))).toEqual([]);
    expect(prod.pipeline.layerLocations).toEqual([]);
  });
});

describe("the generated persona table", () => {
  const stacks = readSynthesizedApp(sampleSynth());
  const doc = personaAccessDocument(stacks);
  const tableRow = (text: string, first: string, second: string) => text.split("\n").find((l) => l.startsWith(`| ${first} | ${second} |`))?.split(" | ").slice(2).map((c) => c.replace(/ \|$/, ""));

  test("each stack records the access settings it was built with, as configured", () => {
    const config = loadConfig();
    for (const env of config.environments) {
      for (const domain of config.domains.filter((d) => env.environment in d.environments)) {
        const record = (stacks.find((s) => s.name === `domain-${domain.domain}-${env.environment}`)!.json["//"] as { access: { domains: Record<string, DomainAccessRecord> } }).access.domains[domain.domain];
        expect(record.peopleAccess).toBe(env.catalog.peopleAccess ?? "readWrite");
        expect(record.writeExceptions).toEqual(domain.environments[env.environment].writeExceptions ?? []);
      }
    }
  });

  test("one column per environment, in workflow order, rendering the model under that environment's settings", () => {
    expect(doc).toContain("| Persona | Securable | dev (people read and write) | prod (people read only, PIM) |");
    const engineers = tableRow(doc, "engineers", "domain catalog")!;
    expect(engineers[0]).toContain("MODIFY");
    expect(engineers[1]).toBe(personaAccess({ peopleAccess: "readOnly", writeExceptions: [], privilegedAccess: "pim" }).engineers.domainCatalog.join(", "));
    expect(tableRow(doc, "admins", "domain resource group (Azure)")).toEqual(["Contributor", "Contributor, PIM-eligible only"]);
    expect(tableRow(doc, "pipeline principal", "bronze/silver layer catalogs")).toEqual(["as the deployment principal", platformAccess("readOnly").pipeline.layerCatalogs.join(", ")]);
  });

  test("an environment whose domains differ gets a column per group; exceptions are listed with their reason", () => {
    const domainStack = (name: string, env: string, record: DomainAccessRecord): SynthesizedStack => ({
      name,
      directory: `cdktf.out/stacks/${name}`,
      dependencies: [],
      deployment: { environment: env },
      variables: [],
      json: { "//": { access: { domains: { [name]: record } } } },
    });
    const base: DomainAccessRecord = { peopleAccess: "readOnly", privilegedAccess: "standing", writeExceptions: [], personas: ["admins", "engineers", "readers"], sandbox: false, catalogStorage: "platformLake" };
    const platform: PlatformAccessRecord = { peopleAccess: "readOnly", pipeline: "separate", goldReaders: false, layerCatalogs: true };
    const text = personaAccessDocument([
      domainStack("a", "prod", { ...base, writeExceptions: [{ persona: "engineers", reason: "backfills run by hand until the job exists" }] }),
      domainStack("b", "prod", { ...base, peopleAccess: "readWrite" }),
      { ...domainStack("p", "prod", base), json: { "//": { access: { platform } } } },
    ]);
    expect(text).toContain("| Persona | Securable | prod: a (people read only) | prod: b (people read and write) |");
    expect(text).toMatch(/- prod: a \(people read only\), domain a: engineers keep USE_CATALOG, .*MODIFY.* on the domain catalog — backfills run by hand until the job exists/);
    expect(tableRow(text, "gold readers", "gold layer catalogs")).toEqual(["(none configured)"]);
    expect(text).not.toContain("sandbox catalog");
  });
});
