import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { DEFAULT_ASSUMPTIONS, featureRecovery, recoveryReport, serviceRecoveries, SEED_TARGETS, zoneRecovery } from "../lib/disaster-recovery/recovery-report";
import { DEFAULT_CONFIG_DIR, loadConfig } from "../stacks/config/load";
import { RecoveryTargetsError } from "../stacks/disaster-recovery";
import { synthesize } from "../stacks/synth";
import { sampleSynth } from "./sample-synth";

type Attrs = Record<string, unknown>;
interface StackJson {
  resource: Record<string, Record<string, Attrs>>;
  data?: Record<string, Record<string, Attrs>>;
  terraform: { backend: { azurerm: Attrs } };
  "//": { disasterRecovery?: { role: string } };
}
const stack = (name: string) => JSON.parse(readFileSync(join(sampleSynth(), "stacks", name, "cdk.tf.json"), "utf8")) as StackJson;
const secondaryStacks = readdirSync(join(sampleSynth(), "stacks")).filter((n) => n.endsWith("-prod-dr"));

describe("RPO/RTO arithmetic", () => {
  test("a deep-cloned zone loses at most one interval plus one run (the job's timeout); its RTO is the common failover steps plus the check", () => {
    const zone = zoneRecovery("silver", { mechanism: "deepClone", intervalHours: 12, maxCloneHours: 3 });
    expect(zone.rpoHours).toBe(15);
    expect(zone.rtoHours).toBe(DEFAULT_ASSUMPTIONS.declareAndSwitchHours + 0.5);
    expect(zoneRecovery("gold", { mechanism: "deepClone", intervalHours: 6 }).rpoHours).toBe(8); // default run: 2 h
  });

  test("a geo-replicated zone loses the replication lag and waits for the account failover", () => {
    const zone = zoneRecovery("landing", { mechanism: "geoReplication", replication: "RAGZRS" }, { ...DEFAULT_ASSUMPTIONS, geoReplicationLagHours: 0.5, storageFailoverHours: 3 });
    expect([zone.rpoHours, zone.rtoHours, zone.mechanism]).toEqual([0.5, DEFAULT_ASSUMPTIONS.declareAndSwitchHours + 3, "geo-redundant storage (RAGZRS)"]);
  });

  test("features: geo-replication loses nothing; a rebuild loses what gold lost and takes its rebuild time", () => {
    expect(featureRecovery({ mode: "geoReplication" }).rpoHours).toBe(0);
    const rebuild = featureRecovery({ mode: "rebuild", rebuildHours: 10, goldRpoHours: 8 });
    expect([rebuild.rpoHours, rebuild.rtoHours]).toEqual([8, DEFAULT_ASSUMPTIONS.declareAndSwitchHours + 10]);
  });

  test("the report's achieved objectives are its worst items, and each item over a target is named", () => {
    const report = recoveryReport({
      environment: "prod",
      primaryLocation: "westeurope",
      secondaryLocation: "northeurope",
      targets: SEED_TARGETS,
      assumptions: DEFAULT_ASSUMPTIONS,
      items: [
        zoneRecovery("bronze", { mechanism: "deepClone", intervalHours: 24, maxCloneHours: 13 }),
        zoneRecovery("silver", { mechanism: "deepClone", intervalHours: 12 }),
        featureRecovery({ mode: "rebuild", rebuildHours: 30, goldRpoHours: 8 }),
        ...serviceRecoveries({ ingestion: true }),
      ],
    });
    expect(report.achieved).toEqual({ rpoHours: 37, rtoHours: 31 });
    expect(report.violations).toEqual([
      expect.stringMatching(/^prod: zone bronze: worst-case RPO 37 h exceeds the target 36 h \(clone interval 24 h \+ longest run 13 h/),
      expect.stringMatching(/^prod: service features \(Azure Managed Redis\): estimated RTO 31 h exceeds the target 24 h/),
    ]);
    // Services without data of their own have no RPO; they still have restore steps.
    expect(report.items.find((i) => i.name === "data factory")).toMatchObject({ rpoHours: null, rtoHours: 3 });
  });
});

describe("the sample app's disaster recovery", () => {
  test("dr-report.json and .md are written beside the stacks, and prod meets the seed's targets", () => {
    const report = JSON.parse(readFileSync(join(sampleSynth(), "dr-report.json"), "utf8"));
    const prod = report.environments.find((e: { environment: string }) => e.environment === "prod");
    expect(prod.targets).toEqual(SEED_TARGETS);
    expect(prod.violations).toEqual([]);
    expect(prod.achieved.rpoHours).toBeLessThanOrEqual(36);
    expect(prod.achieved.rtoHours).toBeLessThan(24);
    expect(prod.items.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(["landing", "bronze", "silver", "gold-reporting", "gold-history", "workspace", "key vault", "data factory", "features (Azure Managed Redis)"]));
    expect(readFileSync(join(sampleSynth(), "dr-report.md"), "utf8")).toContain("## prod: westeurope → northeurope");
  });

  test.each(secondaryStacks)("%s depends on nothing of the primary region but its replication sources", (name) => {
    const json = stack(name);
    expect(json["//"].disasterRecovery?.role).toBe("secondary");
    // No state of another region is read: its remote state comes only from other secondary stacks.
    const remotes = Object.entries(json.data?.terraform_remote_state ?? {});
    if (name.startsWith("domain-")) expect(remotes.length).toBeGreaterThan(0); // the secondary's platform and catalog
    for (const [id, remote] of remotes) {
      expect([id, (remote.config as Attrs).key]).toEqual([id, expect.stringMatching(/-prod-dr\.tfstate$/)]);
      expect((remote.config as Attrs).storage_account_name).toBe("sttfstatecontosoproddr");
    }
    expect(json.terraform.backend.azurerm.storage_account_name).toBe("sttfstatecontosoproddr");
    // Every mention of the primary region (westeurope, -weu names) is a replication source.
    const mentions: string[] = [];
    const walk = (value: unknown, at: string): void => {
      if (typeof value === "string") {
        if (/westeurope|-weu\b|-weu-/.test(value)) mentions.push(at);
      } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) if (k !== "//") walk(v, at ? `${at}.${k}` : k);
    };
    for (const [type, byId] of Object.entries(json.resource)) for (const [id, attrs] of Object.entries(byId)) walk(attrs, `${type}.${id}`);
    const SOURCES = [/^databricks_mws_ncc_private_endpoint_rule\.[\w-]+\.resource_id$/, /^azurerm_managed_redis_geo_replication\.[\w-]+\.linked_managed_redis_ids\[0\]$/];
    expect(mentions.filter((m) => !SOURCES.some((s) => s.test(m)))).toEqual([]);
  });

  test("the secondary reaches its sources: NCC rules to the primary lake (and fin's dedicated storage), the primary cache linked", () => {
    const rules = (name: string) => Object.values(stack(name).resource.databricks_mws_ncc_private_endpoint_rule ?? {}).map((r) => String(r.resource_id));
    expect(rules("catalog-prod-dr").filter((id) => /resourceGroups\/rg-lake-platform-prod-weu\/providers\/Microsoft\.Storage\/storageAccounts\/st/.test(id))).toHaveLength(2);
    expect(rules("domain-fin-prod-dr").filter((id) => /resourceGroups\/rg-lake-fin-prod-weu\//.test(id))).toHaveLength(2);
    // The primary's own names, as the primary stacks write them: the secondary's copies agree.
    const primaryLake = Object.values(stack("platform-prod").resource.azurerm_storage_account).find((a) => String(a.name).startsWith("stlake"))!.name;
    expect(rules("catalog-prod-dr").some((id) => id.endsWith(`/storageAccounts/${primaryLake}`))).toBe(true);
    const primaryCache = Object.values(stack("features-prod").resource.azurerm_managed_redis)[0];
    const link = Object.values(stack("features-prod-dr").resource.azurerm_managed_redis_geo_replication)[0];
    expect(link.linked_managed_redis_ids).toEqual([`/subscriptions/\${var.subscription_id}/resourceGroups/rg-lake-features-prod-weu/providers/Microsoft.Cache/redisEnterprise/${primaryCache.name}`]);
    const group = (name: string) => (Object.values(stack(name).resource.azurerm_managed_redis)[0].default_database as Attrs).geo_replication_group_name;
    expect(group("features-prod")).toBe("lake-features-prod");
    expect(group("features-prod-dr")).toBe(group("features-prod"));
  });

  test("the primary shares each protected catalog with the secondary metastore; the secondary deep-clones it on its zone's schedule", () => {
    const recipient = Object.values(stack("catalog-prod").resource.databricks_recipient)[0];
    expect(recipient).toMatchObject({ authentication_type: "DATABRICKS", data_recipient_global_metastore_id: "azure:northeurope:${var.dr_secondary_metastore_id}" });
    const shares = Object.values(stack("domain-sales-prod").resource.databricks_share).filter((s) => String(s.name).startsWith("dr_"));
    expect(shares.map((s) => s.name)).toEqual(["dr_sales_prod"]);
    expect((shares[0].object as Attrs[]).map((o) => [o.data_object_type, o.history_data_sharing_status])).toEqual([["SCHEMA", "ENABLED"], ["SCHEMA", "ENABLED"], ["SCHEMA", "ENABLED"]]);
    const grants = Object.values(stack("domain-sales-prod").resource.databricks_grants).filter((g) => String(g.share).includes("databricks_share.dr-share_"));
    expect(grants).toHaveLength(1);
    expect((grants[0].grant as Attrs[]).map((g) => g.privileges)).toEqual([["SELECT"]]);

    const job = (name: string) => Object.values(stack(name).resource.databricks_job)[0];
    const sales = job("domain-sales-prod-dr");
    // The domain catalogs live in gold-reporting: every 6 hours, a run never longer than 2 hours, one at a time.
    expect(sales.schedule).toEqual({ quartz_cron_expression: "0 0 0/6 * * ?", timezone_id: "UTC", pause_status: "UNPAUSED" });
    expect([sales.timeout_seconds, sales.max_concurrent_runs]).toEqual([7200, 1]);
    // Serverless: no cluster of any kind.
    const task = (sales.task as Attrs[])[0];
    expect(["new_cluster", "existing_cluster_id", "job_cluster_key"].filter((k) => k in task || k in sales)).toEqual([]);
    expect((sales.email_notifications as Attrs).on_failure).toEqual(["sales-data@contoso.example"]);
    const syncJobs = Object.values(stack("catalog-prod-dr").resource.databricks_job).map((j) => [j.name, (j.schedule as Attrs).quartz_cron_expression]);
    expect(syncJobs).toEqual(expect.arrayContaining([["dr-sync-lake_bronze_prod", "0 0 0 * * ?"], ["dr-sync-lake_silver_prod", "0 0 0/12 * * ?"]]));
    // The source is the share, mounted read-only under a name of its own.
    const source = Object.values(stack("domain-sales-prod-dr").resource.databricks_catalog).find((c) => c.share_name !== undefined)!;
    expect(source).toMatchObject({ name: "sales_prod_primary", share_name: "dr_sales_prod", provider_name: "${var.dr_share_provider_name}" });
  });
});

describe("targets the configuration cannot meet", () => {
  const root = mkdtempSync(join(tmpdir(), "medallion-dr-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function synthWith(edit: (prod: string) => string): Error | undefined {
    const config = mkdtempSync(join(root, "config-"));
    cpSync(DEFAULT_CONFIG_DIR, config, { recursive: true, filter: (src) => !src.endsWith(".ts") });
    const file = join(config, "environments", "prod.yaml");
    const text = readFileSync(file, "utf8");
    const edited = edit(text);
    if (edited === text) throw new Error("test setup: the edit changed nothing");
    writeFileSync(file, edited);
    try {
      synthesize(loadConfig(config), join(root, "out"));
    } catch (error) {
      return error as Error;
    }
    return undefined;
  }

  test("a sync schedule plus its run longer than the RPO fails synth, naming the zone", () => {
    const error = synthWith((t) => t.replace("gold-history: { mechanism: deepClone, intervalHours: 24,", "gold-history: { mechanism: deepClone, intervalHours: 24, maxCloneHours: 13,"));
    expect(error).toBeInstanceOf(RecoveryTargetsError);
    expect(error!.message).toMatch(/^disaster recovery targets not met; nothing was written:\n {2}prod: zone gold-history: worst-case RPO 37 h exceeds the target 36 h/);
  });

  test("Redis rebuilt from gold slower than the RTO fails synth, naming the service", () => {
    const error = synthWith((t) => t.replace("  features: { mode: geoReplication }", "  features: { mode: rebuild, rebuildHours: 30 }"));
    expect(error?.message).toMatch(/prod: service features \(Azure Managed Redis\): estimated RTO 31 h exceeds the target 24 h/);
  });

  test("tighter targets are checked the same way", () => {
    const error = synthWith((t) => t.replace("targets: { rpoHours: 36, rtoHours: 24 }", "targets: { rpoHours: 12, rtoHours: 24 }"));
    expect((error as RecoveryTargetsError).violations.map((v) => v.split(":")[1].trim())).toEqual(["zone bronze", "zone silver", "zone gold-history"]);
  });
});
