import { Construct } from "constructs";
import { DataDomain } from "../lib/data-domain/data-domain";
import { newAzureadProvider } from "../lib/identity/azuread-bindings";
import { DomainPlatformLink, linkToPlatform } from "../lib/data-domain/platform-link";
import { DomainPersonas, environmentGroupName, Persona, PERSONAS, PersonaName } from "../lib/data-domain/personas";
import { PrivateDns } from "../lib/network/private-dns";
import { CatalogStack, shareProviderName } from "./catalog-stack";
import { DomainConfig } from "./config/schema";
import { SyncPrincipal } from "../lib/disaster-recovery/sync-principal";
import { DatabricksProviders, databricksProviders, deploymentClientId } from "./databricks-providers";
import { DeltaCloneSync } from "../lib/disaster-recovery/delta-clone-sync";
import { ReplicationShare } from "../lib/disaster-recovery/metastore-replication";
import { addServerlessStorageAccess } from "../lib/medallion-platform/serverless-access";
import { defaultCatalogZone } from "../lib/medallion-platform/zones";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { PlatformStack } from "./platform-stack";
import { replicationSources } from "./replication-sources";
import { stackOutput } from "./variables";

export interface DomainStackProps extends MedallionStackProps {
  readonly domain: DomainConfig;
  readonly platform: PlatformStack;
  readonly catalog: CatalogStack;
}

/** `<persona>` → `domain_<domain>_<persona>_<suffix>`: the static variable names CI sets. */
export function personaVariableName(domain: string, persona: PersonaName, suffix: "object_id" | "client_id"): string {
  return `domain_${domain}_${persona.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_${suffix}`;
}

/** `domain-<domain>-<env>`: one business domain in one environment, on the environment's platform. */
export class DomainStack extends MedallionStack {
  readonly domain: DataDomain;
  readonly platformLink: DomainPlatformLink;
  /** A secondary's disaster recovery sync principal for the domain's catalog. */
  readonly syncPrincipal?: SyncPrincipal;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const config = props.domain;
    // A secondary region adds no tenant-wide or account-wide objects of its own: the primary's Entra groups (their
    // object IDs are variables here), no sandbox, no second serverless budget policy.
    const configured = config.environments[env.environment];
    const settings = this.secondary ? { ...configured, entraGroups: false, sandbox: undefined, dbuBudget: undefined } : configured;
    const { platform } = props.platform;
    // The platform's credential must exist before the domain's locations use it (no reference carries that).
    this.addDependency(props.catalog);

    const providers = databricksProviders(this, platform.workspace);
    const group = (name: string) => environmentGroupName(this, props.organization.groupNamePattern, name, env.environment);
    if (settings.entraGroups) newAzureadProvider(this, "azuread", { tenantId: this.tenantId.stringValue, useOidc: true });

    const personas: Partial<Record<PersonaName, Persona>> = {};
    for (const name of PERSONAS) {
      const declared = config.personas[name];
      if (!declared) continue;
      if (name === "servicePrincipals") {
        personas[name] = {
          objectId: this.variable(personaVariableName(config.domain, name, "object_id"), { type: "string", description: `Object ID of the ${config.domain} automation service principal's Enterprise Application` }).stringValue,
          principalName: this.variable(personaVariableName(config.domain, name, "client_id"), { type: "string", description: `Application (client) ID of the ${config.domain} automation service principal` }).stringValue,
          type: "ServicePrincipal",
        };
      } else {
        const principalName = group((declared as { principalName: string }).principalName);
        const objectId = settings.entraGroups
          ? ""
          : this.variable(personaVariableName(config.domain, name, "object_id"), { type: "string", description: `Object ID of the Entra group ${principalName} (${config.domain} ${name})` }).stringValue;
        personas[name] = { objectId, principalName, type: "Group" };
      }
    }

    const platformDns = props.platform.privateDns;
    const privateDns = new PrivateDns(this, "private-dns", {
      naming: this.naming,
      resourceGroupName: props.platform.resourceGroup.name,
      hubZoneIds: { blob: platformDns.zoneId("blob"), dfs: platformDns.zoneId("dfs") },
    });

    this.platformLink = linkToPlatform({
      platform,
      catalog: props.catalog.catalog,
      workspaceProvider: providers.workspace,
      account: { provider: providers.account, accountId: providers.accountId, principals: env.catalog.principals },
      deployerClientId: deploymentClientId(this).stringValue,
      tenantId: this.tenantId.stringValue,
      subscriptionId: this.subscriptionId.stringValue,
      privateDns,
    });

    // A secondary's clone job runs as the domain's own sync principal: it writes only this catalog.
    const syncPrincipal = this.secondary && (config.dataProducts ?? []).length > 0
      ? new SyncPrincipal(this, "dr-sync-principal", { naming: this.naming, accountProvider: providers.account, accountId: providers.accountId, deployerApplicationId: deploymentClientId(this).stringValue, purpose: `dr-sync-${config.domain}` })
      : undefined;
    this.syncPrincipal = syncPrincipal;

    this.domain = new DataDomain(this, "domain", {
      naming: this.naming,
      name: config.domain,
      location: env.location,
      owner: config.owner,
      costCenter: config.costCenter,
      dataClassification: config.dataClassification,
      environmentTags: { environment: env.environment, managedBy: props.organization.managedBy },
      personas: personas as DomainPersonas,
      entraGroups: settings.entraGroups,
      privilegedAccess: settings.pim ? "pim" : "standing",
      contacts: config.contacts,
      peopleAccess: env.catalog.peopleAccess,
      writeExceptions: settings.writeExceptions,
      platform: this.platformLink,
      catalog: { dataProducts: config.dataProducts, storage: settings.catalogStorage, syncPrincipalApplicationId: syncPrincipal?.applicationId },
      budget: { amount: settings.budget, ...config.budget },
      sandbox: settings.sandbox ? { expiresOn: settings.sandbox.expiresOn, budgetAmount: settings.sandbox.budget } : undefined,
      dbuBudget: settings.dbuBudget !== undefined ? { monthlyAmountUsd: settings.dbuBudget } : undefined,
      protectFromDeletion: env.protectFromDeletion,
      // Sharing with other companies happens from the primary region only: a secondary would share the same data twice.
      shares: this.secondary ? undefined : settings.shares,
      restrictedSharingAllowance: settings.restrictedSharingAllowance,
      computePolicy: settings.computePolicy ?? env.governance.computePolicy,
    });

    if (props.pair) this.replicate(props, providers);

    stackOutput(this, "resource_group_name", this.domain.resourceGroupName, `Resource group of the ${config.domain} domain`);
    stackOutput(this, "catalog_name", this.domain.catalogName, `Unity Catalog catalog of the ${config.domain} domain`);
    stackOutput(this, "action_group_id", this.domain.actionGroup.id, "Action group for the domain's alerts");
    if (this.domain.sandbox) {
      stackOutput(this, "sandbox_resource_group_name", this.domain.sandbox.resourceGroup.name, "Resource group of the innovation sandbox");
      stackOutput(this, "sandbox_catalog_name", this.domain.sandbox.catalogName, "Catalog of the innovation sandbox");
    }
  }

  /**
   * The domain catalog's replication: in the primary, a share of its data products with the secondary metastore; in
   * the secondary, the share mounted and deep-cloned on the schedule of the zone the catalog lives in, serverless
   * compute reaching the primary's dedicated catalog storage (if any) through the NCC.
   */
  private replicate(props: DomainStackProps, providers: DatabricksProviders): void {
    const pair = props.pair!;
    const { domain } = this;
    const schemas = Object.values(domain.catalog.schemas);
    if (schemas.length === 0) return;
    const catalogName = domain.catalogName;
    if (pair.region.role === "primary") {
      const replication = props.catalog.replication;
      if (replication?.role !== "primary") throw new Error(`${this.node.path}: the catalog stack has no recipient`);
      new ReplicationShare(this, "dr-share", { naming: this.naming, workspaceProvider: providers.workspace, catalogName, schemas, recipient: replication.recipient });
      return;
    }
    const protection = pair.plan.protection.get(defaultCatalogZone(pair.plan.zones).name)!;
    if (protection.mechanism !== "deepClone") throw new Error(`${this.node.path}: the domain catalogs' zone is not deep cloned`);
    const source = replicationSources(this, [props.domain]).find((s) => s.owner === props.domain.domain);
    if (source && this.platformLink.serverless) {
      addServerlessStorageAccess(this, "dr-primary-catalog-storage", { ...this.platformLink.serverless, storageAccountId: source.resourceId });
    }
    new DeltaCloneSync(this, "dr-sync", {
      naming: this.naming,
      workspaceProvider: providers.workspace,
      source: { providerName: shareProviderName(this), shareName: ReplicationShare.nameFor(this, this.naming, catalogName) },
      targetCatalog: domain.catalog.catalog,
      targetSchemas: schemas,
      intervalHours: protection.intervalHours,
      maxCloneHours: protection.maxCloneHours,
      contacts: props.domain.contacts,
      runAs: this.syncPrincipal!,
      deployerPrincipal: deploymentClientId(this).stringValue,
    });
  }
}
