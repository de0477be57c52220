import { Construct } from "constructs";
import { Grant } from "@cdktf/provider-databricks/lib/grant";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { SystemSchema } from "@cdktf/provider-databricks/lib/system-schema";
import { invalid } from "../core/validation";

/**
 * System schemas an account can enable (Databricks' `system` catalog). `billing` is enabled by Databricks itself and
 * cannot be managed; every other name here is a databricks_system_schema.
 */
export const SYSTEM_SCHEMAS = ["access", "billing", "compute", "lakeflow", "marketplace", "query", "serving", "storage"] as const;
export type SystemSchemaName = (typeof SYSTEM_SCHEMAS)[number];
/** Always on: Databricks enables it for every metastore. */
const ALWAYS_ENABLED: readonly SystemSchemaName[] = ["billing"];

export interface SystemTablesProps {
  /** The workspace-level provider of a workspace attached to the metastore. */
  readonly workspaceProvider: DatabricksProvider;
  /** @default access, billing, compute: audit, cost and the compute that made it */
  readonly schemas?: readonly SystemSchemaName[];
  /** Who reads `system.billing` (cost visibility). */
  readonly finopsPrincipal: string;
  /** Who reads `system.access` (audit logs, lineage). */
  readonly auditPrincipal: string;
}

/**
 * The system tables the platform needs — audit (`access`), cost (`billing`), compute — enabled on the metastore, and
 * read by exactly two groups: FinOps reads billing, auditors read access. Grants are individual (`databricks_grant`):
 * the `system` catalog is Databricks', and an authoritative grants block would take away what Databricks grants.
 */
export class SystemTables extends Construct {
  readonly enabled: Readonly<Record<string, SystemSchema>>;

  constructor(scope: Construct, id: string, props: SystemTablesProps) {
    super(scope, id);
    const provider = props.workspaceProvider;
    const schemas = props.schemas ?? ["access", "billing", "compute"];
    for (const [i, name] of schemas.entries()) {
      if (!SYSTEM_SCHEMAS.includes(name)) invalid(this, `schemas[${i}]`, name, `a system schema of the pinned provider: ${SYSTEM_SCHEMAS.join(", ")}`);
    }
    if (new Set(schemas).size !== schemas.length) invalid(this, "schemas", schemas, "each schema once");
    for (const needed of ["access", "billing"] as const) {
      if (!schemas.includes(needed)) invalid(this, "schemas", schemas, `a list including ${needed} (the ${needed === "access" ? "audit" : "FinOps"} group reads it)`);
    }
    const enabled: Record<string, SystemSchema> = {};
    for (const name of schemas.filter((s) => !ALWAYS_ENABLED.includes(s))) enabled[name] = new SystemSchema(this, `schema-${name}`, { provider, schema: name });
    this.enabled = enabled;

    // One grant per principal and securable (databricks_grant owns that pair): the catalog once per principal.
    const readers = [
      { id: "finops", principal: props.finopsPrincipal, schema: "billing" },
      { id: "audit", principal: props.auditPrincipal, schema: "access" },
    ] as const;
    const schemaResources = Object.values(enabled);
    for (const [i, principal] of [...new Set(readers.map((r) => r.principal))].entries()) {
      new Grant(this, `catalog-reader-${i + 1}`, { provider, catalog: "system", principal, privileges: ["USE_CATALOG"], dependsOn: schemaResources });
    }
    for (const reader of readers) {
      const after = enabled[reader.schema] ? [enabled[reader.schema]] : undefined;
      new Grant(this, `${reader.id}-schema`, { provider, schema: `system.${reader.schema}`, principal: reader.principal, privileges: ["USE_SCHEMA", "SELECT"], dependsOn: after });
    }
  }
}
