import { IConstruct } from "constructs";
import { GrantsGrant } from "@cdktf/provider-databricks/lib/grants";
import { checkOneOf, invalid } from "../core/validation";
import { PRINCIPAL_TYPES, PrincipalType } from "../identity/role-assignments";
import { BuiltinRole } from "./builtin-roles";

/** The personas of a domain. Admins, engineers and readers are required; stewards and service principals optional. */
export const PERSONAS = ["admins", "engineers", "readers", "stewards", "servicePrincipals"] as const;
export type PersonaName = (typeof PERSONAS)[number];

/** One persona: the same declaration drives Azure RBAC (object ID) and Unity Catalog grants (principal name). */
export interface Persona {
  /** Entra object ID (group, Enterprise Application or user) — Azure role assignments. */
  readonly objectId: string;
  /** Its name in the Databricks account — a group's display name or a service principal's application ID — for Unity Catalog grants. */
  readonly principalName: string;
  /** @default "Group" ("ServicePrincipal" for the servicePrincipals persona) */
  readonly type?: PrincipalType;
}

export type DomainPersonas = { readonly admins: Persona; readonly engineers: Persona; readers: Persona } & Partial<Record<"stewards" | "servicePrincipals", Persona>>;

/** Reading a catalog's data. */
export const READ_PRIVILEGES: readonly string[] = ["USE_CATALOG", "USE_SCHEMA", "SELECT"];
/** Building data products: read, change data, run functions, use volumes, create objects. */
export const WRITE_PRIVILEGES: readonly string[] = [...READ_PRIVILEGES, "MODIFY", "EXECUTE", "READ_VOLUME", "WRITE_VOLUME", "REFRESH", "CREATE_SCHEMA", "CREATE_TABLE", "CREATE_VOLUME", "CREATE_FUNCTION", "CREATE_MATERIALIZED_VIEW"];
/** Administering a securable without owning it: every privilege, and managing grants (MANAGE is not part of ALL_PRIVILEGES). */
export const ADMIN_PRIVILEGES: readonly string[] = ["ALL_PRIVILEGES", "MANAGE"];
const STEWARD = ["USE_CATALOG", "USE_SCHEMA", "BROWSE", "APPLY_TAG"];

/**
 * Whether people change data in an environment. `readOnly` (production): people read, and writes go through service
 * principals; a persona listed as an exception keeps its write privileges. Service principals always write.
 */
export type PeopleAccess = "readWrite" | "readOnly";

/** Unity Catalog privileges on a domain's catalog, per persona, where people read and write (least privilege). */
export const CATALOG_PRIVILEGES: Readonly<Record<PersonaName, readonly string[]>> = {
  admins: ADMIN_PRIVILEGES,
  engineers: WRITE_PRIVILEGES,
  servicePrincipals: WRITE_PRIVILEGES,
  stewards: STEWARD,
  readers: READ_PRIVILEGES,
};

/** The same where people read only: admins and engineers read (admins also browse); stewards still tag. */
const READ_ONLY_PRIVILEGES: Readonly<Record<PersonaName, readonly string[]>> = {
  admins: [...READ_PRIVILEGES, "BROWSE"],
  engineers: READ_PRIVILEGES,
  servicePrincipals: WRITE_PRIVILEGES,
  stewards: STEWARD,
  readers: READ_PRIVILEGES,
};

/** The privilege matrix for an access mode; personas in `writeExceptions` keep their read-write privileges. */
export function catalogPrivileges(access: PeopleAccess, writeExceptions: readonly PersonaName[] = []): Readonly<Record<PersonaName, readonly string[]>> {
  if (access === "readWrite") return CATALOG_PRIVILEGES;
  return Object.fromEntries(PERSONAS.map((p) => [p, writeExceptions.includes(p) ? CATALOG_PRIVILEGES[p] : READ_ONLY_PRIVILEGES[p]])) as Record<PersonaName, readonly string[]>;
}

/**
 * A group name scoped to one environment, from a pattern with `{name}` and `{environment}` (e.g. `{name}-{environment}`
 * → `sales-engineers-prod`): persona groups are account-wide, so the same group in every environment would give
 * production privileges to whoever may write in development.
 */
export function environmentGroupName(scope: IConstruct, pattern: string, name: string, environment: string): string {
  if (typeof pattern !== "string" || !pattern.includes("{name}") || !pattern.includes("{environment}")) {
    invalid(scope, "groupNamePattern", pattern, "a pattern with {name} and {environment}, e.g. {name}-{environment}");
  }
  return pattern.replace(/\{name\}/g, name).replace(/\{environment\}/g, environment);
}

/** Azure roles on the domain's resource group, per persona: never Owner for people. */
export const CONTROL_PLANE_ROLES: Readonly<Record<PersonaName, BuiltinRole>> = {
  admins: "Contributor",
  servicePrincipals: "Contributor",
  engineers: "Reader",
  stewards: "Reader",
  readers: "Reader",
};

/**
 * The personas whose control-plane role is privileged: where a domain manages privileged access (`privilegedAccess:
 * "pim"`), they hold it only as a PIM-eligible assignment — activated for a while, with a justification — and never as a
 * standing one. Service principals (automation) cannot activate PIM, and Reader roles are not operational power.
 */
export const PRIVILEGED_PERSONAS: readonly PersonaName[] = ["admins"];

/** The personas that are set, in a fixed order; unknown keys and incomplete declarations fail. */
export function declaredPersonas(scope: IConstruct, personas: DomainPersonas): [PersonaName, Persona][] {
  for (const key of Object.keys(personas ?? {})) {
    if (!(PERSONAS as readonly string[]).includes(key)) invalid(scope, "personas", key, `one of ${PERSONAS.join(", ")}`);
  }
  for (const required of ["admins", "engineers", "readers"] as const) {
    if (!personas?.[required]) invalid(scope, `personas.${required}`, undefined, "a persona { objectId, principalName }");
  }
  return PERSONAS.flatMap((name) => {
    const persona = personas[name];
    if (!persona) return [];
    // TypeScript restricts the type; JavaScript callers get the same check at run time.
    if (persona.type !== undefined) checkOneOf(scope, `personas.${name}.type`, persona.type, PRINCIPAL_TYPES);
    if (typeof persona.principalName !== "string" || persona.principalName.trim() === "") {
      invalid(scope, `personas.${name}.principalName`, persona.principalName, "the Databricks group name or service principal application ID");
    }
    return [[name, { ...persona, type: persona.type ?? (name === "servicePrincipals" ? "ServicePrincipal" : "Group") }] as [PersonaName, Persona]];
  });
}

/**
 * Grants for a catalog from the personas, plus any other principals' (the deployer, the pipeline): privileges are merged
 * per principal name, so one principal in several roles gets one grant with the union of their privileges
 * (ALL_PRIVILEGES absorbs the rest but MANAGE, which it does not include).
 */
export function catalogGrants(
  personas: [PersonaName, Persona][],
  privileges: (persona: PersonaName) => readonly string[] = (persona) => CATALOG_PRIVILEGES[persona],
  others: readonly GrantsGrant[] = [],
): GrantsGrant[] {
  return mergeGrants([...personas.map(([name, persona]) => ({ principal: persona.principalName, privileges: [...privileges(name)] })), ...others]);
}

/** Merges grants per principal (sorted, deterministic); a principal left with no privilege is dropped. */
export function mergeGrants(grants: readonly GrantsGrant[]): GrantsGrant[] {
  const merged = new Map<string, Set<string>>();
  for (const grant of grants) {
    const set = merged.get(grant.principal) ?? new Set<string>();
    for (const privilege of grant.privileges) set.add(privilege);
    merged.set(grant.principal, set);
  }
  return [...merged.entries()]
    .filter(([, set]) => set.size > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([principal, set]) => ({ principal, privileges: set.has("ALL_PRIVILEGES") ? ["ALL_PRIVILEGES", ...(set.has("MANAGE") ? ["MANAGE"] : [])] : [...set].sort() }));
}
