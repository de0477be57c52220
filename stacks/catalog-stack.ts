import { Construct } from "constructs";
import { environmentGroupName } from "../lib/data-domain/personas";
import { PlatformCatalog } from "../lib/medallion-platform/platform-catalog";
import { databricksProviders, deploymentClientId } from "./databricks-providers";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { PlatformStack } from "./platform-stack";
import { stackOutput, stackVariable } from "./variables";

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

  constructor(scope: Construct, id: string, props: CatalogStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { platform } = props.platform;

    const { workspace: workspaceProvider, account: accountProvider } = databricksProviders(this, platform.workspace);
    const deployerClientId = deploymentClientId(this).stringValue;
    const pipelineClientId = env.identity.singlePrincipal
      ? deployerClientId
      : stackVariable(this, "pipeline_principal_client_id", { type: "string", description: "Application (client) ID of the pipeline runtime principal" }).stringValue;
    const group = (name: string) => environmentGroupName(this, props.organization.groupNamePattern, name, env.environment);

    const metastore =
      env.catalog.metastore === "existing"
        ? { existingId: stackVariable(this, "metastore_id", { type: "string", description: `ID of the Unity Catalog metastore of ${env.location}` }).stringValue }
        : { create: { region: env.location } };

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
      fileEvents: env.lake.fileEvents ? { subscriptionId: this.subscriptionId.stringValue, resourceGroupName: props.platform.resourceGroup.name } : undefined,
      serverlessPrivateAccess: env.catalog.serverlessPrivateAccess,
      serverlessStorageAccountIds: { root: platform.workspace.rootStorageAccountId },
      region: env.location,
      protectFromDeletion: env.protectFromDeletion,
    });

    stackOutput(this, "storage_credential_name", this.catalog.storageCredentialName, "Unity Catalog storage credential over the access connector");
    for (const [zone, catalog] of Object.entries(this.catalog.layerCatalogs)) {
      stackOutput(this, `layer_catalog_${zone.replace(/-/g, "_")}`, catalog.name, `Unity Catalog catalog of the ${zone} layer`);
    }
    for (const zone of platform.zones) {
      stackOutput(this, `external_location_${zone.identifier}`, this.catalog.externalLocationNames[zone.name], `External location of the ${zone.name} zone`);
    }
  }
}
