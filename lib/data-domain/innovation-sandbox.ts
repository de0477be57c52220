import { Construct } from "constructs";
import { Volume } from "@cdktf/provider-databricks/lib/volume";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Naming } from "../core/naming";
import { MandatoryTagging, MandatoryTags } from "../core/tags";
import { checkPattern, invalid } from "../core/validation";
import { RoleAssignments } from "../identity/role-assignments";
import { CatalogStorage } from "./catalog-storage";
import type { DomainBudgetOptions } from "./domain-budget";
import type { PersonaAccess } from "./persona-access";
import type { Persona, PersonaName } from "./personas";
import { DomainBudget } from "./domain-budget";
import { DomainCatalog } from "./domain-catalog";
import { catalogGrants } from "./personas";
import { DomainPlatformLink } from "./platform-link";
import { checkProps } from "../core/prop-checks";

export interface SandboxOptions {
  /** Last day of the sandbox, `YYYY-MM-DD`; must be in the future (synth fails once it has passed: renew or remove it). */
  readonly expiresOn: string;
  /** Monthly budget, smaller than the domain's. */
  readonly budgetAmount: number;
}

/** What a sandbox needs of its domain (DataDomain provides it; no import of DataDomain, which creates sandboxes). */
export interface SandboxDomain {
  readonly name: string;
  readonly personas: ReadonlyArray<[PersonaName, Persona]>;
  readonly access: Readonly<Record<PersonaName, PersonaAccess>>;
  persona(name: PersonaName): Persona;
}

export interface InnovationSandboxProps extends SandboxOptions {
  /** The domain the sandbox belongs to (a DataDomain): its name, personas and what each may do. */
  readonly domain: SandboxDomain;
  readonly naming: Naming;
  readonly location: string;
  readonly platform: DomainPlatformLink;
  readonly tags: MandatoryTags;
  /** The domain's budget: the sandbox's must be smaller and shares its start date and thresholds. */
  readonly budget: DomainBudgetOptions;
  readonly contacts: string[];
  readonly actionGroupId: string;
}

/** The schema and volume where people keep raw files in the sandbox: governed by Unity Catalog, not storage roles. */
export const SANDBOX_FILES = { schema: "scratch", volume: "files" } as const;

/**
 * A domain's innovation sandbox: a resource group of its own tagged with its expiry, storage with the lake's
 * baseline (writable, not append-only), an access connector and storage credential of its own — so the sandbox
 * can reach nothing of the domain's production data — a sandbox catalog, and a smaller budget. People get no storage
 * role on the catalog's managed storage (that would bypass Unity Catalog): raw files go in the managed volume
 * `scratch.files`, under the catalog's grants.
 */
export class InnovationSandbox extends Construct {
  readonly resourceGroup: ResourceGroup;
  readonly storage: CatalogStorage;
  readonly catalog: DomainCatalog;
  readonly budget: DomainBudget;
  readonly catalogName: string;
  /** `<catalog>.scratch.files`: a managed volume for raw files. */
  readonly filesVolume: Volume;

  constructor(scope: Construct, id: string, props: InnovationSandboxProps) {
    super(scope, id);
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    checkPattern(this, "sandbox.expiresOn", props.expiresOn, /^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
    const expiry = new Date(`${props.expiresOn}T23:59:59Z`);
    if (Number.isNaN(expiry.getTime()) || expiry.toISOString().slice(0, 10) !== props.expiresOn) invalid(this, "sandbox.expiresOn", props.expiresOn, "a real calendar date");
    if (expiry.getTime() < Date.now()) invalid(this, "sandbox.expiresOn", props.expiresOn, "a date in the future (the sandbox has expired: renew it or remove it)");
    if (!(props.budgetAmount > 0) || props.budgetAmount >= props.budget.amount) {
      invalid(this, "sandbox.budgetAmount", props.budgetAmount, `a positive amount smaller than the domain's budget (${props.budget.amount})`);
    }
    MandatoryTagging.apply(this, props.tags, { expiresOn: props.expiresOn, sandbox: "true" });

    const { naming, domain } = props;
    const deployer = { principal: props.platform.deployerClientId, privileges: ["ALL_PRIVILEGES"] };
    const purpose = `${domain.name}sb`;
    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: naming.resourceGroup(this, purpose), location: props.location });
    for (const [persona, p] of domain.personas) {
      const role = domain.access[persona].sandboxResourceGroupRole;
      if (role) RoleAssignments.of(this).grant(this, this.resourceGroup.id, role, { objectId: p.objectId, type: p.type }, `${domain.name} sandbox ${persona}`);
    }

    this.storage = new CatalogStorage(this, "storage", {
      naming,
      purpose,
      resourceGroupName: this.resourceGroup.name,
      location: props.location,
      platform: props.platform,
      grants: [deployer, ...domain.personas.map(([name, p]) => ({ principal: p.principalName, privileges: [...domain.access[name].sandboxStorageLocation] }))],
      protectFromDeletion: false,
    });

    this.catalogName = naming.unityCatalog(this, domain.name, "sandbox", naming.environment);
    this.catalog = new DomainCatalog(this, "catalog", {
      provider: props.platform.workspaceProvider,
      name: this.catalogName,
      comment: `Innovation sandbox of the ${domain.name} domain, until ${props.expiresOn}`,
      storageRoot: this.storage.url,
      schemas: [SANDBOX_FILES.schema],
      grants: catalogGrants([...domain.personas], (persona) => domain.access[persona].sandboxCatalog, [deployer]),
      forceDestroy: true,
      properties: { domain: domain.name, sandbox: "true", expiresOn: props.expiresOn },
    });
    this.filesVolume = new Volume(this, "files", {
      provider: props.platform.workspaceProvider,
      catalogName: this.catalog.catalog.name,
      schemaName: this.catalog.schemas[SANDBOX_FILES.schema].name,
      name: SANDBOX_FILES.volume,
      volumeType: "MANAGED",
      comment: "Raw files of the sandbox: READ_VOLUME and WRITE_VOLUME come with the catalog's grants",
    });

    this.budget = new DomainBudget(this, "budget", {
      naming,
      purpose,
      resourceGroupId: this.resourceGroup.id,
      amount: props.budgetAmount,
      startDate: props.budget.startDate,
      actualThresholds: props.budget.actualThresholds,
      forecastThresholds: props.budget.forecastThresholds,
      contactEmails: props.contacts,
      actionGroupId: props.actionGroupId,
    });
  }
}
