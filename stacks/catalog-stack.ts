import { Construct } from "constructs";
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
    const pipelineClientId = env.identity.singlePrincipal
      ? deploymentClientId(this)
      : stackVariable(this, "pipeline_principal_client_id", { type: "string", description: "Application (client) ID of the pipeline runtime principal" });

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
      storageAccountName: platform.lake.name,
      storageAccountId: platform.lake.account.id,
      zones: platform.zones,
      adminGroup: env.catalog.adminGroup,
      pipelinePrincipalClientId: pipelineClientId.stringValue,
      fileEvents: env.lake.fileEvents ? { subscriptionId: this.subscriptionId.stringValue, resourceGroupName: props.platform.resourceGroup.name } : undefined,
      serverlessPrivateAccess: env.catalog.serverlessPrivateAccess,
      region: env.location,
      protectFromDeletion: env.protectFromDeletion,
    });

    stackOutput(this, "storage_credential_name", this.catalog.storageCredentialName, "Unity Catalog storage credential over the access connector");
    for (const zone of platform.zones) {
      stackOutput(this, `external_location_${zone.identifier}`, this.catalog.externalLocationNames[zone.name], `External location of the ${zone.name} zone`);
    }
  }
}
