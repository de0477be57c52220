import { Construct } from "constructs";
import { ExternalLocation } from "@cdktf/provider-databricks/lib/external-location";
import { Grants, GrantsGrant } from "@cdktf/provider-databricks/lib/grants";
import { Metastore } from "@cdktf/provider-databricks/lib/metastore";
import { MetastoreAssignment } from "@cdktf/provider-databricks/lib/metastore-assignment";
import { MwsNccBinding } from "@cdktf/provider-databricks/lib/mws-ncc-binding";
import { MwsNccPrivateEndpointRule } from "@cdktf/provider-databricks/lib/mws-ncc-private-endpoint-rule";
import { MwsNetworkConnectivityConfig } from "@cdktf/provider-databricks/lib/mws-network-connectivity-config";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { StorageCredential } from "@cdktf/provider-databricks/lib/storage-credential";
import { WorkspaceBinding } from "@cdktf/provider-databricks/lib/workspace-binding";
import { Naming } from "../core/naming";
import { checkPattern, checkResourceId, invalid } from "../core/validation";
import { databricksWorkspaceId } from "../core/workspace-id";
import { LakeZone } from "./zones";

/** The regional metastore: an existing one by ID (the usual case: one per region per account), or created here. */
export type MetastoreProps = { readonly existingId: string } | { readonly create: { readonly region: string } };

export interface PlatformCatalogProps {
  readonly naming: Naming;
  /** Workspace-level provider of the environment's workspace (configured in this stack, never where the workspace is created). */
  readonly workspaceProvider: DatabricksProvider;
  /** Account-level provider (metastore assignment, serverless networking). */
  readonly accountProvider: DatabricksProvider;
  /** Databricks workspace ID (numeric; a reference such as SecureWorkspace.workspaceId). */
  readonly workspaceId: string;
  readonly metastore: MetastoreProps;
  /** The lake's access connector (resource ID), whose identity holds the storage data roles. */
  readonly accessConnectorId: string;
  /** The user-assigned identity of the access connector, when it has one. */
  readonly managedIdentityId?: string;
  readonly storageAccountName: string;
  readonly storageAccountId: string;
  readonly zones: readonly LakeZone[];
  /** Databricks account group that administers the platform's securables (owner, ALL PRIVILEGES). */
  readonly adminGroup: string;
  /** Application (client) ID of the pipeline service principal: reads and writes files in every zone. @default none */
  readonly pipelinePrincipalClientId?: string;
  /** Unity Catalog file events on the external locations (the lake must have them on). */
  readonly fileEvents?: { readonly subscriptionId: string; readonly resourceGroupName: string };
  /** Serverless compute's private path to the lake (NCC with dfs and blob private endpoint rules). @default true */
  readonly serverlessPrivateAccess?: boolean;
  /** The Azure region (the NCC's). */
  readonly region: string;
  /** Production: no force_destroy on any Unity Catalog object. @default false */
  readonly protectFromDeletion?: boolean;
}

const CLIENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * MedallionPlatform's Unity Catalog side: the workspace's metastore assignment, a storage credential over the
 * access connector, one external location per zone, grants to the platform admin group, and serverless
 * compute's private path to the lake. Credential and locations are ISOLATED — bound to this environment's
 * workspace only, so another environment's workspace on the same metastore cannot reach this data.
 */
export class PlatformCatalog extends Construct {
  readonly metastoreAssignment: MetastoreAssignment;
  /** The metastore created here, when `metastore.create` was given. */
  readonly createdMetastore?: Metastore;
  readonly storageCredential: StorageCredential;
  readonly externalLocations: Readonly<Record<string, ExternalLocation>>;
  readonly networkConnectivityConfig?: MwsNetworkConnectivityConfig;
  readonly storageCredentialName: string;
  /** External location name per zone. */
  readonly externalLocationNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PlatformCatalogProps) {
    super(scope, id);
    const { naming } = props;
    checkResourceId(this, "accessConnectorId", props.accessConnectorId, "Microsoft.Databricks/accessConnectors");
    checkResourceId(this, "storageAccountId", props.storageAccountId, "Microsoft.Storage/storageAccounts");
    checkPattern(this, "adminGroup", props.adminGroup, /^[^\s].{0,254}$/, "a Databricks account group name");
    if (props.pipelinePrincipalClientId) checkPattern(this, "pipelinePrincipalClientId", props.pipelinePrincipalClientId, CLIENT_ID, "an application (client) ID (GUID)");
    if (props.zones.length === 0) invalid(this, "zones", props.zones, "at least one zone");
    const forceDestroy = !(props.protectFromDeletion ?? false);
    const workspaceId = databricksWorkspaceId(this, "workspaceId", props.workspaceId);
    const workspace = { provider: props.workspaceProvider };
    const account = { provider: props.accountProvider };

    let metastoreId: string;
    if ("existingId" in props.metastore) {
      metastoreId = checkPattern(this, "metastore.existingId", props.metastore.existingId, CLIENT_ID, "a metastore ID (GUID)");
    } else {
      this.createdMetastore = new Metastore(this, "metastore", {
        ...account,
        name: naming.unityCatalog(this, "metastore", props.metastore.create.region),
        region: props.metastore.create.region,
        owner: props.adminGroup,
        forceDestroy: false,
      });
      metastoreId = this.createdMetastore.metastoreId;
    }
    this.metastoreAssignment = new MetastoreAssignment(this, "metastore-assignment", { ...account, workspaceId, metastoreId });

    this.storageCredentialName = naming.unityCatalog(this, naming.workload, naming.environment, "lake");
    this.storageCredential = new StorageCredential(this, "storage-credential", {
      ...workspace,
      name: this.storageCredentialName,
      comment: `Access connector of the ${naming.environment} lake`,
      azureManagedIdentity: { accessConnectorId: props.accessConnectorId, managedIdentityId: props.managedIdentityId },
      owner: props.adminGroup,
      isolationMode: "ISOLATION_MODE_ISOLATED",
      readOnly: false,
      skipValidation: false,
      forceDestroy,
      dependsOn: [this.metastoreAssignment],
    });
    this.bind("storage-credential-binding", workspace.provider, workspaceId, "storage_credential", this.storageCredential.name);
    new Grants(this, "storage-credential-grants", {
      ...workspace,
      storageCredential: this.storageCredential.id,
      grant: [{ principal: props.adminGroup, privileges: ["ALL_PRIVILEGES"] }],
    });

    const locations: Record<string, ExternalLocation> = {};
    const names: Record<string, string> = {};
    for (const zone of props.zones) {
      const name = naming.unityCatalog(this, naming.workload, naming.environment, zone.identifier);
      names[zone.name] = name;
      locations[zone.name] = new ExternalLocation(this, `location-${zone.name}`, {
        ...workspace,
        name,
        url: `abfss://${zone.name}@${props.storageAccountName}.dfs.core.windows.net/`,
        credentialName: this.storageCredential.name,
        comment: zone.name === zone.layer ? `Medallion ${zone.layer} layer` : `Medallion ${zone.layer} layer, ${zone.name} zone`,
        owner: props.adminGroup,
        isolationMode: "ISOLATION_MODE_ISOLATED",
        readOnly: false,
        skipValidation: false,
        forceDestroy,
        enableFileEvents: props.fileEvents ? true : false,
        fileEventQueue: props.fileEvents ? { managedAqs: { resourceGroup: props.fileEvents.resourceGroupName, subscriptionId: props.fileEvents.subscriptionId } } : undefined,
      });
      this.bind(`location-${zone.name}-binding`, workspace.provider, workspaceId, "external_location", name);
      const grant: GrantsGrant[] = [{ principal: props.adminGroup, privileges: ["ALL_PRIVILEGES"] }];
      if (props.pipelinePrincipalClientId) grant.push({ principal: props.pipelinePrincipalClientId, privileges: ["READ_FILES", "WRITE_FILES", "CREATE_EXTERNAL_TABLE"] });
      new Grants(this, `location-${zone.name}-grants`, { ...workspace, externalLocation: locations[zone.name].id, grant });
    }
    this.externalLocations = locations;
    this.externalLocationNames = names;

    if (props.serverlessPrivateAccess ?? true) {
      const ncc = new MwsNetworkConnectivityConfig(this, "ncc", { ...account, name: naming.networkConnectivityConfig(this, "platform"), region: props.region });
      // Each rule creates a private endpoint connection on the storage account in the Pending state: the
      // storage owner approves it (help/medallion-platform.md, "Serverless access").
      for (const groupId of ["dfs", "blob"]) {
        new MwsNccPrivateEndpointRule(this, `ncc-rule-${groupId}`, { ...account, networkConnectivityConfigId: ncc.networkConnectivityConfigId, resourceId: props.storageAccountId, groupId });
      }
      new MwsNccBinding(this, "ncc-binding", { ...account, networkConnectivityConfigId: ncc.networkConnectivityConfigId, workspaceId });
      this.networkConnectivityConfig = ncc;
    }
  }

  private bind(id: string, provider: DatabricksProvider, workspaceId: number, securableType: string, securableName: string): WorkspaceBinding {
    return new WorkspaceBinding(this, id, { provider, workspaceId, securableType, securableName, bindingType: "BINDING_TYPE_READ_WRITE" });
  }
}
