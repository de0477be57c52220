import { createHash } from "crypto";
import { IConstruct } from "constructs";
import { regionInfo, SUPPORTED_REGIONS } from "./regions";
import { invalid, isDeferred } from "./validation";

/** Inputs every name is derived from. All of them are stable: changing one renames (replaces) resources. */
export interface NamingProps {
  /** Organization slug. Only feeds the uniqueness suffix of globally unique names. Pattern `[a-z0-9-]{2,40}`. */
  readonly organization: string;
  /** Workload slug, e.g. `lake`. Pattern `[a-z][a-z0-9]{1,9}` (no hyphens: it appears in storage account names). */
  readonly workload: string;
  /** Environment slug, e.g. `dev`, `prod`. Pattern `[a-z][a-z0-9]{1,5}`. */
  readonly environment: string;
  /** Azure region programmatic name, e.g. `westeurope`. Must be one of {@link SUPPORTED_REGIONS}. */
  readonly region: string;
}

const WORKLOAD = /^[a-z][a-z0-9]{1,9}$/;
const ENVIRONMENT = /^[a-z][a-z0-9]{1,5}$/;
const ORGANIZATION = /^[a-z0-9-]{2,40}$/;
const PURPOSE = /^[a-z][a-z0-9]{0,11}$/;
const UC_PART = /^[a-z0-9_]+$/;

/**
 * The one owner of resource names (CAF abbreviations: `<abbr>-<workload>-<purpose>-<env>-<region>`).
 * Every name is checked against Azure's rule for its type when it is requested; a name that does not
 * fit fails synth — it is never truncated. Globally unique names (storage, Key Vault, Data Factory, …)
 * end in a 5-character suffix hashed from the naming inputs, so the same inputs always give the same name.
 */
export class Naming {
  /** Region short code, e.g. `weu`. */
  readonly regionCode: string;
  /** Deterministic uniqueness suffix for globally unique names. */
  readonly suffix: string;
  readonly workload: string;
  readonly environment: string;
  readonly region: string;
  /** Names issued so far, by kind, with the construct path that asked: two constructs never get one name. */
  private readonly issued = new Map<string, string>();

  /** @param scope the construct the naming belongs to (usually the stack); errors name its path. */
  constructor(scope: IConstruct, props: NamingProps) {
    if (!ORGANIZATION.test(props.organization ?? "")) invalid(scope, "naming.organization", props.organization, "2–40 characters of [a-z0-9-]");
    if (!WORKLOAD.test(props.workload ?? "")) invalid(scope, "naming.workload", props.workload, "2–10 characters of [a-z0-9], starting with a letter");
    if (!ENVIRONMENT.test(props.environment ?? "")) invalid(scope, "naming.environment", props.environment, "2–6 characters of [a-z0-9], starting with a letter");
    const info = regionInfo(props.region);
    if (!info) invalid(scope, "naming.region", props.region, `one of the supported regions (${SUPPORTED_REGIONS.join(", ")})`);
    this.workload = props.workload;
    this.environment = props.environment;
    this.region = props.region;
    this.regionCode = info.code;
    this.suffix = createHash("sha256")
      .update([props.organization, props.workload, props.environment, props.region].join("|"))
      .digest("hex")
      .slice(0, 5);
  }

  resourceGroup(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "resource group", this.standard("rg", scope, purpose), /^[-\w.()]{1,89}[-\w()]$/, "1–90 characters of letters, digits, -_.() not ending in a period");
  }

  /** The workspace's managed resource group (Azure creates it; the name is ours). */
  /**
   * A resource location: a supported region, and the naming region — a name's region code and the resource's region
   * must agree, or the names lie. Returns the location.
   */
  location(scope: IConstruct, prop: string, location: string): string {
    if (isDeferred(location)) return location;
    if (!regionInfo(location)) invalid(scope, prop, location, `a supported Azure region (${SUPPORTED_REGIONS.join(", ")})`);
    if (location !== this.region) invalid(scope, prop, location, `${this.region}, the naming region (names carry its code; use a Naming of the other region for resources there)`);
    return location;
  }

  managedResourceGroup(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "managed resource group", this.standard("rg", scope, purpose, "managed"), /^[-\w.()]{1,89}[-\w()]$/, "1–90 characters of letters, digits, -_.() not ending in a period");
  }

  virtualNetwork(scope: IConstruct, purpose: string): string {
    return this.network("vnet", scope, purpose);
  }

  /** Peering of the network known as `from` to the one known as `to` (e.g. `core` → `hub`). */
  virtualNetworkPeering(scope: IConstruct, from: string, to: string): string {
    return this.network("peer", scope, from, to);
  }

  /** Azure integration runtime of a Data Factory (3–63 characters, letters, digits and single hyphens). */
  integrationRuntime(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "integration runtime", this.standard("ir", scope, purpose), /^[a-zA-Z0-9](?!.*--)[-a-zA-Z0-9]{1,61}[a-zA-Z0-9]$/, "3–63 characters of letters, digits and single hyphens");
  }

  /** `qualifier` tells apart several subnets of one purpose (`host`, `container`, `pe`). */
  subnet(scope: IConstruct, purpose: string, qualifier?: string): string {
    return this.network("snet", scope, purpose, qualifier);
  }

  networkSecurityGroup(scope: IConstruct, purpose: string, qualifier?: string): string {
    return this.network("nsg", scope, purpose, qualifier);
  }

  /** GitHub.Network/networkSettings: a VNet subnet that GitHub-hosted runners join. */
  networkSettings(scope: IConstruct, purpose: string): string {
    return this.network("ghns", scope, purpose);
  }

  natGateway(scope: IConstruct, purpose: string): string {
    return this.network("ng", scope, purpose);
  }

  publicIp(scope: IConstruct, purpose: string, qualifier?: string): string {
    return this.network("pip", scope, purpose, qualifier);
  }

  routeTable(scope: IConstruct, purpose: string): string {
    return this.network("rt", scope, purpose);
  }

  /** Private endpoint for `purpose`'s `subresource` (e.g. `dfs`, `databricks_ui_api`); `qualifier` tells apart several (`fe`, `root`). */
  privateEndpoint(scope: IConstruct, purpose: string, subresource: string, qualifier?: string): string {
    return this.network("pep", scope, purpose, qualifier, subresource.toLowerCase().replace(/_/g, "-"));
  }

  /** Link of the private DNS zone `zone` to the virtual network known as `vnet`. */
  dnsZoneLink(scope: IConstruct, zone: string, vnet: string): string {
    return this.network("pdnslink", scope, zone, vnet);
  }

  databricksWorkspace(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "Databricks workspace", this.standard("dbw", scope, purpose), /^[a-zA-Z0-9][-\w]{1,62}[a-zA-Z0-9]$/, "3–64 characters of letters, digits, - and _");
  }

  accessConnector(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "access connector", this.standard("dbac", scope, purpose), /^[a-zA-Z0-9][-\w.]{1,62}[a-zA-Z0-9_]$/, "3–64 characters of letters, digits, -._");
  }

  logAnalyticsWorkspace(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "Log Analytics workspace", this.standard("log", scope, purpose), /^[a-zA-Z0-9][-a-zA-Z0-9]{2,61}[a-zA-Z0-9]$/, "4–63 characters of letters, digits and hyphens");
  }

  /** Databricks Network Connectivity Configuration (serverless egress): 3–30 characters. */
  networkConnectivityConfig(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "network connectivity configuration", this.standard("ncc", scope, purpose), /^[a-zA-Z0-9][-\w]{1,28}[a-zA-Z0-9]$/, "3–30 characters of letters, digits, - and _");
  }

  /** Custom role definition, e.g. a domain's data reader: `role-<workload>-<domain>-<kind>-<env>-<region>`. */
  roleDefinition(scope: IConstruct, purpose: string, kind: string): string {
    return this.network("role", scope, purpose, kind);
  }

  /** Consumption budget. */
  budget(scope: IConstruct, purpose: string): string {
    return this.network("budget", scope, purpose);
  }

  /** Action group; its short name (12 characters at most) is {@link actionGroupShortName}. */
  actionGroup(scope: IConstruct, purpose: string): string {
    return this.network("ag", scope, purpose);
  }

  /** The longest purpose whose action group short name (`<purpose>-<environment>`) fits Azure's 12 characters. */
  get actionGroupShortNamePurposeMax(): number {
    return 12 - 1 - this.environment.length;
  }

  /** The longest purpose whose storage account name (`st<workload><purpose><env><region><suffix>`) fits 24 characters. */
  get storageAccountPurposeMax(): number {
    return 24 - 2 - this.workload.length - this.environment.length - this.regionCode.length - this.suffix.length;
  }

  actionGroupShortName(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "action group short", `${purpose}-${this.environment}`, /^[a-zA-Z0-9-]{1,12}$/, "1–12 characters (a shorter purpose)");
  }

  /** ARM template deployment (resource group scope). */
  templateDeployment(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "template deployment", this.standard("deploy", scope, purpose), /^[-\w.()]{1,64}$/, "1–64 characters of letters, digits, -_.()");
  }

  metricAlert(scope: IConstruct, purpose: string): string {
    return this.network("alert", scope, purpose);
  }

  managementLock(scope: IConstruct, purpose: string): string {
    return this.network("lock", scope, purpose);
  }

  /** `qualifier` tells apart several settings of one purpose (`nsgdbw`, `nsgpe`). */
  diagnosticSetting(scope: IConstruct, purpose: string, qualifier?: string): string {
    return this.network("diag", scope, purpose, qualifier);
  }

  /** Globally unique: 3–24 characters of [a-z0-9]; no separators; ends in the uniqueness suffix. */
  storageAccount(scope: IConstruct, purpose: string): string {
    this.checkPurpose(scope, purpose);
    const name = `st${this.workload}${purpose}${this.environment}${this.regionCode}${this.suffix}`;
    return this.checked(scope, "storage account", name, /^[a-z0-9]{3,24}$/, "3–24 characters of [a-z0-9] (shorten the workload or purpose; names are never truncated)");
  }

  /** Globally unique: 3–24 characters, letters/digits/hyphens, starts with a letter, no trailing or double hyphen. */
  keyVault(scope: IConstruct, purpose?: string): string {
    if (purpose !== undefined) this.checkPurpose(scope, purpose);
    const name = ["kv", this.workload, purpose, this.environment, this.regionCode, this.suffix].filter(Boolean).join("-");
    return this.checked(scope, "Key Vault", name, /^(?=.{3,24}$)[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/, "3–24 characters of letters, digits and single hyphens, starting with a letter (shorten the workload or purpose; names are never truncated)");
  }

  /** A Databricks cluster policy (unique in its workspace), e.g. `cp-lake-sales-prod-weu`. */
  clusterPolicy(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "cluster policy", this.standard("cp", scope, purpose), /^[a-z0-9][a-z0-9-]{0,98}[a-z0-9]$/, "2–100 characters of [a-z0-9-]");
  }

  /** A Databricks account network policy (serverless egress), e.g. `np-lake-serverless-prod-weu`. */
  networkPolicy(scope: IConstruct, purpose: string): string {
    return this.checked(scope, "network policy", this.standard("np", scope, purpose), /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/, "2–64 characters of [a-z0-9-]");
  }

  /**
   * The name of a group that spans regions (Managed Redis geo-replication): the same in every region of the
   * environment, so it carries no region code.
   */
  crossRegionGroup(scope: IConstruct, purpose: string): string {
    this.checkPurpose(scope, purpose);
    return this.checked(scope, "cross-region group", [this.workload, purpose, this.environment].join("-"), /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, "1–63 characters of letters, digits and hyphens");
  }

  /** Globally unique names of other services (Data Factory, Managed Redis, Event Hubs namespace). */
  globalName(scope: IConstruct, abbreviation: string, purpose: string, maxLength: number): string {
    const name = `${this.standard(abbreviation, scope, purpose)}-${this.suffix}`;
    return this.checked(scope, abbreviation, name, new RegExp(`^(?=.{3,${maxLength}}$)[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$`), `3–${maxLength} characters of letters, digits and hyphens`);
  }

  /** A Unity Catalog identifier (catalog, schema, external location…): parts joined with `_`, each [a-z0-9_]. */
  unityCatalog(scope: IConstruct, ...parts: string[]): string {
    for (const part of parts) {
      if (!UC_PART.test(part)) invalid(scope, "unity catalog name part", part, "characters of [a-z0-9_]");
    }
    return this.checked(scope, "Unity Catalog identifier", parts.join("_"), /^[a-z0-9_]{1,255}$/, "1–255 characters of [a-z0-9_]");
  }

  private standard(abbreviation: string, scope: IConstruct, purpose: string, ...qualifiers: (string | undefined)[]): string {
    this.checkPurpose(scope, purpose);
    return [abbreviation, this.workload, purpose, ...qualifiers, this.environment, this.regionCode].filter(Boolean).join("-");
  }

  private network(abbreviation: string, scope: IConstruct, purpose: string, ...qualifiers: (string | undefined)[]): string {
    return this.checked(scope, abbreviation, this.standard(abbreviation, scope, purpose, ...qualifiers), /^[a-zA-Z0-9][-\w.]{0,78}[\w]$/, "2–80 characters of letters, digits, -._ ending in a letter, digit or _");
  }

  private checkPurpose(scope: IConstruct, purpose: string): void {
    if (!PURPOSE.test(purpose ?? "")) invalid(scope, "name purpose", purpose, "1–12 characters of [a-z0-9], starting with a letter");
  }

  private checked(scope: IConstruct, kind: string, name: string, rule: RegExp, expected: string): string {
    if (!rule.test(name)) invalid(scope, `${kind} name`, name, expected);
    const key = `${kind}|${name}`;
    const owner = this.issued.get(key);
    if (owner !== undefined && owner !== scope.node.path) {
      invalid(scope, `${kind} name`, name, `a name not already given to ${owner} (use a different purpose)`);
    }
    this.issued.set(key, scope.node.path);
    return name;
  }
}
