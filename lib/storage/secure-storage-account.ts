import { Construct } from "constructs";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageManagementPolicy, StorageManagementPolicyRule } from "@cdktf/provider-azurerm/lib/storage-management-policy";
import { Naming } from "../core/naming";
import { checkRange, invalid } from "../core/validation";
import { addDiagnostics } from "../monitoring/diagnostics";
import { PrivateDns } from "../network/private-dns";
import { addPrivateEndpoint } from "../network/private-endpoint";
import { checkProps } from "../core/prop-checks";
import { lockAfterDependants } from "../core/lock-ordering";

export const STORAGE_REPLICATION = ["ZRS", "GZRS", "RAGZRS", "LRS"] as const;
export type StorageReplication = (typeof STORAGE_REPLICATION)[number];
export const STORAGE_BYPASS = ["AzureServices", "Logging", "Metrics"] as const;
export type StorageBypass = (typeof STORAGE_BYPASS)[number];
export type StorageSubresource = "blob" | "dfs" | "queue";

/** Lifecycle of the blobs under one container (or path prefix). */
export interface LifecycleRule {
  /** Container name, optionally followed by a path (`landing/` or `bronze/raw/`). */
  readonly prefix: string;
  readonly coolAfterDays?: number;
  readonly coldAfterDays?: number;
  readonly archiveAfterDays?: number;
  readonly deleteAfterDays?: number;
}

export interface SecureStorageAccountProps {
  readonly naming: Naming;
  /** Name purpose (`lake`, `sandbox`, …): the account is `st<workload><purpose><env><region><suffix>`. */
  readonly purpose: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** ADLS Gen2 (hierarchical namespace). Blob versioning is only turned on without it. @default true */
  readonly hierarchicalNamespace?: boolean;
  /** @default "ZRS" — zone redundant; GZRS/RAGZRS add a paired region for DR */
  readonly replication?: StorageReplication;
  /** Days deleted blobs are kept (1–365). @default 30 */
  readonly blobSoftDeleteDays?: number;
  /** Days deleted containers are kept (1–365). @default 30 */
  readonly containerSoftDeleteDays?: number;
  /** Trusted-service bypass of the firewall. @default [] — nothing bypasses it */
  readonly networkBypass?: StorageBypass[];
  /** Resource instances allowed through the firewall (e.g. a Databricks access connector), by resource ID. @default [] */
  readonly allowedResourceIds?: string[];
  /** Containers to create, through the management plane. @default [] */
  readonly containers?: string[];
  readonly lifecycleRules?: LifecycleRule[];
  /** Where the private endpoints go. */
  readonly privateEndpointSubnetId: string;
  readonly privateDns: PrivateDns;
  /** @default ["blob", "dfs"] with a hierarchical namespace, ["blob"] without */
  readonly privateEndpoints?: StorageSubresource[];
  readonly logAnalyticsWorkspaceId: string;
  /** Terraform `prevent_destroy` and a CanNotDelete lock (production data). @default false */
  readonly protectFromDeletion?: boolean;
  /** Tenant of the allowed resource instances. */
  readonly tenantId?: string;
}

const STORAGE_SERVICES = ["blobServices", "queueServices", "tableServices", "fileServices"] as const;

/**
 * A storage account with the security baseline set attribute by attribute: public network access off,
 * firewall default Deny, shared keys and local users off (Entra ID only), no public nested items, TLS 1.2,
 * HTTPS only, no cross-tenant replication, copies only over Private Link, infrastructure encryption, blob and
 * container soft delete, private endpoints with DNS, diagnostics on the account and every service.
 */
export class SecureStorageAccount extends Construct {
  readonly account: StorageAccount;
  readonly containers: Readonly<Record<string, StorageContainer>>;
  readonly privateEndpoints: Readonly<Partial<Record<StorageSubresource, PrivateEndpoint>>>;
  readonly diagnostics: readonly MonitorDiagnosticSetting[];
  readonly managementPolicy?: StorageManagementPolicy;
  readonly lock?: ManagementLock;
  readonly name: string;

  constructor(scope: Construct, id: string, props: SecureStorageAccountProps) {
    super(scope, id);
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    const hns = props.hierarchicalNamespace ?? true;
    const replication = props.replication ?? "ZRS";
    if (!STORAGE_REPLICATION.includes(replication)) invalid(this, "replication", replication, `one of ${STORAGE_REPLICATION.join(", ")}`);
    for (const bypass of props.networkBypass ?? []) {
      if (!STORAGE_BYPASS.includes(bypass)) invalid(this, "networkBypass", bypass, `any of ${STORAGE_BYPASS.join(", ")}`);
    }
    const subresources = props.privateEndpoints ?? (hns ? ["blob", "dfs"] : ["blob"]);
    if (!hns && subresources.includes("dfs")) invalid(this, "privateEndpoints", "dfs", "no dfs endpoint without a hierarchical namespace");

    this.name = props.naming.storageAccount(this, props.purpose);
    this.account = new StorageAccount(this, "account", {
      name: this.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: "StorageV2",
      accountTier: "Standard",
      accountReplicationType: replication,
      accessTier: "Hot",
      isHnsEnabled: hns,
      publicNetworkAccessEnabled: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      localUserEnabled: false,
      sftpEnabled: false,
      allowNestedItemsToBePublic: false,
      minTlsVersion: "TLS1_2",
      httpsTrafficOnlyEnabled: true,
      crossTenantReplicationEnabled: false,
      allowedCopyScope: "PrivateLink",
      infrastructureEncryptionEnabled: true,
      identity: { type: "SystemAssigned" },
      networkRules: {
        defaultAction: "Deny",
        bypass: props.networkBypass && props.networkBypass.length > 0 ? props.networkBypass : ["None"],
        ipRules: [],
        virtualNetworkSubnetIds: [],
        privateLinkAccess: (props.allowedResourceIds ?? []).map((endpointResourceId) => ({ endpointResourceId, endpointTenantId: props.tenantId })),
      },
      blobProperties: {
        // Versioning is not available on hierarchical-namespace accounts; soft delete is.
        versioningEnabled: !hns,
        changeFeedEnabled: !hns,
        deleteRetentionPolicy: { days: checkRange(this, "blobSoftDeleteDays", props.blobSoftDeleteDays ?? 30, 1, 365) },
        containerDeleteRetentionPolicy: { days: checkRange(this, "containerSoftDeleteDays", props.containerSoftDeleteDays ?? 30, 1, 365) },
      },
      lifecycle: props.protectFromDeletion ? { preventDestroy: true } : undefined,
    });

    const containers: Record<string, StorageContainer> = {};
    for (const name of props.containers ?? []) {
      if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(name)) invalid(this, "containers", name, "3–63 characters of [a-z0-9-], no double hyphen");
      if (containers[name]) invalid(this, "containers", name, "unique container names");
      // storage_account_id: created through the management plane, so a runner outside the VNet can do it.
      containers[name] = new StorageContainer(this, `container-${name}`, { name, storageAccountId: this.account.id, containerAccessType: "private" });
    }
    this.containers = containers;

    if (props.lifecycleRules && props.lifecycleRules.length > 0) {
      this.managementPolicy = new StorageManagementPolicy(this, "lifecycle", {
        storageAccountId: this.account.id,
        rule: props.lifecycleRules.map((rule, i) => this.lifecycleRule(rule, i, containers)),
      });
    }

    const endpoints: Partial<Record<StorageSubresource, PrivateEndpoint>> = {};
    for (const sub of subresources) {
      endpoints[sub] = addPrivateEndpoint(this, `${sub}-endpoint`, {
        ...props,
        subnetId: props.privateEndpointSubnetId,
        resourceId: this.account.id,
        subresource: sub,
        zone: sub,
      });
    }
    this.privateEndpoints = endpoints;

    this.diagnostics = [
      addDiagnostics(this, "diagnostics", {
        name: props.naming.diagnosticSetting(this, props.purpose),
        targetResourceId: this.account.id,
        logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
        kind: "storageAccount",
      }),
      ...STORAGE_SERVICES.map((service) =>
        addDiagnostics(this, `diagnostics-${service}`, {
          name: props.naming.diagnosticSetting(this, props.purpose),
          targetResourceId: `${this.account.id}/${service}/default`,
          logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
          kind: service === "fileServices" ? "storageFileService" : "storageService",
        }),
      ),
    ];

    if (props.protectFromDeletion) {
      this.lock = new ManagementLock(this, "lock", {
        name: props.naming.managementLock(this, props.purpose),
        scope: this.account.id,
        lockLevel: "CanNotDelete",
        notes: "Production data: remove this lock deliberately before deleting the account.",
      });
      lockAfterDependants(this.lock, this.account);
    }
  }

  /** Resource ID of a container created here (the narrowest scope for a data role). */
  containerScope(name: string): string {
    const container = this.containers[name];
    if (!container) invalid(this, "container", name, `one of ${Object.keys(this.containers).join(", ")}`);
    return container.id;
  }

  /** `abfss://<container>@<account>.dfs.core.windows.net/`, from references to the container and the account (not literals). */
  abfssUrl(container: string): string {
    const created = this.containers[container];
    if (!created) invalid(this, "container", container, `one of ${Object.keys(this.containers).join(", ")}`);
    return `abfss://${created.name}@${this.account.name}.dfs.core.windows.net/`;
  }

  private lifecycleRule(rule: LifecycleRule, index: number, containers: Record<string, StorageContainer>): StorageManagementPolicyRule {
    const prop = `lifecycleRules[${index}]`;
    const container = rule.prefix.split("/")[0];
    if (!containers[container]) invalid(this, `${prop}.prefix`, rule.prefix, `a path starting with one of the containers (${Object.keys(containers).join(", ")})`);
    const days = (key: keyof LifecycleRule) => {
      const value = rule[key] as number | undefined;
      return value === undefined ? undefined : checkRange(this, `${prop}.${key}`, value, 1, 99999);
    };
    const [cool, cold, archive, del] = [days("coolAfterDays"), days("coldAfterDays"), days("archiveAfterDays"), days("deleteAfterDays")];
    if (cool === undefined && cold === undefined && archive === undefined && del === undefined) {
      invalid(this, prop, rule, "at least one of coolAfterDays, coldAfterDays, archiveAfterDays, deleteAfterDays");
    }
    const ordered = [cool, cold, archive, del].filter((d): d is number => d !== undefined);
    if (ordered.some((d, i) => i > 0 && d <= ordered[i - 1])) invalid(this, prop, rule, "days increasing from cool to cold to archive to delete");
    return {
      name: `${container}-${index}`,
      enabled: true,
      filters: { blobTypes: ["blockBlob"], prefixMatch: [rule.prefix.endsWith("/") ? rule.prefix : `${rule.prefix}/`] },
      actions: {
        baseBlob: {
          tierToCoolAfterDaysSinceModificationGreaterThan: cool,
          tierToColdAfterDaysSinceModificationGreaterThan: cold,
          tierToArchiveAfterDaysSinceModificationGreaterThan: archive,
          deleteAfterDaysSinceModificationGreaterThan: del,
        },
      },
    };
  }
}
