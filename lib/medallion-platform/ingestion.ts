import { Construct } from "constructs";
import { DataFactory, DataFactoryGithubConfiguration, DataFactoryVstsConfiguration } from "@cdktf/provider-azurerm/lib/data-factory";
import { DataFactoryIntegrationRuntimeAzure } from "@cdktf/provider-azurerm/lib/data-factory-integration-runtime-azure";
import { DataFactoryManagedPrivateEndpoint } from "@cdktf/provider-azurerm/lib/data-factory-managed-private-endpoint";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { Naming } from "../core/naming";
import { checkRange } from "../core/validation";
import { RoleAssignments } from "../identity/role-assignments";
import { addDiagnostics } from "../monitoring/diagnostics";
import { PrivateDns } from "../network/private-dns";
import { addPrivateEndpoint } from "../network/private-endpoint";
import { SecureKeyVault } from "../security/secure-key-vault";
import { SecureStorageAccount } from "../storage/secure-storage-account";
import { checkProps } from "../core/prop-checks";

/** Git integration of the factory (authoring in a repository; publishing from CI). */
export type IngestionGitProps =
  | ({ readonly type: "github" } & Omit<DataFactoryGithubConfiguration, "publishingEnabled">)
  | ({ readonly type: "azureDevOps" } & Omit<DataFactoryVstsConfiguration, "publishingEnabled">);

export interface IngestionOptions {
  /** @default none */
  readonly git?: IngestionGitProps;
  /** Minutes the managed-VNet integration runtime's compute stays warm between activities (0–1440). @default 10 */
  readonly runtimeTimeToLiveMinutes?: number;
}

export interface IngestionProps extends IngestionOptions {
  readonly naming: Naming;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly lake: SecureStorageAccount;
  readonly keyVault: SecureKeyVault;
  /** Containers the factory writes to: files only (landing); never a container of Unity Catalog's managed tables. */
  readonly writeContainers: string[];
  readonly privateEndpointSubnetId: string;
  readonly privateDns: PrivateDns;
  readonly logAnalyticsWorkspaceId: string;
}

/**
 * Azure Data Factory for ingestion: a managed virtual network with an Azure integration runtime inside it — the only
 * runtime that can use the managed private endpoints (the default AutoResolve runtime is outside the managed VNet) —
 * and managed private endpoints to the lake (dfs) and the Key Vault, public network access off, a system-assigned
 * identity that may write only the landing container and read secrets, a private endpoint for authoring,
 * diagnostics. Linked services that need private reach name {@link integrationRuntimeName}.
 */
export class Ingestion extends Construct {
  readonly factory: DataFactory;
  /** The Azure integration runtime in the managed virtual network. */
  readonly integrationRuntime: DataFactoryIntegrationRuntimeAzure;
  /** What linked services set as `connectVia` to reach the lake and the Key Vault privately. */
  readonly integrationRuntimeName: string;
  readonly privateEndpoint: PrivateEndpoint;
  readonly managedPrivateEndpoints: readonly DataFactoryManagedPrivateEndpoint[];
  readonly diagnostics: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    const git = props.git;
    this.factory = new DataFactory(this, "factory", {
      name: props.naming.globalName(this, "adf", "ingest", 63),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      managedVirtualNetworkEnabled: true,
      publicNetworkEnabled: false,
      identity: { type: "SystemAssigned" },
      // Publishing happens from CI, never from the authoring UI.
      githubConfiguration: git?.type === "github" ? { ...withoutType(git), publishingEnabled: false } : undefined,
      vstsConfiguration: git?.type === "azureDevOps" ? { ...withoutType(git), publishingEnabled: false } : undefined,
    });

    this.integrationRuntimeName = props.naming.integrationRuntime(this, "ingest");
    this.integrationRuntime = new DataFactoryIntegrationRuntimeAzure(this, "integration-runtime", {
      name: this.integrationRuntimeName,
      description: "Runs in the managed virtual network: reaches the lake and the Key Vault through the managed private endpoints",
      dataFactoryId: this.factory.id,
      location: "AutoResolve",
      virtualNetworkEnabled: true,
      computeType: "General",
      coreCount: 8,
      timeToLiveMin: checkRange(this, "runtimeTimeToLiveMinutes", props.runtimeTimeToLiveMinutes ?? 10, 0, 1440),
      cleanupEnabled: true,
    });

    this.managedPrivateEndpoints = [
      new DataFactoryManagedPrivateEndpoint(this, "lake-dfs", { name: "mpe-lake-dfs", dataFactoryId: this.factory.id, targetResourceId: props.lake.account.id, subresourceName: "dfs" }),
      new DataFactoryManagedPrivateEndpoint(this, "key-vault", { name: "mpe-key-vault", dataFactoryId: this.factory.id, targetResourceId: props.keyVault.vault.id, subresourceName: "vault" }),
    ];

    this.privateEndpoint = addPrivateEndpoint(this, "endpoint", {
      ...props,
      purpose: "ingest",
      subnetId: props.privateEndpointSubnetId,
      resourceId: this.factory.id,
      subresource: "dataFactory",
      zone: "dataFactory",
    });

    const identity = { objectId: this.factory.identity.principalId, type: "ServicePrincipal" as const };
    for (const container of props.writeContainers) {
      RoleAssignments.of(this).grant(this, props.lake.containerScope(container), "Storage Blob Data Contributor", identity, `Data Factory writes the ${container} layer`);
    }
    props.keyVault.grantSecretsRead(identity);

    this.diagnostics = addDiagnostics(this, "diagnostics", {
      name: props.naming.diagnosticSetting(this, "ingest"),
      targetResourceId: this.factory.id,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      kind: "dataFactory",
    });
  }
}

function withoutType<T extends { type: string }>(value: T): Omit<T, "type"> {
  const { type: _type, ...rest } = value;
  return rest;
}
