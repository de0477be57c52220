import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
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
