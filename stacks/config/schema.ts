import { DATA_CLASSIFICATIONS, DataClassification } from "../../lib/core/tags";
import { AzureRegion, SUPPORTED_REGIONS } from "../../lib/core/regions";
import { COMPLIANCE_STANDARDS, ComplianceStandard, ROOT_STORAGE_SKUS } from "../../lib/secure-workspace/secure-workspace";
import { STORAGE_REPLICATION, StorageReplication } from "../../lib/storage/secure-storage-account";
import { ManagedRedisSku, RedisAlertThresholds } from "../../lib/redis-feature-tier/redis-feature-tier";
import { CLONE_INTERVALS, CloneIntervalHours } from "../../lib/disaster-recovery/recovery-report";
import type { DomainShareProps } from "../../lib/data-domain/domain-shares";

/** `stacks/config/organization.yaml`: facts shared by every environment. */
export interface OrganizationConfig {
  readonly organization: string;
  readonly workload: string;
  readonly owner: string;
  readonly costCenter: string;
  readonly managedBy: string;
  /**
   * How account groups are named per environment, from the configured name: `{name}` and `{environment}` (e.g.
   * `{name}-{environment}`). Groups are account-wide: one group for every environment would carry development rights
   * into production.
   */
  readonly groupNamePattern: string;
}

export type EgressConfig = { readonly mode: "natGateway"; readonly idleTimeoutMinutes?: number } | { readonly mode: "firewall"; readonly firewallPrivateIp: string };

/** The connectivity hub of an environment (hub-and-spoke). Its resource IDs are Terraform variables. */
export interface HubConfig {
  /** The hub VNet's address space: checked against the environment's own ranges (peered networks must not overlap). */
  readonly addressSpace: string;
  /**
   * Create the hub's side here — the peerings back to the spokes and the spokes' links in the hub's privatelink zones —
   * through a provider on the hub's subscription (`hub_subscription_id`). false: the network team creates it from the
   * platform stack's `hub_side_requirements` output.
   */
  readonly manageHubSide: boolean;
  /** Spokes use the hub's VPN/ExpressRoute gateways. @default false */
  readonly useRemoteGateways?: boolean;
}

/** `stacks/config/environments/<environment>.yaml`. */
export interface EnvironmentConfig {
  readonly environment: string;
  readonly location: AzureRegion;
  readonly dataClassification: DataClassification;
  readonly network: {
    readonly addressSpace: string;
    readonly hostSubnetCidr?: string;
    readonly containerSubnetCidr?: string;
    readonly privateEndpointSubnetCidr?: string;
    readonly egress: EgressConfig;
  };
  /** Where users' traffic arrives: a transit VNet created here, or the hub's (its IDs are Terraform variables). */
  readonly transit: { readonly create: { readonly addressSpace: string } } | { readonly hub: HubConfig };
  /** The region's web-auth workspace, when this environment hosts it. */
  readonly webAuth?: { readonly addressSpace: string };
  readonly workspace: {
    readonly infrastructureEncryption: boolean;
    readonly rootStorageSku: (typeof ROOT_STORAGE_SKUS)[number];
    readonly enhancedSecurity?: { readonly complianceStandards?: ComplianceStandard[]; readonly enhancedSecurityMonitoring?: boolean; readonly automaticClusterUpdate?: boolean };
  };
  /** Single-principal mode: one principal deploys and runs the pipelines (tenants that allow only one). */
  readonly identity: { readonly singlePrincipal: boolean };
  readonly lake: {
    readonly zones: string[];
    readonly replication: StorageReplication;
    readonly blobSoftDeleteDays?: number;
    readonly containerSoftDeleteDays?: number;
    readonly landingRetentionDays?: number;
    readonly fileEvents?: boolean;
  };
  readonly keyVault: { readonly softDeleteRetentionDays: number };
  readonly monitoring: { readonly logRetentionDays: number };
  readonly ingestion: { readonly enabled: boolean };
  readonly catalog: {
    /** Databricks account group administering the platform's securables (scoped to the environment by groupNamePattern). */
    readonly adminGroup: string;
    /** Account groups that read the gold layer catalogs (scoped like adminGroup). */
    readonly goldReaders?: string[];
    /** `readOnly` (production): people read; writes go through service principals, exceptions per domain. @default readWrite */
    readonly peopleAccess?: "readWrite" | "readOnly";
    /** `provision`: account groups and service principals are created here; `lookup`: SCIM or automatic identity management syncs them. @default provision */
    readonly principals?: "provision" | "lookup";
    /** `existing`: the region's metastore ID is a Terraform variable; `create`: this environment creates it. */
    readonly metastore: "existing" | "create";
    /**
     * This environment owns its region's metastore-level objects (system schemas, the grants on the `system` catalog):
     * its deploy identity is a metastore admin there (bootstrap), and no other environment on that metastore manages
     * them — one owner, so destroying another environment never switches audit off. The same holds for the
     * environment's disaster recovery secondary on its own metastore. @default false
     */
    readonly metastoreOwner?: boolean;
    /** Delta Sharing settings of a metastore created here (an existing one's are a prerequisite). @default INTERNAL, 90-day tokens */
    readonly deltaSharing?: { readonly scope: "INTERNAL" | "INTERNAL_AND_EXTERNAL"; readonly recipientTokenLifetimeDays: number; readonly organizationName?: string };
    readonly serverlessPrivateAccess: boolean;
  };
  /** Production data guard: prevent_destroy, CanNotDelete locks, no force_destroy in Unity Catalog. */
  readonly protectFromDeletion: boolean;
  /**
   * Where the deploy jobs run. `public`: stacks that call only public APIs (Azure Resource Manager, the Databricks
   * account API). `private`: stacks that call the private workspace's API — a self-hosted runner in (or peered to) the
   * network, or a GitHub-hosted runner with Azure private networking.
   */
  readonly deploy: {
    readonly runners: { readonly public: string[]; readonly private: string[] };
    /** This environment's Terraform state: reachable only by its identities (help/operator-runbook.md, "Identities"). */
    readonly stateBackend: { readonly resourceGroupName: string; readonly storageAccountName: string; readonly containerName: string };
    /** Azure private networking for GitHub-hosted runners: a subnet of the transit (or managed hub) VNet. @default none */
    readonly runnerNetwork?: { readonly addressPrefix: string };
  };
  /** The online feature speed layer (`features-<env>`), when the environment has one. */
  readonly features?: FeaturesConfig;
  /** A warm secondary region, deployed by the same code as its own stacks (`<stack>-dr`). @default none */
  readonly disasterRecovery?: DisasterRecoveryConfig;
  /** Day-one workspace governance (`governance-<env>`, help/workspace-governance.md). */
  readonly governance: GovernanceConfig;
}

/** Limits of the compute a domain's people may create (its cluster policy). */
export interface ComputePolicyConfig {
  readonly nodeTypes: string[];
  readonly workers: { readonly min: number; readonly max: number };
  readonly autoTerminationMinutes: { readonly default: number; readonly max: number };
}

export interface GovernanceConfig {
  /** Personal access tokens: off, or on with a maximum lifetime (at most 90 days). */
  readonly tokens: { readonly enabled: false } | { readonly enabled: true; readonly maxLifetimeDays: number };
  readonly notebookExport: boolean;
  readonly resultsDownload: boolean;
  /** Serverless Egress Control: `restricted` to the NCC's private endpoints and `allowedDomains`; `full` is open internet. */
  /**
   * Serverless Egress Control: `restricted` to the NCC's private endpoints and `allowedDomains` (a secondary also to the
   * primary's storage it clones from); `full` is open internet. `enforcement: dryRun` logs denials without blocking —
   * the first step of a rollout (help/workspace-governance.md). @default enforcement enforced
   */
  readonly serverlessEgress: { readonly mode: "restricted"; readonly allowedDomains?: string[]; readonly enforcement?: "enforced" | "dryRun" } | { readonly mode: "full"; readonly reason: string };
  /**
   * System schemas to enable, only where the environment owns the metastore (catalog.metastoreOwner): the system tables
   * are metastore-wide, so another environment's people would read this one's audit logs. @default access, billing, compute
   */
  readonly systemSchemas?: string[];
  /** Account group that reads system.billing (scoped like adminGroup); with catalog.metastoreOwner only. */
  readonly finopsGroup?: string;
  /** Account group that reads system.access (scoped like adminGroup). */
  readonly auditGroup?: string;
  /** The domains' cluster policy limits (a domain may narrow them per environment). */
  readonly computePolicy: ComputePolicyConfig;
  /** Who the audit alerts notify. */
  readonly alertContacts: string[];
}

/** How a lake zone reaches the secondary region (lib/disaster-recovery/recovery-report.ts, ZoneProtection). */
export type ZoneRecoveryConfig =
  | { readonly mechanism: "geoReplication" }
  | { readonly mechanism: "deepClone"; readonly intervalHours: CloneIntervalHours; readonly maxCloneHours?: number; readonly schemas?: string[] };

export interface DisasterRecoveryConfig {
  /**
   * The secondary region: its own network, runners and Terraform state. Its metastore exists (the GitHub variable
   * DR_METASTORE_ID): the primary's recipient names it before the secondary is deployed.
   */
  readonly secondary: {
    readonly location: AzureRegion;
    readonly network: EnvironmentConfig["network"];
    /** A transit VNet created in the secondary region (a hub there is not supported yet). */
    readonly transit: { readonly create: { readonly addressSpace: string } };
    readonly webAuth?: { readonly addressSpace: string };
    readonly runners: { readonly public: string[]; readonly private: string[] };
    /** The secondary's Terraform state, in the secondary region: it plans and applies while the primary is down. */
    readonly stateBackend: { readonly resourceGroupName: string; readonly storageAccountName: string; readonly containerName: string };
  };
  /** @default the seed's: RPO 36 h (1.5 days), RTO 24 h */
  readonly targets?: { readonly rpoHours: number; readonly rtoHours: number };
  /** Every lake zone, by name: how it is recovered. */
  readonly zones: Record<string, ZoneRecoveryConfig>;
  /** The online feature tier: geo-replicated, or rebuilt from gold in `rebuildHours`. Required when the environment has features. */
  readonly features?: { readonly mode: "geoReplication" } | { readonly mode: "rebuild"; readonly rebuildHours: number };
}

export interface FeaturesConfig {
  readonly sku: ManagedRedisSku;
  readonly persistence?: "none" | "rdb" | "aof";
  readonly modules?: string[];
  readonly ttlJitterPercent?: number;
  readonly contacts: string[];
  readonly streaming?: { readonly partitions?: number; readonly retentionDays?: number };
  readonly alerts?: RedisAlertThresholds;
  readonly featureSets: { readonly domain: string; readonly name: string; readonly schemaVersion: number; readonly freshnessSlaSeconds: number }[];
}

/** `stacks/config/domains/<domain>.yaml`: one business domain. */
export interface DomainConfig {
  readonly domain: string;
  readonly owner: string;
  readonly costCenter: string;
  readonly dataClassification: DataClassification;
  readonly contacts: string[];
  /** Group personas name their Databricks account group; `servicePrincipals: {}` takes its application ID from a variable. */
  readonly personas: Record<"admins" | "engineers" | "readers", { readonly principalName: string }> &
    Partial<Record<"stewards", { readonly principalName: string }>> &
    Partial<Record<"servicePrincipals", Record<string, never>>>;
  readonly dataProducts: string[];
  /** `startDate` (YYYY-MM-01) is optional: by default the budget starts in the month of its first apply. */
  readonly budget?: { readonly startDate?: string; readonly actualThresholds?: number[]; readonly forecastThresholds?: number[] };
  /** The environments the domain is deployed in, by name. */
  readonly environments: Record<string, DomainEnvironmentConfig>;
}

export interface DomainEnvironmentConfig {
  readonly budget: number;
  readonly catalogStorage?: "platformLake" | "dedicated";
  readonly entraGroups?: boolean;
  readonly sandbox?: { readonly expiresOn: string; readonly budget: number };
  /** Monthly DBU spend (USD, list price) of the domain's serverless budget policy before its contacts are alerted. */
  readonly dbuBudget?: number;
  /** Where people read only (catalog.peopleAccess: readOnly), personas that keep writing, each with its reason. */
  readonly writeExceptions?: { readonly persona: "admins" | "engineers" | "readers" | "stewards"; readonly reason: string }[];
  /**
   * Privileged access through PIM: the privileged personas' control-plane roles (admins' Contributor) become eligible
   * only, for `durationDays` from each deploy that (re)creates them, with no standing assignment.
   */
  readonly pim?: { readonly durationDays: number; readonly justification: string };
  /** Delta Sharing with other companies from this environment (help/data-sharing.md). @default none */
  readonly shares?: DomainShareProps[];
  /** A restricted domain shares only with a stated reason. */
  readonly restrictedSharingAllowance?: { readonly reason: string };
  /** This domain's cluster policy limits. @default the environment's governance.computePolicy */
  readonly computePolicy?: ComputePolicyConfig;
}

// `description` doubles as the "expected" text of a validation error.
const text = (description: string, maxLength = 256) => ({ type: "string", minLength: 1, maxLength, description });
const bool = { type: "boolean", description: "true or false" };
const days = (minimum: number, maximum: number) => ({ type: "integer", minimum, maximum, description: `an integer from ${minimum} to ${maximum} (days)` });
const runnerLabels = { type: "array", minItems: 1, items: { type: "string", pattern: "^[A-Za-z0-9][\\w.-]{0,99}$", description: "a runner label" } };
const cidr = { type: "string", pattern: "^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$", description: "an IPv4 CIDR block, e.g. 10.20.0.0/22" };

export const ORGANIZATION_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["organization", "workload", "owner", "costCenter", "managedBy", "groupNamePattern"],
  properties: {
    organization: { type: "string", pattern: "^[a-z0-9-]{2,40}$", description: "2–40 characters of [a-z0-9-]" },
    workload: { type: "string", pattern: "^[a-z][a-z0-9]{1,9}$", description: "2–10 characters of [a-z0-9], starting with a letter" },
    owner: text("the accountable owner (team mailbox or group)"),
    costCenter: text("the cost center code"),
    managedBy: text("what manages the resources"),
    groupNamePattern: { type: "string", pattern: "^(?=.*\\{name\\})(?=.*\\{environment\\})[\\w{}.-]{1,100}$", description: "a pattern with {name} and {environment}, e.g. {name}-{environment}" },
  },
} as const;

const stateBackend = {
  type: "object",
  additionalProperties: false,
  required: ["resourceGroupName", "storageAccountName", "containerName"],
  properties: {
    resourceGroupName: { type: "string", pattern: "^[-\\w.()]{1,89}[-\\w()]$", description: "a resource group name" },
    storageAccountName: { type: "string", pattern: "^[a-z0-9]{3,24}$", description: "3–24 characters of [a-z0-9]" },
    containerName: { type: "string", pattern: "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", description: "3–63 characters of [a-z0-9-]" },
  },
} as const;

const runners = {
  type: "object",
  additionalProperties: false,
  required: ["public", "private"],
  properties: { public: runnerLabels, private: runnerLabels },
} as const;

const network = {
  type: "object",
  additionalProperties: false,
  required: ["addressSpace", "egress"],
  properties: {
    addressSpace: cidr,
    hostSubnetCidr: cidr,
    containerSubnetCidr: cidr,
    privateEndpointSubnetCidr: cidr,
    egress: {
      type: "object",
      discriminator: { propertyName: "mode" },
      required: ["mode"],
      oneOf: [
        {
          additionalProperties: false,
          properties: {
            mode: { const: "natGateway" },
            idleTimeoutMinutes: { type: "integer", minimum: 4, maximum: 120, description: "an integer from 4 to 120" },
          },
        },
        {
          additionalProperties: false,
          required: ["firewallPrivateIp"],
          properties: {
            mode: { const: "firewall" },
            firewallPrivateIp: { type: "string", pattern: "^(\\d{1,3}\\.){3}\\d{1,3}$", description: "the firewall's private IPv4 address" },
          },
        },
      ],
      description: 'mode "natGateway" (optional idleTimeoutMinutes) or "firewall" with firewallPrivateIp',
    },
  },
} as const;

const hours = (minimum: number, maximum: number) => ({ type: "number", minimum, maximum, description: `hours from ${minimum} to ${maximum}` });

const computePolicy = {
  type: "object",
  additionalProperties: false,
  required: ["nodeTypes", "workers", "autoTerminationMinutes"],
  properties: {
    nodeTypes: { type: "array", minItems: 1, items: { type: "string", pattern: "^[A-Za-z0-9_]{3,64}$", description: "an Azure VM size, e.g. Standard_D4ds_v5" } },
    workers: {
      type: "object",
      additionalProperties: false,
      required: ["min", "max"],
      properties: { min: { type: "integer", minimum: 0, maximum: 1000, description: "0 to 1000 workers" }, max: { type: "integer", minimum: 1, maximum: 1000, description: "1 to 1000 workers" } },
    },
    autoTerminationMinutes: {
      type: "object",
      additionalProperties: false,
      required: ["default", "max"],
      properties: { default: { type: "integer", minimum: 10, maximum: 10000, description: "10 to 10000 minutes" }, max: { type: "integer", minimum: 10, maximum: 10000, description: "10 to 10000 minutes" } },
    },
  },
} as const;

const governance = {
  type: "object",
  additionalProperties: false,
  required: ["tokens", "notebookExport", "resultsDownload", "serverlessEgress", "computePolicy", "alertContacts"],
  properties: {
    tokens: {
      type: "object",
      // No discriminator: ajv's takes strings only.
      required: ["enabled"],
      oneOf: [
        { additionalProperties: false, properties: { enabled: { const: false } } },
        { additionalProperties: false, required: ["maxLifetimeDays"], properties: { enabled: { const: true }, maxLifetimeDays: { type: "integer", minimum: 1, maximum: 90, description: "1 to 90 days" } } },
      ],
      description: "enabled: false, or enabled: true with maxLifetimeDays (at most 90)",
    },
    notebookExport: bool,
    resultsDownload: bool,
    serverlessEgress: {
      type: "object",
      discriminator: { propertyName: "mode" },
      required: ["mode"],
      oneOf: [
        { additionalProperties: false, properties: { mode: { const: "restricted" }, allowedDomains: { type: "array", items: { type: "string", pattern: "^(\\*\\.)?[a-z0-9-]+(\\.[a-z0-9-]+)+$", description: "a domain name, e.g. pypi.org" } }, enforcement: { type: "string", enum: ["enforced", "dryRun"], description: "enforced or dryRun" } } },
        { additionalProperties: false, required: ["reason"], properties: { mode: { const: "full" }, reason: { type: "string", minLength: 20, description: "why serverless compute needs the open internet (at least 20 characters)" } } },
      ],
      description: 'mode "restricted" (allowedDomains) or "full" with a reason',
    },
    systemSchemas: { type: "array", items: { type: "string", description: "a system schema name" } },
    finopsGroup: text("the account group that reads system.billing"),
    auditGroup: text("the account group that reads system.access"),
    computePolicy,
    alertContacts: { type: "array", minItems: 1, items: { type: "string", pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", description: "an e-mail address" } },
  },
} as const;

const disasterRecovery = {
  type: "object",
  additionalProperties: false,
  required: ["secondary", "zones"],
  properties: {
    secondary: {
      type: "object",
      additionalProperties: false,
      required: ["location", "network", "transit", "runners", "stateBackend"],
      properties: {
        location: { type: "string", enum: [...SUPPORTED_REGIONS], description: "a supported Azure region (programmatic name, e.g. northeurope)" },
        network,
        transit: {
          type: "object",
          additionalProperties: false,
          required: ["create"],
          properties: { create: { type: "object", additionalProperties: false, required: ["addressSpace"], properties: { addressSpace: cidr } } },
          description: "create: { addressSpace } (a hub in the secondary region is not supported yet)",
        },
        webAuth: { type: "object", additionalProperties: false, required: ["addressSpace"], properties: { addressSpace: cidr } },
        runners,
        stateBackend,
      },
    },
    targets: {
      type: "object",
      additionalProperties: false,
      required: ["rpoHours", "rtoHours"],
      properties: { rpoHours: hours(0.25, 720), rtoHours: hours(0.25, 720) },
    },
    zones: {
      type: "object",
      minProperties: 1,
      additionalProperties: {
        type: "object",
        discriminator: { propertyName: "mechanism" },
        required: ["mechanism"],
        oneOf: [
          { additionalProperties: false, properties: { mechanism: { const: "geoReplication" } } },
          {
            additionalProperties: false,
            required: ["intervalHours"],
            properties: {
              mechanism: { const: "deepClone" },
              intervalHours: { type: "integer", enum: [...CLONE_INTERVALS], description: `hours that divide a day: ${CLONE_INTERVALS.join(", ")}` },
              maxCloneHours: hours(0.25, 24),
              schemas: { type: "array", items: { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}$", description: "a schema name of [a-z0-9_]" } },
            },
          },
        ],
        description: 'mechanism "geoReplication", or "deepClone" with intervalHours (and maxCloneHours, schemas)',
      },
      description: "zone name → { mechanism, … } for every zone of lake.zones",
    },
    features: {
      type: "object",
      discriminator: { propertyName: "mode" },
      required: ["mode"],
      oneOf: [
        { additionalProperties: false, properties: { mode: { const: "geoReplication" } } },
        { additionalProperties: false, required: ["rebuildHours"], properties: { mode: { const: "rebuild" }, rebuildHours: hours(0.25, 720) } },
      ],
      description: 'mode "geoReplication", or "rebuild" with rebuildHours',
    },
  },
} as const;

export const ENVIRONMENT_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["environment", "location", "dataClassification", "network", "transit", "workspace", "identity", "lake", "keyVault", "monitoring", "ingestion", "catalog", "protectFromDeletion", "deploy", "governance"],
  properties: {
    environment: { type: "string", pattern: "^[a-z][a-z0-9]{1,5}$", description: "2–6 characters of [a-z0-9], starting with a letter, equal to the file name" },
    location: { type: "string", enum: [...SUPPORTED_REGIONS], description: "a supported Azure region (programmatic name, e.g. westeurope)" },
    dataClassification: { type: "string", enum: [...DATA_CLASSIFICATIONS], description: `one of ${DATA_CLASSIFICATIONS.join(", ")}` },
    network,
    transit: {
      type: "object",
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: {
        create: { type: "object", additionalProperties: false, required: ["addressSpace"], properties: { addressSpace: cidr } },
        hub: {
          type: "object",
          additionalProperties: false,
          required: ["addressSpace", "manageHubSide"],
          properties: { addressSpace: cidr, manageHubSide: bool, useRemoteGateways: bool },
          description: "the hub: { addressSpace, manageHubSide, useRemoteGateways? } (its resource IDs are Terraform variables)",
        },
      },
      description: "either create: { addressSpace } or hub: { addressSpace, manageHubSide }",
    },
    webAuth: { type: "object", additionalProperties: false, required: ["addressSpace"], properties: { addressSpace: cidr } },
    workspace: {
      type: "object",
      additionalProperties: false,
      required: ["infrastructureEncryption", "rootStorageSku"],
      properties: {
        infrastructureEncryption: bool,
        rootStorageSku: { type: "string", enum: [...ROOT_STORAGE_SKUS], description: `one of ${ROOT_STORAGE_SKUS.join(", ")}` },
        enhancedSecurity: {
          type: "object",
          additionalProperties: false,
          properties: {
            complianceStandards: { type: "array", items: { type: "string", enum: [...COMPLIANCE_STANDARDS], description: `one of ${COMPLIANCE_STANDARDS.join(", ")}` } },
            enhancedSecurityMonitoring: bool,
            automaticClusterUpdate: bool,
          },
        },
      },
    },
    identity: {
      type: "object",
      additionalProperties: false,
      required: ["singlePrincipal"],
      properties: { singlePrincipal: bool },
    },
    lake: {
      type: "object",
      additionalProperties: false,
      required: ["zones", "replication"],
      properties: {
        zones: { type: "array", minItems: 3, items: { type: "string", description: "a zone name: landing, staging, bronze, silver, gold or <layer>-<qualifier>" } },
        replication: { type: "string", enum: [...STORAGE_REPLICATION], description: `one of ${STORAGE_REPLICATION.join(", ")}` },
        blobSoftDeleteDays: days(1, 365),
        containerSoftDeleteDays: days(1, 365),
        landingRetentionDays: days(1, 3650),
        fileEvents: bool,
      },
    },
    keyVault: {
      type: "object",
      additionalProperties: false,
      required: ["softDeleteRetentionDays"],
      properties: { softDeleteRetentionDays: days(7, 90) },
    },
    monitoring: {
      type: "object",
      additionalProperties: false,
      required: ["logRetentionDays"],
      properties: { logRetentionDays: days(30, 730) },
    },
    ingestion: { type: "object", additionalProperties: false, required: ["enabled"], properties: { enabled: bool } },
    catalog: {
      type: "object",
      additionalProperties: false,
      required: ["adminGroup", "metastore", "serverlessPrivateAccess"],
      properties: {
        adminGroup: text("the Databricks account group that administers the platform"),
        goldReaders: { type: "array", items: text("an account group that reads the gold layer") },
        peopleAccess: { type: "string", enum: ["readWrite", "readOnly"], description: "readWrite or readOnly" },
        principals: { type: "string", enum: ["provision", "lookup"], description: "provision or lookup" },
        metastore: { type: "string", enum: ["existing", "create"], description: "existing (its ID is the Terraform variable metastore_id) or create" },
        metastoreOwner: bool,
        deltaSharing: {
          type: "object",
          additionalProperties: false,
          required: ["scope", "recipientTokenLifetimeDays"],
          properties: {
            scope: { type: "string", enum: ["INTERNAL", "INTERNAL_AND_EXTERNAL"], description: "INTERNAL or INTERNAL_AND_EXTERNAL" },
            recipientTokenLifetimeDays: { type: "integer", minimum: 1, maximum: 365, description: "1 to 365 days" },
            organizationName: text("the organization name Databricks-to-Databricks recipients see"),
          },
        },
        serverlessPrivateAccess: bool,
      },
    },
    protectFromDeletion: bool,
    deploy: {
      type: "object",
      additionalProperties: false,
      required: ["runners", "stateBackend"],
      properties: {
        runnerNetwork: {
          type: "object",
          additionalProperties: false,
          required: ["addressPrefix"],
          properties: { addressPrefix: { type: "string", pattern: "^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$", description: "an IPv4 CIDR, /28 or larger" } },
        },
        runners,
        stateBackend,
      },
    },
    features: {
      type: "object",
      additionalProperties: false,
      required: ["sku", "contacts", "featureSets"],
      properties: {
        sku: { type: "string", description: "a Managed Redis SKU, e.g. Balanced_B5" },
        persistence: { type: "string", enum: ["none", "rdb", "aof"], description: "none, rdb or aof" },
        modules: { type: "array", items: { type: "string", description: "a Redis module" } },
        ttlJitterPercent: { type: "integer", minimum: 0, maximum: 50, description: "a whole percentage from 0 to 50" },
        contacts: { type: "array", minItems: 1, items: { type: "string", pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", description: "an e-mail address" } },
        streaming: {
          type: "object",
          additionalProperties: false,
          properties: { partitions: { type: "integer", description: "1 to 32" }, retentionDays: { type: "integer", description: "1 to 7" } },
        },
        alerts: {
          type: "object",
          additionalProperties: false,
          properties: Object.fromEntries(
            ["latencyMicroseconds", "memoryPercent", "evictedKeys", "serverLoadPercent", "connectedClients", "cacheMisses"].map((k) => [k, { type: "number", description: "a threshold" }]),
          ),
        },
        featureSets: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["domain", "name", "schemaVersion", "freshnessSlaSeconds"],
            properties: {
              domain: { type: "string", description: "the owning domain" },
              name: { type: "string", description: "the feature set name" },
              schemaVersion: { type: "number", description: "a positive integer" },
              freshnessSlaSeconds: { type: "number", description: "seconds" },
            },
          },
        },
      },
    },
    disasterRecovery,
    governance,
  },
} as const;

const shares = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["name", "objects", "recipients"],
    properties: {
      name: { type: "string", pattern: "^[a-z][a-z0-9_]{0,40}$", description: "a share name of [a-z0-9_], starting with a letter" },
      objects: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          additionalProperties: false,
          minProperties: 1,
          properties: {
            schema: text("a schema (data product) of the domain's catalog"),
            table: text("<schema>.<table> of the domain's catalog"),
            view: text("<schema>.<view> of the domain's catalog"),
            history: bool,
            changeDataFeed: bool,
          },
          description: "{ schema }, { table, history?, changeDataFeed? } or { view }",
        },
      },
      recipients: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["name"],
          properties: {
            name: { type: "string", pattern: "^[a-z][a-z0-9_]{0,40}$", description: "a recipient name of [a-z0-9_], starting with a letter" },
            sharingIdentifier: text("the recipient metastore's sharing identifier, <cloud>:<region>:<metastore-id>"),
            authentication: { type: "string", enum: ["token"], description: "token (open sharing; give ipAccessList and expiresOn)" },
            ipAccessList: { type: "array", items: text("an IPv4 address or CIDR block") },
            expiresOn: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "the last day of access, YYYY-MM-DD" },
          },
        },
      },
    },
  },
} as const;

const groupPersona = { type: "object", additionalProperties: false, required: ["principalName"], properties: { principalName: text("the Databricks account group name") } };
const percentages = { type: "array", items: { type: "integer", minimum: 1, maximum: 1000, description: "whole percentages from 1 to 1000" } };

export const DOMAIN_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["domain", "owner", "costCenter", "dataClassification", "contacts", "personas", "dataProducts", "environments"],
  properties: {
    domain: { type: "string", pattern: "^[a-z][a-z0-9]{1,9}$", description: "2–10 characters of [a-z0-9], starting with a letter, equal to the file name" },
    owner: text("the accountable owner"),
    costCenter: text("the cost center code"),
    dataClassification: { type: "string", enum: [...DATA_CLASSIFICATIONS], description: `one of ${DATA_CLASSIFICATIONS.join(", ")}` },
    contacts: { type: "array", minItems: 1, items: { type: "string", pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", description: "an e-mail address" } },
    personas: {
      type: "object",
      additionalProperties: false,
      required: ["admins", "engineers", "readers"],
      properties: {
        admins: groupPersona,
        engineers: groupPersona,
        readers: groupPersona,
        stewards: groupPersona,
        servicePrincipals: { type: "object", additionalProperties: false, properties: {}, description: "{} (its application ID is a Terraform variable)" },
      },
      description: "admins, engineers, readers (required), stewards, servicePrincipals",
    },
    dataProducts: { type: "array", items: { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}$", description: "a data product name of [a-z0-9_]" } },
    budget: {
      type: "object",
      additionalProperties: false,
      properties: {
        startDate: { type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])-01$", description: "the first day of a month, YYYY-MM-01" },
        actualThresholds: percentages,
        forecastThresholds: percentages,
      },
    },
    environments: {
      type: "object",
      minProperties: 1,
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["budget"],
        properties: {
          budget: { type: "number", exclusiveMinimum: 0, description: "a positive monthly amount" },
          catalogStorage: { type: "string", enum: ["platformLake", "dedicated"], description: "platformLake or dedicated" },
          dbuBudget: { type: "number", exclusiveMinimum: 0, description: "a positive monthly DBU amount (USD)" },
          entraGroups: bool,
          sandbox: {
            type: "object",
            additionalProperties: false,
            required: ["expiresOn", "budget"],
            properties: {
              expiresOn: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "a date YYYY-MM-DD" },
              budget: { type: "number", exclusiveMinimum: 0, description: "a positive monthly amount" },
            },
          },
          writeExceptions: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["persona", "reason"],
              properties: {
                persona: { type: "string", enum: ["admins", "engineers", "readers", "stewards"], description: "a people persona" },
                reason: { type: "string", minLength: 10, maxLength: 256, description: "why people of this persona write in this environment (at least 10 characters)" },
              },
            },
          },
          shares,
          computePolicy,
          restrictedSharingAllowance: {
            type: "object",
            additionalProperties: false,
            required: ["reason"],
            properties: { reason: { type: "string", minLength: 20, maxLength: 512, description: "why restricted data is shared outside the company (at least 20 characters)" } },
          },
          pim: {
            type: "object",
            additionalProperties: false,
            required: ["durationDays", "justification"],
            properties: {
              durationDays: { type: "integer", minimum: 1, maximum: 365, description: "1 to 365 days" },
              justification: text("why the privileged roles are needed"),
            },
            description: "{ durationDays, justification }: the privileged personas' roles become PIM-eligible only",
          },
        },
      },
      description: "environment name → { budget, … }",
    },
  },
} as const;
