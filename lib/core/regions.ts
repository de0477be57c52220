/**
 * The Azure regions this library supports, with the short code used in resource names and whether the
 * region has availability zones. An unknown region is an error, never a fallback: a guessed code would
 * silently rename resources when the table is corrected.
 */
export interface RegionInfo {
  /** Short code used in names (CAF style). Stable: changing one renames every resource in that region. */
  readonly code: string;
  /** Whether the region offers availability zones. */
  readonly zones: boolean;
}

const REGIONS = {
  australiacentral: { code: "auc", zones: false },
  australiaeast: { code: "aue", zones: true },
  australiasoutheast: { code: "ause", zones: false },
  brazilsouth: { code: "brs", zones: true },
  canadacentral: { code: "cac", zones: true },
  canadaeast: { code: "cae", zones: false },
  centralindia: { code: "inc", zones: true },
  centralus: { code: "cus", zones: true },
  eastasia: { code: "ea", zones: true },
  eastus: { code: "eus", zones: true },
  eastus2: { code: "eus2", zones: true },
  francecentral: { code: "frc", zones: true },
  germanywestcentral: { code: "gwc", zones: true },
  italynorth: { code: "itn", zones: true },
  japaneast: { code: "jpe", zones: true },
  japanwest: { code: "jpw", zones: true },
  koreacentral: { code: "krc", zones: true },
  mexicocentral: { code: "mxc", zones: true },
  northcentralus: { code: "ncus", zones: false },
  northeurope: { code: "neu", zones: true },
  norwayeast: { code: "nwe", zones: true },
  polandcentral: { code: "plc", zones: true },
  qatarcentral: { code: "qac", zones: true },
  southafricanorth: { code: "san", zones: true },
  southcentralus: { code: "scus", zones: true },
  southeastasia: { code: "sea", zones: true },
  southindia: { code: "ins", zones: false },
  spaincentral: { code: "spc", zones: true },
  swedencentral: { code: "sdc", zones: true },
  switzerlandnorth: { code: "szn", zones: true },
  uaenorth: { code: "uan", zones: true },
  uksouth: { code: "uks", zones: true },
  ukwest: { code: "ukw", zones: false },
  westcentralus: { code: "wcus", zones: false },
  westeurope: { code: "weu", zones: true },
  westus: { code: "wus", zones: false },
  westus2: { code: "wus2", zones: true },
  westus3: { code: "wus3", zones: true },
} as const satisfies Readonly<Record<string, RegionInfo>>;

/** A supported Azure region (programmatic name): a typo does not compile. */
export type AzureRegion = keyof typeof REGIONS;

/** Every supported region name (Azure's programmatic names, e.g. `westeurope`). */
export const SUPPORTED_REGIONS: readonly AzureRegion[] = Object.keys(REGIONS) as AzureRegion[];

/** The region's facts, or undefined when the region is not supported. */
export function regionInfo(region: string): RegionInfo | undefined {
  return Object.prototype.hasOwnProperty.call(REGIONS, region) ? REGIONS[region as AzureRegion] : undefined;
}
