import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { addActionGroup } from "../lib/monitoring/action-group";
import { Naming } from "../lib/core/naming";
import { resourceId } from "../lib/core/validation";
import { PrivateDns } from "../lib/network/private-dns";
import { RedisFeatureTier, RedisFeatureTierProps } from "../lib/redis-feature-tier/redis-feature-tier";
import { FeaturesConfig } from "./config/schema";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { PlatformStack } from "./platform-stack";
import { stackOutput, stackVariable } from "./variables";

export interface FeaturesStackProps extends MedallionStackProps {
  readonly features: FeaturesConfig;
  readonly platform: PlatformStack;
}

/** `features-<env>`: the online feature speed layer on the environment's platform network and monitoring. */
export class FeaturesStack extends MedallionStack {
  /** The features resource group's name, from the naming module. */
  static resourceGroupName(scope: Construct, naming: Naming): string {
    return naming.resourceGroup(scope, "features");
  }

  readonly tier: RedisFeatureTier;

  constructor(scope: Construct, id: string, props: FeaturesStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { naming } = this;
    const { platform } = props.platform;
    const features = props.features;

    const resourceGroup = new ResourceGroup(this, "resource-group", { name: FeaturesStack.resourceGroupName(this, naming), location: env.location });
    // Active geo-replication: both regions' caches join one group at creation.
    const geoReplicated = props.pair?.region.config.features?.mode === "geoReplication";
    let privateDns: PrivateDns;
    if ("hub" in env.transit) {
      privateDns = new PrivateDns(this, "private-dns", { naming, resourceGroupName: resourceGroup.name, hubZoneIds: this.hubDnsZoneIds(["redis", "eventHub"]) });
    } else {
      privateDns = new PrivateDns(this, "private-dns", { naming, resourceGroupName: resourceGroup.name });
      // The publisher (Databricks) resolves the endpoints from the workspace VNet; link application VNets the same way.
      privateDns.linkVirtualNetwork("core", platform.workspace.network.virtualNetworkId);
    }

    const actionGroup = addActionGroup(this, "action-group", { naming, purpose: "features", shortPurpose: "feat", resourceGroupName: resourceGroup.name, contacts: features.contacts });

    const publisher = stackVariable(this, "feature_publisher_object_id", { type: "string", description: "Object ID of the feature pipeline's Enterprise Application (the Databricks job identity that writes features)" });
    const serving = stackVariable(this, "online_serving_object_id", { type: "string", description: "Object ID of the online scoring service's identity (reads features)" });

    this.tier = new RedisFeatureTier(this, "feature-tier", {
      naming,
      resourceGroupName: resourceGroup.name,
      location: env.location,
      sku: features.sku,
      persistence: features.persistence,
      geoReplicationGroupName: geoReplicated ? naming.crossRegionGroup(this, "features") : undefined,
      modules: features.modules as RedisFeatureTierProps["modules"],
      privateEndpointSubnetId: platform.workspace.network.privateEndpointSubnet.id,
      privateDns,
      logAnalyticsWorkspaceId: platform.logAnalyticsWorkspaceId,
      actionGroupId: actionGroup.id,
      alerts: features.alerts,
      featurePublisher: { objectId: publisher.stringValue },
      onlineServing: { objectId: serving.stringValue },
      featureSets: features.featureSets,
      ttlJitterPercent: features.ttlJitterPercent,
      streaming: features.streaming,
    });

    if (geoReplicated && this.secondary) {
      // The primary's cache, named as the primary names it: the link reads no primary state.
      const primary = this.primaryNaming();
      this.tier.geoReplicateWith([resourceId(this.subscriptionId.stringValue, FeaturesStack.resourceGroupName(this, primary), "Microsoft.Cache/redisEnterprise", RedisFeatureTier.resourceName(this, primary))]);
    }

    stackOutput(this, "feature_store_name", this.tier.redis.name, "Azure Managed Redis name");
    stackOutput(this, "feature_store_id", this.tier.redis.id, "Azure Managed Redis resource ID");
    stackOutput(this, "feature_store_hostname", this.tier.hostname, "Host name (TLS, Entra ID authentication)");
    stackOutput(this, "feature_store_port", this.tier.port, "Port");
    stackOutput(this, "feature_store_zone_redundant", this.tier.zoneRedundant, "Whether replicas span availability zones");
    stackOutput(this, "feature_serving_contract", this.tier.contractJson, "Key schema and TTLs per feature set (JSON; no secret)");
    if (this.tier.streaming) {
      stackOutput(this, "event_hub_namespace_name", this.tier.streaming.namespace.name, "Event Hubs namespace of the transaction events");
      stackOutput(this, "event_hub_name", this.tier.streaming.eventHub.name, "Event hub of the transaction events");
    }
  }
}
