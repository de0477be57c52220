import { IConstruct } from "constructs";
import { invalid } from "../core/validation";

/** The medallion layers a zone can belong to, in data-flow order. */
export const LAYERS = ["landing", "staging", "bronze", "silver", "gold"] as const;
export type Layer = (typeof LAYERS)[number];

/** One zone of the lake: a filesystem (container) and, in Unity Catalog, an external location. */
export interface LakeZone {
  /** Container name, e.g. `gold-reporting`. */
  readonly name: string;
  readonly layer: Layer;
  /** Unity Catalog form of the name, e.g. `gold_reporting`. */
  readonly identifier: string;
}

export const DEFAULT_ZONES = ["bronze", "silver", "gold"];

/** The zone domain catalogs live in unless told otherwise: the first gold zone (parseZones guarantees one). */
export function defaultCatalogZone(zones: readonly LakeZone[]): LakeZone {
  return zones.find((z) => z.layer === "gold")!;
}

const ZONE = /^([a-z]+)(?:-([a-z][a-z0-9]{0,19}))?$/;

/** Validates zone names: a known layer, optionally split as `<layer>-<qualifier>`; no duplicates; in layer order. */
export function parseZones(scope: IConstruct, names: readonly string[] = DEFAULT_ZONES): LakeZone[] {
  if (!Array.isArray(names) || names.length === 0) invalid(scope, "lake.zones", names, "a non-empty list of zone names");
  const seen = new Set<string>();
  const zones = names.map((name) => {
    const match = typeof name === "string" ? ZONE.exec(name) : null;
    const layer = match?.[1] as Layer | undefined;
    if (!match || !layer || !LAYERS.includes(layer)) {
      invalid(scope, "lake.zones", name, `a layer (${LAYERS.join(", ")}) or a layer split as <layer>-<qualifier>, e.g. gold-reporting`);
    }
    if ((layer === "landing" || layer === "staging") && match[2]) invalid(scope, "lake.zones", name, `"${layer}" without a qualifier (it is a single transient zone)`);
    if (seen.has(name)) invalid(scope, "lake.zones", name, "unique zone names (it appears twice)");
    seen.add(name);
    return { name, layer, identifier: name.replace(/-/g, "_") };
  });
  for (const layer of ["bronze", "silver", "gold"] as const) {
    if (!zones.some((z) => z.layer === layer)) invalid(scope, "lake.zones", names, `at least one ${layer} zone (bronze, silver and gold are the medallion)`);
  }
  return [...zones].sort((a, b) => LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer));
}
