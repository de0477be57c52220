import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { MedallionPlatform } from "../lib/medallion-platform/medallion-platform";
import { PrivateDns, PrivateDnsZoneKey } from "../lib/network/private-dns";
import { FrontEndProps } from "../lib/secure-workspace/secure-workspace";
import { WebAuthWorkspace } from "../lib/secure-workspace/web-auth-workspace";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { TransitNetwork } from "./transit-network";
import { stackOutput, stackVariable } from "./variables";

/** Zones the platform's endpoints use: in hub mode the hub owns each of them. */
const HUB_ZONES: readonly PrivateDnsZoneKey[] = ["databricks", "dfs", "blob", "queue", "vault", "dataFactory"];

/**
 * `platform-<env>`: the environment's resource group, private DNS, the transit side (created here or the
 * hub's), the MedallionPlatform (workspace, lake, Key Vault, access connector, ingestion, monitoring) and,
 * where configured, the region's web-auth workspace.
 */
export class PlatformStack extends MedallionStack {
  readonly resourceGroup: ResourceGroup;
  readonly privateDns: PrivateDns;
  readonly platform: MedallionPlatform;
  readonly webAuth?: WebAuthWorkspace;

  constructor(scope: Construct, id: string, props: MedallionStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { naming } = this;

    this.resourceGroup = new ResourceGroup(this, "resource-group", {
      name: naming.resourceGroup(this, "platform"),
      location: env.location,
    });
    const resourceGroupName = this.resourceGroup.name;

    let transit: FrontEndProps;
    if ("hub" in env.transit) {
      transit = {
        virtualNetworkId: stackVariable(this, "hub_transit_vnet_id", { type: "string", description: "Resource ID of the hub's transit VNet" }).stringValue,
        subnetId: stackVariable(this, "hub_private_endpoint_subnet_id", { type: "string", description: "Resource ID of the private-endpoint subnet in the hub's transit VNet" }).stringValue,
      };
      // In a hub-and-spoke network the hub owns every privatelink zone; creating one here would split DNS.
      this.privateDns = new PrivateDns(this, "private-dns", { naming, resourceGroupName, hubZoneIds: this.hubDnsZoneIds(HUB_ZONES) });
    } else {
      const network = new TransitNetwork(this, "transit", { naming, resourceGroupName, location: env.location, addressSpace: env.transit.create.addressSpace });
      transit = { virtualNetworkId: network.virtualNetwork.id, subnetId: network.privateEndpointSubnet.id };
      this.privateDns = new PrivateDns(this, "private-dns", { naming, resourceGroupName });
    }

    const deployment = stackVariable(this, "deployment_principal_object_id", {
      type: "string",
      description: "Object ID of the deployment principal's Enterprise Application (service principal), not the app registration",
    });
    const pipeline = env.identity.singlePrincipal
      ? undefined
      : stackVariable(this, "pipeline_principal_object_id", { type: "string", description: "Object ID of the pipeline runtime principal's Enterprise Application (service principal)" });
    const admins = stackVariable(this, "platform_admins_group_object_id", { type: "string", description: "Object ID of the Entra group of platform administrators" });

    this.platform = new MedallionPlatform(this, "platform", {
      naming,
      resourceGroupName,
      location: env.location,
      tenantId: this.tenantId.stringValue,
      privateDns: this.privateDns,
      logRetentionDays: env.monitoring.logRetentionDays,
      workspace: {
        network: env.network,
        frontEnd: transit,
        rootStorageSku: env.workspace.rootStorageSku,
        infrastructureEncryption: env.workspace.infrastructureEncryption,
        enhancedSecurity: env.workspace.enhancedSecurity,
      },
      lake: env.lake,
      keyVaultSoftDeleteRetentionDays: env.keyVault.softDeleteRetentionDays,
      ingestion: env.ingestion.enabled ? {} : false,
      principals: {
        deploymentObjectId: deployment.stringValue,
        pipelineObjectId: pipeline?.stringValue,
        secretReaders: [{ objectId: admins.stringValue, type: "Group" }],
      },
      protectFromDeletion: env.protectFromDeletion,
    });

    if (env.webAuth) {
      this.webAuth = new WebAuthWorkspace(this, "web-auth", {
        naming,
        resourceGroupName,
        location: env.location,
        network: { addressSpace: env.webAuth.addressSpace, egress: env.network.egress },
        transit,
        privateDns: this.privateDns,
        logAnalyticsWorkspaceId: this.platform.logAnalyticsWorkspaceId,
        accessConnectorId: this.platform.accessConnector.id,
      });
    }

    const { platform } = this;
    const workspace = platform.workspace;
    stackOutput(this, "resource_group_name", resourceGroupName, "Platform resource group (also the Key Vault's)");
    stackOutput(this, "location", env.location, "Azure region of the environment");
    stackOutput(this, "log_analytics_workspace_id", platform.logAnalyticsWorkspaceId, "Log Analytics workspace receiving diagnostics");
    stackOutput(this, "workspace_name", workspace.workspaceName, "Databricks workspace name");
    stackOutput(this, "workspace_resource_id", workspace.workspaceResourceId, "Databricks workspace Azure resource ID");
    stackOutput(this, "workspace_id", workspace.workspaceId, "Databricks workspace ID (numeric)");
    stackOutput(this, "workspace_url", workspace.workspaceUrl, "Databricks workspace URL");
    stackOutput(this, "workspace_managed_resource_group_name", workspace.managedResourceGroupName, "Workspace managed resource group");
    stackOutput(this, "workspace_vnet_name", workspace.network.virtualNetworkName, "Workspace VNet");
    stackOutput(this, "workspace_max_cluster_nodes", workspace.network.maxClusterNodes, "Most cluster nodes the workspace subnets can hold");
    stackOutput(this, "storage_account_name", platform.lake.name, "The lake's ADLS Gen2 account");
    stackOutput(this, "storage_account_id", platform.lake.account.id, "The lake's resource ID");
    for (const zone of platform.zones) {
      stackOutput(this, `lake_${zone.identifier}_url`, platform.zoneUrl(zone.name), `abfss:// URL of the ${zone.name} zone`);
    }
    stackOutput(this, "key_vault_name", platform.keyVault.name, "Key Vault name (read by CI's soft-delete recovery)");
    stackOutput(this, "key_vault_id", platform.keyVault.vault.id, "Key Vault resource ID");
    stackOutput(this, "access_connector_id", platform.accessConnector.id, "Databricks access connector resource ID");
  }
}
