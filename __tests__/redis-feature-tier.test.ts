import { ManagedRedisSku, RedisFeatureTier, RedisFeatureTierProps } from "../lib/redis-feature-tier/redis-feature-tier";
import { keyPrefix, ttlPlan } from "../lib/redis-feature-tier/serving-contract";
import { PrivateDns } from "../lib/network/private-dns";
import { resourcesOf, synth, testStack } from "./helpers";

const PUBLISHER = "aaaaaaaa-0000-0000-0000-000000000001";
const SERVING = "aaaaaaaa-0000-0000-0000-000000000002";
const SETS = [
  { domain: "fin", name: "card_velocity", schemaVersion: 3, freshnessSlaSeconds: 600 },
  { domain: "mkt", name: "customer_profile", schemaVersion: 2, freshnessSlaSeconds: 86400 },
];
type Overrides = Partial<RedisFeatureTierProps>;

function build(overrides: Overrides = {}) {
  const { stack, naming } = testStack("test", (overrides.location as string | undefined) ?? "westeurope");
  const privateDns = new PrivateDns(stack, "dns", { naming, resourceGroupName: "rg" });
  const tier = new RedisFeatureTier(stack, "features", {
    naming,
    resourceGroupName: "rg-lake-features-dev-weu",
    location: "westeurope",
    privateEndpointSubnetId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe",
    privateDns,
    logAnalyticsWorkspaceId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log",
    actionGroupId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ag",
    featurePublisher: { objectId: PUBLISHER },
    onlineServing: { objectId: SERVING },
    featureSets: SETS,
    ...overrides,
  });
  return { stack, tier };
}

describe("RedisFeatureTier security", () => {
  const { stack, tier } = build();
  const json = synth(stack);
  const [redis] = resourcesOf(json, "azurerm_managed_redis");

  test("Managed Redis: private, highly available, Entra only, encrypted, TTL-aware eviction", () => {
    expect(redis).toMatchObject({
      sku_name: "Balanced_B5",
      high_availability_enabled: true,
      public_network_access: "Disabled",
      identity: { type: "SystemAssigned" },
      default_database: { access_keys_authentication_enabled: false, client_protocol: "Encrypted", clustering_policy: "EnterpriseCluster", eviction_policy: "VolatileLRU" },
    });
    expect(redis.default_database).not.toHaveProperty("persistence_redis_database_backup_frequency");
    expect(tier.zoneRedundant).toBe(true);
  });

  test("private endpoint on redisEnterprise in privatelink.redis.azure.net", () => {
    expect(resourcesOf(json, "azurerm_private_endpoint")[0]).toMatchObject({ private_service_connection: { subresource_names: ["redisEnterprise"], is_manual_connection: false } });
    expect(resourcesOf(json, "azurerm_private_dns_zone").map((z) => z.name)).toEqual(["privatelink.redis.azure.net"]);
  });

  test("access policy assignments for publisher and online service: one ARM deployment each, no secret, one after the other", () => {
    const deployments = Object.entries(json.resource.azurerm_resource_group_template_deployment);
    expect(deployments.map(([, d]) => d.name)).toEqual(["deploy-lake-amrpublisher-dev-weu", "deploy-lake-amrserving-dev-weu"]);
    for (const [, d] of deployments) {
      expect(d).toMatchObject({ deployment_mode: "Incremental" });
      const template = JSON.parse(String(d.template_content));
      expect(template.resources.map((r: { type: string; apiVersion: string; properties: { accessPolicyName: string } }) => [r.type, r.apiVersion, r.properties.accessPolicyName])).toEqual([
        ["Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments", "2025-04-01", "default"],
      ]);
      expect(JSON.stringify(d)).not.toMatch(/accessKey|primary_access_key|password/i);
    }
    expect(String(deployments[0][1].parameters_content)).toContain(PUBLISHER);
    expect(String(deployments[1][1].parameters_content)).toContain(SERVING);
    // Managed Redis runs one job at a time on a database: the second waits for the first.
    expect(deployments[0][1].depends_on).toBeUndefined();
    expect(deployments[1][1].depends_on).toEqual([`azurerm_resource_group_template_deployment.${deployments[0][0]}`]);
  });

  test("one principal in both parts gets one access policy assignment", () => {
    const { stack } = build({ onlineServing: { objectId: PUBLISHER } });
    expect(resourcesOf(synth(stack), "azurerm_resource_group_template_deployment")).toHaveLength(1);
  });

  test("metric alerts for latency, memory, evictions, server load and clients, to the action group", () => {
    const alerts = resourcesOf(json, "azurerm_monitor_metric_alert");
    const criteria = alerts.map((a) => (a.criteria as { metric_name: string; threshold: number }[])[0]);
    expect(Object.fromEntries(criteria.map((c) => [c.metric_name, c.threshold]))).toEqual({ cacheLatency: 2000, usedmemorypercentage: 80, evictedkeys: 0, serverLoad: 80, connectedclients: 5000 });
    expect(alerts.every((a) => (a.action as { action_group_id: string }[])[0].action_group_id.endsWith("/ag"))).toBe(true);
  });

  test("diagnostics on the cluster (metrics) and the database (logs)", () => {
    const diags = resourcesOf(json, "azurerm_monitor_diagnostic_setting");
    expect(diags.map((d) => [String(d.target_resource_id).endsWith("/databases/default"), d.enabled_log !== undefined, d.enabled_metric !== undefined]).sort()).toEqual([
      [false, false, true],
      [true, true, false],
    ]);
  });
});

describe("serving contract", () => {
  test("key schema and TTL per feature set, published as JSON", () => {
    const { tier } = build();
    expect(JSON.parse(tier.contractJson)).toEqual({
      contractVersion: 1,
      keySchema: "<domain>:<featureSet>:v<schemaVersion>:<entityKey>",
      authentication: "entra-id",
      tls: true,
      featureSets: [
        { domain: "fin", name: "card_velocity", schemaVersion: 3, freshnessSlaSeconds: 600, keyPrefix: "fin:card_velocity:v3:", ttlSeconds: 545, minTtlSeconds: 490, maxTtlSeconds: 599, jitterPercent: 10 },
        { domain: "mkt", name: "customer_profile", schemaVersion: 2, freshnessSlaSeconds: 86400, keyPrefix: "mkt:customer_profile:v2:", ttlSeconds: 78545, minTtlSeconds: 70690, maxTtlSeconds: 86399, jitterPercent: 10 },
      ],
    });
  });

  test("TTL arithmetic: the longest jittered TTL never outlives the SLA", () => {
    const { stack } = testStack();
    for (const sla of [10, 59, 600, 3600, 86400]) {
      for (const jitter of [0, 10, 25, 50]) {
        const plan = ttlPlan(stack, "x", sla, jitter);
        expect(plan.maxTtlSeconds).toBeLessThanOrEqual(sla);
        expect(plan.minTtlSeconds).toBeGreaterThan(0);
        expect(plan.minTtlSeconds).toBeLessThanOrEqual(plan.ttlSeconds);
        expect(plan.ttlSeconds).toBeLessThanOrEqual(plan.maxTtlSeconds);
      }
    }
    expect(ttlPlan(stack, "x", 600, 0)).toEqual({ ttlSeconds: 600, minTtlSeconds: 600, maxTtlSeconds: 600, jitterPercent: 0 });
    // The boundary: 2 s leaves a TTL without jitter, but none after ±10%.
    expect(ttlPlan(stack, "x", 2, 0).minTtlSeconds).toBe(2);
    expect(() => ttlPlan(stack, "x", 2, 10)).toThrow(/expected an SLA long enough for a TTL above 0 after ±10% jitter/);
  });

  test("a new schema version sits beside the old one under its own prefix", () => {
    const { tier } = build({ featureSets: [...SETS, { ...SETS[0], schemaVersion: 4 }] });
    expect(tier.contract.featureSets.map((s) => s.keyPrefix)).toEqual(["fin:card_velocity:v3:", "fin:card_velocity:v4:", "mkt:customer_profile:v2:"]);
    expect(keyPrefix({ domain: "fin", name: "x", schemaVersion: 12 })).toBe("fin:x:v12:");
  });

  test("optionally stored in a Key Vault secret holding only the contract", () => {
    const vault = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-lake-dev-weu-00000";
    const { stack, tier } = build({ contractKeyVaultId: vault });
    const [secret] = resourcesOf(synth(stack), "azurerm_key_vault_secret");
    expect(secret).toMatchObject({ name: "feature-serving-contract", key_vault_id: vault, content_type: "application/json", value: tier.contractJson });
  });
});

describe("RedisFeatureTier options", () => {
  test("customer-managed key: the user-assigned identity that reads it becomes the cluster's identity", () => {
    const identity = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-redis";
    const key = "https://kv-lake-dev-weu-00000.vault.azure.net/keys/redis";
    const [redis] = resourcesOf(synth(build({ customerManagedKey: { keyVaultKeyId: key, userAssignedIdentityId: identity } }).stack), "azurerm_managed_redis");
    expect(redis).toMatchObject({ identity: { type: "UserAssigned", identity_ids: [identity] }, customer_managed_key: { key_vault_key_id: key, user_assigned_identity_id: identity } });
  });

  test("persistence is opt-in", () => {
    const [redis] = resourcesOf(synth(build({ persistence: "aof" }).stack), "azurerm_managed_redis");
    expect(redis.default_database).toMatchObject({ persistence_append_only_file_backup_frequency: "1s" });
  });

  test("streaming ingress: Event Hubs private, local auth off, TLS 1.2, sender and receiver roles", () => {
    const json = synth(build({ streaming: { partitions: 4 } }).stack);
    expect(resourcesOf(json, "azurerm_eventhub_namespace")[0]).toMatchObject({ public_network_access_enabled: false, local_authentication_enabled: false, minimum_tls_version: "1.2" });
    expect(resourcesOf(json, "azurerm_eventhub")[0]).toMatchObject({ name: "transactions", partition_count: 4, message_retention: 1 });
    const roles = resourcesOf(json, "azurerm_role_assignment").map((r) => `${r.role_definition_name} ${r.principal_id}`);
    expect(roles.sort()).toEqual([`Azure Event Hubs Data Receiver ${PUBLISHER}`, `Azure Event Hubs Data Sender ${SERVING}`]);
    expect(resourcesOf(json, "azurerm_private_endpoint").map((e) => (e.private_service_connection as { subresource_names: string[] }).subresource_names[0]).sort()).toEqual(["namespace", "redisEnterprise"]);
  });

  test("a region without zones is reported as not zone redundant", () => {
    expect(build({ location: "westus" }).tier.zoneRedundant).toBe(false);
  });
});

describe("RedisFeatureTier bad input", () => {
  test.each<[string, Overrides, RegExp]>([
    ["unknown SKU", { sku: "Premium_P1" as ManagedRedisSku }, /test\/features: invalid sku "Premium_P1": expected a Managed Redis SKU/],
    ["classic-cache-like SKU size", { sku: "Balanced_B2" as ManagedRedisSku }, /invalid sku "Balanced_B2"/],
    ["persistence with geo-replication", { persistence: "rdb", geoReplicationGroupName: "features" }, /invalid persistence "rdb": expected "none" with geo-replication/],
    ["unknown module", { modules: ["RedisGraph" as never] }, /invalid modules "RedisGraph": expected any of RediSearch, RedisJSON, RedisBloom, RedisTimeSeries/],
    ["clustering policy", { clusteringPolicy: "Sharded" as never }, /invalid clusteringPolicy "Sharded"/],
    ["TTL of zero (SLA too short)", { featureSets: [{ ...SETS[0], freshnessSlaSeconds: 1 }] }, /invalid featureSets\[0\]\.freshnessSlaSeconds 1: expected an SLA long enough for a TTL above 0/],
    ["negative SLA", { featureSets: [{ ...SETS[0], freshnessSlaSeconds: -5 }] }, /invalid featureSets\[0\]\.freshnessSlaSeconds -5: expected a positive whole number of seconds/],
    ["key prefix with a colon", { featureSets: [{ ...SETS[0], name: "card:velocity" }] }, /invalid featureSets\[0\]\.name "card:velocity": expected \[a-z\]\[a-z0-9_\]\* \(no ':' or spaces/],
    ["domain with a space", { featureSets: [{ ...SETS[0], domain: "fin ops" }] }, /invalid featureSets\[0\]\.domain "fin ops"/],
    ["schema version zero", { featureSets: [{ ...SETS[0], schemaVersion: 0 }] }, /invalid featureSets\[0\]\.schemaVersion 0: expected a positive integer/],
    ["schema version not an integer", { featureSets: [{ ...SETS[0], schemaVersion: 1.5 }] }, /invalid featureSets\[0\]\.schemaVersion 1\.5: expected a positive integer/],
    ["duplicate feature set version", { featureSets: [SETS[0], SETS[0]] }, /invalid featureSets\[1\] "fin:card_velocity:v3:": expected each domain, feature set and version once/],
    ["no feature sets", { featureSets: [] }, /invalid featureSets \[\]: expected at least one feature set/],
    ["jitter", { ttlJitterPercent: 80 }, /invalid ttlJitterPercent 80: expected a whole percentage from 0 to 50/],
    ["alert threshold", { alerts: { memoryPercent: 150 } }, /invalid alerts\.memory 150: expected an integer from 1 to 100/],
    ["contract vault", { contractKeyVaultId: "kv" }, /invalid contractKeyVaultId "kv"/],
    ["CMK identity", { customerManagedKey: { keyVaultKeyId: "https://kv-redis.vault.azure.net/keys/k", userAssignedIdentityId: "id-redis" } }, /invalid customerManagedKey\.userAssignedIdentityId "id-redis": expected an Azure resource ID of type Microsoft\.ManagedIdentity\/userAssignedIdentities/],
    ["streaming partitions", { streaming: { partitions: 64 } }, /test\/features\/streaming: invalid partitions 64: expected an integer from 1 to 32/],
  ])("%s", (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});

describe("RedisFeatureTier grants", () => {
  const OTHER = "aaaaaaaa-0000-0000-0000-000000000003";
  test("grantReadWrite gives another consuming app data access, serialized after the construct's own, once per principal", () => {
    const { stack, tier } = build();
    const first = tier.grantReadWrite("scoring", { objectId: OTHER });
    expect(tier.grantReadWrite("scoringagain", { objectId: OTHER })).toBe(first);
    expect(tier.grantReadWrite("publisher2", { objectId: PUBLISHER })).toBe(tier.accessPolicyAssignments[0]);
    const deployments = resourcesOf(synth(stack), "azurerm_resource_group_template_deployment");
    expect(deployments).toHaveLength(3);
    const scoring = deployments.find((d) => String(d.template_content).includes("default/scoring"))!;
    expect(String(scoring.parameters_content)).toContain(OTHER);
    expect((scoring.depends_on as string[]).length).toBeGreaterThan(0);
  });

  test("a bad key or object ID fails naming them", () => {
    const { tier } = build();
    expect(() => tier.grantReadWrite("Scoring App", { objectId: OTHER })).toThrow(/test\/features: invalid grantReadWrite key "Scoring App": expected 1–12 characters/);
    expect(() => tier.grantReadWrite("scoring", { objectId: "scoring-app" })).toThrow(/invalid grantReadWrite\(scoring\)\.objectId "scoring-app": expected an object ID \(GUID\)/);
  });
});

describe("RedisFeatureTier geo-replication", () => {
  test("the link recreates the database, so it runs first on the database's chain and the access policy assignments follow it (azurerm review M2)", () => {
    const { stack, tier } = build({ geoReplicationGroupName: "features", sku: "MemoryOptimized_M20" });
    tier.geoReplicateWith(["/subscriptions/0/resourceGroups/rg-other/providers/Microsoft.Cache/redisEnterprise/amr-other"]);
    const json = synth(stack) as { resource: Record<string, Record<string, { depends_on?: string[] }>> };
    const [link] = Object.keys(json.resource.azurerm_managed_redis_geo_replication);
    const deployments = json.resource.azurerm_resource_group_template_deployment;
    const linkAddress = `azurerm_managed_redis_geo_replication.${link}`;
    // The link waits for nothing on the database; exactly one assignment (the head of the chain) waits for the link,
    // and every other one waits for the one before it.
    expect(json.resource.azurerm_managed_redis_geo_replication[link].depends_on ?? []).toEqual([]);
    const waitingForLink = Object.entries(deployments).filter(([, d]) => (d.depends_on ?? []).includes(linkAddress));
    expect(waitingForLink).toHaveLength(1);
    const chained = Object.entries(deployments).filter(([, d]) => (d.depends_on ?? []).some((x) => x.startsWith("azurerm_resource_group_template_deployment.")));
    expect(waitingForLink.length + chained.length).toBe(Object.keys(deployments).length);
  });
});
