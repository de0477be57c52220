import { AzurermBackend, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { Naming } from "../lib/core/naming";
import { PRIVATE_DNS_ZONES, PrivateDnsZoneKey } from "../lib/network/private-dns";
import { MandatoryTagging } from "../lib/core/tags";
import { setStackDeployment } from "../lib/ci/deploy-metadata";
import { LOGIN_VARIABLES } from "../lib/ci/deploy-workflow";
import { EnvironmentConfig, OrganizationConfig } from "./config/schema";
import { StackVariableProps, stackVariable } from "./variables";
import { RecoveryPlan, RegionRole } from "./disaster-recovery";

/** The alias of the provider on the connectivity hub's subscription, and its address in the stacks' JSON. */
export const HUB_ALIAS = "hub";
export const HUB_PROVIDER = `azurerm.${HUB_ALIAS}`;

export interface MedallionStackProps {
  readonly organization: OrganizationConfig;
  readonly environment: EnvironmentConfig;
  /** The environment's active-passive pair, when it has a secondary region: this stack's role and the checked plan. */
  readonly pair?: { readonly region: RegionRole; readonly plan: RecoveryPlan };
}

/**
 * What every stack of this app has: an explicit azurerm backend (OIDC + Entra ID, its own state key), the
 * azurerm provider on OIDC with Entra auth for storage and the Key Vault recovery flag wired to a stack variable,
 * the naming module, and the mandatory tags.
 */
export abstract class MedallionStack extends TerraformStack {
  readonly naming: Naming;
  readonly config: MedallionStackProps;
  readonly subscriptionId: TerraformVariable;
  readonly tenantId: TerraformVariable;
  /** Written by CI's Key Vault recovery step on every run (TF_VAR_key_vault_recover_soft_deleted). */
  readonly keyVaultRecoverSoftDeleted: TerraformVariable;

  constructor(scope: Construct, id: string, props: MedallionStackProps) {
    super(scope, id);
    this.config = props;
    const { organization: org, environment: env } = props;

    new AzurermBackend(this, {
      resourceGroupName: env.deploy.stateBackend.resourceGroupName,
      storageAccountName: env.deploy.stateBackend.storageAccountName,
      containerName: env.deploy.stateBackend.containerName,
      key: `${id}.tfstate`,
      useOidc: true,
      useAzureadAuth: true,
    });

    // The same facts the OIDC login uses: one GitHub variable each, not two.
    this.subscriptionId = stackVariable(this, "subscription_id", {
      type: "string",
      description: `Azure subscription of the ${env.environment} environment`,
      source: { github: { kind: "vars", name: LOGIN_VARIABLES.subscriptionId } },
    });
    this.tenantId = stackVariable(this, "tenant_id", { type: "string", description: "Microsoft Entra tenant ID", source: { github: { kind: "vars", name: LOGIN_VARIABLES.tenantId } } });
    this.keyVaultRecoverSoftDeleted = stackVariable(this, "key_vault_recover_soft_deleted", {
      type: "bool",
      default: true,
      description: "Recover a soft-deleted Key Vault of the same name instead of failing; set by the CI recovery step on every run",
      source: { runtime: "key-vault-recovery" },
    });
    // A secondary region deploys from runners of its own region, in jobs of their own.
    setStackDeployment(this, { environment: env.environment, runner: env.deploy.runners.public, ...(props.pair?.region.role === "secondary" ? { site: "dr" } : {}) });

    new AzurermProvider(this, "azurerm", {
      subscriptionId: this.subscriptionId.stringValue,
      tenantId: this.tenantId.stringValue,
      useOidc: true,
      storageUseAzuread: true,
      resourceProviderRegistrations: "none",
      features: [
        {
          keyVault: [{ recoverSoftDeletedKeyVaults: this.keyVaultRecoverSoftDeleted.booleanValue, purgeSoftDeleteOnDestroy: false }],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
          // Storage accounts are private: the provider must not call their data plane from the runner.
          storage: [{ dataPlaneAvailable: false }],
          // Removing an ARM deployment (e.g. Redis access policy assignments) removes what it deployed.
          templateDeployment: [{ deleteNestedItemsDuringDeletion: true }],
        },
      ],
    });

    this.naming = new Naming(this, { organization: org.organization, workload: org.workload, environment: env.environment, region: env.location });
    MandatoryTagging.apply(this, {
      environment: env.environment,
      owner: org.owner,
      costCenter: org.costCenter,
      dataClassification: env.dataClassification,
      managedBy: org.managedBy,
    });
  }

  /** The hub's private DNS zones (hub-and-spoke environments own none), one `hub_<zone>_dns_zone_id` variable each. */
  hubDnsZoneIds(keys: readonly PrivateDnsZoneKey[]): Partial<Record<PrivateDnsZoneKey, string>> {
    return Object.fromEntries(
      keys.map((key) => [key, this.variable(`hub_${key.toLowerCase()}_dns_zone_id`, { type: "string", description: `Resource ID of the hub's ${PRIVATE_DNS_ZONES[key]} zone`, resourcesIn: HUB_PROVIDER }).stringValue]),
    );
  }

  /** Whether this stack belongs to the secondary region of an active-passive pair. */
  get secondary(): boolean {
    return this.config.pair?.region.role === "secondary";
  }

  /**
   * The primary region's naming, for the replication sources a secondary names without reading the primary's state
   * (so it plans and applies while the primary region is down).
   */
  primaryNaming(): Naming {
    const { organization: org, pair } = this.config;
    if (!pair) throw new Error(`${this.node.path}: primaryNaming() outside an active-passive pair`);
    this.primaryNamingOnce ??= new Naming(this, { organization: org.organization, workload: org.workload, environment: pair.region.primary.environment, region: pair.region.primary.location });
    return this.primaryNamingOnce;
  }

  private primaryNamingOnce?: Naming;

  /** The stack variable `name`, declared on first use (several parts of a stack may need the same input). */
  variable(name: string, props: StackVariableProps): TerraformVariable {
    const existing = this.node.tryFindChild(name);
    return existing instanceof TerraformVariable ? existing : stackVariable(this, name, props);
  }
}
