import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Grants } from "@cdktf/provider-databricks/lib/grants";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Recipient } from "@cdktf/provider-databricks/lib/recipient";
import { Schema } from "@cdktf/provider-databricks/lib/schema";
import { Share } from "@cdktf/provider-databricks/lib/share";
import { Naming } from "../core/naming";
import { invalid, isDeferred } from "../core/validation";

export interface MetastoreRecipientProps {
  readonly naming: Naming;
  /** The primary workspace's workspace-level provider (shares and recipients are metastore securables). */
  readonly workspaceProvider: DatabricksProvider;
  /**
   * The secondary metastore's global ID, `<cloud>:<region>:<metastore-id>` (Databricks-to-Databricks sharing
   * identifies a recipient by its metastore).
   */
  readonly secondaryGlobalMetastoreId: string;
  /** What must exist first: the primary workspace's metastore assignment, when this stack makes it. @default none */
  readonly metastoreReady?: ITerraformDependable[];
}

/**
 * The secondary region's metastore as a Delta Sharing recipient of the primary's (authentication `DATABRICKS`: no
 * token, no activation URL in state). One per primary metastore; every replication share grants it SELECT.
 */
export class MetastoreRecipient extends Construct {
  readonly recipient: Recipient;
  readonly name: string;

  constructor(scope: Construct, id: string, props: MetastoreRecipientProps) {
    super(scope, id);
    this.name = props.naming.unityCatalog(this, props.naming.workload, props.naming.environment, "dr", "secondary");
    this.recipient = new Recipient(this, "recipient", {
      provider: props.workspaceProvider,
      name: this.name,
      authenticationType: "DATABRICKS",
      dataRecipientGlobalMetastoreId: props.secondaryGlobalMetastoreId,
      comment: "Disaster recovery: the secondary region's metastore, which deep-clones the shared schemas",
      dependsOn: props.metastoreReady,
    });
  }
}

export interface ReplicationShareProps {
  readonly naming: Naming;
  readonly workspaceProvider: DatabricksProvider;
  /** The name of the catalog whose schemas are shared (it names the share). */
  readonly catalogName: string;
  /** The schemas to replicate, all of that catalog: each is shared whole (its current and future tables). */
  readonly schemas: readonly Schema[];
  readonly recipient: MetastoreRecipient;
}

/**
 * A Delta Sharing share of one catalog's schemas with the secondary metastore, history included (deep clone reads the
 * source's Delta log), and its one grants block: SELECT for the recipient, nothing else (least privilege; the
 * authoritative grants resource leaves no drift).
 */
export class ReplicationShare extends Construct {
  /** The share's name, from the naming module: the secondary mounts it by this name without reading the primary's state. */
  static nameFor(scope: Construct, naming: Naming, catalogName: string): string {
    return naming.unityCatalog(scope, "dr", catalogName);
  }

  readonly share: Share;
  readonly name: string;

  constructor(scope: Construct, id: string, props: ReplicationShareProps) {
    super(scope, id);
    if (props.schemas.length === 0) invalid(this, "schemas", [], "at least one schema to share");
    for (const schema of props.schemas) {
      if (schema.catalogNameInput !== undefined && !isDeferred(schema.catalogNameInput) && schema.catalogNameInput !== props.catalogName) invalid(this, "schemas", schema.node.path, `schemas of ${props.catalogName} only`);
    }
    this.name = ReplicationShare.nameFor(this, props.naming, props.catalogName);
    this.share = new Share(this, "share", {
      provider: props.workspaceProvider,
      name: this.name,
      comment: `Disaster recovery: ${props.catalogName} for the secondary region's deep clones`,
      // References: the share is created after the schemas it names.
      object: props.schemas.map((schema) => ({
        name: `${schema.catalogName}.${schema.name}`,
        dataObjectType: "SCHEMA",
        historyDataSharingStatus: "ENABLED",
      })),
    });
    new Grants(this, "grants", {
      provider: props.workspaceProvider,
      share: this.share.name,
      grant: [{ principal: props.recipient.recipient.name, privileges: ["SELECT"] }],
    });
  }
}
