import { Construct } from "constructs";
import { Catalog } from "@cdktf/provider-databricks/lib/catalog";
import { Grants, GrantsGrant } from "@cdktf/provider-databricks/lib/grants";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Schema } from "@cdktf/provider-databricks/lib/schema";
import { invalid } from "../core/validation";
import { mergeGrants } from "./personas";
import { checkProps } from "../core/prop-checks";

export interface DomainCatalogProps {
  readonly provider: DatabricksProvider;
  readonly name: string;
  readonly comment: string;
  /**
   * Managed location (`abfss://…/`) inside an external location — as a reference to that location's URL, so the catalog
   * is created after the location that covers it.
   */
  readonly storageRoot: string;
  /** One schema per data product. */
  readonly schemas: string[];
  /** Every principal's privileges, the deployer's included: the block is authoritative. */
  readonly grants: GrantsGrant[];
  readonly forceDestroy: boolean;
  /** Catalog properties (e.g. the domain and its classification). */
  readonly properties: Record<string, string>;
}

const SCHEMA = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * A catalog ISOLATED to the workspace that creates it (the provider binds it there itself), with its schemas and
 * grants. The deployment principal creates it and stays its owner: binding updates and deletion need the owner.
 */
export class DomainCatalog extends Construct {
  readonly catalog: Catalog;
  readonly schemas: Readonly<Record<string, Schema>>;
  readonly grants: Grants;

  constructor(scope: Construct, id: string, props: DomainCatalogProps) {
    super(scope, id);
    checkProps(this, props);
    const { provider } = props;
    this.catalog = new Catalog(this, "catalog", {
      provider,
      name: props.name,
      comment: props.comment,
      storageRoot: props.storageRoot,
      isolationMode: "ISOLATED",
      forceDestroy: props.forceDestroy,
      properties: props.properties,
    });
    this.grants = new Grants(this, "grants", { provider, catalog: this.catalog.name, grant: mergeGrants(props.grants) });

    const schemas: Record<string, Schema> = {};
    for (const name of props.schemas) {
      if (!SCHEMA.test(name)) invalid(this, "schemas", name, "a data product name of [a-z0-9_], starting with a letter");
      if (schemas[name]) invalid(this, "schemas", name, "unique data product names");
      schemas[name] = new Schema(this, `schema-${name}`, { provider, catalogName: this.catalog.name, name, forceDestroy: props.forceDestroy, comment: `Data product ${name}` });
    }
    this.schemas = schemas;
  }
}
