import { Fn, Op } from "cdktf";
import { Construct } from "constructs";
import { environmentGroupName } from "../lib/data-domain/personas";
import { PlatformCatalog } from "../lib/medallion-platform/platform-catalog";
import { SyncPrincipal } from "../lib/disaster-recovery/sync-principal";
import { databricksProviders, deploymentClientId } from "./databricks-providers";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { PlatformStack } from "./platform-stack";
import { replicationSources } from "./replication-sources";
import { stackOutput, stackVariable } from "./variables";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Schema } from "@cdktf/provider-databricks/lib/schema";
import { DeltaCloneSync } from "../lib/disaster-recovery/delta-clone-sync";
import { MetastoreRecipient, ReplicationShare } from "../lib/disaster-recovery/metastore-replication";

/** The secondary region's metastore ID, a GitHub variable the primary's recipient names (checked to be a GUID at plan). */
function secondaryMetastoreId(stack: MedallionStack, location: string): string {
  const id = stackVariable(stack, "dr_secondary_metastore_id", {
    type: "string",
    description: `ID of the Unity Catalog metastore of ${location} (the disaster recovery secondary; GitHub variable DR_METASTORE_ID)`,
    source: { github: { kind: "vars", name: "DR_METASTORE_ID" } },
  });
  id.addValidation({
    condition: Fn.can(Fn.regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", id.stringValue)),
    errorMessage: "Set the GitHub variable DR_METASTORE_ID to the ID (a GUID) of the secondary region's metastore (help/disaster-recovery.md, Prerequisites).",
  });
  return id.stringValue;
}

/** The layer catalogs' side of an active-passive pair. */
export type LayerReplication = { readonly role: "primary"; readonly recipient: MetastoreRecipient } | { readonly role: "secondary" };

/**
 * The name the secondary metastore knows the primary by (Databricks creates the provider object of a same-account
 * Databricks-to-Databricks share itself): read once with SHOW PROVIDERS in the secondary, a GitHub variable.
 */
export function shareProviderName(stack: MedallionStack): string {
  const declared = stack.node.tryFindChild("dr_share_provider_name") !== undefined;
  const name = stack.variable("dr_share_provider_name", { type: "string", description: "Name of the primary metastore as a Delta Sharing provider in the secondary metastore (SHOW PROVIDERS)" });
  // An unset GitHub variable arrives as "": the plan stops here, saying what to do, instead of the API failing later.
  if (!declared) {
    name.addValidation({
      condition: Op.gte(Fn.lengthOf(name.stringValue), 1),
      errorMessage: "Set the GitHub variable DR_SHARE_PROVIDER_NAME: run SHOW PROVIDERS in a workspace of the secondary region once the primary's catalog stack has created its recipient (help/disaster-recovery.md, First deploy).",
    });
  }
  return name.stringValue;
}

export interface CatalogStackProps extends MedallionStackProps {
  /** The environment's platform stack: the workspace and lake this stack wires into Unity Catalog. */
  readonly platform: PlatformStack;
}

/**
 * `catalog-<env>`: the platform's Unity Catalog side. A stack of its own because the workspace-level databricks
 * provider must never be configured from a workspace created in the same stack (import, refresh and destroy
 * break).
 */
export class CatalogStack extends MedallionStack {
  readonly catalog: PlatformCatalog;
  /** An active-passive pair's replication of the layer catalogs: the primary's recipient and shares, or the secondary's sync jobs. */
  replication?: LayerReplication;
  /** A secondary's disaster recovery sync principal (its clone jobs run as it). */
  readonly syncPrincipal?: SyncPrincipal;

  constructor(scope: Construct, id: string, props: CatalogStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { platform } = props.platform;

    const { workspace: workspaceProvider, account: accountProvider, accountId } = databricksProviders(this, platform.workspace);
    const deployerClientId = deploymentClientId(this).stringValue;
    // A secondary's clone jobs run as a principal of their own, never as the deployer.
    this.syncPrincipal = this.secondary ? new SyncPrincipal(this, "dr-sync-principal", { naming: this.naming, accountProvider, accountId, deployerApplicationId: deployerClientId, purpose: "dr-sync" }) : undefined;
    const pipelineClientId = env.identity.singlePrincipal
      ? deployerClientId
      : stackVariable(this, "pipeline_principal_client_id", { type: "string", description: "Application (client) ID of the pipeline runtime principal" }).stringValue;
    const group = (name: string) => environmentGroupName(this, props.organization.groupNamePattern, name, env.environment);

    // A secondary's metastore ID differs from its primary's in the same GitHub Environment: its own GitHub name.
    const metastoreSource = this.secondary ? { source: { github: { kind: "vars" as const, name: "DR_METASTORE_ID" } } } : {};
    const metastore =
      env.catalog.metastore === "existing"
        ? { existingId: stackVariable(this, "metastore_id", { type: "string", description: `ID of the Unity Catalog metastore of ${env.location}`, ...metastoreSource }).stringValue }
        : { create: { region: env.location, sharing: env.catalog.deltaSharing } };

    // The primary's lake, from the list the secondary's egress policy is also made of.
    const primaryLake = replicationSources(this, []).find((source) => source.owner === "platform");
    this.catalog = new PlatformCatalog(this, "catalog", {
      naming: this.naming,
      workspaceProvider,
      accountProvider,
      workspaceId: platform.workspace.workspaceId,
      metastore,
      accessConnectorId: platform.accessConnector.id,
      managedIdentityId: platform.accessConnectorManagedIdentityId,
      storageAccountId: platform.lake.account.id,
      zones: platform.zones,
      zoneUrls: Object.fromEntries(platform.zones.map((z) => [z.name, platform.zoneUrl(z.name)])),
      deployerClientId,
      adminGroup: group(env.catalog.adminGroup),
      goldReaders: (env.catalog.goldReaders ?? []).map(group),
      peopleAccess: env.catalog.peopleAccess,
      principals: env.catalog.principals,
      pipelinePrincipalClientId: pipelineClientId,
      syncPrincipalApplicationId: this.syncPrincipal?.applicationId,
      fileEvents: env.lake.fileEvents ? { subscriptionId: this.subscriptionId.stringValue, resourceGroupName: props.platform.resourceGroup.name } : undefined,
      serverlessPrivateAccess: env.catalog.serverlessPrivateAccess,
      // A secondary's serverless compute reads the primary lake (the deep clones' source) through its own NCC.
      serverlessStorageAccountIds: { root: platform.workspace.rootStorageAccountId, ...(primaryLake ? { primary: primaryLake.resourceId } : {}) },
      region: env.location,
      protectFromDeletion: env.protectFromDeletion,
      dataOwner: props.organization.owner,
      dataClassification: env.dataClassification,
    });

    if (props.pair) this.replication = this.replicateLayers(props.pair, workspaceProvider);

    stackOutput(this, "storage_credential_name", this.catalog.storageCredentialName, "Unity Catalog storage credential over the access connector");
    for (const [zone, catalog] of Object.entries(this.catalog.layerCatalogs)) {
      stackOutput(this, `layer_catalog_${zone.replace(/-/g, "_")}`, catalog.name, `Unity Catalog catalog of the ${zone} layer`);
    }
    for (const zone of platform.zones) {
      stackOutput(this, `external_location_${zone.identifier}`, this.catalog.externalLocationNames[zone.name], `External location of the ${zone.name} zone`);
    }
  }

  /**
   * The layer catalogs' schemas protected by deep clone (declared per zone, created here in both regions), and their
   * replication: in the primary, the secondary metastore as recipient and a share per zone; in the secondary, the
   * primary's shares mounted and deep-cloned on the zone's schedule.
   */
  private replicateLayers(pair: NonNullable<CatalogStackProps["pair"]>, workspaceProvider: DatabricksProvider): LayerReplication {
    const env = this.config.environment;
    const zones = [...pair.plan.protection].flatMap(([zone, p]) => (p.mechanism === "deepClone" && (p.schemas ?? []).length > 0 ? [{ zone, protection: p, schemas: p.schemas! }] : []));
    const schemas = new Map(
      zones.map(({ zone, schemas: names }) => [
        zone,
        names.map((name) => new Schema(this, `dr-schema-${zone}-${name}`, { provider: workspaceProvider, catalogName: this.catalog.layerCatalogs[zone].name, name, forceDestroy: !env.protectFromDeletion, comment: "Protected by disaster recovery: deep cloned to the secondary region" })),
      ]),
    );
    if (pair.region.role === "primary") {
      const recipient = new MetastoreRecipient(this, "dr-recipient", {
        naming: this.naming,
        workspaceProvider,
        secondaryGlobalMetastoreId: `azure:${pair.region.config.secondary.location}:${secondaryMetastoreId(this, pair.region.config.secondary.location)}`,
        metastoreReady: [this.catalog.metastoreAssignment],
      });
      for (const { zone } of zones) {
        new ReplicationShare(this, `dr-share-${zone}`, { naming: this.naming, workspaceProvider, catalogName: this.catalog.layerCatalogs[zone].nameInput!, schemas: schemas.get(zone)!, recipient });
      }
      return { role: "primary", recipient };
    }
    const providerName = shareProviderName(this);
    for (const { zone, protection } of zones) {
      const targetCatalog = this.catalog.layerCatalogs[zone];
      new DeltaCloneSync(this, `dr-sync-${zone}`, {
        naming: this.naming,
        workspaceProvider,
        source: { providerName, shareName: ReplicationShare.nameFor(this, this.naming, targetCatalog.nameInput!) },
        targetCatalog,
        targetSchemas: schemas.get(zone)!,
        intervalHours: protection.intervalHours,
        maxCloneHours: protection.maxCloneHours,
        contacts: [this.config.organization.owner],
        runAs: this.syncPrincipal!,
        deployerPrincipal: deploymentClientId(this).stringValue,
      });
    }
    return { role: "secondary" };
  }
}
