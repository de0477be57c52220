import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { MedallionPlatform } from "../lib/medallion-platform/medallion-platform";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { invalid, resourceId } from "../lib/core/validation";
import { Naming } from "../lib/core/naming";
import { checkAddressPlan, Cidr } from "../lib/network/cidr";
import { GitHubRunnerNetwork } from "../lib/network/github-runner-network";
import { HubConnection } from "../lib/network/hub-connection";
import { PrivateDns, PrivateDnsZoneKey } from "../lib/network/private-dns";
import { FrontEndProps } from "../lib/secure-workspace/secure-workspace";
import { WebAuthWorkspace } from "../lib/secure-workspace/web-auth-workspace";
import { WorkspaceNetwork } from "../lib/secure-workspace/workspace-network";
import { HubConfig } from "./config/schema";
import { HUB_ALIAS, HUB_PROVIDER, MedallionStack, MedallionStackProps } from "./medallion-stack";
import { TransitNetwork } from "./transit-network";
import { stackOutput, stackVariable } from "./variables";

/** The workspace side's zones a hub owns; the workspace VNet keeps its own back-end `privatelink.azuredatabricks.net`. */
const HUB_ZONES: readonly PrivateDnsZoneKey[] = ["dfs", "blob", "queue", "vault", "dataFactory"];
/** Zones of the features stack's endpoints, which the workspace VNet (the feature publisher) resolves too. */
const FEATURE_ZONES: readonly PrivateDnsZoneKey[] = ["redis", "eventHub"];

/**
 * `platform-<env>`: the environment's resource group, private DNS for the workspace side and the transit side, the
 * transit network (a stand-in created here, or the hub's), the MedallionPlatform (workspace, lake, Key Vault, access
 * connector, ingestion, monitoring), the region's web-auth workspace where configured, and — with a hub — the peerings
 * and DNS links that connect the spokes to it.
 */
export class PlatformStack extends MedallionStack {
  /** The platform resource group's name (the lake's and Key Vault's group), from the naming module. */
  static resourceGroupName(scope: Construct, naming: Naming): string {
    return naming.resourceGroup(scope, "platform");
  }

  /**
   * The lake account's resource ID, from the naming module and the subscription: how a secondary region reaches the
   * primary lake (its replication source) without reading the primary's state.
   */
  static lakeId(scope: Construct, naming: Naming, subscriptionId: string): string {
    return resourceId(subscriptionId, PlatformStack.resourceGroupName(scope, naming), "Microsoft.Storage/storageAccounts", MedallionPlatform.lakeName(scope, naming));
  }

  readonly resourceGroup: ResourceGroup;
  /** The workspace side's private DNS (zones linked to the workspace VNet, or the hub's). */
  readonly privateDns: PrivateDns;
  /** The transit side's private DNS: the front-end and browser-authentication zone. */
  readonly transitDns: PrivateDns;
  readonly platform: MedallionPlatform;
  readonly webAuth?: WebAuthWorkspace;
  readonly hubConnection?: HubConnection;
  /** The subnet GitHub-hosted runners join (Azure private networking), when `deploy.runnerNetwork` is set. */
  readonly runnerNetwork?: GitHubRunnerNetwork;

  constructor(scope: Construct, id: string, props: MedallionStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { naming } = this;

    this.resourceGroup = new ResourceGroup(this, "resource-group", {
      name: PlatformStack.resourceGroupName(this, naming),
      location: env.location,
    });
    const resourceGroupName = this.resourceGroup.name;
    checkAddressPlan(this, [
      ["network.addressSpace", env.network.addressSpace],
      ...(env.webAuth ? [["webAuth.addressSpace", env.webAuth.addressSpace] as const] : []),
      "hub" in env.transit ? (["transit.hub.addressSpace", env.transit.hub.addressSpace] as const) : (["transit.create.addressSpace", env.transit.create.addressSpace] as const),
      ...(env.deploy.runnerNetwork && !("hub" in env.transit) ? [["deploy.runnerNetwork.addressPrefix", env.deploy.runnerNetwork.addressPrefix] as const] : []),
    ]);

    let transitSubnetId: string;
    let transitNetwork: TransitNetwork | undefined;
    if ("hub" in env.transit) {
      const hub = Cidr.parse(env.transit.hub.addressSpace);
      if (env.network.egress.mode === "firewall" && !hub.containsAddress(env.network.egress.firewallPrivateIp)) {
        invalid(this, "network.egress.firewallPrivateIp", env.network.egress.firewallPrivateIp, `an address in the hub's range transit.hub.addressSpace (${env.transit.hub.addressSpace}): the spokes route to the firewall over the peering`);
      }
      transitSubnetId = stackVariable(this, "hub_private_endpoint_subnet_id", { type: "string", description: "Resource ID of the private-endpoint subnet in the hub's transit VNet", resourcesIn: HUB_PROVIDER }).stringValue;
      // In a hub-and-spoke network the hub owns the privatelink zones the spokes share; creating them here would split DNS.
      this.privateDns = new PrivateDns(this, "private-dns", { naming, resourceGroupName, hubZoneIds: this.hubDnsZoneIds(HUB_ZONES) });
      this.transitDns = new PrivateDns(this, "transit-dns", { naming, resourceGroupName, hubZoneIds: this.hubDnsZoneIds(["databricks"]) });
    } else {
      // A stand-in for the hub, in a resource group of its own: its privatelink.azuredatabricks.net zone cannot share
      // the platform group with the workspace VNet's zone of the same name.
      const transitGroup = new ResourceGroup(this, "transit-resource-group", { name: naming.resourceGroup(this, "transit"), location: env.location });
      const network = (transitNetwork = new TransitNetwork(this, "transit", {
        naming,
        resourceGroupName: transitGroup.name,
        location: env.location,
        addressSpace: env.transit.create.addressSpace,
        // The runners' subnet gets a range of its own in the same VNet (it reaches the front-end endpoint and its DNS).
        additionalAddressSpaces: env.deploy.runnerNetwork ? [env.deploy.runnerNetwork.addressPrefix] : [],
      }));
      transitSubnetId = network.privateEndpointSubnet.id;
      this.privateDns = new PrivateDns(this, "private-dns", { naming, resourceGroupName });
      this.transitDns = new PrivateDns(this, "transit-dns", { naming, resourceGroupName: transitGroup.name });
      this.transitDns.linkVirtualNetwork("transit", network.virtualNetwork.id);
    }
    const transit: FrontEndProps = { subnetId: transitSubnetId, privateDns: this.transitDns };

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

    transitNetwork?.sendLogsTo(this.platform.logAnalyticsWorkspaceId);

    if (env.webAuth) {
      this.webAuth = new WebAuthWorkspace(this, "web-auth", {
        naming,
        resourceGroupName,
        location: env.location,
        network: { addressSpace: env.webAuth.addressSpace, egress: env.network.egress },
        transit,
        logAnalyticsWorkspaceId: this.platform.logAnalyticsWorkspaceId,
        accessConnectorId: this.platform.accessConnector.id,
      });
    }

    if ("hub" in env.transit) this.hubConnection = this.connectToHub(env.transit.hub, env.features !== undefined);
    if (env.deploy.runnerNetwork) this.runnerNetwork = this.addRunnerNetwork(env.deploy.runnerNetwork.addressPrefix, transitNetwork);

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
    if (platform.ingestion) {
      stackOutput(this, "data_factory_name", platform.ingestion.factory.name, "Data Factory of the ingestion pipelines");
      stackOutput(this, "integration_runtime_name", platform.ingestion.integrationRuntimeName, "Integration runtime in the managed VNet: connectVia of every linked service that needs private reach");
    }
  }

  /**
   * Azure private networking for GitHub-hosted runners, in the VNet that reaches the workspace's front end: the transit
   * VNet created here, or the hub's when this stack manages the hub side. Its GitHubId goes to GitHub's network
   * configuration (help/operator-runbook.md, "Runners").
   */
  private addRunnerNetwork(addressPrefix: string, transit: TransitNetwork | undefined): GitHubRunnerNetwork {
    const env = this.config.environment;
    const businessId = stackVariable(this, "github_network_business_id", { type: "string", description: "databaseId of the GitHub organization or enterprise whose hosted runners join the runner subnet" }).stringValue;
    let target: { resourceGroupName: string; virtualNetworkName: string; provider?: TerraformProvider };
    if (transit) target = { resourceGroupName: transit.resourceGroupName, virtualNetworkName: transit.virtualNetwork.name };
    else if (this.hubConnection?.hubProvider) {
      const hub = this.hubConnection.hubVirtualNetwork;
      target = { resourceGroupName: hub.resourceGroupName, virtualNetworkName: hub.name, provider: this.hubConnection.hubProvider };
    } else {
      return invalid(this, "deploy.runnerNetwork", addressPrefix, "transit.create, or transit.hub with manageHubSide: true (otherwise the network team creates the runner subnet in the hub)");
    }
    const network = new GitHubRunnerNetwork(this, "runner-network", { naming: this.naming, location: env.location, addressPrefix, businessId, ...target });
    network.sendLogsTo(this.platform.logAnalyticsWorkspaceId);
    stackOutput(this, "runner_network_settings_id", network.networkSettingsId, "GitHub.Network/networkSettings resource of the runner subnet");
    stackOutput(this, "runner_network_github_id", network.gitHubId, "GitHubId of the runner subnet: the network configuration of the GitHub organization takes it");
    return network;
  }

  /**
   * Peers the workspace and web-auth VNets to the hub, and links the workspace VNet into the hub's privatelink zones —
   * the platform's, and the features stack's where the environment has one — so clusters resolve and reach every
   * private endpoint, and their egress route to the hub firewall leads somewhere.
   */
  private connectToHub(hub: HubConfig, features: boolean): HubConnection {
    const { naming } = this;
    const spoke = (key: string, network: WorkspaceNetwork, resolves: boolean) => ({ key, virtualNetworkId: network.virtualNetworkId, virtualNetworkName: network.virtualNetworkName, resourceGroupName: this.resourceGroup.name, resolvesPrivateEndpoints: resolves });
    const hubProvider = hub.manageHubSide
      ? new AzurermProvider(this, "azurerm-hub", {
          alias: HUB_ALIAS,
          subscriptionId: stackVariable(this, "hub_subscription_id", { type: "string", description: "Subscription of the connectivity hub (its peerings and privatelink zones)" }).stringValue,
          tenantId: this.tenantId.stringValue,
          useOidc: true,
          storageUseAzuread: true,
          resourceProviderRegistrations: "none",
          features: [{}],
        })
      : undefined;
    return new HubConnection(this, "hub-connection", {
      naming,
      hubVirtualNetworkId: stackVariable(this, "hub_transit_vnet_id", { type: "string", description: "Resource ID of the hub's transit VNet (peered to the spokes)", resourcesIn: HUB_PROVIDER }).stringValue,
      spokes: [spoke("core", this.platform.workspace.network, true), ...(this.webAuth ? [spoke("auth", this.webAuth.workspace.network, false)] : [])],
      hubZoneIds: this.hubDnsZoneIds([...HUB_ZONES, ...(features ? FEATURE_ZONES : [])]),
      hubProvider,
      useRemoteGateways: hub.useRemoteGateways,
    });
  }
}
