import { BuiltinRole } from "./builtin-roles";
import { ADMIN_PRIVILEGES, catalogPrivileges, CATALOG_PRIVILEGES, CONTROL_PLANE_ROLES, PeopleAccess, PersonaName, PERSONAS, PRIVILEGED_PERSONAS } from "./personas";

/** How a domain gives its personas access: the inputs of the persona model. */
export interface DomainAccessModel {
  readonly peopleAccess: PeopleAccess;
  /** Personas that keep writing where people read only. */
  readonly writeExceptions: readonly PersonaName[];
  readonly privilegedAccess: "standing" | "pim";
}

/** What one persona may do in a domain, per securable; an empty list or undefined: nothing. */
export interface PersonaAccess {
  /** Unity Catalog privileges on the domain's catalog. */
  readonly domainCatalog: readonly string[];
  /** Unity Catalog privileges on the external location of the domain's dedicated catalog storage. */
  readonly catalogStorageLocation: readonly string[];
  /** Unity Catalog privileges on the external location of the sandbox's storage. */
  readonly sandboxStorageLocation: readonly string[];
  /** Unity Catalog privileges on the sandbox catalog (its managed volume `scratch.files` included). */
  readonly sandboxCatalog: readonly string[];
  /** Azure role on the domain's resource group, standing or PIM-eligible. */
  readonly resourceGroupRole: { readonly role: BuiltinRole; readonly assignment: "standing" | "eligible" };
  /** Azure role on the sandbox's resource group. */
  readonly sandboxResourceGroupRole?: BuiltinRole;
}

/** Sandbox privileges: service principals (production automation) get none; people experiment freely. */
const SANDBOX_PRIVILEGES: Readonly<Record<PersonaName, readonly string[]>> = { ...CATALOG_PRIVILEGES, servicePrincipals: [] };
const SANDBOX_ROLES: Readonly<Record<PersonaName, BuiltinRole | undefined>> = {
  admins: "Contributor",
  engineers: "Contributor",
  readers: "Reader",
  stewards: "Reader",
  servicePrincipals: undefined,
};

/**
 * The persona model: what each persona may do in a domain under a model. DataDomain and InnovationSandbox build their
 * grants and role assignments from it, and the generated persona table (help/persona-access.md) is rendered from it,
 * so what the documentation says and what the JSON grants have one owner. Nobody gets a storage role on Unity Catalog
 * managed storage: that would bypass the catalog's grants.
 */
export function personaAccess(model: DomainAccessModel): Readonly<Record<PersonaName, PersonaAccess>> {
  const catalog = catalogPrivileges(model.peopleAccess, model.writeExceptions);
  return Object.fromEntries(
    PERSONAS.map((persona) => [
      persona,
      {
        domainCatalog: catalog[persona],
        // Admins create external tables and volumes there where people write; elsewhere they only see it.
        catalogStorageLocation: persona !== "admins" ? [] : model.peopleAccess === "readWrite" ? ADMIN_PRIVILEGES : ["BROWSE"],
        // The sandbox is for experiments, in every environment: its admins administer its location.
        sandboxStorageLocation: persona === "admins" ? ADMIN_PRIVILEGES : [],
        sandboxCatalog: SANDBOX_PRIVILEGES[persona],
        resourceGroupRole: {
          role: CONTROL_PLANE_ROLES[persona],
          // An eligible role is never also standing: PIM would be decoration.
          assignment: model.privilegedAccess === "pim" && PRIVILEGED_PERSONAS.includes(persona) ? "eligible" : "standing",
        },
        sandboxResourceGroupRole: SANDBOX_ROLES[persona],
      },
    ]),
  ) as Record<PersonaName, PersonaAccess>;
}
