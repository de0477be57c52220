import { accessRecords, DomainAccessRecord, PlatformAccessRecord } from "../ci/access-record";
import type { SynthesizedStack } from "../ci/synthesized-app";
import { personaAccess, PersonaAccess } from "../data-domain/persona-access";
import { PersonaName, PERSONAS } from "../data-domain/personas";
import { platformAccess, PlatformAccess, PlatformPrincipal, PLATFORM_PRINCIPALS } from "../medallion-platform/platform-access";

/** A column of the table: an environment, split when its domains differ in access settings. */
interface Column<R> {
  readonly header: string;
  readonly records: readonly R[];
}

const NONE = "—";
const cell = (privileges: readonly string[]) => (privileges.length ? privileges.join(", ") : NONE);
const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;

/** Environments in workflow order, each with its records (grouped by their access settings). */
function columns<R>(stacks: readonly SynthesizedStack[], pick: (stack: SynthesizedStack) => [string, R][], settings: (r: R) => string): Column<[string, R]>[] {
  const byEnv = new Map<string, [string, R][]>();
  for (const stack of stacks) {
    const picked = pick(stack);
    if (picked.length) byEnv.set(stack.deployment.environment, [...(byEnv.get(stack.deployment.environment) ?? []), ...picked]);
  }
  return [...byEnv].flatMap(([env, records]) => {
    const groups = new Map<string, [string, R][]>();
    for (const r of records) groups.set(settings(r[1]), [...(groups.get(settings(r[1])) ?? []), r]);
    return [...groups.values()].map((group) => ({
      header: groups.size === 1 ? `${env} (${settings(group[0][1])})` : `${env}: ${group.map(([name]) => name).join(", ")} (${settings(group[0][1])})`,
      records: group,
    }));
  });
}

const DOMAIN_SECURABLES: readonly [string, (a: PersonaAccess) => string, (r: DomainAccessRecord) => boolean][] = [
  ["domain catalog", (a) => cell(a.domainCatalog), () => true],
  ["dedicated catalog storage (external location)", (a) => cell(a.catalogStorageLocation), (r) => r.catalogStorage === "dedicated"],
  ["sandbox catalog (and its volume `scratch.files`)", (a) => cell(a.sandboxCatalog), (r) => r.sandbox],
  ["sandbox storage (external location)", (a) => cell(a.sandboxStorageLocation), (r) => r.sandbox],
  ["domain resource group (Azure)", (a) => (a.resourceGroupRole.assignment === "eligible" ? `${a.resourceGroupRole.role}, PIM-eligible only` : a.resourceGroupRole.role), () => true],
  ["sandbox resource group (Azure)", (a) => a.sandboxResourceGroupRole ?? NONE, (r) => r.sandbox],
];

const PLATFORM_SECURABLES: readonly [string, keyof PlatformAccess][] = [
  ["lake storage credential", "storageCredential"],
  ["landing/staging external locations", "fileLocations"],
  ["layer external locations", "layerLocations"],
  ["bronze/silver layer catalogs", "layerCatalogs"],
  ["gold layer catalogs", "goldCatalogs"],
];
const PLATFORM_LABEL: Readonly<Record<PlatformPrincipal, string>> = { admins: "platform admin group", pipeline: "pipeline principal", goldReaders: "gold readers", sync: "disaster recovery sync principal" };

/**
 * The generated persona table (help/persona-access.md): what each persona may do per environment, rendered from the
 * persona model (personaAccess, platformAccess) under the access settings each synthesized stack records. Where an
 * environment's domains differ in their settings, it gets a column per group of domains.
 */
export function personaAccessDocument(stacks: readonly SynthesizedStack[]): string {
  const lines = [
    "<!-- GENERATED from lib/data-domain/persona-access.ts and lib/medallion-platform/platform-access.ts, under the settings the synthesized stacks record, by `npm run docs`. Do not edit: `npm test` fails on drift. -->",
    "# What each persona may do, per environment",
    "",
    "Unity Catalog privileges and Azure roles, as the constructs grant them. Every securable is owned by the deployment",
    "principal, which also holds `ALL_PRIVILEGES` in every grants block (help/unity-catalog.md, \"Ownership\"). Persona",
    "groups are environment-scoped (`groupNamePattern`), so a row is a different group in each environment. `—`: nothing.",
    "",
  ];

  const domainColumns = columns(
    stacks,
    (s) => Object.entries(accessRecords(s.json).domains ?? {}),
    (r: DomainAccessRecord) => `people ${r.peopleAccess === "readWrite" ? "read and write" : "read only"}${r.privilegedAccess === "pim" ? ", PIM" : ""}`,
  );
  lines.push("## Domain personas", "");
  if (domainColumns.length === 0) lines.push("No stack has a DataDomain.", "");
  else {
    lines.push(row(["Persona", "Securable", ...domainColumns.map((c) => c.header)]), row(["---", "---", ...domainColumns.map(() => "---")]));
    for (const persona of PERSONAS) {
      const declared = domainColumns.map((c) => c.records.filter(([, r]) => r.personas.includes(persona)));
      if (declared.every((d) => d.length === 0)) continue;
      // Exceptions are per domain: the column shows the persona without them; they are listed below.
      const access = domainColumns.map((c) => personaAccess({ peopleAccess: c.records[0][1].peopleAccess, privilegedAccess: c.records[0][1].privilegedAccess, writeExceptions: [] })[persona]);
      for (const [label, render, applies] of DOMAIN_SECURABLES) {
        const cells = declared.map((records, i) => (records.some(([, r]) => applies(r)) ? render(access[i]) : "(no domain has one)"));
        if (cells.every((c) => c === "(no domain has one)")) continue;
        lines.push(row([persona, label, ...cells]));
      }
    }
    lines.push("");
    const exceptions = domainColumns.flatMap((c) => c.records.flatMap(([name, r]) => r.writeExceptions.map((e) => ({ column: c.header, name, r, ...e }))));
    lines.push("### Write exceptions", "");
    if (exceptions.length === 0) lines.push("None: where people read only, nobody writes but service principals.");
    for (const e of exceptions) {
      const privileges = personaAccess({ peopleAccess: e.r.peopleAccess, privilegedAccess: e.r.privilegedAccess, writeExceptions: [e.persona as PersonaName] })[e.persona].domainCatalog;
      lines.push(`- ${e.column}, domain ${e.name}: ${e.persona} keep ${cell(privileges)} on the domain catalog — ${e.reason}`);
    }
    lines.push("");
  }

  const platformColumns = columns(
    stacks,
    (s) => {
      const platform = accessRecords(s.json).platform;
      return platform ? [[s.name, platform] as [string, PlatformAccessRecord]] : [];
    },
    (r: PlatformAccessRecord) => `people ${r.peopleAccess === "readWrite" ? "read and write" : "read only"}${r.pipeline === "deployer" ? ", pipeline = deployer" : ""}`,
  );
  lines.push("## Platform principals (lake locations and layer catalogs)", "");
  if (platformColumns.length === 0) lines.push("No stack has a PlatformCatalog.", "");
  else {
    lines.push(row(["Principal", "Securable", ...platformColumns.map((c) => c.header)]), row(["---", "---", ...platformColumns.map(() => "---")]));
    lines.push(row(["deployment principal", "everything", ...platformColumns.map(() => "owner, ALL_PRIVILEGES")]));
    for (const principal of PLATFORM_PRINCIPALS) {
      for (const [label, key] of PLATFORM_SECURABLES) {
        const cells = platformColumns.map((c) => {
          const r = c.records[0][1];
          if (principal === "pipeline" && r.pipeline !== "separate") return r.pipeline === "deployer" ? "as the deployment principal" : "(no pipeline principal)";
          if (principal === "goldReaders" && !r.goldReaders) return "(none configured)";
          if (principal === "sync" && !r.sync) return NONE;
          if ((key === "layerCatalogs" || key === "goldCatalogs") && !r.layerCatalogs) return "(no layer catalogs)";
          return cell(platformAccess(r.peopleAccess)[principal][key]);
        });
        if (cells.every((c) => c === NONE)) continue;
        lines.push(row([PLATFORM_LABEL[principal], label, ...cells]));
      }
    }
    lines.push("");
  }
  return lines.join("\n");
}
