import { Construct } from "constructs";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { PRIVATE_DNS_ZONES, PrivateDns, PrivateDnsZoneKey } from "../lib/network/private-dns";
import { FrontEndProps, SecureWorkspace } from "../lib/secure-workspace/secure-workspace";
import { WebAuthWorkspace } from "../lib/secure-workspace/web-auth-workspace";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { TransitNetwork } from "./transit-network";
import { stackOutput, stackVariable } from "./variables";

/**
 * `platform-<env>`: the environment's resource group, monitoring, private DNS, the secure workspace and its
 * network, the transit side (created here or the hub's) and, where configured, the region's web-auth workspace.
 */
export class PlatformStack extends MedallionStack {
  readonly resourceGroup: ResourceGroup;
  readonly logAnalytics: LogAnalyticsWorkspace;
  readonly privateDns: PrivateDns;
  readonly workspace: SecureWorkspace;
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

    this.logAnalytics = new LogAnalyticsWorkspace(this, "log-analytics", {
      name: naming.logAnalyticsWorkspace(this, "platform"),
      resourceGroupName,
      location: env.location,
      sku: "PerGB2018",
      retentionInDays: env.environment === "prod" ? 365 : 90,
      localAuthenticationEnabled: false,
    });

    let transit: FrontEndProps;
    if ("hub" in env.transit) {
      transit = {
        virtualNetworkId: stackVariable(this, "hub_transit_vnet_id", { type: "string", description: "Resource ID of the hub's transit VNet" }).stringValue,
        subnetId: stackVariable(this, "hub_private_endpoint_subnet_id", { type: "string", description: "Resource ID of the private-endpoint subnet in the hub's transit VNet" }).stringValue,
      };
      // In a hub-and-spoke network the hub owns every privatelink zone; creating one here would split DNS.
      const hubZone = (key: PrivateDnsZoneKey) =>
        stackVariable(this, `hub_${key}_dns_zone_id`, { type: "string", description: `Resource ID of the hub's ${PRIVATE_DNS_ZONES[key]} zone` }).stringValue;
      this.privateDns = new PrivateDns(this, "private-dns", {
        naming,
        resourceGroupName,
        hubZoneIds: { databricks: hubZone("databricks"), dfs: hubZone("dfs"), blob: hubZone("blob") },
      });
    } else {
      const network = new TransitNetwork(this, "transit", { naming, resourceGroupName, location: env.location, addressSpace: env.transit.create.addressSpace });
      transit = { virtualNetworkId: network.virtualNetwork.id, subnetId: network.privateEndpointSubnet.id };
      this.privateDns = new PrivateDns(this, "private-dns", { naming, resourceGroupName });
    }

    this.workspace = new SecureWorkspace(this, "workspace", {
      naming,
      resourceGroupName,
      location: env.location,
      network: env.network,
      privateDns: this.privateDns,
      frontEnd: transit,
      logAnalyticsWorkspaceId: this.logAnalytics.id,
      rootStorageSku: env.workspace.rootStorageSku,
      infrastructureEncryption: env.workspace.infrastructureEncryption,
      enhancedSecurity: env.workspace.enhancedSecurity,
      preventDestroy: env.workspace.preventDestroy,
    });

    if (env.webAuth) {
      this.webAuth = new WebAuthWorkspace(this, "web-auth", {
        naming,
        resourceGroupName,
        location: env.location,
        network: { addressSpace: env.webAuth.addressSpace, egress: env.network.egress },
        transit,
        privateDns: this.privateDns,
        logAnalyticsWorkspaceId: this.logAnalytics.id,
      });
    }

    stackOutput(this, "resource_group_name", resourceGroupName, "Platform resource group");
    stackOutput(this, "location", env.location, "Azure region of the environment");
    stackOutput(this, "log_analytics_workspace_id", this.logAnalytics.id, "Log Analytics workspace receiving diagnostics");
    stackOutput(this, "workspace_name", this.workspace.workspaceName, "Databricks workspace name");
    stackOutput(this, "workspace_resource_id", this.workspace.workspaceResourceId, "Databricks workspace Azure resource ID");
    stackOutput(this, "workspace_id", this.workspace.workspaceId, "Databricks workspace ID (numeric)");
    stackOutput(this, "workspace_url", this.workspace.workspaceUrl, "Databricks workspace URL");
    stackOutput(this, "workspace_managed_resource_group_name", this.workspace.managedResourceGroupName, "Workspace managed resource group");
    stackOutput(this, "workspace_vnet_name", this.workspace.network.virtualNetworkName, "Workspace VNet");
    stackOutput(this, "workspace_max_cluster_nodes", this.workspace.network.maxClusterNodes, "Most cluster nodes the workspace subnets can hold");
  }
}
