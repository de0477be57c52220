import { Fn } from "cdktf";
import { Construct } from "constructs";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { ManagedRedis } from "@cdktf/provider-azurerm/lib/managed-redis";
import { ManagedRedisGeoReplication } from "@cdktf/provider-azurerm/lib/managed-redis-geo-replication";
import { MonitorMetricAlert } from "@cdktf/provider-azurerm/lib/monitor-metric-alert";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { ResourceGroupTemplateDeployment } from "@cdktf/provider-azurerm/lib/resource-group-template-deployment";
import { Naming } from "../core/naming";
import { expressionOf } from "../core/expressions";
import { SerialOperations } from "../core/serial-operations";
import { Guardrails } from "../guardrails/guardrails";
import { regionInfo } from "../core/regions";
import { checkGuid, checkPattern, checkRange, checkResourceId, invalid } from "../core/validation";
import { Principal } from "../identity/role-assignments";
import { addDiagnostics } from "../monitoring/diagnostics";
import { PrivateDns } from "../network/private-dns";
import { addPrivateEndpoint } from "../network/private-endpoint";
import { GEO_REPLICATION_EXCLUDED_SKUS } from "./geo-replication";
import { FeatureSet, ServingContract, servingContract } from "./serving-contract";
import { StreamingIngress, StreamingIngressOptions } from "./streaming-ingress";
import { checkProps } from "../core/prop-checks";
import type { AzureRegion } from "../core/regions";
import { Contextual, withStackContext } from "../core/stack-context";

const BALANCED = [0, 1, 3, 5, 10, 20, 50, 100, 150, 250, 350, 500, 700, 1000] as const;
const MEMORY = [10, 20, 50, 100, 150, 250, 350, 500, 700, 1000, 1500, 2000] as const;
const COMPUTE = [3, 5, 10, 20, 50, 100, 150, 250, 350, 500, 700] as const;
const FLASH = [250, 500, 700, 1000, 1500, 2000, 4500] as const;
/** A Managed Redis SKU: a typo does not compile. */
export type ManagedRedisSku =
  | `Balanced_B${(typeof BALANCED)[number]}`
  | `MemoryOptimized_M${(typeof MEMORY)[number]}`
  | `ComputeOptimized_X${(typeof COMPUTE)[number]}`
  | `FlashOptimized_A${(typeof FLASH)[number]}`;
/** Managed Redis SKU families (Balanced, Memory, Compute and Flash Optimized) and their sizes. */
export const MANAGED_REDIS_SKUS: readonly ManagedRedisSku[] = [
  ...BALANCED.map((n) => `Balanced_B${n}` as const),
  ...MEMORY.map((n) => `MemoryOptimized_M${n}` as const),
  ...COMPUTE.map((n) => `ComputeOptimized_X${n}` as const),
  ...FLASH.map((n) => `FlashOptimized_A${n}` as const),
];
export const REDIS_MODULES = ["RediSearch", "RedisJSON", "RedisBloom", "RedisTimeSeries"] as const;
export const CLUSTERING_POLICIES = ["EnterpriseCluster", "OSSCluster", "NoCluster"] as const;

/** Alert thresholds for the speed layer's signals (the seed's operations table). */
export interface RedisAlertThresholds {
  /** Average cache latency, microseconds. @default 2000 */
  readonly latencyMicroseconds?: number;
  /** Used memory, percent. @default 80 */
  readonly memoryPercent?: number;
  /** Evicted keys per 5 minutes: any eviction means the working set does not fit. @default 0 */
  readonly evictedKeys?: number;
  /** Server load, percent. @default 80 */
  readonly serverLoadPercent?: number;
  /** Connected clients. @default 5000 */
  readonly connectedClients?: number;
  /** Cache misses per 5 minutes (a refresh that fell behind shows here). @default off */
  readonly cacheMisses?: number;
}

export interface RedisFeatureTierProps {
  readonly naming: Naming;
  readonly resourceGroupName: string;
  readonly location: AzureRegion;
  /** @default "Balanced_B5" */
  readonly sku?: ManagedRedisSku;
  /**
   * How the database is sharded. `EnterpriseCluster` (the default) lets the proxy serve multi-key reads (MGET of a
   * feature payload) with any client; `OSSCluster` is faster but needs cluster-aware clients and hash tags.
   * Changing it recreates the database.
   */
  readonly clusteringPolicy?: (typeof CLUSTERING_POLICIES)[number];
  /** Opt-in persistence (a cache of the lakehouse rarely needs it); not with geo-replication. @default "none" */
  readonly persistence?: "none" | "rdb" | "aof";
  /** Active geo-replication group (multi-region). @default none */
  readonly geoReplicationGroupName?: string;
  /** Changing modules recreates the database. @default [] */
  readonly modules?: (typeof REDIS_MODULES)[number][];
  /** Customer-managed key (with the user-assigned identity that reads it). @default Microsoft-managed keys */
  readonly customerManagedKey?: { readonly keyVaultKeyId: string; readonly userAssignedIdentityId: string };
  readonly privateEndpointSubnetId: string;
  /** The private DNS zones of the endpoint. @default the stack's StackContext privateDns (required one way or the other) */
  readonly privateDns: PrivateDns;
  /** Where diagnostics go. @default the stack's StackContext logAnalyticsWorkspaceId (required one way or the other) */
  readonly logAnalyticsWorkspaceId: string;
  /** Where alerts go. @default the stack's StackContext actionGroupId; without one, guardrail MDL-MON-002 warns */
  readonly actionGroupId?: string;
  readonly alerts?: RedisAlertThresholds;
  /** Writes features: the Databricks pipeline's identity. */
  readonly featurePublisher: Principal;
  /** Reads features: the online scoring service's identity. */
  readonly onlineServing: Principal;
  readonly featureSets: FeatureSet[];
  /** TTL jitter (0–50 %). @default 10 */
  readonly ttlJitterPercent?: number;
  /** Also store the contract JSON (no secret in it) as this vault's `feature-serving-contract` secret. Needs a runner that reaches the vault privately. @default none */
  readonly contractKeyVaultId?: string;
  /** Event Hubs for transaction events. @default none */
  readonly streaming?: StreamingIngressOptions;
}

const ALERT_DEFAULTS: Required<Omit<RedisAlertThresholds, "cacheMisses">> = { latencyMicroseconds: 2000, memoryPercent: 80, evictedKeys: 0, serverLoadPercent: 80, connectedClients: 5000 };
const REDIS_PORT = 10000;

/**
 * Azure Managed Redis as the online feature speed layer: Databricks builds and refreshes features, Redis serves the
 * latest values to online scoring in milliseconds. Private (public access off, private endpoint), Entra ID only
 * (access keys off; access policy assignments for the publisher and the online service), TLS only, highly
 * available (zone redundant where the region has zones), monitored — and it publishes the key/TTL contract.
 */
export class RedisFeatureTier extends Construct {
  /**
   * The cache's name, from the naming module: what another region's tier links to without reading this one's state
   * (a geo-replication partner names it while this region is down).
   */
  static resourceName(scope: Construct, naming: Naming): string {
    return naming.globalName(scope, "amr", "features", 60);
  }

  readonly redis: ManagedRedis;
  readonly privateEndpoint: PrivateEndpoint;
  /** The access policy assignments (ARM deployments), one per principal, created one after another. */
  readonly accessPolicyAssignments: readonly ResourceGroupTemplateDeployment[];
  readonly alerts: readonly MonitorMetricAlert[];
  readonly contract: ServingContract;
  /** The contract as JSON: what the pipeline and the online service read. */
  readonly contractJson: string;
  readonly contractSecret?: KeyVaultSecret;
  readonly streaming?: StreamingIngress;
  /** Whether high availability spreads replicas across zones (the region has them). */
  readonly zoneRedundant: boolean;
  readonly port = REDIS_PORT;
  private readonly props: RedisFeatureTierProps;
  /** Access policy assignments by principal (expression of its object ID): one per principal. */
  private readonly grantedTo = new Map<string, ResourceGroupTemplateDeployment>();

  constructor(scope: Construct, id: string, input: Contextual<RedisFeatureTierProps, "privateDns" | "logAnalyticsWorkspaceId" | "actionGroupId">) {
    super(scope, id);
    const props = withStackContext<RedisFeatureTierProps>(this, input, { privateDns: "required", logAnalyticsWorkspaceId: "required", actionGroupId: "optional" });
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    this.props = props;
    const { naming } = props;
    const sku = props.sku ?? "Balanced_B5";
    if (!MANAGED_REDIS_SKUS.includes(sku)) invalid(this, "sku", sku, "a Managed Redis SKU: Balanced_B*, MemoryOptimized_M*, ComputeOptimized_X* or FlashOptimized_A* (e.g. Balanced_B5)");
    const clustering = props.clusteringPolicy ?? "EnterpriseCluster";
    if (!CLUSTERING_POLICIES.includes(clustering)) invalid(this, "clusteringPolicy", clustering, `one of ${CLUSTERING_POLICIES.join(", ")}`);
    const persistence = props.persistence ?? "none";
    if (!["none", "rdb", "aof"].includes(persistence)) invalid(this, "persistence", persistence, `"none", "rdb" or "aof"`);
    // Azure: 1–63 characters of letters, digits and hyphens, starting and ending with a letter or digit.
    if (props.geoReplicationGroupName !== undefined) checkPattern(this, "geoReplicationGroupName", props.geoReplicationGroupName, /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, "1–63 characters of letters, digits and hyphens, starting and ending with a letter or digit");
    if (persistence !== "none" && props.geoReplicationGroupName) invalid(this, "persistence", persistence, `"none" with geo-replication (Azure does not allow both)`);
    // azurerm 4.55.0 managed_redis: a geo-replication group is refused on Balanced_B0 and Balanced_B1.
    if (props.geoReplicationGroupName && GEO_REPLICATION_EXCLUDED_SKUS.includes(sku)) invalid(this, "sku", sku, `a SKU other than ${GEO_REPLICATION_EXCLUDED_SKUS.join(" or ")} with geo-replication`);
    for (const module of props.modules ?? []) if (!REDIS_MODULES.includes(module)) invalid(this, "modules", module, `any of ${REDIS_MODULES.join(", ")}`);
    if (props.customerManagedKey) checkResourceId(this, "customerManagedKey.userAssignedIdentityId", props.customerManagedKey.userAssignedIdentityId, "Microsoft.ManagedIdentity/userAssignedIdentities");
    if (props.contractKeyVaultId) checkResourceId(this, "contractKeyVaultId", props.contractKeyVaultId, "Microsoft.KeyVault/vaults");

    this.contract = servingContract(this, props.featureSets, props.ttlJitterPercent ?? 10);
    this.contractJson = JSON.stringify(this.contract);
    this.zoneRedundant = regionInfo(props.location)?.zones ?? false;

    const cmk = props.customerManagedKey;
    this.redis = new ManagedRedis(this, "redis", {
      name: RedisFeatureTier.resourceName(this, naming),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: sku,
      highAvailabilityEnabled: true,
      publicNetworkAccess: "Disabled",
      identity: cmk ? { type: "UserAssigned", identityIds: [cmk.userAssignedIdentityId] } : { type: "SystemAssigned" },
      customerManagedKey: cmk,
      defaultDatabase: {
        accessKeysAuthenticationEnabled: false,
        clientProtocol: "Encrypted",
        clusteringPolicy: clustering,
        // Every feature key has a TTL: under memory pressure evict the least recently used of those, never others.
        evictionPolicy: "VolatileLRU",
        geoReplicationGroupName: props.geoReplicationGroupName,
        persistenceRedisDatabaseBackupFrequency: persistence === "rdb" ? "1h" : undefined,
        persistenceAppendOnlyFileBackupFrequency: persistence === "aof" ? "1s" : undefined,
        module: (props.modules ?? []).map((name) => ({ name })),
      },
    });

    this.privateEndpoint = addPrivateEndpoint(this, "endpoint", {
      ...props,
      purpose: "features",
      subnetId: props.privateEndpointSubnetId,
      resourceId: this.redis.id,
      subresource: "redisEnterprise",
      zone: "redis",
    });

    // One principal may play both parts (single-principal tenants): one assignment then.
    const samePrincipal = expressionOf(this, props.featurePublisher.objectId) === expressionOf(this, props.onlineServing.objectId);
    this.accessPolicyAssignments = [
      this.assignAccessPolicy("publisher", props.featurePublisher, "featurepublisher"),
      ...(samePrincipal ? [] : [this.assignAccessPolicy("serving", props.onlineServing, "onlineserving")]),
    ];

    addDiagnostics(this, "diagnostics", { name: naming.diagnosticSetting(this, "amr"), targetResourceId: this.redis.id, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, kind: "managedRedis" });
    addDiagnostics(this, "database-diagnostics", { name: naming.diagnosticSetting(this, "amrdb"), targetResourceId: `${this.redis.id}/databases/default`, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, kind: "managedRedisDatabase" });
    this.alerts = this.createAlerts(props);

    if (props.contractKeyVaultId) {
      this.contractSecret = new KeyVaultSecret(this, "contract-secret", {
        name: "feature-serving-contract",
        keyVaultId: props.contractKeyVaultId,
        contentType: "application/json",
        value: this.contractJson,
      });
      Guardrails.suppress(this.contractSecret, "MDL-SEC-001", "The serving contract is public metadata (key schema and TTLs) and holds no secret");
    }

    if (props.streaming) {
      this.streaming = new StreamingIngress(this, "streaming", {
        ...props.streaming,
        naming,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        privateEndpointSubnetId: props.privateEndpointSubnetId,
        privateDns: props.privateDns,
        logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
        sender: props.onlineServing,
        receiver: props.featurePublisher,
      });
    }
  }

  /** Host name clients connect to (TLS, Entra ID token as the password), port {@link port}. */
  get hostname(): string {
    return this.redis.hostname;
  }

  /**
   * Entra access for one principal: the "default" data access policy on the database. azurerm 4.55 has no resource for
   * it, so an ARM deployment per principal does it (idempotent; no secret passes through Terraform). Managed Redis runs
   * one job at a time on a database — a concurrent assignment fails ("another job is in progress") — so each waits for
   * the one before.
   */
  /**
   * Gives a principal data access to the feature store (another consuming app, a backfill job): the database's
   * "default" Entra access policy, which reads and writes — Managed Redis offers no read-only data policy to assign.
   * `key` (1–12 of [a-z0-9]) names the assignment; the same principal twice is one assignment. Assignments are
   * serialized on the database (Azure applies one change at a time).
   */
  /**
   * Active geo-replication with other regions' tiers (up to four), all created with the same geoReplicationGroupName.
   * Deleting the link only unlinks the partners (azurerm 4.55.0): no cache or data is deleted.
   */
  geoReplicateWith(linkedRedisIds: readonly string[]): ManagedRedisGeoReplication {
    if (!this.props.geoReplicationGroupName) invalid(this, "geoReplicationGroupName", undefined, "a group name shared by the linked caches (set at creation)");
    if (linkedRedisIds.length < 1 || linkedRedisIds.length > 4) invalid(this, "linkedRedisIds", linkedRedisIds, "1 to 4 Managed Redis resource IDs");
    for (const [i, id] of linkedRedisIds.entries()) checkResourceId(this, `linkedRedisIds[${i}]`, id, "Microsoft.Cache/redisEnterprise");
    // Linking recreates the database ("Force Link To Replication Group": its data and access policy assignments are
    // discarded), and Azure runs one job at a time on it: the link goes first on the database's chain, and the
    // assignments are (re)made after it (azurerm review M2).
    const link = new ManagedRedisGeoReplication(this, "geo-replication", { managedRedisId: this.redis.id, linkedManagedRedisIds: [...linkedRedisIds] });
    return SerialOperations.of(this).addFirst(`${this.redis.id}/databases/default`, link);
  }

  grantReadWrite(key: string, principal: Principal): ResourceGroupTemplateDeployment {
    checkPattern(this, "grantReadWrite key", key, /^[a-z][a-z0-9]{0,11}$/, "1–12 characters of [a-z0-9], starting with a letter");
    checkGuid(this, `grantReadWrite(${key}).objectId`, principal.objectId);
    return this.assignAccessPolicy(key, principal, key);
  }

  private assignAccessPolicy(key: string, principal: Principal, assignmentName: string): ResourceGroupTemplateDeployment {
    const granted = this.grantedTo.get(expressionOf(this, principal.objectId));
    if (granted) return granted;
    const id = `access-policy-${key}`;
    const purpose = `amr${key}`;
    const template = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      parameters: { clusterName: { type: "string" }, objectId: { type: "string" } },
      resources: [
        {
          type: "Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments",
          apiVersion: "2025-04-01",
          name: `[format('{0}/default/${assignmentName}', parameters('clusterName'))]`,
          properties: { accessPolicyName: "default", user: { objectId: "[parameters('objectId')]" } },
        },
      ],
    };
    const deployment = new ResourceGroupTemplateDeployment(this, id, {
      name: this.props.naming.templateDeployment(this, purpose),
      resourceGroupName: this.props.resourceGroupName,
      deploymentMode: "Incremental",
      templateContent: JSON.stringify(template),
      parametersContent: Fn.jsonencode({ clusterName: { value: this.redis.name }, objectId: { value: principal.objectId } }),
    });
    const serialized = SerialOperations.of(this).add(`${this.redis.id}/databases/default`, deployment);
    this.grantedTo.set(expressionOf(this, principal.objectId), serialized);
    return serialized;
  }

  private createAlerts(props: RedisFeatureTierProps): MonitorMetricAlert[] {
    const t = { ...ALERT_DEFAULTS, ...(props.alerts ?? {}) };
    // [key, name purpose, metric, aggregation, description, threshold, severity]
    const specs: [string, string, string, string, string, number | undefined, number][] = [
      ["latency", "amrlatency", "cacheLatency", "Average", "Feature reads are slower than the online path allows", t.latencyMicroseconds, 2],
      ["memory", "amrmemory", "usedmemorypercentage", "Average", "Memory pressure: the feature working set is close to the limit", t.memoryPercent, 2],
      ["evictions", "amrevictions", "evictedkeys", "Total", "Keys evicted: the working set no longer fits, reads will miss", t.evictedKeys, 1],
      ["server-load", "amrload", "serverLoad", "Average", "Server load high: latency will follow", t.serverLoadPercent, 2],
      ["clients", "amrclients", "connectedclients", "Maximum", "Connected clients above the expected fleet", t.connectedClients, 3],
      ["misses", "amrmisses", "cachemisses", "Total", "Cache misses: feature refresh may have fallen behind", t.cacheMisses, 3],
    ];
    const limits: Record<string, [number, number]> = { latency: [1, 10_000_000], memory: [1, 100], evictions: [0, 1_000_000_000], "server-load": [1, 100], clients: [1, 1_000_000], misses: [0, 1_000_000_000] };
    return specs.flatMap(([key, purpose, metricName, aggregation, description, threshold, severity]) => {
      if (threshold === undefined) return [];
      checkRange(this, `alerts.${key}`, threshold, ...limits[key]);
      return [
        new MonitorMetricAlert(this, `alert-${key}`, {
          name: props.naming.metricAlert(this, purpose),
          resourceGroupName: props.resourceGroupName,
          scopes: [this.redis.id],
          description,
          severity,
          frequency: "PT5M",
          windowSize: "PT5M",
          autoMitigate: true,
          criteria: [{ metricNamespace: "Microsoft.Cache/redisEnterprise", metricName, aggregation, operator: "GreaterThan", threshold }],
          action: props.actionGroupId ? [{ actionGroupId: props.actionGroupId }] : undefined,
        }),
      ];
    });
  }
}
