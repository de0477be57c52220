import { Construct } from "constructs";
import { Catalog } from "@cdktf/provider-databricks/lib/catalog";
import { Grants, GrantsGrant } from "@cdktf/provider-databricks/lib/grants";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Schema } from "@cdktf/provider-databricks/lib/schema";
import { WorkspaceBinding } from "@cdktf/provider-databricks/lib/workspace-binding";
import { invalid } from "../core/validation";
import { databricksWorkspaceId } from "../core/workspace-id";

export interface DomainCatalogProps {
  readonly provider: DatabricksProvider;
  readonly name: string;
  readonly comment: string;
  /** Managed location (`abfss://…/`), covered by an external location. */
  readonly storageRoot: string;
  readonly workspaceId: string;
  readonly owner: string;
  /** One schema per data product. */
  readonly schemas: string[];
  readonly grants: GrantsGrant[];
  readonly forceDestroy: boolean;
  /** Catalog properties (e.g. the domain and its classification). */
  readonly properties: Record<string, string>;
}

const SCHEMA = /^[a-z][a-z0-9_]{0,62}$/;

/** A catalog ISOLATED to one workspace, with its schemas and the persona grants. */
export class DomainCatalog extends Construct {
  readonly catalog: Catalog;
  readonly schemas: Readonly<Record<string, Schema>>;
  readonly grants: Grants;

  constructor(scope: Construct, id: string, props: DomainCatalogProps) {
    super(scope, id);
    const { provider } = props;
    this.catalog = new Catalog(this, "catalog", {
      provider,
      name: props.name,
      comment: props.comment,
      storageRoot: props.storageRoot,
      isolationMode: "ISOLATED",
      owner: props.owner,
      forceDestroy: props.forceDestroy,
      properties: props.properties,
    });
    const workspaceId = databricksWorkspaceId(this, "workspaceId", props.workspaceId);
    new WorkspaceBinding(this, "binding", { provider, workspaceId, securableType: "catalog", securableName: this.catalog.name, bindingType: "BINDING_TYPE_READ_WRITE" });
    this.grants = new Grants(this, "grants", { provider, catalog: this.catalog.name, grant: props.grants });

    const schemas: Record<string, Schema> = {};
    for (const name of props.schemas) {
      if (!SCHEMA.test(name)) invalid(this, "schemas", name, "a data product name of [a-z0-9_], starting with a letter");
      if (schemas[name]) invalid(this, "schemas", name, "unique data product names");
      schemas[name] = new Schema(this, `schema-${name}`, { provider, catalogName: this.catalog.name, name, owner: props.owner, forceDestroy: props.forceDestroy, comment: `Data product ${name}` });
    }
    this.schemas = schemas;
  }
}
