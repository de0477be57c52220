import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { defaultCatalogZone } from "../medallion-platform/zones";
import { AccountPrincipalsMode } from "../identity/account-principals";
import { MedallionPlatform } from "../medallion-platform/medallion-platform";
import { PlatformCatalog } from "../medallion-platform/platform-catalog";
import { ServerlessStorageAccessProps } from "../medallion-platform/serverless-access";
import { PrivateDns } from "../network/private-dns";

/** The platform's Unity Catalog storage credential and the access connector behind it. */
export interface SharedCredential {
  readonly name: string;
  readonly accessConnectorId: string;
  readonly accessConnectorPrincipalId: string;
}

/** The Databricks account side of a domain: principals, budgets, serverless networking. */
export interface DomainAccountLink {
  /** Account-level provider. */
  readonly provider: DatabricksProvider;
  /** The Databricks account ID (budget policy rule sets name it). */
  readonly accountId: string;
  /** How the persona groups and service principals exist in the account. @default "provision" */
  readonly principals?: AccountPrincipalsMode;
}

/** What a domain uses of the platform (usually references to the platform and catalog stacks). */
export interface DomainPlatformLink {
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** Workspace-level provider of the environment's workspace. */
  readonly workspaceProvider: DatabricksProvider;
  readonly workspaceId: string;
  /** The Databricks account. */
  readonly account: DomainAccountLink;
  /**
   * Application (client) ID of the deployment principal: it creates the domain's securables, stays their owner, and
   * holds ALL_PRIVILEGES in every grants block.
   */
  readonly deployerClientId: string;
  readonly logAnalyticsWorkspaceId: string;
  /** Private-endpoint subnet and DNS for the domain's storage. */
  readonly privateEndpointSubnetId: string;
  readonly privateDns: PrivateDns;
  /** The platform's storage credential and access connector. */
  readonly storageCredential: SharedCredential;
  /** `abfss://` URL of the platform zone that holds domain catalogs by default (a gold zone), as a reference to its external location. */
  readonly catalogZoneUrl: string;
  /** The medallion layer of that zone (the domain catalog's `layer` property). @default "gold" */
  readonly catalogLayer?: string;
  /** Serverless compute's path to the domain's own storage accounts (the platform's NCC). @default none */
  readonly serverless?: Omit<ServerlessStorageAccessProps, "storageAccountId">;
}

export interface LinkToPlatformProps {
  readonly platform: MedallionPlatform;
  readonly catalog: PlatformCatalog;
  /** Workspace-level provider of the platform's workspace, in the domain's stack. */
  readonly workspaceProvider: DatabricksProvider;
  readonly account: DomainAccountLink;
  readonly deployerClientId: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** Zone whose external location holds domain catalogs. @default the first gold zone */
  readonly catalogZone?: string;
  /** The private DNS owner of the domain's stack. @default the platform's (when the domain is in the platform's stack) */
  readonly privateDns?: PrivateDns;
}

/** Everything a DataDomain needs of a MedallionPlatform and its PlatformCatalog, in one call. */
export function linkToPlatform(props: LinkToPlatformProps): DomainPlatformLink {
  const { platform, catalog } = props;
  const zone = props.catalogZone ?? defaultCatalogZone(platform.zones).name;
  platform.zoneUrl(zone);
  const ncc = catalog.networkConnectivityConfig;
  return {
    tenantId: props.tenantId,
    subscriptionId: props.subscriptionId,
    workspaceProvider: props.workspaceProvider,
    workspaceId: platform.workspace.workspaceId,
    account: props.account,
    deployerClientId: props.deployerClientId,
    logAnalyticsWorkspaceId: platform.logAnalyticsWorkspaceId,
    privateEndpointSubnetId: platform.workspace.network.privateEndpointSubnet.id,
    privateDns: props.privateDns ?? platform.privateDns,
    storageCredential: { name: catalog.storageCredential.name, accessConnectorId: platform.accessConnector.id, accessConnectorPrincipalId: platform.accessConnectorPrincipalId },
    catalogZoneUrl: catalog.externalLocations[zone].url,
    catalogLayer: platform.zones.find((z) => z.name === zone)?.layer,
    serverless: ncc ? { accountProvider: props.account.provider, networkConnectivityConfigId: ncc.networkConnectivityConfigId } : undefined,
  };
}
