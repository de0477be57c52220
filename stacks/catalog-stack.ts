import { Construct } from "constructs";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { PlatformCatalog } from "../lib/medallion-platform/platform-catalog";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { PlatformStack } from "./platform-stack";
import { stackOutput, stackVariable } from "./variables";

export interface CatalogStackProps extends MedallionStackProps {
  /** The environment's platform stack: the workspace and lake this stack wires into Unity Catalog. */
  readonly platform: PlatformStack;
}

const ACCOUNTS_HOST = "https://accounts.azuredatabricks.net";

/**
 * `catalog-<env>`: the platform's Unity Catalog side. A stack of its own because the workspace-level databricks
 * provider must never be configured from a workspace created in the same stack (import, refresh and destroy
 * break). Both databricks providers authenticate with GitHub OIDC as the deployment principal.
 */
export class CatalogStack extends MedallionStack {
  readonly catalog: PlatformCatalog;

  constructor(scope: Construct, id: string, props: CatalogStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { platform } = props.platform;

    const accountId = stackVariable(this, "databricks_account_id", { type: "string", description: "Databricks account ID" });
    const deploymentClientId = stackVariable(this, "deployment_principal_client_id", { type: "string", description: "Application (client) ID of the deployment principal" });
    const pipelineClientId = env.identity.singlePrincipal
      ? deploymentClientId
      : stackVariable(this, "pipeline_principal_client_id", { type: "string", description: "Application (client) ID of the pipeline runtime principal" });
    const auth = { authType: "github-oidc-azure", azureClientId: deploymentClientId.stringValue, azureTenantId: this.tenantId.stringValue };

    const workspaceProvider = new DatabricksProvider(this, "databricks-workspace", {
      alias: "workspace",
      host: platform.workspace.workspaceUrl,
      azureWorkspaceResourceId: platform.workspace.workspaceResourceId,
      ...auth,
    });
    const accountProvider = new DatabricksProvider(this, "databricks-account", { alias: "account", host: ACCOUNTS_HOST, accountId: accountId.stringValue, ...auth });

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
