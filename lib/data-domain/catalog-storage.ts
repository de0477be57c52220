import { Construct, IConstruct } from "constructs";
import { DatabricksAccessConnector } from "@cdktf/provider-azurerm/lib/databricks-access-connector";
import { ExternalLocation } from "@cdktf/provider-databricks/lib/external-location";
import { Grants, GrantsGrant } from "@cdktf/provider-databricks/lib/grants";
import { StorageCredential } from "@cdktf/provider-databricks/lib/storage-credential";
import { Naming } from "../core/naming";
import { RoleAssignments } from "../identity/role-assignments";
import { addServerlessStorageAccess } from "../medallion-platform/serverless-access";
import { SecureStorageAccount, StorageReplication } from "../storage/secure-storage-account";
import { mergeGrants } from "./personas";
import { DomainPlatformLink, SharedCredential } from "./platform-link";
import { checkProps } from "../core/prop-checks";

export interface CatalogStorageProps {
  readonly naming: Naming;
  /** Name purpose of the storage account and its resources. */
  readonly purpose: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly platform: Pick<DomainPlatformLink, "tenantId" | "privateEndpointSubnetId" | "privateDns" | "logAnalyticsWorkspaceId" | "workspaceProvider" | "serverless">;
  /** Use the platform's credential, or (undefined) create an access connector and credential of its own: the isolated case. */
  readonly sharedCredential?: SharedCredential;
  /** The external location's grants, the deployer's included (the deployment principal owns the objects). */
  readonly grants: GrantsGrant[];
  readonly replication?: StorageReplication;
  readonly protectFromDeletion: boolean;
}

const CONTAINER = "catalog";

/**
 * A storage account with the platform lake's baseline, holding one catalog's managed data, and its Unity Catalog
 * external location (ISOLATED: the provider binds it to the creating workspace). With its own access connector and
 * credential, nothing else in the metastore can reach it through them, and its identity can reach nothing else.
 * Serverless compute reaches it through the platform's NCC (dfs and blob rules, approved on the account).
 */
export class CatalogStorage extends Construct {
  /** The storage account's name, from the naming module (what another region names it by, reading no state). */
  static accountName(scope: IConstruct, naming: Naming, purpose: string): string {
    return naming.storageAccount(scope, purpose);
  }

  readonly storage: SecureStorageAccount;
  readonly externalLocation: ExternalLocation;
  /** The access connector and credential created here, when no shared credential was given. */
  readonly accessConnector?: DatabricksAccessConnector;
  readonly storageCredential?: StorageCredential;
  /** `abfss://catalog@<account>.dfs.core.windows.net/`, as a reference to the external location's URL: a catalog whose managed location it is comes after the location. */
  readonly url: string;
  /** Principal ID of the identity that reads and writes the data (for tests and further grants). */
  readonly connectorPrincipalId: string;

  constructor(scope: Construct, id: string, props: CatalogStorageProps) {
    super(scope, id);
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    const { naming, platform } = props;
    const provider = platform.workspaceProvider;
    const forceDestroy = !props.protectFromDeletion;

    let connectorId: string;
    let credentialName: string;
    if (props.sharedCredential) {
      connectorId = props.sharedCredential.accessConnectorId;
      this.connectorPrincipalId = props.sharedCredential.accessConnectorPrincipalId;
      credentialName = props.sharedCredential.name;
    } else {
      this.accessConnector = new DatabricksAccessConnector(this, "access-connector", {
        name: naming.accessConnector(this, props.purpose),
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        identity: { type: "SystemAssigned" },
      });
      connectorId = this.accessConnector.id;
      this.connectorPrincipalId = this.accessConnector.identity.principalId;
      credentialName = naming.unityCatalog(this, naming.workload, naming.environment, props.purpose);
    }

    this.storage = new SecureStorageAccount(this, "storage", {
      naming,
      purpose: props.purpose,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: platform.tenantId,
      replication: props.replication,
      allowedResourceIds: [connectorId],
      containers: [CONTAINER],
      privateEndpointSubnetId: platform.privateEndpointSubnetId,
      privateDns: platform.privateDns,
      logAnalyticsWorkspaceId: platform.logAnalyticsWorkspaceId,
      protectFromDeletion: props.protectFromDeletion,
    });
    const connector = { objectId: this.connectorPrincipalId, type: "ServicePrincipal" as const };
    const role = RoleAssignments.of(this).grant(this, this.storage.containerScope(CONTAINER), "Storage Blob Data Contributor", connector, "Unity Catalog reads and writes the catalog's managed data");
    if (platform.serverless) addServerlessStorageAccess(this, "serverless", { ...platform.serverless, storageAccountId: this.storage.account.id });

    if (!props.sharedCredential) {
      this.storageCredential = new StorageCredential(this, "credential", {
        provider,
        name: credentialName,
        azureManagedIdentity: { accessConnectorId: connectorId },
        isolationMode: "ISOLATION_MODE_ISOLATED",
        readOnly: false,
        skipValidation: false,
        forceDestroy,
        // It validates against the storage: the data role must exist first.
        dependsOn: [role],
      });
      credentialName = this.storageCredential.name;
    }

    this.externalLocation = new ExternalLocation(this, "location", {
      provider,
      name: naming.unityCatalog(this, naming.workload, naming.environment, props.purpose, "catalog"),
      url: this.storage.abfssUrl(CONTAINER),
      credentialName,
      isolationMode: "ISOLATION_MODE_ISOLATED",
      readOnly: false,
      skipValidation: false,
      forceDestroy,
      // The location validates against the storage, so the data role must exist first.
      dependsOn: [role],
    });
    this.url = this.externalLocation.url;
    new Grants(this, "location-grants", { provider, externalLocation: this.externalLocation.id, grant: mergeGrants(props.grants) });
  }
}
