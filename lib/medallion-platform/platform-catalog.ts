import { Construct } from "constructs";
import { Catalog } from "@cdktf/provider-databricks/lib/catalog";
import { ExternalLocation } from "@cdktf/provider-databricks/lib/external-location";
import { Grants, GrantsGrant } from "@cdktf/provider-databricks/lib/grants";
import { Metastore } from "@cdktf/provider-databricks/lib/metastore";
import { MetastoreAssignment } from "@cdktf/provider-databricks/lib/metastore-assignment";
import { MwsNccBinding } from "@cdktf/provider-databricks/lib/mws-ncc-binding";
import { MwsNetworkConnectivityConfig } from "@cdktf/provider-databricks/lib/mws-network-connectivity-config";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { StorageCredential } from "@cdktf/provider-databricks/lib/storage-credential";
import { WorkspaceBinding } from "@cdktf/provider-databricks/lib/workspace-binding";
import { recordPlatformAccess } from "../ci/access-record";
import { Naming } from "../core/naming";
import { checkOneOf, checkPattern, checkRange, checkResourceId, invalid } from "../core/validation";
import { databricksWorkspaceId } from "../core/workspace-id";
import { mergeGrants, PeopleAccess } from "../data-domain/personas";
import { AccountPrincipals, AccountPrincipalsMode } from "../identity/account-principals";
import { FILE_LAYERS, platformAccess, PlatformAccess, PlatformPrincipal } from "./platform-access";
import { addServerlessStorageAccess } from "./serverless-access";
import { LakeZone } from "./zones";
import { checkProps } from "../core/prop-checks";
import type { DataClassification } from "../core/tags";

/**
 * The metastore's Delta Sharing settings, set here when the metastore is created here (for an existing one they are a
 * prerequisite: help/data-sharing.md).
 */
export interface MetastoreSharingProps {
  /** `INTERNAL`: sharing within the Databricks account only; `INTERNAL_AND_EXTERNAL`: with other companies too. */
  readonly scope: "INTERNAL" | "INTERNAL_AND_EXTERNAL";
  /** Longest life of an open recipient's token, in days (1–365; the metastore's default is a year). */
  readonly recipientTokenLifetimeDays: number;
  /** The organization name Databricks-to-Databricks recipients see. @default none */
  readonly organizationName?: string;
}

/** The regional metastore: an existing one by ID (the usual case: one per region per account), or created here. */
export type MetastoreProps =
  | { readonly existingId: string }
  | {
      readonly create: {
        readonly region: string;
        /** @default scope INTERNAL (no sharing outside the account), tokens of at most 90 days */
        readonly sharing?: MetastoreSharingProps;
      };
    };

/** Secure by default: nothing leaves the account, and an open token, once allowed, lives at most 90 days. */
export const DEFAULT_METASTORE_SHARING: MetastoreSharingProps = { scope: "INTERNAL", recipientTokenLifetimeDays: 90 };

/** Another workspace that may use the platform's securables (a DR secondary, a read-only consumer). */
export interface AdditionalWorkspace {
  readonly workspaceId: string;
  /** @default "BINDING_TYPE_READ_ONLY" */
  readonly bindingType?: "BINDING_TYPE_READ_WRITE" | "BINDING_TYPE_READ_ONLY";
}

export interface PlatformCatalogProps {
  readonly naming: Naming;
  /** Workspace-level provider of the environment's workspace (configured in this stack, never where the workspace is created). */
  readonly workspaceProvider: DatabricksProvider;
  /** Account-level provider (metastore assignment, serverless networking, account principals). */
  readonly accountProvider: DatabricksProvider;
  /** Databricks workspace ID (numeric; a reference such as SecureWorkspace.workspaceId). */
  readonly workspaceId: string;
  readonly metastore: MetastoreProps;
  /** The lake's access connector (resource ID), whose identity holds the storage data roles. */
  readonly accessConnectorId: string;
  /** The user-assigned identity of the access connector, when it has one. */
  readonly managedIdentityId?: string;
  readonly storageAccountId: string;
  readonly zones: readonly LakeZone[];
  /** The `abfss://` URL of each zone's filesystem (references to the lake's containers, e.g. MedallionPlatform.zoneUrl). */
  readonly zoneUrls: Readonly<Record<string, string>>;
  /**
   * Application (client) ID of the deployment principal. It creates every securable here and stays its owner — updating
   * an ISOLATED securable's bindings and deleting it need the owner — and holds ALL_PRIVILEGES in every grants block, so
   * an authoritative grants block never takes its own access away.
   */
  readonly deployerClientId: string;
  /** Account group administering the platform (environment-scoped). */
  readonly adminGroup: string;
  /** Application (client) ID of the pipeline service principal: it writes the layer catalogs. @default none */
  readonly pipelinePrincipalClientId?: string;
  /**
   * Application ID of the principal a disaster recovery secondary's clone jobs run as: it writes the layer catalogs'
   * cloned tables (SYNC_LAYER_PRIVILEGES), nothing else. @default none (a primary)
   */
  readonly syncPrincipalApplicationId?: string;
  /** Account groups that read the gold layer catalogs. @default [] */
  readonly goldReaders?: string[];
  /** Whether the admin group changes data (`readWrite`) or reads (`readOnly`, production). @default "readWrite" */
  readonly peopleAccess?: PeopleAccess;
  /** How the admin group, gold readers and pipeline principal exist in the account. @default "provision" */
  readonly principals?: AccountPrincipalsMode;
  /** Unity Catalog file events on the external locations (the lake must have them on). */
  readonly fileEvents?: { readonly subscriptionId: string; readonly resourceGroupName: string };
  /** Serverless compute's private path to the lake (NCC with dfs and blob private endpoint rules). @default true */
  readonly serverlessPrivateAccess?: boolean;
  /** Further storage accounts serverless compute must reach (e.g. the workspace root storage), by a key of yours. @default {} */
  readonly serverlessStorageAccountIds?: Readonly<Record<string, string>>;
  /** A catalog per medallion layer zone (bronze, silver, gold…), with managed storage on the zone. @default true */
  readonly layerCatalogs?: boolean;
  /** Other workspaces bound to the platform's securables. @default none */
  readonly additionalWorkspaces?: AdditionalWorkspace[];
  /** The Azure region (the NCC's). */
  readonly region: string;
  /** Production: no force_destroy on any Unity Catalog object. @default false */
  readonly protectFromDeletion?: boolean;
  /** The layer catalogs' data owner (their `dataOwner` property). @default none */
  readonly dataOwner?: string;
  /** The layer catalogs' classification (their `dataClassification` property). @default none */
  readonly dataClassification?: DataClassification;
}

const CLIENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * MedallionPlatform's Unity Catalog side: the workspace's metastore assignment, a storage credential over the access
 * connector, one external location per zone, a catalog per medallion layer zone, grants, and serverless compute's
 * private path to the lake and the workspace's own storage. Credential, locations and catalogs are ISOLATED: the
 * provider binds each to the creating workspace itself, and other environments' workspaces on the same metastore
 * cannot reach this data.
 *
 * Ownership: the deployment principal creates and keeps owning everything (a securable handed to a group at create
 * can no longer be bound or deleted by the deployer); the admin group administers through grants.
 */
export class PlatformCatalog extends Construct {
  readonly metastoreAssignment: MetastoreAssignment;
  /** The metastore created here, when `metastore.create` was given. */
  readonly createdMetastore?: Metastore;
  readonly storageCredential: StorageCredential;
  readonly externalLocations: Readonly<Record<string, ExternalLocation>>;
  /** A catalog per medallion layer zone, by zone name (`bronze`, `gold-reporting`, …). */
  readonly layerCatalogs: Readonly<Record<string, Catalog>>;
  readonly networkConnectivityConfig?: MwsNetworkConnectivityConfig;
  readonly principals: AccountPrincipals;
  /** What the admin group, the pipeline and gold readers may do here (the platform's access model). */
  readonly access: Readonly<Record<PlatformPrincipal, PlatformAccess>>;
  readonly storageCredentialName: string;
  /** External location name per zone. */
  readonly externalLocationNames: Readonly<Record<string, string>>;
  private readonly props: PlatformCatalogProps;

  constructor(scope: Construct, id: string, props: PlatformCatalogProps) {
    super(scope, id);
    checkProps(this, props);
    this.props = props;
    const { naming } = props;
    checkResourceId(this, "accessConnectorId", props.accessConnectorId, "Microsoft.Databricks/accessConnectors");
    checkResourceId(this, "storageAccountId", props.storageAccountId, "Microsoft.Storage/storageAccounts");
    checkPattern(this, "deployerClientId", props.deployerClientId, CLIENT_ID, "the deployment principal's application (client) ID (GUID)");
    if (props.pipelinePrincipalClientId) checkPattern(this, "pipelinePrincipalClientId", props.pipelinePrincipalClientId, CLIENT_ID, "an application (client) ID (GUID)");
    if (props.zones.length === 0) invalid(this, "zones", props.zones, "at least one zone");
    const peopleAccess = props.peopleAccess ?? "readWrite";
    if (peopleAccess !== "readWrite" && peopleAccess !== "readOnly") invalid(this, "peopleAccess", peopleAccess, `"readWrite" or "readOnly"`);
    const forceDestroy = !(props.protectFromDeletion ?? false);
    const workspaceId = databricksWorkspaceId(this, "workspaceId", props.workspaceId);
    const workspace = { provider: props.workspaceProvider };
    const account = { provider: props.accountProvider };

    let metastoreId: string;
    if ("existingId" in props.metastore) {
      metastoreId = checkPattern(this, "metastore.existingId", props.metastore.existingId, CLIENT_ID, "a metastore ID (GUID)");
    } else {
      // No owner: the deployer creates it and is its admin, so it can create what follows in the same apply.
      const sharing = props.metastore.create.sharing ?? DEFAULT_METASTORE_SHARING;
      checkOneOf(this, "metastore.create.sharing.scope", sharing.scope, ["INTERNAL", "INTERNAL_AND_EXTERNAL"]);
      checkRange(this, "metastore.create.sharing.recipientTokenLifetimeDays", sharing.recipientTokenLifetimeDays, 1, 365);
      this.createdMetastore = new Metastore(this, "metastore", {
        ...account,
        name: naming.unityCatalog(this, "metastore", props.metastore.create.region),
        region: props.metastore.create.region,
        forceDestroy: false,
        // Set together (the provider requires both).
        deltaSharingScope: sharing.scope,
        deltaSharingRecipientTokenLifetimeInSeconds: sharing.recipientTokenLifetimeDays * 86_400,
        deltaSharingOrganizationName: sharing.organizationName,
      });
      metastoreId = this.createdMetastore.metastoreId;
    }
    this.metastoreAssignment = new MetastoreAssignment(this, "metastore-assignment", { ...account, workspaceId, metastoreId });

    // Workspace assignments need the workspace identity-federated, which its metastore assignment makes it.
    this.principals = new AccountPrincipals(this, "principals", { accountProvider: props.accountProvider, workspaceProvider: props.workspaceProvider, workspaceId: props.workspaceId, mode: props.principals, workspaceReady: [this.metastoreAssignment] });
    const deployer: GrantsGrant = { principal: props.deployerClientId, privileges: ["ALL_PRIVILEGES"] };
    const admins = this.principals.group(props.adminGroup);
    this.access = platformAccess(peopleAccess);
    // The deployer is in the account already (it is account admin); one principal may be both deployer and pipeline.
    const pipeline = props.pipelinePrincipalClientId
      ? props.pipelinePrincipalClientId === props.deployerClientId
        ? props.deployerClientId
        : this.principals.servicePrincipal(props.pipelinePrincipalClientId, `${naming.workload}-${naming.environment}-pipeline`)
      : undefined;
    const goldReaders = (props.goldReaders ?? []).map((g) => this.principals.group(g));
    const sync = props.syncPrincipalApplicationId ? this.principals.servicePrincipal(props.syncPrincipalApplicationId) : undefined;
    const principals: [PlatformPrincipal, string][] = [
      ["admins", admins],
      ...(pipeline ? [["pipeline", pipeline] as [PlatformPrincipal, string]] : []),
      ...goldReaders.map((g) => ["goldReaders", g] as [PlatformPrincipal, string]),
      ...(sync ? [["sync", sync] as [PlatformPrincipal, string]] : []),
    ];
    // The deployer first: an authoritative grants block never takes its own access away.
    const grantsFor = (securable: keyof PlatformAccess): GrantsGrant[] => [deployer, ...principals.map(([who, principal]) => ({ principal, privileges: [...this.access[who][securable]] }))];


    this.storageCredentialName = naming.unityCatalog(this, naming.workload, naming.environment, "lake");
    this.storageCredential = new StorageCredential(this, "storage-credential", {
      ...workspace,
      name: this.storageCredentialName,
      comment: `Access connector of the ${naming.environment} lake`,
      azureManagedIdentity: { accessConnectorId: props.accessConnectorId, managedIdentityId: props.managedIdentityId },
      isolationMode: "ISOLATION_MODE_ISOLATED",
      readOnly: false,
      skipValidation: false,
      forceDestroy,
      dependsOn: [this.metastoreAssignment],
    });
    // Admins create external locations on it; nothing broader.
    this.grant("storage-credential-grants", { storageCredential: this.storageCredential.id }, grantsFor("storageCredential"));

    const locations: Record<string, ExternalLocation> = {};
    const names: Record<string, string> = {};
    const catalogs: Record<string, Catalog> = {};
    for (const zone of props.zones) {
      const name = naming.unityCatalog(this, naming.workload, naming.environment, zone.identifier);
      names[zone.name] = name;
      const location = (locations[zone.name] = new ExternalLocation(this, `location-${zone.name}`, {
        ...workspace,
        name,
        url: props.zoneUrls[zone.name] ?? invalid(this, "zoneUrls", zone.name, `the URL of every zone (${props.zones.map((z) => z.name).join(", ")})`),
        credentialName: this.storageCredential.name,
        comment: zone.name === zone.layer ? `Medallion ${zone.layer} layer` : `Medallion ${zone.layer} layer, ${zone.name} zone`,
        isolationMode: "ISOLATION_MODE_ISOLATED",
        readOnly: false,
        skipValidation: false,
        forceDestroy,
        enableFileEvents: props.fileEvents ? true : false,
        fileEventQueue: props.fileEvents ? { managedAqs: { resourceGroup: props.fileEvents.resourceGroupName, subscriptionId: props.fileEvents.subscriptionId } } : undefined,
      }));
      const fileZone = FILE_LAYERS.includes(zone.layer);
      // Files only where the layer is still files; tables go through the layer catalogs.
      this.grant(`location-${zone.name}-grants`, { externalLocation: location.id }, grantsFor(fileZone ? "fileLocations" : "layerLocations"));
      if (!fileZone && (props.layerCatalogs ?? true)) {
        catalogs[zone.name] = this.layerCatalog(zone, location, forceDestroy, grantsFor(zone.layer === "gold" ? "goldCatalogs" : "layerCatalogs"));
      }
    }
    this.externalLocations = locations;
    this.externalLocationNames = names;
    this.layerCatalogs = catalogs;

    for (const [i, other] of (props.additionalWorkspaces ?? []).entries()) this.bindElsewhere(i, other);
    recordPlatformAccess(this, {
      peopleAccess,
      pipeline: !props.pipelinePrincipalClientId ? "none" : pipeline === props.deployerClientId ? "deployer" : "separate",
      goldReaders: goldReaders.length > 0,
      layerCatalogs: props.layerCatalogs ?? true,
      ...(sync ? { sync: true } : {}),
    });

    if (props.serverlessPrivateAccess ?? true) {
      const ncc = new MwsNetworkConnectivityConfig(this, "ncc", { ...account, name: naming.networkConnectivityConfig(this, "platform"), region: props.region });
      const nccId = ncc.networkConnectivityConfigId;
      // Each rule opens a private endpoint connection on the account in the Pending state: its owner approves it
      // (help/medallion-platform.md, "Serverless access").
      addServerlessStorageAccess(this, "ncc-rule", { accountProvider: props.accountProvider, networkConnectivityConfigId: nccId, storageAccountId: props.storageAccountId });
      for (const [key, storageAccountId] of Object.entries(props.serverlessStorageAccountIds ?? {})) {
        checkPattern(this, "serverlessStorageAccountIds key", key, /^[a-z][a-z0-9]{0,11}$/, "1–12 characters of [a-z0-9], starting with a letter");
        addServerlessStorageAccess(this, `ncc-rule-${key}`, { accountProvider: props.accountProvider, networkConnectivityConfigId: nccId, storageAccountId });
      }
      new MwsNccBinding(this, "ncc-binding", { ...account, networkConnectivityConfigId: nccId, workspaceId });
      this.networkConnectivityConfig = ncc;
    }
  }

  /** A medallion layer's catalog: managed tables under the zone's external location, in a folder of their own. */
  private layerCatalog(zone: LakeZone, location: ExternalLocation, forceDestroy: boolean, grants: GrantsGrant[]): Catalog {
    const { naming } = this.props;
    const catalog = new Catalog(this, `catalog-${zone.name}`, {
      provider: this.props.workspaceProvider,
      name: naming.unityCatalog(this, naming.workload, zone.identifier, naming.environment),
      comment: `Medallion ${zone.layer} layer${zone.name === zone.layer ? "" : `, ${zone.name} zone`}: tables the pipelines register`,
      // A reference, not a literal: the catalog is created after the location that covers its managed storage.
      storageRoot: `${location.url}unity-catalog/`,
      isolationMode: "ISOLATED",
      forceDestroy,
      // Medallion metadata (help/workspace-governance.md): layer, data owner, classification.
      properties: { layer: zone.layer, zone: zone.name, ...(this.props.dataOwner ? { dataOwner: this.props.dataOwner } : {}), ...(this.props.dataClassification ? { dataClassification: this.props.dataClassification } : {}) },
    });
    this.grant(`catalog-${zone.name}-grants`, { catalog: catalog.name }, grants);
    return catalog;
  }

  private grant(id: string, securable: Partial<Record<"storageCredential" | "externalLocation" | "catalog", string>>, grants: GrantsGrant[]): Grants {
    return new Grants(this, id, { provider: this.props.workspaceProvider, ...securable, grant: mergeGrants(grants) });
  }

  /** Binds the credential, locations and catalogs to another workspace (never the creating one: the provider did that). */
  private bindElsewhere(index: number, other: AdditionalWorkspace): void {
    const workspaceId = databricksWorkspaceId(this, `additionalWorkspaces[${index}].workspaceId`, other.workspaceId);
    const bindingType = other.bindingType ?? "BINDING_TYPE_READ_ONLY";
    const bind = (id: string, securableType: string, securableName: string) =>
      new WorkspaceBinding(this, `${id}-binding-${index}`, { provider: this.props.workspaceProvider, workspaceId, securableType, securableName, bindingType });
    bind("storage-credential", "storage_credential", this.storageCredential.name);
    for (const [zone, location] of Object.entries(this.externalLocations)) bind(`location-${zone}`, "external_location", location.name);
    for (const [zone, catalog] of Object.entries(this.layerCatalogs)) bind(`catalog-${zone}`, "catalog", catalog.name);
  }
}
