import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { MedallionPlatform } from "../medallion-platform/medallion-platform";
import { PlatformCatalog } from "../medallion-platform/platform-catalog";
import { PrivateDns } from "../network/private-dns";

/** The platform's Unity Catalog storage credential and the access connector behind it. */
export interface SharedCredential {
  readonly name: string;
  readonly accessConnectorId: string;
  readonly accessConnectorPrincipalId: string;
}

/** What a domain uses of the platform (usually references to the platform and catalog stacks). */
export interface DomainPlatformLink {
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** Workspace-level provider of the environment's workspace. */
  readonly workspaceProvider: DatabricksProvider;
  readonly workspaceId: string;
  readonly logAnalyticsWorkspaceId: string;
  /** Private-endpoint subnet and DNS for the domain's storage. */
  readonly privateEndpointSubnetId: string;
  readonly privateDns: PrivateDns;
  /** The platform's storage credential and access connector. */
  readonly storageCredential: SharedCredential;
  /** `abfss://` URL of the platform zone that holds domain catalogs by default (a gold zone). */
  readonly catalogZoneUrl: string;
}

export interface LinkToPlatformProps {
  readonly platform: MedallionPlatform;
  readonly catalog: PlatformCatalog;
  /** Workspace-level provider of the platform's workspace, in the domain's stack. */
  readonly workspaceProvider: DatabricksProvider;
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** Zone whose external location holds domain catalogs. @default the first gold zone */
  readonly catalogZone?: string;
  /** The private DNS owner of the domain's stack. @default the platform's (when the domain is in the platform's stack) */
  readonly privateDns?: PrivateDns;
}

/** Everything a DataDomain needs of a MedallionPlatform and its PlatformCatalog, in one call. */
export function linkToPlatform(props: LinkToPlatformProps): DomainPlatformLink {
  const { platform } = props;
  const zone = props.catalogZone ?? platform.zones.find((z) => z.layer === "gold")!.name;
  return {
    tenantId: props.tenantId,
    subscriptionId: props.subscriptionId,
    workspaceProvider: props.workspaceProvider,
    workspaceId: platform.workspace.workspaceId,
    logAnalyticsWorkspaceId: platform.logAnalyticsWorkspaceId,
    privateEndpointSubnetId: platform.workspace.network.privateEndpointSubnet.id,
    privateDns: props.privateDns ?? platform.privateDns,
    storageCredential: { name: props.catalog.storageCredentialName, accessConnectorId: platform.accessConnector.id, accessConnectorPrincipalId: platform.accessConnectorPrincipalId },
    catalogZoneUrl: platform.zoneUrl(zone),
  };
}
