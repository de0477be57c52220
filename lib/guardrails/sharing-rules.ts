import { get, of, type Rule } from "./rules";

/** What DomainShares records on each share it makes (`//.sharing`). */
interface SharingRecord {
  readonly domain?: string;
  readonly dataClassification?: string;
  readonly catalog?: string;
  readonly allowance?: string | null;
}

const recordOf = (attrs: Record<string, unknown>): SharingRecord | undefined => (attrs["//"] as { sharing?: SharingRecord } | undefined)?.sharing;

/** Delta Sharing with other companies: open recipients, restricted data, a share's objects. */
export const SHARING_RULES = [
  {
    id: "MDL-SHR-001",
    severity: "error",
    title: "Open recipients are fenced and expire",
    why: "An open (TOKEN) recipient's bearer token reads the share from anywhere, for as long as it lives: without an IP access list and an expiry, a leaked activation link is a standing data leak.",
    fix: "Give the recipient ip_access_list.allowed_ip_addresses and expiration_time (DomainShares: ipAccessList and expiresOn), or make it Databricks-to-Databricks.",
    check: (stack) =>
      of(stack, "databricks_recipient")
        .filter((r) => r.attrs.authentication_type === "TOKEN")
        .flatMap((r) => {
          const ips = get(r.attrs, "ip_access_list.allowed_ip_addresses");
          const missing = [...(Array.isArray(ips) && ips.length > 0 ? [] : ["an IP access list"]), ...(r.attrs.expiration_time !== undefined ? [] : ["an expiry"])];
          return missing.length ? [{ path: r.path, detail: `open recipient without ${missing.join(" and ")}` }] : [];
        }),
  },
  {
    id: "MDL-SHR-002",
    severity: "error",
    title: "Restricted data is shared only with a stated allowance",
    why: "Restricted data leaving the company is a decision someone must own: the reason is recorded on the share.",
    fix: "Stop sharing the restricted domain's data, or state why with restrictedSharingAllowance (at least 20 characters).",
    check: (stack) =>
      of(stack, "databricks_share").flatMap((r) => {
        const record = recordOf(r.attrs);
        return record?.dataClassification === "restricted" && !(typeof record.allowance === "string" && record.allowance.trim().length >= 20)
          ? [{ path: r.path, detail: `share of the restricted domain ${record.domain ?? "?"} without an allowance` }]
          : [];
      }),
  },
  {
    id: "MDL-SHR-003",
    severity: "error",
    title: "A domain shares only its own catalog",
    why: "A share is the domain's decision about its own data; an object of another catalog would be shared without its owner's say.",
    fix: "Share objects of the domain's catalog only (the owning domain shares the rest).",
    check: (stack) =>
      of(stack, "databricks_share").flatMap((r) => {
        const record = recordOf(r.attrs);
        if (!record?.catalog) return [];
        const objects = (r.attrs.object as { name?: string }[] | undefined) ?? [];
        return objects
          .filter((o) => typeof o.name === "string" && !ownCatalog(stack.resources, o.name, record.catalog!))
          .map((o) => ({ path: r.path, detail: `${o.name} is not in the domain's catalog ${record.catalog}` }));
      }),
  },
] as const satisfies readonly Rule[];

/**
 * Whether a share object's name is in `catalog`: a literal `<catalog>.…`, or `${databricks_schema.<id>.catalog_name}.…`
 * whose schema is in that catalog (its catalog_name the literal, or a reference to the catalog of that name).
 */
function ownCatalog(resources: readonly { type: string; logicalId: string; attrs: Record<string, unknown> }[], name: string, catalog: string): boolean {
  const ref = /^\$\{databricks_schema\.([\w-]+)\.catalog_name\}\./.exec(name);
  if (!ref) return name.startsWith(`${catalog}.`);
  const schema = resources.find((r) => r.type === "databricks_schema" && r.logicalId === ref[1]);
  const catalogName = schema?.attrs.catalog_name;
  if (catalogName === catalog) return true;
  const catalogRef = typeof catalogName === "string" ? /^\$\{databricks_catalog\.([\w-]+)\.name\}$/.exec(catalogName) : null;
  return catalogRef !== null && resources.some((r) => r.type === "databricks_catalog" && r.logicalId === catalogRef[1] && r.attrs.name === catalog);
}
