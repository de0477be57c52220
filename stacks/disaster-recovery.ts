import { IConstruct } from "constructs";
import { invalid } from "../lib/core/validation";
import { RecoveryRecord } from "../lib/disaster-recovery/recovery-metadata";
import {
  DEFAULT_ASSUMPTIONS,
  featureRecovery,
  RecoveryItem,
  RecoveryReport,
  recoveryReport,
  SEED_TARGETS,
  serviceRecoveries,
  ZoneProtection,
  zoneRecovery,
} from "../lib/disaster-recovery/recovery-report";
import { FILE_LAYERS } from "../lib/medallion-platform/platform-access";
import { defaultCatalogZone, LakeZone, parseZones } from "../lib/medallion-platform/zones";
import { DisasterRecoveryConfig, EnvironmentConfig } from "./config/schema";

/** An environment's place in an active-passive pair: what its stacks need to know of the other region. */
export interface RegionRole {
  readonly role: "primary" | "secondary";
  readonly config: DisasterRecoveryConfig;
  /** The primary environment's configuration (for a primary: its own). */
  readonly primary: EnvironmentConfig;
}

/** The configuration cannot meet its recovery targets: every zone or service that misses one, named. */
export class RecoveryTargetsError extends Error {
  constructor(readonly violations: readonly string[]) {
    super(`disaster recovery targets not met; nothing was written:\n  ${violations.join("\n  ")}`);
    this.name = "RecoveryTargetsError";
  }
}


/**
 * The secondary environment: the primary's configuration in the secondary's region, network, runners and state.
 * Account principals already exist (the primary provisions them; the secondary looks them up) and the secondary has
 * no runner network of its own.
 */
export function secondaryEnvironment(env: EnvironmentConfig): EnvironmentConfig {
  const secondary = env.disasterRecovery!.secondary;
  return {
    ...env,
    location: secondary.location,
    network: secondary.network,
    transit: secondary.transit,
    webAuth: secondary.webAuth,
    catalog: { ...env.catalog, metastore: "existing", principals: "lookup" },
    deploy: { runners: secondary.runners, stateBackend: secondary.stateBackend },
  };
}

/** An environment's checked recovery configuration: its zones, and each one's protection by zone name. */
export interface RecoveryPlan {
  readonly zones: readonly LakeZone[];
  readonly protection: ReadonlyMap<string, ZoneProtection & { readonly schemas?: readonly string[] }>;
}

/**
 * Checks the configuration of an environment's disaster recovery and returns its plan.
 * Fails naming the key: a secondary in the primary's region, a zone without a mechanism (or an unknown one), a Delta
 * zone protected by geo-replication alone, geo-replication on storage that does not replicate, a deep-cloned zone with
 * nothing to clone, Redis geo-replication its SKU or persistence forbids.
 */
export function checkRecoveryConfig(scope: IConstruct, env: EnvironmentConfig): RecoveryPlan {
  const dr = env.disasterRecovery!;
  const at = (key: string) => `disasterRecovery.${key}`;
  if (dr.secondary.location === env.location) invalid(scope, at("secondary.location"), dr.secondary.location, `a region other than the primary's (${env.location})`);
  const zones = parseZones(scope, env.lake.zones);
  for (const name of Object.keys(dr.zones)) {
    if (!zones.some((z) => z.name === name)) invalid(scope, at(`zones.${name}`), name, `a zone of lake.zones (${zones.map((z) => z.name).join(", ")})`);
  }
  const protection = new Map<string, ZoneProtection & { readonly schemas?: readonly string[] }>();
  const catalogZone = defaultCatalogZone(zones);
  for (const zone of zones) {
    const config = dr.zones[zone.name];
    if (!config) invalid(scope, at(`zones.${zone.name}`), undefined, `its recovery mechanism: geoReplication (files) or deepClone (Delta tables)`);
    if (config.mechanism === "geoReplication") {
      if (!FILE_LAYERS.includes(zone.layer)) invalid(scope, at(`zones.${zone.name}.mechanism`), config.mechanism, `deepClone: ${zone.name} holds Delta tables, and geo-replicated storage alone can leave a table's log and data files out of step`);
      if (!["GZRS", "RAGZRS"].includes(env.lake.replication)) invalid(scope, "lake.replication", env.lake.replication, `GZRS or RAGZRS: zone ${zone.name} is recovered from the lake's geo-redundant copy`);
    } else {
      if (FILE_LAYERS.includes(zone.layer)) invalid(scope, at(`zones.${zone.name}.mechanism`), config.mechanism, `geoReplication: ${zone.name} holds files, which deep clone cannot copy`);
      if ((config.schemas ?? []).length === 0 && zone.name !== catalogZone.name) invalid(scope, at(`zones.${zone.name}.schemas`), config.schemas, `the schemas of the ${zone.name} layer catalog to clone (nothing else lives in this zone)`);
    }
    protection.set(zone.name, config);
  }
  if (env.features) {
    if (!dr.features) invalid(scope, at("features"), undefined, `mode geoReplication or rebuild (with rebuildHours): the environment has an online feature tier`);
    if (dr.features.mode === "geoReplication" && (env.features.persistence ?? "none") !== "none") invalid(scope, "features.persistence", env.features.persistence, `none: Azure Managed Redis does not geo-replicate a persisted cache`);
  }
  return { zones, protection };
}

/** The stacks' record of the pair (for the guardrails). */
export function recoveryRecord(region: RegionRole, plan: RecoveryPlan): RecoveryRecord {
  return {
    role: region.role,
    primaryLocation: region.primary.location,
    secondaryLocation: region.config.secondary.location,
    zones: plan.zones.map((z) => ({ zone: z.name, delta: !FILE_LAYERS.includes(z.layer), mechanism: plan.protection.get(z.name)?.mechanism ?? "none" })),
  };
}

/** The environment's RPO/RTO report: every zone, every service, the feature tier. */
export function environmentRecoveryReport(env: EnvironmentConfig, plan: RecoveryPlan): RecoveryReport {
  const dr = env.disasterRecovery!;
  const items: RecoveryItem[] = [...plan.protection].map(([zone, p]) => zoneRecovery(zone, p.mechanism === "geoReplication" ? { ...p, replication: env.lake.replication } : p));
  items.push(...serviceRecoveries({ ingestion: env.ingestion.enabled }));
  if (env.features && dr.features) {
    const gold = items.find((i) => i.name === defaultCatalogZone(plan.zones).name)!;
    items.push(featureRecovery(dr.features.mode === "geoReplication" ? { mode: "geoReplication" } : { mode: "rebuild", rebuildHours: dr.features.rebuildHours, goldRpoHours: gold.rpoHours ?? 0 }));
  }
  return recoveryReport({
    environment: env.environment,
    primaryLocation: env.location,
    secondaryLocation: dr.secondary.location,
    targets: dr.targets ?? SEED_TARGETS,
    assumptions: DEFAULT_ASSUMPTIONS,
    items,
  });
}
