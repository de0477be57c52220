/**
 * The recovery point and time an active-passive deployment achieves, computed from its configuration — per lake zone and
 * per platform service — and checked against targets. Pure arithmetic: the constructs and the app build the inputs.
 */

/** Recovery objectives, in hours. */
export interface RecoveryTargets {
  /** Most data (hours of changes) the business accepts to lose. */
  readonly rpoHours: number;
  /** Longest time to be back in service in the secondary region. */
  readonly rtoHours: number;
}

/** The hardened architecture's targets: an RPO of 1.5 days and an RTO under one day (the seed's requirements). */
export const SEED_TARGETS: RecoveryTargets = { rpoHours: 36, rtoHours: 24 };

/** Clone intervals a daily Quartz schedule can hold exactly (hours that divide a day). */
export const CLONE_INTERVALS = [1, 2, 3, 4, 6, 8, 12, 24] as const;
export type CloneIntervalHours = (typeof CLONE_INTERVALS)[number];

/**
 * How a zone's data reaches the secondary region.
 * - `geoReplication`: the lake account's geo-redundant copy (GZRS, RAGZRS) in the paired region, for zones of files (landing, staging); a
 *   Delta table must never rely on it alone (a log and its data files replicate independently).
 * - `deepClone`: scheduled `DEEP CLONE` jobs in the secondary workspace copy every shared table, transactionally.
 */
export type ZoneProtection =
  | {
      readonly mechanism: "geoReplication";
      /** The lake account's replication (GZRS or RAGZRS), for the report. @default "GZRS" */
      readonly replication?: string;
    }
  | {
      readonly mechanism: "deepClone";
      readonly intervalHours: CloneIntervalHours;
      /** The clone job's timeout: a run never lasts longer, so the RPO bound holds. @default 2 */
      readonly maxCloneHours?: number;
    };

/** One restore step of the runbook, with its estimated duration. */
export interface RestoreStep {
  readonly step: string;
  readonly hours: number;
}

/** What the report says of one zone or service. */
export interface RecoveryItem {
  readonly kind: "zone" | "service";
  readonly name: string;
  readonly mechanism: string;
  /** Worst-case data loss in hours; null when the item holds no data of its own (it is redeployed). */
  readonly rpoHours: number | null;
  /** Where the RPO figure comes from. */
  readonly rpoBasis: string;
  readonly restoreSteps: readonly RestoreStep[];
  /** Sum of the restore steps, after the common failover steps. */
  readonly rtoHours: number;
}

/**
 * Durations the arithmetic assumes, each from a documented figure or a stated estimate. Every one can be overridden by
 * configuration; the report prints the values it used.
 */
export interface RecoveryAssumptions {
  /**
   * Replication lag of geo-redundant storage. Microsoft documents "typically less than 15 minutes" with no SLA
   * (Azure Storage redundancy, "Recovery point objective"); check the account's Last Sync Time before failing over.
   */
  readonly geoReplicationLagHours: number;
  /** Customer-managed storage account failover (estimate; Azure documents no fixed duration). */
  readonly storageFailoverHours: number;
  /** Declaring the disaster and running the common failover steps: pause clone jobs, switch DNS and front end. */
  readonly declareAndSwitchHours: number;
  /** Redeploying Data Factory pipelines from Git into the secondary factory (estimate). */
  readonly dataFactoryRedeployHours: number;
  /** Writing the secrets into the secondary Key Vault from their sources (estimate). */
  readonly keyVaultReseedHours: number;
  /** Geo-replicated Redis: clients switch to the secondary's endpoint (estimate). */
  readonly redisSwitchHours: number;
}

export const DEFAULT_ASSUMPTIONS: RecoveryAssumptions = {
  geoReplicationLagHours: 0.25,
  storageFailoverHours: 1,
  declareAndSwitchHours: 1,
  dataFactoryRedeployHours: 2,
  keyVaultReseedHours: 1,
  redisSwitchHours: 0.5,
};

/** The default timeout of a clone run, and so its contribution to the worst-case RPO. */
export const DEFAULT_MAX_CLONE_HOURS = 2;

function common(assumptions: RecoveryAssumptions): RestoreStep {
  return { step: "Declare the disaster; pause the clone jobs; switch the front end and DNS to the secondary", hours: assumptions.declareAndSwitchHours };
}

function item(kind: RecoveryItem["kind"], name: string, mechanism: string, rpoHours: number | null, rpoBasis: string, steps: RestoreStep[], assumptions: RecoveryAssumptions): RecoveryItem {
  const restoreSteps = [common(assumptions), ...steps];
  return { kind, name, mechanism, rpoHours, rpoBasis, restoreSteps, rtoHours: restoreSteps.reduce((sum, s) => sum + s.hours, 0) };
}

/**
 * A zone's recovery. A deep-cloned zone loses at most one interval plus one run (a change committed just after a run
 * read its source is copied by the next run, which may take up to its timeout); its tables are already in the
 * secondary metastore. A geo-replicated zone loses the replication lag and waits for the account failover.
 */
export function zoneRecovery(zone: string, protection: ZoneProtection, assumptions: RecoveryAssumptions = DEFAULT_ASSUMPTIONS): RecoveryItem {
  if (protection.mechanism === "deepClone") {
    const run = protection.maxCloneHours ?? DEFAULT_MAX_CLONE_HOURS;
    return item("zone", zone, `Delta deep clone every ${protection.intervalHours} h`, protection.intervalHours + run, `clone interval ${protection.intervalHours} h + longest run ${run} h (the job's timeout)`, [
      { step: "Check the last successful clone run of every sync job; grant the writers' personas write on the secondary catalogs", hours: 0.5 },
    ], assumptions);
  }
  return item("zone", zone, `geo-redundant storage (${protection.replication ?? "GZRS"})`, assumptions.geoReplicationLagHours, `geo-replication lag (typically under 15 minutes, no SLA)`, [
    { step: "Customer-managed failover of the lake account to the paired region", hours: assumptions.storageFailoverHours },
  ], assumptions);
}

/** Online feature tier: geo-replicated with the primary, or rebuilt from gold by the feature pipelines. */
export type FeatureRecovery = { readonly mode: "geoReplication" } | { readonly mode: "rebuild"; readonly rebuildHours: number; readonly goldRpoHours: number };

export function featureRecovery(recovery: FeatureRecovery, assumptions: RecoveryAssumptions = DEFAULT_ASSUMPTIONS): RecoveryItem {
  if (recovery.mode === "geoReplication") {
    return item("service", "features (Azure Managed Redis)", "active geo-replication", 0, "active-active replication: writes reach the secondary within seconds", [
      { step: "Point the online scoring service at the secondary cache", hours: assumptions.redisSwitchHours },
    ], assumptions);
  }
  return item("service", "features (Azure Managed Redis)", "rebuild from gold", recovery.goldRpoHours, "the gold data the features are rebuilt from", [
    { step: "Run the feature pipelines in the secondary workspace to republish every feature set", hours: recovery.rebuildHours },
  ], assumptions);
}

/** The platform services of the secondary: warm (deployed and idle) or redeployed. */
export function serviceRecoveries(options: { readonly ingestion: boolean }, assumptions: RecoveryAssumptions = DEFAULT_ASSUMPTIONS): RecoveryItem[] {
  return [
    item("service", "workspace", "warm secondary workspace (deployed, jobs paused)", null, "no data of its own: jobs and notebooks are code", [
      { step: "Unpause the workloads' jobs in the secondary workspace", hours: 0.5 },
    ], assumptions),
    item("service", "unity catalog", "secondary metastore with the same catalogs and grants", null, "its tables are the zones' (above)", [], assumptions),
    item("service", "key vault", "a vault per region", null, "secrets are written from their sources, never replicated", [
      { step: "Write the secrets the workloads need into the secondary vault", hours: assumptions.keyVaultReseedHours },
    ], assumptions),
    ...(options.ingestion
      ? [
          item("service", "data factory", "secondary factory, pipelines redeployed from Git", null, "pipelines are code in Git", [
            { step: "Release the factory's pipelines from Git into the secondary factory; start its triggers", hours: assumptions.dataFactoryRedeployHours },
          ], assumptions),
        ]
      : []),
    item("service", "monitoring", "a Log Analytics workspace per region", null, "the primary's logs stay in the primary region", [], assumptions),
    item("service", "network connectivity", "the secondary's network connectivity configuration and private endpoints", null, "configuration only", [], assumptions),
  ];
}

export interface RecoveryReport {
  readonly environment: string;
  readonly primaryLocation: string;
  readonly secondaryLocation: string;
  readonly targets: RecoveryTargets;
  readonly assumptions: RecoveryAssumptions;
  readonly items: readonly RecoveryItem[];
  /** Worst item: the environment's achieved objectives. */
  readonly achieved: { readonly rpoHours: number; readonly rtoHours: number };
  /** Items that miss a target, each naming the zone or service. */
  readonly violations: readonly string[];
}

export function recoveryReport(input: Omit<RecoveryReport, "achieved" | "violations">): RecoveryReport {
  const violations: string[] = [];
  for (const i of input.items) {
    if (i.rpoHours !== null && i.rpoHours > input.targets.rpoHours) {
      violations.push(`${input.environment}: ${i.kind} ${i.name}: worst-case RPO ${hours(i.rpoHours)} exceeds the target ${hours(input.targets.rpoHours)} (${i.rpoBasis})`);
    }
    if (i.rtoHours > input.targets.rtoHours) {
      violations.push(`${input.environment}: ${i.kind} ${i.name}: estimated RTO ${hours(i.rtoHours)} exceeds the target ${hours(input.targets.rtoHours)} (${i.restoreSteps.map((s) => `${s.step}: ${hours(s.hours)}`).join("; ")})`);
    }
  }
  const rpos = input.items.map((i) => i.rpoHours).filter((r): r is number => r !== null);
  return {
    ...input,
    achieved: { rpoHours: Math.max(0, ...rpos), rtoHours: Math.max(0, ...input.items.map((i) => i.rtoHours)) },
    violations,
  };
}

function hours(h: number): string {
  return `${Number(h.toFixed(2))} h`;
}

/** The report as Markdown, for people (the JSON is for tools). */
export function recoveryReportMarkdown(reports: readonly RecoveryReport[]): string {
  const lines = ["# Disaster recovery report", "", "Computed at synth from the configuration; synth fails when a zone or service misses its target.", ""];
  for (const r of reports) {
    lines.push(
      `## ${r.environment}: ${r.primaryLocation} → ${r.secondaryLocation}`,
      "",
      `Targets: RPO ${hours(r.targets.rpoHours)}, RTO ${hours(r.targets.rtoHours)}. Achieved (worst item): RPO ${hours(r.achieved.rpoHours)}, RTO ${hours(r.achieved.rtoHours)}.`,
      "",
      "| kind | name | mechanism | worst-case RPO | RPO basis | estimated RTO | restore steps |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...r.items.map((i) => `| ${i.kind} | ${i.name} | ${i.mechanism} | ${i.rpoHours === null ? "n/a" : hours(i.rpoHours)} | ${i.rpoBasis} | ${hours(i.rtoHours)} | ${i.restoreSteps.map((s, n) => `${n + 1}. ${s.step} (${hours(s.hours)})`).join("<br>")} |`),
      "",
      "Assumptions: " + Object.entries(r.assumptions).map(([k, v]) => `${k} ${v}`).join(", ") + ".",
      "",
    );
  }
  return lines.join("\n");
}
