import { Construct } from "constructs";
import { DatabricksAccessConnector } from "@cdktf/provider-azurerm/lib/databricks-access-connector";
import { ExternalLocation } from "@cdktf/provider-databricks/lib/external-location";
import { Grants } from "@cdktf/provider-databricks/lib/grants";
import { StorageCredential } from "@cdktf/provider-databricks/lib/storage-credential";
import { WorkspaceBinding } from "@cdktf/provider-databricks/lib/workspace-binding";
import { Naming } from "../core/naming";
import { databricksWorkspaceId } from "../core/workspace-id";
import { RoleAssignments } from "../identity/role-assignments";
import { SecureStorageAccount, StorageReplication } from "../storage/secure-storage-account";
import { DomainPlatformLink, SharedCredential } from "./platform-link";

export interface CatalogStorageProps {
  readonly naming: Naming;
  /** Name purpose of the storage account and its resources. */
  readonly purpose: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly platform: Pick<DomainPlatformLink, "tenantId" | "privateEndpointSubnetId" | "privateDns" | "logAnalyticsWorkspaceId" | "workspaceProvider" | "workspaceId">;
  /** Use the platform's credential, or (undefined) create an access connector and credential of its own: the isolated case. */
  readonly sharedCredential?: SharedCredential;
  /** Owner of the Unity Catalog objects. */
  readonly owner: string;
  readonly replication?: StorageReplication;
  readonly protectFromDeletion: boolean;
}

const CONTAINER = "catalog";

/**
 * A storage account with the platform lake's baseline, holding one catalog's managed data, and its Unity Catalog
 * external location. With its own access connector and credential, nothing else in the metastore can reach it
 * through them, and its identity can reach nothing else.
 */
export class CatalogStorage extends Construct {
  readonly storage: SecureStorageAccount;
  readonly externalLocation: ExternalLocation;
  /** The access connector and credential created here, when no shared credential was given. */
  readonly accessConnector?: DatabricksAccessConnector;
  readonly storageCredential?: StorageCredential;
  /** `abfss://catalog@<account>.dfs.core.windows.net/`: the catalog's managed location. */
  readonly url: string;
  /** Principal ID of the identity that reads and writes the data (for tests and further grants). */
  readonly connectorPrincipalId: string;

  constructor(scope: Construct, id: string, props: CatalogStorageProps) {
    super(scope, id);
    const { naming, platform } = props;
    const provider = platform.workspaceProvider;
    const forceDestroy = !props.protectFromDeletion;
    const workspaceId = databricksWorkspaceId(this, "platform.workspaceId", platform.workspaceId);

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
    this.url = this.storage.abfssUrl(CONTAINER);

    if (!props.sharedCredential) {
      this.storageCredential = new StorageCredential(this, "credential", {
        provider,
        name: credentialName,
        azureManagedIdentity: { accessConnectorId: connectorId },
        owner: props.owner,
        isolationMode: "ISOLATION_MODE_ISOLATED",
        readOnly: false,
        skipValidation: false,
        forceDestroy,
      });
      new WorkspaceBinding(this, "credential-binding", { provider, workspaceId, securableType: "storage_credential", securableName: this.storageCredential.name, bindingType: "BINDING_TYPE_READ_WRITE" });
      credentialName = this.storageCredential.name;
    }

    this.externalLocation = new ExternalLocation(this, "location", {
      provider,
      name: naming.unityCatalog(this, naming.workload, naming.environment, props.purpose, "catalog"),
      url: this.url,
      credentialName,
      owner: props.owner,
      isolationMode: "ISOLATION_MODE_ISOLATED",
      readOnly: false,
      skipValidation: false,
      forceDestroy,
      // The location validates against the storage, so the data role must exist first.
      dependsOn: [role],
    });
    new WorkspaceBinding(this, "location-binding", { provider, workspaceId, securableType: "external_location", securableName: this.externalLocation.name, bindingType: "BINDING_TYPE_READ_WRITE" });
    new Grants(this, "location-grants", { provider, externalLocation: this.externalLocation.id, grant: [{ principal: props.owner, privileges: ["ALL_PRIVILEGES"] }] });
  }
}
