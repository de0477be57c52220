import { Construct } from "constructs";
import { DatabricksAccessConnector } from "@cdktf/provider-azurerm/lib/databricks-access-connector";
import { DatabricksWorkspace } from "@cdktf/provider-azurerm/lib/databricks-workspace";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { Naming } from "../core/naming";
import { SerialOperations } from "../core/serial-operations";
import { checkPattern, checkResourceId, invalid } from "../core/validation";
import { addDiagnostics } from "../monitoring/diagnostics";
import { logAnalyticsWorkspace } from "../monitoring/log-analytics";
import { PrivateDns, PrivateDnsZoneKey } from "../network/private-dns";
import { addPrivateEndpoint } from "../network/private-endpoint";
import { WorkspaceNetwork, WorkspaceNetworkProps } from "./workspace-network";
import { checkProps } from "../core/prop-checks";
import type { AzureRegion } from "../core/regions";
import { Contextual, withStackContext } from "../core/stack-context";

/**
 * Compliance standards of the compliance security profile that the pinned azurerm (4.55.0) accepts: its validation
 * allows exactly these (internal/services/databricks/databricks_workspace_resource.go, StringInSlice HIPAA, PCI_DSS).
 */
export const COMPLIANCE_STANDARDS = ["HIPAA", "PCI_DSS"] as const;
export type ComplianceStandard = (typeof COMPLIANCE_STANDARDS)[number];

/** Root (DBFS) storage redundancy options. */
export const ROOT_STORAGE_SKUS = ["Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS", "Standard_LRS", "Standard_GRS", "Standard_RAGRS"] as const;

export interface EnhancedSecurityProps {
  /**
   * Compliance security profile standards (e.g. `["HIPAA"]`). Requires enhanced security monitoring and
   * automatic cluster update. Removing a standard later replaces the workspace. @default none — the profile is off
   */
  readonly complianceStandards?: ComplianceStandard[];
  /** @default true when compliance standards are set, false otherwise */
  readonly enhancedSecurityMonitoring?: boolean;
  /** @default true when compliance standards are set, false otherwise */
  readonly automaticClusterUpdate?: boolean;
}

export interface CustomerManagedKeysProps {
  /** Versioned or versionless Key Vault key URL for notebooks, secrets and queries (managed services). */
  readonly managedServicesKeyId?: string;
  /** Key Vault key URL for the cluster managed disks. */
  readonly managedDiskKeyId?: string;
  /** Rotate managed disks to the key's latest version automatically. @default true */
  readonly managedDiskAutoRotation?: boolean;
  /** Enable CMK on the root (DBFS) storage account (the key itself is set afterwards with azurerm_databricks_workspace_root_dbfs_customer_managed_key). @default false */
  readonly rootStorage?: boolean;
}

/**
 * The front-end side, in a transit/hub VNet where users' traffic arrives. Its `privatelink.azuredatabricks.net` zone
 * must not be the workspace VNet's: the front-end and back-end endpoints both register the workspace's `adb-<id>`
 * record, so one shared zone makes one IP win (Databricks' reference keeps a zone per side).
 */
export interface FrontEndProps {
  /** Private-endpoint subnet in the transit VNet. */
  readonly subnetId: string;
  /** Owner of the transit side's zones (linked to the transit VNet, or the hub's zones by ID). */
  readonly privateDns: PrivateDns;
}

export interface SecureWorkspaceProps {
  readonly naming: Naming;
  /** Name purpose of the workspace and its network. @default "core" */
  readonly purpose?: string;
  readonly resourceGroupName: string;
  readonly location: AzureRegion;
  /** The workspace's own network (VNet injection). */
  readonly network: Omit<WorkspaceNetworkProps, "naming" | "purpose" | "resourceGroupName" | "location" | "logAnalyticsWorkspaceId">;
  /**
   * Owner of the workspace side's private DNS zones (the back-end `privatelink.azuredatabricks.net` zone and the root
   * storage's), linked to the workspace VNet. @default the stack's StackContext privateDns, or a PrivateDns of its own in
   * `resourceGroupName`
   */
  readonly privateDns?: PrivateDns;
  /**
   * Whether clusters run here: the back-end (`databricks_ui_api`) endpoint in the workspace VNet and the root storage
   * endpoints. A web-auth workspace runs none. @default true
   */
  readonly backEnd?: boolean;
  /**
   * Front-end private endpoint in a transit/hub VNet. @default none — the back-end endpoint in the workspace VNet
   * also serves users who reach that VNet (simplified deployment)
   */
  readonly frontEnd?: FrontEndProps;
  /** Log Analytics workspace for diagnostics. @default the stack's StackContext one, or a workspace created here (90 days retention) */
  readonly logAnalyticsWorkspaceId?: string;
  /** Access connector used by the root storage firewall. @default an access connector created here (system-assigned identity) */
  readonly accessConnectorId?: string;
  /** Root (DBFS) storage redundancy. @default "Standard_ZRS" */
  readonly rootStorageSku?: (typeof ROOT_STORAGE_SKUS)[number];
  /** Double encryption of the root storage (FIPS 140-2 requirements); cannot be changed later. @default true */
  readonly infrastructureEncryption?: boolean;
  /** @default none — Microsoft-managed keys */
  readonly customerManagedKeys?: CustomerManagedKeysProps;
  /** @default none — enhanced security and compliance off */
  readonly enhancedSecurity?: EnhancedSecurityProps;
  /** Terraform `prevent_destroy` on the workspace (set it in production). @default false */
  readonly preventDestroy?: boolean;
}

const KEY_URL = /^https:\/\/[a-zA-Z0-9-]{3,24}\.vault\.azure\.net\/keys\/[a-zA-Z0-9-]{1,127}(\/[0-9a-f]{32})?$/;

/**
 * A Premium Azure Databricks workspace hardened per the hardened medallion reference: VNet injection with
 * Secure Cluster Connectivity (no public IPs), Private Link front end and back end with public network access
 * off, explicit egress, root storage behind its firewall, and every log category sent to Log Analytics.
 */
export class SecureWorkspace extends Construct {
  readonly workspace: DatabricksWorkspace;
  readonly network: WorkspaceNetwork;
  readonly privateDns: PrivateDns;
  /** Back-end (`databricks_ui_api`) private endpoint in the workspace VNet (unless `backEnd: false`). */
  readonly backEndEndpoint?: PrivateEndpoint;
  /** Front-end private endpoint, when `frontEnd` is given. */
  readonly frontEndEndpoint?: PrivateEndpoint;
  /** Root storage private endpoints (`dfs`, `blob`). */
  readonly rootStorageEndpoints: readonly PrivateEndpoint[];
  readonly diagnostics: MonitorDiagnosticSetting;
  /** The access connector created here, when none was passed. */
  readonly accessConnector?: DatabricksAccessConnector;
  /** The Log Analytics workspace created here, when none was passed. */
  readonly logAnalyticsWorkspace?: LogAnalyticsWorkspace;
  readonly logAnalyticsWorkspaceId: string;
  readonly workspaceName: string;
  readonly managedResourceGroupName: string;
  readonly rootStorageAccountName: string;
  private readonly props: SecureWorkspaceProps;

  constructor(scope: Construct, id: string, input: Contextual<SecureWorkspaceProps>) {
    super(scope, id);
    const props = withStackContext<SecureWorkspaceProps>(this, input, { privateDns: "optional", logAnalyticsWorkspaceId: "optional" });
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    this.props = props;
    const { naming } = props;
    const purpose = checkPattern(this, "purpose", props.purpose ?? "core", /^[a-z][a-z0-9]{0,11}$/, "1–12 characters of [a-z0-9], starting with a letter");
    this.validate(props);

    const logs = logAnalyticsWorkspace(this, "logs", { naming, purpose, resourceGroupName: props.resourceGroupName, location: props.location, existingId: props.logAnalyticsWorkspaceId });
    this.logAnalyticsWorkspace = logs.workspace;
    this.logAnalyticsWorkspaceId = logs.id;
    this.network = new WorkspaceNetwork(this, "network", { ...props.network, naming, purpose, resourceGroupName: props.resourceGroupName, location: props.location, logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId });
    this.privateDns = props.privateDns ?? new PrivateDns(this, "dns", { naming, resourceGroupName: props.resourceGroupName });
    // Contradictions are errors, never resolved silently.
    if (props.customerManagedKeys?.managedDiskAutoRotation !== undefined && !props.customerManagedKeys.managedDiskKeyId) {
      invalid(this, "customerManagedKeys.managedDiskAutoRotation", props.customerManagedKeys.managedDiskAutoRotation, "no setting without customerManagedKeys.managedDiskKeyId (there is no key to rotate)");
    }
    if (props.frontEnd && props.frontEnd.privateDns === this.privateDns) {
      invalid(this, "frontEnd.privateDns", "the workspace's own PrivateDns", "the transit side's PrivateDns: one privatelink.azuredatabricks.net zone for both sides makes one endpoint's record win");
    }
    if (props.backEnd ?? true) this.privateDns.linkVirtualNetwork(purpose, this.network.virtualNetworkId);


    let accessConnectorId = props.accessConnectorId;
    if (accessConnectorId) {
      checkResourceId(this, "accessConnectorId", accessConnectorId, "Microsoft.Databricks/accessConnectors");
    } else {
      this.accessConnector = new DatabricksAccessConnector(this, "access-connector", {
        name: naming.accessConnector(this, purpose),
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        identity: { type: "SystemAssigned" },
      });
      accessConnectorId = this.accessConnector.id;
    }

    this.workspaceName = naming.databricksWorkspace(this, purpose);
    this.managedResourceGroupName = naming.managedResourceGroup(this, purpose);
    this.rootStorageAccountName = naming.storageAccount(this, purpose);
    const security = this.enhancedSecurity(props.enhancedSecurity);
    const cmk = props.customerManagedKeys;
    this.workspace = new DatabricksWorkspace(this, "workspace", {
      name: this.workspaceName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "premium",
      managedResourceGroupName: this.managedResourceGroupName,
      publicNetworkAccessEnabled: false,
      networkSecurityGroupRulesRequired: "NoAzureDatabricksRules",
      infrastructureEncryptionEnabled: props.infrastructureEncryption ?? true,
      defaultStorageFirewallEnabled: true,
      accessConnectorId,
      customerManagedKeyEnabled: cmk?.rootStorage ?? false,
      managedServicesCmkKeyVaultKeyId: cmk?.managedServicesKeyId,
      managedDiskCmkKeyVaultKeyId: cmk?.managedDiskKeyId,
      managedDiskCmkRotationToLatestVersionEnabled: cmk?.managedDiskKeyId ? (cmk.managedDiskAutoRotation ?? true) : undefined,
      enhancedSecurityCompliance: security,
      customParameters: {
        noPublicIp: true,
        virtualNetworkId: this.network.virtualNetworkId,
        publicSubnetName: this.network.hostSubnet.name,
        privateSubnetName: this.network.containerSubnet.name,
        publicSubnetNetworkSecurityGroupAssociationId: this.network.hostNsgAssociation.id,
        privateSubnetNetworkSecurityGroupAssociationId: this.network.containerNsgAssociation.id,
        storageAccountName: this.rootStorageAccountName,
        storageAccountSkuName: props.rootStorageSku ?? "Standard_ZRS",
      },
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });

    // Databricks refuses a second update of the workspace while one runs: its endpoints go one at a time, back end first.
    if (props.backEnd ?? true) {
      this.backEndEndpoint = this.workspaceEndpoint("backend-endpoint", this.network.privateEndpointSubnet.id, this.privateDns, purpose, "databricks_ui_api");
    }
    if (props.frontEnd) {
      this.frontEndEndpoint = this.workspaceEndpoint("frontend-endpoint", props.frontEnd.subnetId, props.frontEnd.privateDns, purpose, "databricks_ui_api", "fe");
    }
    const rootStorageId = this.rootStorageAccountId;
    this.rootStorageEndpoints = (props.backEnd ?? true)
      ? (["dfs", "blob"] as const).map((sub) => this.endpoint(`root-${sub}-endpoint`, this.network.privateEndpointSubnet.id, this.privateDns, purpose, sub, rootStorageId, sub, "root"))
      : [];

    this.diagnostics = addDiagnostics(this, "diagnostics", {
      name: naming.diagnosticSetting(this, purpose),
      targetResourceId: this.workspace.id,
      logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
      kind: "databricksWorkspace",
    });
  }

  /** Workspace resource ID. */
  get workspaceResourceId(): string {
    return this.workspace.id;
  }

  /** Databricks workspace ID (numeric, used by the account API and Unity Catalog assignment). */
  get workspaceId(): string {
    return this.workspace.workspaceId;
  }

  /** Resource ID of the root (DBFS) storage account, which Azure creates in the managed resource group. */
  get rootStorageAccountId(): string {
    return `${this.workspace.managedResourceGroupId}/providers/Microsoft.Storage/storageAccounts/${this.rootStorageAccountName}`;
  }

  /** Workspace URL, `https://adb-….azuredatabricks.net`. */
  get workspaceUrl(): string {
    return `https://${this.workspace.workspaceUrl}`;
  }

  /**
   * Adds a private endpoint to this workspace in another subnet, e.g. `browser_authentication` in a transit VNet (see
   * WebAuthWorkspace), registered in `privateDns`'s zone. It is created after the workspace's other endpoints.
   */
  addPrivateEndpoint(id: string, subnetId: string, privateDns: PrivateDns, purpose: string, subresource: "databricks_ui_api" | "browser_authentication"): PrivateEndpoint {
    return this.workspaceEndpoint(id, subnetId, privateDns, purpose, subresource);
  }

  private workspaceEndpoint(id: string, subnetId: string, privateDns: PrivateDns, purpose: string, subresource: string, qualifier?: string): PrivateEndpoint {
    return SerialOperations.of(this).add(this.workspace.id, this.endpoint(id, subnetId, privateDns, purpose, subresource, this.workspace.id, "databricks", qualifier));
  }

  private endpoint(id: string, subnetId: string, privateDns: PrivateDns, purpose: string, subresource: string, resourceId: string, zone: PrivateDnsZoneKey, qualifier?: string): PrivateEndpoint {
    const { naming, resourceGroupName, location } = this.props;
    return addPrivateEndpoint(this, id, { naming, resourceGroupName, location, purpose, qualifier, subnetId, resourceId, subresource, zone, privateDns });
  }

  private enhancedSecurity(props: EnhancedSecurityProps | undefined) {
    if (!props) return undefined;
    const standards = props.complianceStandards ?? [];
    for (const standard of standards) {
      if (!(COMPLIANCE_STANDARDS as readonly string[]).includes(standard)) {
        invalid(this, "enhancedSecurity.complianceStandards", standard, `one of ${COMPLIANCE_STANDARDS.join(", ")}`);
      }
    }
    const profile = standards.length > 0;
    const monitoring = props.enhancedSecurityMonitoring ?? profile;
    const autoUpdate = props.automaticClusterUpdate ?? profile;
    if (profile && !monitoring) invalid(this, "enhancedSecurity.enhancedSecurityMonitoring", monitoring, "true when the compliance security profile is on");
    if (profile && !autoUpdate) invalid(this, "enhancedSecurity.automaticClusterUpdate", autoUpdate, "true when the compliance security profile is on");
    return {
      complianceSecurityProfileEnabled: profile,
      complianceSecurityProfileStandards: profile ? standards : undefined,
      enhancedSecurityMonitoringEnabled: monitoring,
      automaticClusterUpdateEnabled: autoUpdate,
    };
  }

  private validate(props: SecureWorkspaceProps): void {
    if (props.rootStorageSku !== undefined && !ROOT_STORAGE_SKUS.includes(props.rootStorageSku)) {
      invalid(this, "rootStorageSku", props.rootStorageSku, `one of ${ROOT_STORAGE_SKUS.join(", ")}`);
    }
    const cmk = props.customerManagedKeys;
    if (cmk?.managedServicesKeyId) checkPattern(this, "customerManagedKeys.managedServicesKeyId", cmk.managedServicesKeyId, KEY_URL, "a Key Vault key URL (https://<vault>.vault.azure.net/keys/<name>[/<version>])");
    if (cmk?.managedDiskKeyId) checkPattern(this, "customerManagedKeys.managedDiskKeyId", cmk.managedDiskKeyId, KEY_URL, "a Key Vault key URL (https://<vault>.vault.azure.net/keys/<name>[/<version>])");
    if (props.frontEnd) checkResourceId(this, "frontEnd.subnetId", props.frontEnd.subnetId, "Microsoft.Network/virtualNetworks/subnets");
  }
}
