import { Construct, IConstruct } from "constructs";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleDefinition } from "@cdktf/provider-azurerm/lib/role-definition";
import type { Group } from "@cdktf/provider-azuread/lib/group";
import { newEntraGroup } from "../identity/azuread-bindings";
import { Naming } from "../core/naming";
import { DataClassification, DATA_CLASSIFICATIONS, MandatoryTagging } from "../core/tags";
import { checkPattern, invalid } from "../core/validation";
import { databricksWorkspaceId } from "../core/workspace-id";
import { addActionGroup } from "../monitoring/action-group";
import { RoleAssignments } from "../identity/role-assignments";
import { CatalogStorage } from "./catalog-storage";
import { DomainShareProps, DomainShares } from "./domain-shares";
import { ComputePolicyLimits, DomainComputePolicy } from "./domain-compute-policy";
import { checkBudgetOptions, DomainBudget, DomainBudgetOptions } from "./domain-budget";

export type { DomainBudgetOptions } from "./domain-budget";
import { DomainCatalog } from "./domain-catalog";
import { InnovationSandbox, SandboxOptions } from "./innovation-sandbox";
import { DomainPlatformLink } from "./platform-link";
import { BuiltinRole } from "./builtin-roles";
import { catalogGrants, declaredPersonas, DomainPersonas, PeopleAccess, Persona, PersonaName } from "./personas";
import { personaAccess, PersonaAccess } from "./persona-access";
import { DomainDbuCost } from "./domain-dbu-cost";
import { AccountPrincipals } from "../identity/account-principals";
import { SYNC_LAYER_PRIVILEGES } from "../medallion-platform/platform-access";
import { recordDomainAccess } from "../ci/access-record";
import { checkProps } from "../core/prop-checks";
import type { AzureRegion } from "../core/regions";
import { Contextual, StackContext, withStackContext } from "../core/stack-context";

/** A control-plane role a persona holds only as a PIM eligibility. */
export interface EligibleAssignment {
  readonly persona: PersonaName;
  readonly principalObjectId: string;
  readonly role: BuiltinRole;
  readonly scopeId: string;
}

export interface DomainCatalogOptions {
  /** One schema per data product. @default [] */
  readonly dataProducts?: string[];
  /**
   * Where the catalog's managed tables live: `platformLake` — `<catalogZoneUrl>domains/<domain>/`, under the
   * platform's external location — or `dedicated`, a storage account of the domain's own with the same baseline.
   * @default "platformLake"
   */
  readonly storage?: "platformLake" | "dedicated";
  /**
   * Application ID of the principal that writes the catalog's cloned tables in a disaster recovery secondary (its clone
   * job runs as it): SYNC_LAYER_PRIVILEGES on the catalog, and a workspace assignment. @default none (a primary)
   */
  readonly syncPrincipalApplicationId?: string;
}

export interface DataDomainProps {
  readonly naming: Naming;
  /** Domain identifier: 2–10 characters of [a-z0-9], starting with a letter (it appears in names and catalog names). */
  readonly name: string;
  readonly location: AzureRegion;
  /** Accountable owner of the domain (tags). */
  readonly owner: string;
  readonly costCenter: string;
  readonly dataClassification: DataClassification;
  /** The stack's environment and managedBy tags; the domain adds its owner, cost center, classification and name. */
  readonly environmentTags: { readonly environment: string; readonly managedBy: string };
  /** Use this resource group (e.g. in a domain subscription) instead of creating one. */
  readonly existingResourceGroup?: { readonly name: string; readonly id: string };
  /**
   * The personas. In the default (restricted tenant) mode every persona has an `objectId`. With `entraGroups`,
   * group personas without one get a security group created by the azuread provider.
   */
  readonly personas: DomainPersonas;
  /** Create Entra security groups for personas without an object ID (tenants that allow it; needs an azuread provider). @default false */
  readonly entraGroups?: boolean;
  /**
   * How the privileged personas ({@link PRIVILEGED_PERSONAS}) hold their control-plane role on the domain's resource
   * group: `standing` (an active assignment), or `pim` — no active assignment; {@link eligibleAssignments} lists what a
   * DomainPim makes eligible. @default "standing"
   */
  readonly privilegedAccess?: "standing" | "pim";
  /** E-mail contacts: the action group's receivers and the budgets' contacts. */
  readonly contacts: string[];
  readonly platform: DomainPlatformLink;
  readonly catalog?: DomainCatalogOptions;
  readonly budget: DomainBudgetOptions;
  /** An innovation sandbox. @default none */
  readonly sandbox?: SandboxOptions;
  /**
   * DBU cost: a serverless budget policy tagging the domain's spend, assigned to its groups and service principals, and
   * an account budget alerting the contacts above this monthly amount. @default none
   */
  readonly dbuBudget?: { readonly monthlyAmountUsd: number };
  /**
   * Whether people change data (`readWrite`) or only read it (`readOnly`, production: writes go through service
   * principals). @default "readWrite"
   */
  readonly peopleAccess?: PeopleAccess;
  /** Where people read only, the personas that still write, each with its reason (recorded in the stack's `//.access`). @default [] */
  readonly writeExceptions?: { readonly persona: PersonaName; readonly reason: string }[];
  /** Production: no force_destroy on the domain's Unity Catalog objects, protected storage. @default false */
  readonly protectFromDeletion?: boolean;
  /**
   * Delta Sharing with other companies: shares of the domain's own catalog and their recipients
   * (help/data-sharing.md). @default none
   */
  readonly shares?: readonly DomainShareProps[];
  /** A restricted domain shares only with this stated reason (recorded on each share). @default none */
  readonly restrictedSharingAllowance?: { readonly reason: string };
  /**
   * The domain's cluster policy: cost tags fixed, node types, size and auto-termination limited; usable by its
   * builders (admins, engineers, service principals) only. @default none
   */
  readonly computePolicy?: ComputePolicyLimits;
}

const DOMAIN = /^[a-z][a-z0-9]{1,9}$/;
const ABOVE_INTERNAL: readonly DataClassification[] = ["confidential", "restricted"];

/** DataDomainProps as callers write them: naming, location and the environment tags may come from the stack's StackContext. */
export type DataDomainInput = Omit<Contextual<DataDomainProps>, "environmentTags"> & {
  /** @default the environment and managedBy tags of the stack's StackContext */
  readonly environmentTags?: DataDomainProps["environmentTags"];
};

/**
 * A business domain of the federated lakehouse: its container (resource group), personas with least-privilege
 * Azure roles and Unity Catalog grants derived from one declaration, a catalog ISOLATED to the environment's
 * workspace with a schema per data product, a budget and an action group, and optionally an innovation sandbox.
 * Above `internal`, the domain gets data roles of its own, used by all of its components.
 */
export class DataDomain extends Construct {
  /** The domain's resource group name, from the naming module (what another region names it by, reading no state). */
  static resourceGroupName(scope: IConstruct, naming: Naming, domain: string): string {
    return naming.resourceGroup(scope, domain);
  }

  readonly name: string;
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly resourceGroup?: ResourceGroup;
  readonly personas: ReadonlyArray<[PersonaName, Persona]>;
  readonly catalog: DomainCatalog;
  /** The domain's cluster policy, when it has one. */
  readonly computePolicy?: DomainComputePolicy;
  /** The domain's Delta Sharing, when it declares shares. */
  readonly sharing?: DomainShares;
  readonly catalogName: string;
  readonly catalogStorage?: CatalogStorage;
  readonly actionGroup: MonitorActionGroup;
  readonly budget: DomainBudget;
  readonly sandbox?: InnovationSandbox;
  readonly dbuCost?: DomainDbuCost;
  /** The account groups and service principals the domain's grants name. */
  readonly principals: AccountPrincipals;
  /** Entra groups created for personas (entraGroups mode). */
  readonly groups: Readonly<Partial<Record<PersonaName, Group>>>;
  /** Control-plane roles held only as PIM eligibilities (`privilegedAccess: "pim"`): what a DomainPim creates. */
  readonly eligibleAssignments: readonly EligibleAssignment[];
  /** What each persona may do here (the persona model under this domain's access settings). */
  readonly access: Readonly<Record<PersonaName, PersonaAccess>>;
  private readonly props: DataDomainProps;
  private createdDataRoles?: { readonly reader: RoleDefinition; readonly writer: RoleDefinition };

  constructor(scope: Construct, id: string, input: DataDomainInput) {
    super(scope, id);
    const contextTags = StackContext.of(this)?.tags;
    const props = withStackContext<DataDomainProps>(this, {
      ...input,
      environmentTags:
        input.environmentTags ??
        (contextTags ? { environment: contextTags.environment, managedBy: contextTags.managedBy } : invalid(this, "environmentTags", undefined, "{ environment, managedBy }, or a StackContext with tags on the stack")),
    });
    // An empty objectId is a group this domain creates (entraGroups): checked below, not as a GUID.
    checkProps(this, { ...props, personas: Object.fromEntries(Object.entries(props.personas ?? {}).map(([k, p]) => [k, p && p.objectId === "" ? { ...p, objectId: undefined } : p])) });
    props.naming.location(this, "location", props.location);
    this.props = props;
    const { naming } = props;
    this.checkName(props);
    checkBudgetOptions(this, props.budget ?? ({} as DomainBudgetOptions), "budget.");
    if (!DATA_CLASSIFICATIONS.includes(props.dataClassification)) invalid(this, "dataClassification", props.dataClassification, `one of ${DATA_CLASSIFICATIONS.join(", ")}`);
    if (!Array.isArray(props.contacts) || props.contacts.length === 0) invalid(this, "contacts", props.contacts, "at least one contact e-mail");
    props.contacts.forEach((email, i) => checkPattern(this, `contacts[${i}]`, email, /^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an e-mail address"));
    databricksWorkspaceId(this, "platform.workspaceId", props.platform.workspaceId);
    this.name = props.name;
    MandatoryTagging.apply(this, {
      ...props.environmentTags,
      owner: props.owner,
      costCenter: props.costCenter,
      dataClassification: props.dataClassification,
      domain: props.name,
    });

    const groups: Partial<Record<PersonaName, Group>> = {};
    const withIds = this.resolvePersonas(props, groups);
    this.groups = groups;
    this.principals = new AccountPrincipals(this, "principals", { accountProvider: props.platform.account.provider, workspaceProvider: props.platform.workspaceProvider, workspaceId: props.platform.workspaceId, mode: props.platform.account.principals });
    if (Object.keys(groups).length > 0 && this.principals.mode === "lookup") {
      invalid(this, "entraGroups", true, "account principals provisioned here (platform.account.principals: provision): an Entra group created in this apply is not synced to the Databricks account yet, so a lookup of it fails");
    }
    // Grants name account principals: each persona's is created (or looked up) and assigned to the workspace.
    this.personas = declaredPersonas(this, withIds).map(([name, p]) => [name, { ...p, principalName: p.type === "ServicePrincipal" ? this.principals.servicePrincipal(p.principalName) : this.principals.group(p.principalName) }]);
    const peopleAccess = props.peopleAccess ?? "readWrite";
    if (peopleAccess !== "readWrite" && peopleAccess !== "readOnly") invalid(this, "peopleAccess", peopleAccess, `"readWrite" or "readOnly"`);
    const exceptions = (props.writeExceptions ?? []).map((e, i) => {
      if (!this.personas.some(([n]) => n === e.persona) || e.persona === "servicePrincipals") invalid(this, `writeExceptions[${i}].persona`, e.persona, `a declared people persona (${this.personas.map(([n]) => n).filter((n) => n !== "servicePrincipals").join(", ")})`);
      if (typeof e.reason !== "string" || e.reason.trim().length < 10) invalid(this, `writeExceptions[${i}].reason`, e.reason, "a reason of at least 10 characters");
      return e.persona;
    });
    if (exceptions.length > 0 && peopleAccess === "readWrite") invalid(this, "writeExceptions", props.writeExceptions, "no exceptions where people read and write anyway (peopleAccess: readWrite)");
    const deployer = { principal: props.platform.deployerClientId, privileges: ["ALL_PRIVILEGES"] };
    const privilegedAccess = props.privilegedAccess ?? "standing";
    if (privilegedAccess !== "standing" && privilegedAccess !== "pim") invalid(this, "privilegedAccess", privilegedAccess, `"standing" or "pim"`);
    this.access = personaAccess({ peopleAccess, writeExceptions: exceptions, privilegedAccess });

    if (props.existingResourceGroup) {
      this.resourceGroupName = props.existingResourceGroup.name;
      this.resourceGroupId = props.existingResourceGroup.id;
    } else {
      this.resourceGroup = new ResourceGroup(this, "resource-group", { name: DataDomain.resourceGroupName(this, naming, props.name), location: props.location });
      this.resourceGroupName = this.resourceGroup.name;
      this.resourceGroupId = this.resourceGroup.id;
    }

    const roles = RoleAssignments.of(this);
    const eligible: EligibleAssignment[] = [];
    for (const [persona, p] of this.personas) {
      const { role, assignment } = this.access[persona].resourceGroupRole;
      if (assignment === "eligible") eligible.push({ persona, principalObjectId: p.objectId, role, scopeId: this.resourceGroupId });
      else roles.grant(this, this.resourceGroupId, role, { objectId: p.objectId, type: p.type }, `${props.name} ${persona}`);
    }
    this.eligibleAssignments = eligible;

    this.actionGroup = addActionGroup(this, "action-group", { naming, purpose: props.name, resourceGroupName: this.resourceGroupName, contacts: props.contacts });
    this.budget = new DomainBudget(this, "budget", {
      naming,
      purpose: props.name,
      resourceGroupId: this.resourceGroupId,
      ...props.budget,
      contactEmails: props.contacts,
      actionGroupId: this.actionGroup.id,
    });

    if (props.sandbox) {
      this.sandbox = new InnovationSandbox(this, "sandbox", {
        ...props.sandbox,
        domain: this,
        naming,
        location: props.location,
        platform: props.platform,
        tags: { ...props.environmentTags, owner: props.owner, costCenter: props.costCenter, dataClassification: props.dataClassification, domain: props.name },
        budget: props.budget,
        contacts: props.contacts,
        actionGroupId: this.actionGroup.id,
      });
    }
    const forceDestroy = !(props.protectFromDeletion ?? false);
    const catalogOptions = props.catalog ?? {};
    let storageRoot = `${props.platform.catalogZoneUrl}domains/${props.name}/`;
    if ((catalogOptions.storage ?? "platformLake") === "dedicated") {
      this.catalogStorage = new CatalogStorage(this, "catalog-storage", {
        naming,
        purpose: props.name,
        resourceGroupName: this.resourceGroupName,
        location: props.location,
        platform: props.platform,
        sharedCredential: props.platform.storageCredential,
        grants: [deployer, ...this.personas.map(([name, p]) => ({ principal: p.principalName, privileges: [...this.access[name].catalogStorageLocation] }))],
        protectFromDeletion: props.protectFromDeletion ?? false,
      });
      storageRoot = this.catalogStorage.url;
    } else if (catalogOptions.storage !== undefined && catalogOptions.storage !== "platformLake") {
      invalid(this, "catalog.storage", catalogOptions.storage, `"platformLake" or "dedicated"`);
    }

    this.catalogName = naming.unityCatalog(this, props.name, naming.environment);
    this.catalog = new DomainCatalog(this, "catalog", {
      provider: props.platform.workspaceProvider,
      name: this.catalogName,
      comment: `Data products of the ${props.name} domain`,
      storageRoot,
      schemas: catalogOptions.dataProducts ?? [],
      grants: catalogGrants([...this.personas], (persona) => this.access[persona].domainCatalog, [
        deployer,
        ...(catalogOptions.syncPrincipalApplicationId ? [{ principal: this.principals.servicePrincipal(catalogOptions.syncPrincipalApplicationId), privileges: [...SYNC_LAYER_PRIVILEGES] }] : []),
      ]),
      forceDestroy,
      // Medallion metadata (help/workspace-governance.md): layer, data owner, classification.
      properties: { domain: props.name, layer: props.platform.catalogLayer ?? "gold", dataOwner: props.owner, dataClassification: props.dataClassification },
    });

    if (props.dbuBudget) {
      this.dbuCost = new DomainDbuCost(this, "dbu-cost", {
        accountProvider: props.platform.account.provider,
        accountId: props.platform.account.accountId,
        domain: props.name,
        environment: naming.environment,
        costCenter: props.costCenter,
        workspaceId: props.platform.workspaceId,
        users: {
          groups: this.personas.filter(([, p]) => p.type !== "ServicePrincipal").map(([, p]) => p.principalName),
          servicePrincipals: this.personas.filter(([, p]) => p.type === "ServicePrincipal").map(([, p]) => p.principalName),
        },
        monthlyAmountUsd: props.dbuBudget.monthlyAmountUsd,
        contacts: props.contacts,
      });
    }
    if (props.computePolicy) {
      const builders: readonly PersonaName[] = ["admins", "engineers", "servicePrincipals"];
      this.computePolicy = new DomainComputePolicy(this, "compute-policy", {
        naming,
        workspaceProvider: props.platform.workspaceProvider,
        domain: props.name,
        costCenter: props.costCenter,
        limits: props.computePolicy,
        users: this.personas.filter(([name]) => builders.includes(name)).map(([, p]) => ({ principal: p.principalName, type: p.type === "ServicePrincipal" ? ("servicePrincipal" as const) : ("group" as const) })),
        // A workspace ACL names principals the workspace knows: after their assignment to it.
        usersReady: this.principals.workspaceAssignments,
      });
    }
    if ((props.shares ?? []).length > 0) {
      this.sharing = new DomainShares(this, "sharing", {
        naming,
        workspaceProvider: props.platform.workspaceProvider,
        domain: props.name,
        dataClassification: props.dataClassification,
        restrictedSharingAllowance: props.restrictedSharingAllowance,
        catalogName: this.catalogName,
        schemas: this.catalog.schemas,
        shares: props.shares!,
      });
    }
    recordDomainAccess(this, props.name, {
      peopleAccess,
      privilegedAccess,
      writeExceptions: (props.writeExceptions ?? []).map((e) => ({ persona: e.persona, reason: e.reason })),
      personas: this.personas.map(([name]) => name),
      sandbox: this.sandbox !== undefined,
      catalogStorage: this.catalogStorage ? "dedicated" : "platformLake",
    });
  }

  /**
   * The domain's own data roles (classification above internal), created on first use: assignable only in the domain's
   * resource groups, used by every component of the domain that grants storage access. Undefined at or below internal.
   */
  get dataRoles(): { readonly reader: RoleDefinition; readonly writer: RoleDefinition } | undefined {
    if (!ABOVE_INTERNAL.includes(this.props.dataClassification)) return undefined;
    this.createdDataRoles ??= this.createDataRoles(this.props);
    return this.createdDataRoles;
  }

  /** A persona, by name. */
  persona(name: PersonaName): Persona {
    const found = this.personas.find(([n]) => n === name);
    if (!found) invalid(this, "persona", name, `one of the declared personas (${this.personas.map(([n]) => n).join(", ")})`);
    return found[1];
  }

  /** Read access to a storage scope of this domain: the domain's data reader role above internal, Storage Blob Data Reader otherwise. */
  grantDataRead(scopeId: string, persona: Persona, description: string): void {
    RoleAssignments.of(this).grant(this, scopeId, this.dataRoles?.reader ?? "Storage Blob Data Reader", { objectId: persona.objectId, type: persona.type }, description);
  }

  /** Write access to a storage scope of this domain: the domain's data writer role above internal, Storage Blob Data Contributor otherwise. */
  grantDataWrite(scopeId: string, persona: Persona, description: string): void {
    RoleAssignments.of(this).grant(this, scopeId, this.dataRoles?.writer ?? "Storage Blob Data Contributor", { objectId: persona.objectId, type: persona.type }, description);
  }

  /**
   * The domain name's real limit, computed up front: it is part of derived names with limits of their own — the action
   * group's short name always, a storage account name with dedicated catalog storage and with a sandbox (`<name>sb`).
   * The error names the prop and the limit, never the derived name.
   */
  private checkName(props: DataDomainProps): void {
    const { naming } = props;
    const limits: [number, string][] = [
      [10, "the domain name's own limit"],
      [naming.actionGroupShortNamePurposeMax, `the action group short name <name>-${naming.environment} (12 characters)`],
    ];
    if (props.catalog?.storage === "dedicated") limits.push([naming.storageAccountPurposeMax, `the dedicated storage account name (24 characters with workload ${naming.workload}, environment ${naming.environment} and region ${naming.regionCode})`]);
    if (props.sandbox) limits.push([naming.storageAccountPurposeMax - 2, `the sandbox storage account name <name>sb (24 characters with workload ${naming.workload}, environment ${naming.environment} and region ${naming.regionCode})`]);
    const [max, why] = limits.reduce((a, b) => (b[0] < a[0] ? b : a));
    if (typeof props.name !== "string" || !DOMAIN.test(props.name) || props.name.length > max) {
      invalid(this, "name", props.name, `2–${max} characters of [a-z0-9], starting with a letter (the limit here comes from ${why})`);
    }
  }

  private resolvePersonas(props: DataDomainProps, groups: Partial<Record<PersonaName, Group>>): DomainPersonas {
    const personas: Record<string, Persona> = { ...(props.personas ?? {}) } as Record<string, Persona>;
    for (const [name, persona] of Object.entries(personas)) {
      if (!persona) continue;
      if (persona.objectId !== undefined && persona.objectId !== "") continue;
      const type = persona.type ?? (name === "servicePrincipals" ? "ServicePrincipal" : "Group");
      if (!props.entraGroups || type !== "Group") {
        invalid(this, `personas.${name}.objectId`, persona.objectId, props.entraGroups ? "an object ID (only group personas can be created)" : "an Entra object ID (or entraGroups: true, where the tenant allows creating groups)");
      }
      const group = newEntraGroup(this, `group-${name}`, {
        displayName: persona.principalName,
        description: `${props.name} domain ${name} (${props.naming.environment})`,
        securityEnabled: true,
        mailEnabled: false,
        assignableToRole: false,
        // true would make the provider list groups by name through Graph: a read permission beyond Group.Create.
        preventDuplicateNames: false,
      });
      groups[name as PersonaName] = group;
      personas[name] = { ...persona, objectId: group.objectId };
    }
    return personas as unknown as DomainPersonas;
  }

  private createDataRoles(props: DataDomainProps): { reader: RoleDefinition; writer: RoleDefinition } {
    const subscription = `/subscriptions/${props.platform.subscriptionId}`;
    const containerRead = "Microsoft.Storage/storageAccounts/blobServices/containers/read";
    const blob = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
    const role = (id: string, kind: string, description: string, actions: string[], dataActions: string[]) =>
      new RoleDefinition(this, id, {
        name: props.naming.roleDefinition(this, props.name, kind),
        scope: subscription,
        description,
        permissions: [{ actions, dataActions, notActions: [], notDataActions: [] }],
        // Assignable only inside the domain's containers: reused by every component of the domain.
        assignableScopes: [this.resourceGroupId, ...(this.sandbox ? [this.sandbox.resourceGroup.id] : [])],
      });
    return {
      reader: role("data-reader", "datareader", `Reads ${props.name} data (${props.dataClassification})`, [containerRead], [`${blob}/read`]),
      writer: role("data-writer", "datawriter", `Reads and writes ${props.name} data (${props.dataClassification})`, [containerRead, "Microsoft.Storage/storageAccounts/blobServices/containers/write"], [`${blob}/read`, `${blob}/write`, `${blob}/delete`, `${blob}/add/action`, `${blob}/move/action`]),
    };
  }
}
