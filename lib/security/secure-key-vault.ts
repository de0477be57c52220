import { Construct } from "constructs";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { Naming } from "../core/naming";
import { checkRange } from "../core/validation";
import { Principal, RoleAssignments } from "../identity/role-assignments";
import { addDiagnostics } from "../monitoring/diagnostics";
import { PrivateDns } from "../network/private-dns";
import { addPrivateEndpoint } from "../network/private-endpoint";
import { checkProps } from "../core/prop-checks";
import { lockAfterDependants } from "../core/lock-ordering";

export interface SecureKeyVaultProps {
  readonly naming: Naming;
  /** Name purpose; omit for the environment's main vault (`kv-<workload>-<env>-<region>-<suffix>`). */
  readonly purpose?: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  /** Days a deleted vault is kept (7–90); set once, Azure refuses a change later. @default 90 */
  readonly softDeleteRetentionDays?: number;
  readonly privateEndpointSubnetId: string;
  readonly privateDns: PrivateDns;
  readonly logAnalyticsWorkspaceId: string;
  /** `prevent_destroy` and a CanNotDelete lock. @default false */
  readonly protectFromDeletion?: boolean;
}

/**
 * A Key Vault on Azure RBAC only (never access policies: they survive soft-delete recovery and then conflict),
 * purge protection on, public network access off with the firewall on Deny, a private endpoint and diagnostics.
 */
export class SecureKeyVault extends Construct {
  readonly vault: KeyVault;
  readonly privateEndpoint: PrivateEndpoint;
  readonly diagnostics: MonitorDiagnosticSetting;
  readonly lock?: ManagementLock;
  readonly name: string;

  constructor(scope: Construct, id: string, props: SecureKeyVaultProps) {
    super(scope, id);
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    this.name = props.naming.keyVault(this, props.purpose);
    this.vault = new KeyVault(this, "vault", {
      name: this.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      skuName: "premium",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: checkRange(this, "softDeleteRetentionDays", props.softDeleteRetentionDays ?? 90, 7, 90),
      publicNetworkAccessEnabled: false,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkSubnetIds: [] },
      lifecycle: props.protectFromDeletion ? { preventDestroy: true } : undefined,
    });
    this.privateEndpoint = addPrivateEndpoint(this, "endpoint", {
      ...props,
      purpose: props.purpose ?? "kv",
      subnetId: props.privateEndpointSubnetId,
      resourceId: this.vault.id,
      subresource: "vault",
      zone: "vault",
    });
    this.diagnostics = addDiagnostics(this, "diagnostics", {
      name: props.naming.diagnosticSetting(this, props.purpose ?? "kv"),
      targetResourceId: this.vault.id,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      kind: "keyVault",
    });
    if (props.protectFromDeletion) {
      this.lock = new ManagementLock(this, "lock", {
        name: props.naming.managementLock(this, props.purpose ?? "kv"),
        scope: this.vault.id,
        lockLevel: "CanNotDelete",
        notes: "Holds the environment's secrets; its name stays reserved for the retention period after deletion.",
      });
      lockAfterDependants(this.lock, this.vault);
    }
  }

  /** Lets the principal manage secrets (Key Vault Secrets Officer). */
  grantSecretsManage(principal: Principal): void {
    RoleAssignments.of(this).grant(this, this.vault.id, "Key Vault Secrets Officer", principal, "Manages the vault's secrets");
  }

  /** Lets the principal read secrets (Key Vault Secrets User). */
  grantSecretsRead(principal: Principal): void {
    RoleAssignments.of(this).grant(this, this.vault.id, "Key Vault Secrets User", principal, "Reads the vault's secrets");
  }
}
