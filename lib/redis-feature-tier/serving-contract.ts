import { IConstruct } from "constructs";
import { invalid } from "../core/validation";

/** One feature set served from Redis. */
export interface FeatureSet {
  /** Owning domain, e.g. `fin`: `[a-z][a-z0-9_]*`. */
  readonly domain: string;
  /** Feature set name, e.g. `card_velocity`: `[a-z][a-z0-9_]*`. */
  readonly name: string;
  /** Positive integer: a new version is published beside the old one and readers switch with no downtime. */
  readonly schemaVersion: number;
  /** Longest a served value may be old, in seconds (the business's tolerance for staleness). */
  readonly freshnessSlaSeconds: number;
}

/** The TTLs a feature set is written with. */
export interface TtlPlan {
  /** Base TTL: the SLA divided by (1 + jitter), so even the longest jittered TTL never outlives the SLA. */
  readonly ttlSeconds: number;
  /** Shortest TTL after jitter: the pipeline must refresh at least this often, or reads miss. */
  readonly minTtlSeconds: number;
  /** Longest TTL after jitter, at most the SLA. */
  readonly maxTtlSeconds: number;
  readonly jitterPercent: number;
}

export interface FeatureSetContract extends FeatureSet, TtlPlan {
  /** Every key of the set starts with it: `<domain>:<featureSet>:v<schemaVersion>:`. */
  readonly keyPrefix: string;
}

/** What feature publishers and online readers agree on. Holds no secret: Entra ID is the only way in. */
export interface ServingContract {
  readonly contractVersion: 1;
  readonly keySchema: "<domain>:<featureSet>:v<schemaVersion>:<entityKey>";
  readonly authentication: "entra-id";
  readonly tls: true;
  readonly featureSets: readonly FeatureSetContract[];
}

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

/**
 * TTLs from a freshness SLA with ±`jitterPercent` jitter, so keys written together do not expire together.
 * Fails when the SLA leaves no positive TTL.
 */
export function ttlPlan(scope: IConstruct, prop: string, freshnessSlaSeconds: number, jitterPercent: number): TtlPlan {
  if (!Number.isInteger(freshnessSlaSeconds) || freshnessSlaSeconds <= 0) invalid(scope, `${prop}.freshnessSlaSeconds`, freshnessSlaSeconds, "a positive whole number of seconds");
  if (!Number.isInteger(jitterPercent) || jitterPercent < 0 || jitterPercent > 50) invalid(scope, "ttlJitterPercent", jitterPercent, "a whole percentage from 0 to 50");
  const ttlSeconds = Math.floor((freshnessSlaSeconds * 100) / (100 + jitterPercent));
  const minTtlSeconds = Math.floor((ttlSeconds * (100 - jitterPercent)) / 100);
  if (minTtlSeconds <= 0) invalid(scope, `${prop}.freshnessSlaSeconds`, freshnessSlaSeconds, `an SLA long enough for a TTL above 0 after ±${jitterPercent}% jitter`);
  return { ttlSeconds, minTtlSeconds, maxTtlSeconds: Math.floor((ttlSeconds * (100 + jitterPercent)) / 100), jitterPercent };
}

/** `<domain>:<featureSet>:v<schemaVersion>:` — the prefix of every key of the set. */
export function keyPrefix(set: Pick<FeatureSet, "domain" | "name" | "schemaVersion">): string {
  return `${set.domain}:${set.name}:v${set.schemaVersion}:`;
}

/** Validates the feature sets and builds the contract. */
export function servingContract(scope: IConstruct, featureSets: readonly FeatureSet[], jitterPercent: number): ServingContract {
  if (!Array.isArray(featureSets) || featureSets.length === 0) invalid(scope, "featureSets", featureSets, "at least one feature set");
  const seen = new Set<string>();
  const sets = featureSets.map((set, i) => {
    const prop = `featureSets[${i}]`;
    if (typeof set.domain !== "string" || !IDENTIFIER.test(set.domain)) invalid(scope, `${prop}.domain`, set.domain, "[a-z][a-z0-9_]* (no ':' or spaces: it is part of every key)");
    if (typeof set.name !== "string" || !IDENTIFIER.test(set.name)) invalid(scope, `${prop}.name`, set.name, "[a-z][a-z0-9_]* (no ':' or spaces: it is part of every key)");
    if (!Number.isInteger(set.schemaVersion) || set.schemaVersion < 1) invalid(scope, `${prop}.schemaVersion`, set.schemaVersion, "a positive integer");
    const prefix = keyPrefix(set);
    if (seen.has(prefix)) invalid(scope, prop, prefix, "each domain, feature set and version once");
    seen.add(prefix);
    return { ...set, keyPrefix: prefix, ...ttlPlan(scope, prop, set.freshnessSlaSeconds, jitterPercent) };
  });
  return {
    contractVersion: 1,
    keySchema: "<domain>:<featureSet>:v<schemaVersion>:<entityKey>",
    authentication: "entra-id",
    tls: true,
    featureSets: sets.sort((a, b) => a.keyPrefix.localeCompare(b.keyPrefix)),
  };
}
