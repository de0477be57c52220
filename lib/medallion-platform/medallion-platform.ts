import { Construct, IConstruct } from "constructs";
import { DatabricksAccessConnector } from "@cdktf/provider-azurerm/lib/databricks-access-connector";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { Naming } from "../core/naming";
import { checkRange, checkResourceId, invalid } from "../core/validation";
import { Principal, RoleAssignments } from "../identity/role-assignments";
import { logAnalyticsWorkspace } from "../monitoring/log-analytics";
import { PrivateDns } from "../network/private-dns";
import { SecureWorkspace, SecureWorkspaceProps } from "../secure-workspace/secure-workspace";
import { SecureKeyVault } from "../security/secure-key-vault";
import { LifecycleRule, SecureStorageAccount, StorageBypass, StorageReplication, StorageSubresource } from "../storage/secure-storage-account";
import { Ingestion, IngestionOptions } from "./ingestion";
import { LakeZone, parseZones } from "./zones";
import { checkProps } from "../core/prop-checks";
import type { AzureRegion } from "../core/regions";
import { Contextual, StackContext, withStackContext } from "../core/stack-context";

/** Name purpose of the lake account. */
const LAKE_PURPOSE = "lake";

export interface LakeOptions {
  /**
   * The lake's zones, one container (filesystem) each: `bronze`, `silver`, `gold`, optionally `landing` and
   * `staging`, and any layer split as `<layer>-<qualifier>` (e.g. `gold-reporting`, `gold-history`).
   * @default ["bronze", "silver", "gold"]
   */
  readonly zones?: string[];
  /** @default "ZRS" */
  readonly replication?: StorageReplication;
  /** @default 30 */
  readonly blobSoftDeleteDays?: number;
  /** @default 30 */
  readonly containerSoftDeleteDays?: number;
  /** Days landing data is kept before it expires. @default 30 */
  readonly landingRetentionDays?: number;
  /** Days staging data is kept (it is transient, rewritten every run). @default 7 */
  readonly stagingRetentionDays?: number;
  /** Further lifecycle rules (tiering of older data, …). @default [] */
  readonly lifecycleRules?: LifecycleRule[];
  /**
   * Unity Catalog file events (Event Grid → storage queue): adds the queue endpoint and the access connector's
   * queue and event-subscription roles. @default false
   */
  readonly fileEvents?: boolean;
  /** Trusted-service bypass. @default ["AzureServices"] with file events (Event Grid delivers through it), [] otherwise */
  readonly networkBypass?: StorageBypass[];
  /** @default ["blob", "dfs"], plus "queue" with file events */
  readonly privateEndpoints?: StorageSubresource[];
}

export interface PlatformPrincipals {
  /** Deployment principal (Enterprise Application object ID): manages Key Vault secrets. */
  readonly deploymentObjectId: string;
  /**
   * Runtime principal that runs the layer pipelines (Enterprise Application object ID): reads secrets here, and
   * gets the layer grants in Unity Catalog (PlatformCatalog), never direct storage roles.
   * @default the deployment principal — single-principal mode, for tenants with only one
   */
  readonly pipelineObjectId?: string;
  /** Further principals that read secrets (Key Vault Secrets User). @default [] */
  readonly secretReaders?: Principal[];
}

export interface MedallionPlatformProps {
  readonly naming: Naming;
  readonly resourceGroupName: string;
  readonly location: AzureRegion;
  /** Entra tenant ID (Key Vault, resource instance rules). */
  readonly tenantId: string;
  /** The environment's Databricks workspace (VNet-injected, private). Its private-endpoint subnet hosts the platform's endpoints. */
  readonly workspace: Omit<SecureWorkspaceProps, "naming" | "resourceGroupName" | "location" | "privateDns" | "logAnalyticsWorkspaceId" | "accessConnectorId">;
  /** @default the stack's StackContext privateDns, or a PrivateDns of its own in `resourceGroupName` (offered to the context) */
  readonly privateDns?: PrivateDns;
  /** @default the stack's StackContext logAnalyticsWorkspaceId, or a workspace created here (offered to the context) */
  readonly logAnalyticsWorkspaceId?: string;
  /** Retention of the Log Analytics workspace created here (30–730 days). @default 90 */
  readonly logRetentionDays?: number;
  /** @default bronze, silver, gold on ZRS */
  readonly lake?: LakeOptions;
  /** Key Vault soft-delete retention (7–90 days). @default 90 */
  readonly keyVaultSoftDeleteRetentionDays?: number;
  /** A user-assigned identity for the access connector. @default the connector's system-assigned identity */
  readonly accessConnectorIdentity?: { readonly id: string; readonly principalId: string };
  /** Data Factory ingestion; `false` turns it off. @default on, without Git integration */
  readonly ingestion?: IngestionOptions | false;
  readonly principals: PlatformPrincipals;
  /** Production data guard: `prevent_destroy` and CanNotDelete locks on the lake, the Key Vault and the workspace. @default false */
  readonly protectFromDeletion?: boolean;
}

/**
 * The enterprise-managed foundation of the hardened medallion: the private workspace, an ADLS Gen2 lake with one
 * filesystem per zone, the Key Vault, the Databricks access connector and its data roles, Data Factory
 * ingestion, and monitoring. Its Unity Catalog side (storage credential, external locations, serverless
 * networking) is {@link PlatformCatalog}, in a stack of its own.
 */
export class MedallionPlatform extends Construct {
  /**
   * The lake account's name, from the naming module: what another region names it by without reading this
   * platform's state (a disaster recovery secondary reaches the primary lake while the primary region is down).
   */
  static lakeName(scope: IConstruct, naming: Naming): string {
    return naming.storageAccount(scope, LAKE_PURPOSE);
  }

  readonly workspace: SecureWorkspace;
  readonly lake: SecureStorageAccount;
  readonly keyVault: SecureKeyVault;
  readonly accessConnector: DatabricksAccessConnector;
  readonly ingestion?: Ingestion;
  readonly privateDns: PrivateDns;
  /** The Log Analytics workspace created here, when none was passed. */
  readonly logAnalyticsWorkspace?: LogAnalyticsWorkspace;
  readonly logAnalyticsWorkspaceId: string;
  /** The lake's zones, in order. */
  readonly zones: readonly LakeZone[];
  /** Principal ID of the access connector's identity (for further grants). */
  readonly accessConnectorPrincipalId: string;
  /** The user-assigned identity used by the access connector, when one was given (the storage credential needs it). */
  readonly accessConnectorManagedIdentityId?: string;

  constructor(scope: Construct, id: string, input: Contextual<MedallionPlatformProps>) {
    super(scope, id);
    const props = withStackContext<MedallionPlatformProps>(this, input, { privateDns: "optional", logAnalyticsWorkspaceId: "optional" });
    checkProps(this, props);
    if (props.keyVaultSoftDeleteRetentionDays !== undefined) checkRange(this, "keyVaultSoftDeleteRetentionDays", props.keyVaultSoftDeleteRetentionDays, 7, 90);
    props.naming.location(this, "location", props.location);
    const { naming, resourceGroupName, location } = props;
    const lakeOptions = props.lake ?? {};
    this.zones = parseZones(this, lakeOptions.zones);
    const fileEvents = lakeOptions.fileEvents ?? false;
    const endpoints = lakeOptions.privateEndpoints ?? (fileEvents ? ["blob", "dfs", "queue"] : ["blob", "dfs"]);
    const bypass = lakeOptions.networkBypass ?? (fileEvents ? ["AzureServices"] : []);
    if (fileEvents && !endpoints.includes("queue")) invalid(this, "lake.privateEndpoints", endpoints, `a list including "queue" when lake.fileEvents is on (the file-event queue is reached privately)`);
    if (fileEvents && !bypass.includes("AzureServices")) invalid(this, "lake.networkBypass", bypass, `a list including "AzureServices" when lake.fileEvents is on (Event Grid delivers to the queue as a trusted service)`);

    this.privateDns = props.privateDns ?? new PrivateDns(this, "dns", { naming, resourceGroupName });

    const logs = logAnalyticsWorkspace(this, "logs", {
      naming,
      purpose: "platform",
      resourceGroupName,
      location,
      existingId: props.logAnalyticsWorkspaceId,
      retentionDays: props.logRetentionDays,
    });
    this.logAnalyticsWorkspace = logs.workspace;
    this.logAnalyticsWorkspaceId = logs.id;
    StackContext.of(this)?.offer({ privateDns: this.privateDns, logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId });

    const uami = props.accessConnectorIdentity;
    if (uami) checkResourceId(this, "accessConnectorIdentity.id", uami.id, "Microsoft.ManagedIdentity/userAssignedIdentities");
    this.accessConnector = new DatabricksAccessConnector(this, "access-connector", {
      name: naming.accessConnector(this, "platform"),
      resourceGroupName,
      location,
      identity: uami ? { type: "UserAssigned", identityIds: [uami.id] } : { type: "SystemAssigned" },
    });
    this.accessConnectorPrincipalId = uami ? uami.principalId : this.accessConnector.identity.principalId;
    this.accessConnectorManagedIdentityId = uami?.id;

    this.workspace = new SecureWorkspace(this, "workspace", {
      ...props.workspace,
      naming,
      resourceGroupName,
      location,
      privateDns: this.privateDns,
      logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
      accessConnectorId: this.accessConnector.id,
      preventDestroy: props.workspace.preventDestroy ?? props.protectFromDeletion,
    });
    const privateEndpointSubnetId = this.workspace.network.privateEndpointSubnet.id;

    this.lake = new SecureStorageAccount(this, "lake", {
      naming,
      purpose: LAKE_PURPOSE,
      resourceGroupName,
      location,
      tenantId: props.tenantId,
      replication: lakeOptions.replication,
      blobSoftDeleteDays: lakeOptions.blobSoftDeleteDays,
      containerSoftDeleteDays: lakeOptions.containerSoftDeleteDays,
      networkBypass: bypass,
      allowedResourceIds: [this.accessConnector.id],
      containers: this.zones.map((z) => z.name),
      lifecycleRules: [...this.expiryRules(lakeOptions), ...(lakeOptions.lifecycleRules ?? [])],
      privateEndpointSubnetId,
      privateDns: this.privateDns,
      privateEndpoints: endpoints,
      logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
      protectFromDeletion: props.protectFromDeletion,
    });

    this.keyVault = new SecureKeyVault(this, "key-vault", {
      naming,
      resourceGroupName,
      location,
      tenantId: props.tenantId,
      softDeleteRetentionDays: props.keyVaultSoftDeleteRetentionDays,
      privateEndpointSubnetId,
      privateDns: this.privateDns,
      logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
      protectFromDeletion: props.protectFromDeletion,
    });

    this.grantAccessConnector(fileEvents);
    this.grantPrincipals(props.principals);

    if (props.ingestion !== false) {
      // Landing only: bronze holds Unity Catalog's managed tables, written by the pipeline through UC — a path-based
      // write would bypass table ACLs and lineage (databricks review M8).
      const writeContainers = this.zones.filter((z) => z.layer === "landing").map((z) => z.name);
      this.ingestion = new Ingestion(this, "ingestion", {
        ...(props.ingestion ?? {}),
        naming,
        resourceGroupName,
        location,
        lake: this.lake,
        keyVault: this.keyVault,
        writeContainers,
        privateEndpointSubnetId,
        privateDns: this.privateDns,
        logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
      });
    }
  }

  /** `abfss://` URL of a zone's filesystem. */
  zoneUrl(zone: string): string {
    if (!this.zones.some((z) => z.name === zone)) invalid(this, "zone", zone, `one of ${this.zones.map((z) => z.name).join(", ")}`);
    return this.lake.abfssUrl(zone);
  }

  /** Lets a principal read and write one zone's data (Storage Blob Data Contributor on that container only). */
  grantZoneWrite(zone: string, principal: Principal): void {
    RoleAssignments.of(this).grant(this, this.lake.containerScope(zone), "Storage Blob Data Contributor", principal, `Writes the ${zone} zone`);
  }

  /** Lets a principal read one zone's data (Storage Blob Data Reader on that container only). */
  grantZoneRead(zone: string, principal: Principal): void {
    RoleAssignments.of(this).grant(this, this.lake.containerScope(zone), "Storage Blob Data Reader", principal, `Reads the ${zone} zone`);
  }

  private grantAccessConnector(fileEvents: boolean): void {
    const connector = { objectId: this.accessConnectorPrincipalId, type: "ServicePrincipal" as const };
    // Per container: the narrowest scope Unity Catalog's external locations work with.
    for (const zone of this.zones) this.grantZoneWrite(zone.name, connector);
    if (fileEvents) {
      const roles = RoleAssignments.of(this);
      roles.grant(this, this.lake.account.id, "Storage Queue Data Contributor", connector, "Unity Catalog file events read the event queue");
      roles.grant(this, this.lake.account.id, "EventGrid EventSubscription Contributor", connector, "Unity Catalog file events subscribe to the lake's blob events");
    }
  }

  private grantPrincipals(principals: PlatformPrincipals): void {
    const deployment = { objectId: principals.deploymentObjectId };
    const pipeline = { objectId: principals.pipelineObjectId ?? principals.deploymentObjectId };
    this.keyVault.grantSecretsManage(deployment);
    // Data access goes through Unity Catalog (the access connector), so the pipeline gets no storage role here.
    this.keyVault.grantSecretsRead(pipeline);
    for (const reader of principals.secretReaders ?? []) this.keyVault.grantSecretsRead(reader);
  }

  private expiryRules(options: LakeOptions): LifecycleRule[] {
    const rules: LifecycleRule[] = [];
    const landing = this.zones.find((z) => z.name === "landing");
    const staging = this.zones.find((z) => z.name === "staging");
    if (landing) rules.push({ prefix: "landing/", deleteAfterDays: checkRange(this, "lake.landingRetentionDays", options.landingRetentionDays ?? 30, 1, 3650) });
    if (staging) rules.push({ prefix: "staging/", deleteAfterDays: checkRange(this, "lake.stagingRetentionDays", options.stagingRetentionDays ?? 7, 1, 3650) });
    return rules;
  }
}
