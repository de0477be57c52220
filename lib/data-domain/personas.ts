import { IConstruct } from "constructs";
import { GrantsGrant } from "@cdktf/provider-databricks/lib/grants";
import { invalid } from "../core/validation";
import { PrincipalType } from "../identity/role-assignments";
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

const READ = ["USE_CATALOG", "USE_SCHEMA", "SELECT"];
// Engineers also run functions and use volumes, which building data products needs.
const WRITE = [...READ, "MODIFY", "EXECUTE", "READ_VOLUME", "WRITE_VOLUME", "REFRESH", "CREATE_SCHEMA", "CREATE_TABLE", "CREATE_VOLUME", "CREATE_FUNCTION", "CREATE_MATERIALIZED_VIEW"];

/** Unity Catalog privileges on the domain's catalog, per persona (least privilege). */
export const CATALOG_PRIVILEGES: Readonly<Record<PersonaName, readonly string[]>> = {
  admins: ["ALL_PRIVILEGES"],
  engineers: WRITE,
  servicePrincipals: WRITE,
  stewards: ["USE_CATALOG", "USE_SCHEMA", "BROWSE", "APPLY_TAG"],
  readers: READ,
};

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

/** Direct storage access on the domain's own storage (sandbox, dedicated catalog storage): none for stewards. */
export const STORAGE_ACCESS: Readonly<Record<PersonaName, "write" | "read" | "none">> = {
  admins: "write",
  engineers: "write",
  servicePrincipals: "write",
  readers: "read",
  stewards: "none",
};

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
    if (typeof persona.principalName !== "string" || persona.principalName.trim() === "") {
      invalid(scope, `personas.${name}.principalName`, persona.principalName, "the Databricks group name or service principal application ID");
    }
    return [[name, { ...persona, type: persona.type ?? (name === "servicePrincipals" ? "ServicePrincipal" : "Group") }] as [PersonaName, Persona]];
  });
}

/**
 * Grants for a catalog from the personas: privileges are merged per principal name, so one principal in
 * several personas gets one grant with the union of their privileges (ALL_PRIVILEGES absorbs the rest).
 */
export function catalogGrants(personas: [PersonaName, Persona][], privileges: Readonly<Record<PersonaName, readonly string[]>> = CATALOG_PRIVILEGES): GrantsGrant[] {
  const merged = new Map<string, Set<string>>();
  for (const [name, persona] of personas) {
    const set = merged.get(persona.principalName) ?? new Set<string>();
    for (const privilege of privileges[name]) set.add(privilege);
    merged.set(persona.principalName, set);
  }
  return [...merged.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([principal, set]) => ({ principal, privileges: set.has("ALL_PRIVILEGES") ? ["ALL_PRIVILEGES"] : [...set].sort() }));
}
