import type { StackDeployment } from "../ci/deploy-metadata";
import type { RecoveryRecord } from "../disaster-recovery/recovery-metadata";
/** One resource (or data source) of a synthesized stack, with its final, resolved attributes. */
export interface ResourceView {
  readonly type: string;
  readonly logicalId: string;
  /** Construct path, e.g. `platform-dev/platform/lake/account`. */
  readonly path: string;
  readonly attrs: Record<string, unknown>;
  /** `${type.logicalId.id}`: how other resources reference it. */
  readonly ref: string;
  /** Whether the provider schema has `tags` (read from the construct). */
  readonly taggable: boolean;
  /** Tags whose value, as written (before resolution), spells out `${` or `%{` instead of passing a token. */
  readonly interpolatedTags?: readonly string[];
}

/** What a rule sees of one stack. */
export interface StackView {
  readonly name: string;
  readonly production: boolean;
  readonly resources: readonly ResourceView[];
  readonly dataSources: readonly ResourceView[];
  readonly providers: Record<string, Record<string, unknown>[]>;
  readonly backend: Record<string, Record<string, unknown>>;
  readonly outputs: Record<string, { value?: unknown; sensitive?: boolean }>;
  readonly variables: Record<string, { sensitive?: boolean }>;
  readonly mandatoryTags: readonly string[];
  /** How the stack deploys (setStackDeployment), when recorded. */
  readonly deployment?: StackDeployment;
  /** Its place in a disaster recovery pair (setRecoveryRecord), when recorded. */
  readonly recovery?: RecoveryRecord;
  /** The time rules compare dates with (GuardrailsOptions.now). */
  readonly now: Date;
}

export interface Violation {
  readonly path: string;
  readonly detail: string;
}

export interface Rule {
  readonly id: string;
  readonly severity: "error" | "warning";
  readonly title: string;
  /** Why the rule exists. */
  readonly why: string;
  /** How to comply. */
  readonly fix: string;
  check(stack: StackView): Violation[];
}

/** The value at a dot path of a resource's attributes (blocks are one-element lists in the JSON). */
export const get = (value: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((current, key) => {
    if (Array.isArray(current)) current = current[0];
    return current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
  }, value);

/** The stack's resources of the given types. */
export const of = (stack: StackView, ...types: string[]) => stack.resources.filter((r) => types.includes(r.type));
const references = (value: unknown, resource: ResourceView) => typeof value === "string" && value.includes(resource.ref);

/** Attribute must equal the expected value (explicitly: an absent attribute is a violation). */
function requireAttribute(types: Record<string, [string, unknown][]>): (stack: StackView) => Violation[] {
  return (stack) =>
    Object.entries(types).flatMap(([type, checks]) =>
      of(stack, type).flatMap((r) =>
        checks.filter(([path, expected]) => get(r.attrs, path) !== expected).map(([path, expected]) => ({ path: r.path, detail: `${type}.${path} is ${JSON.stringify(get(r.attrs, path))}, must be ${JSON.stringify(expected)}` })),
      ),
    );
}

/**
 * Resource types whose public network access must be stated off: the platform's services, and the data services other
 * teams add most, whose provider default is "on" (an absent attribute is a violation). Any other azurerm resource is
 * caught when it states public access on ({@link PUBLIC_ACCESS_ATTRIBUTES}).
 */
export const PUBLIC_ACCESS_OFF: Record<string, [string, unknown][]> = {
  azurerm_storage_account: [["public_network_access_enabled", false]],
  azurerm_key_vault: [["public_network_access_enabled", false]],
  azurerm_databricks_workspace: [["public_network_access_enabled", false]],
  azurerm_managed_redis: [["public_network_access", "Disabled"]],
  azurerm_data_factory: [["public_network_enabled", false]],
  azurerm_eventhub_namespace: [["public_network_access_enabled", false]],
  azurerm_mssql_server: [["public_network_access_enabled", false]],
  azurerm_cosmosdb_account: [["public_network_access_enabled", false]],
  azurerm_container_registry: [["public_network_access_enabled", false]],
  azurerm_servicebus_namespace: [["public_network_access_enabled", false]],
  azurerm_search_service: [["public_network_access_enabled", false]],
  azurerm_cognitive_account: [["public_network_access_enabled", false]],
  azurerm_synapse_workspace: [["public_network_access_enabled", false]],
  azurerm_machine_learning_workspace: [["public_network_access_enabled", false]],
  azurerm_app_configuration: [["public_network_access", "Disabled"]],
  azurerm_postgresql_flexible_server: [["public_network_access_enabled", false]],
  azurerm_mysql_flexible_server: [["public_network_access_enabled", false]],
  azurerm_redis_cache: [["public_network_access_enabled", false]],
  azurerm_kusto_cluster: [["public_network_access_enabled", false]],
  azurerm_eventgrid_topic: [["public_network_access_enabled", false]],
};
/** The attribute spellings of public access across azurerm, each with its "on" value. */
const PUBLIC_ACCESS_ATTRIBUTES: [string, unknown][] = [
  ["public_network_access_enabled", true],
  ["public_network_access", "Enabled"],
  ["public_network_enabled", true],
];

const PRIVATE_SERVICES: Record<string, string> = {
  azurerm_storage_account: "blob/dfs",
  azurerm_key_vault: "vault",
  azurerm_databricks_workspace: "databricks_ui_api",
  azurerm_managed_redis: "redisEnterprise",
  azurerm_data_factory: "dataFactory",
  azurerm_eventhub_namespace: "namespace",
};
const MONITORED = ["azurerm_storage_account", "azurerm_key_vault", "azurerm_managed_redis", "azurerm_eventhub_namespace", "azurerm_data_factory", "azurerm_databricks_workspace", "azurerm_network_security_group"];
const RESERVED_SUBNETS = ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "AzureBastionSubnet", "RouteServerSubnet"];
const PRIVATE_SOURCE_TAGS = ["VirtualNetwork", "AzureLoadBalancer"];
const PRIVATE_RANGES: [number, number][] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
  [0x64400000, 10],
];
/** A source an inbound allow may name: the VNet, the load balancer probe, a private range, or a reference (an application security group). */
function isPrivateSource(source: string): boolean {
  if (PRIVATE_SOURCE_TAGS.includes(source) || source.includes("${")) return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(source);
  if (!m) return false;
  const address = ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0;
  const prefix = m[5] === undefined ? 32 : +m[5];
  return PRIVATE_RANGES.some(([base, bits]) => prefix >= bits && (address >>> (32 - bits)) === (base >>> (32 - bits)));
}
const SECRET_KEYS = /^(password|client_secret|secret|access_key|sas_token|connection_string|primary_key|secondary_key|token|client_certificate_password|private_key)$/;
const SENSITIVE_REFERENCE = /\.(primary|secondary)_(access_key|connection_string|key|blob_connection_string)|\.(password|client_secret|access_key|connection_string|token|token_value|kube_config|kube_admin_config|private_key_pem|result)\b|_connection_string\b|azurerm_key_vault_secret\.[^.}]+\.value\b/;
const UNITY_CATALOG = ["databricks_catalog", "databricks_schema", "databricks_external_location", "databricks_storage_credential", "databricks_metastore", "databricks_volume"];

/** Security and operations: what the hardened baseline requires of every resource. IDs are stable: suppressions name them. */
export const SECURITY_RULES = [
  {
    id: "MDL-NET-001",
    severity: "error",
    title: "Public network access off",
    why: `Data services reachable from the internet bypass the private network boundary of the hardened architecture. Covered: ${Object.keys(PUBLIC_ACCESS_OFF).join(", ")} must state public access off (their provider default is on); any other azurerm resource fails when it states public_network_access_enabled = true, public_network_access = "Enabled" or public_network_enabled = true.`,
    fix: "Set public network access off (public_network_access_enabled = false; Managed Redis public_network_access = \"Disabled\"; Data Factory public_network_enabled = false) and reach the service through a private endpoint.",
    check: (stack) => [
      ...requireAttribute(PUBLIC_ACCESS_OFF)(stack),
      // Any other azurerm resource that states public access on.
      ...stack.resources
        .filter((r) => r.type.startsWith("azurerm_") && !(r.type in PUBLIC_ACCESS_OFF))
        .flatMap((r) =>
          PUBLIC_ACCESS_ATTRIBUTES.filter(([attr, on]) => r.attrs[attr] === on).map(([attr, on]) => ({ path: r.path, detail: `${r.type}.${attr} is ${JSON.stringify(on)}` })),
        ),
    ],
  },
  {
    id: "MDL-NET-002",
    severity: "error",
    title: "Private endpoint for each private service",
    why: "With public access off, a service without a private endpoint is unreachable — or someone turns public access back on.",
    fix: "Add an azurerm_private_endpoint whose private_service_connection targets the resource (SecureStorageAccount, SecureKeyVault and the constructs do it).",
    check: (stack) => {
      const endpoints = of(stack, "azurerm_private_endpoint").map((e) => get(e.attrs, "private_service_connection.private_connection_resource_id"));
      return of(stack, ...Object.keys(PRIVATE_SERVICES))
        .filter((r) => !endpoints.some((target) => references(target, r)))
        .map((r) => ({ path: r.path, detail: `${r.type} has no private endpoint (${PRIVATE_SERVICES[r.type]}) in this stack` }));
    },
  },
  {
    id: "MDL-NET-003",
    severity: "error",
    title: "Every subnet has an NSG",
    why: "A subnet without a network security group has no traffic rules at all.",
    fix: "Associate an azurerm_network_security_group through azurerm_subnet_network_security_group_association (Azure-reserved subnets such as AzureFirewallSubnet are exempt).",
    check: (stack) => {
      const associated = of(stack, "azurerm_subnet_network_security_group_association").map((a) => a.attrs.subnet_id);
      return of(stack, "azurerm_subnet")
        .filter((s) => !RESERVED_SUBNETS.includes(String(s.attrs.name)) && !associated.some((id) => references(id, s)))
        .map((s) => ({ path: s.path, detail: `subnet ${String(s.attrs.name)} has no network security group association` }));
    },
  },
  {
    id: "MDL-NET-004",
    severity: "error",
    title: "No inbound allow from a non-private source",
    why: "Cluster nodes and private endpoints must never accept connections from the internet: an inbound allow whose source is anything but the virtual network, the load balancer probe or a private range (10/8, 172.16/12, 192.168/16, 100.64/10) — a public address, Internet, *, a public service tag — opens them.",
    fix: "Remove the rule or restrict its source to VirtualNetwork or specific private ranges.",
    check: (stack) => {
      const inline = of(stack, "azurerm_network_security_group").flatMap((g) => ((g.attrs.security_rule as Record<string, unknown>[] | undefined) ?? []).map((rule) => ({ path: g.path, rule })));
      const standalone = of(stack, "azurerm_network_security_rule").map((r) => ({ path: r.path, rule: r.attrs }));
      return [...inline, ...standalone]
        .filter(({ rule }) => rule.direction === "Inbound" && rule.access === "Allow" && [rule.source_address_prefix, ...((rule.source_address_prefixes as string[]) ?? [])].filter((p) => p !== undefined).some((p) => !isPrivateSource(String(p))))
        .map(({ path, rule }) => ({ path, detail: `inbound rule ${String(rule.name)} allows ${String(rule.source_address_prefix ?? rule.source_address_prefixes)}` }));
    },
  },
  {
    id: "MDL-TLS-001",
    severity: "error",
    title: "TLS 1.2 or later",
    why: "Older TLS versions are broken and disallowed by the security baseline.",
    fix: "Set min_tls_version = \"TLS1_2\" (storage) or minimum_tls_version = \"1.2\" (Event Hubs).",
    check: requireAttribute({ azurerm_storage_account: [["min_tls_version", "TLS1_2"]], azurerm_eventhub_namespace: [["minimum_tls_version", "1.2"]] }),
  },
  {
    id: "MDL-TLS-002",
    severity: "error",
    title: "HTTPS only",
    why: "Unencrypted HTTP exposes data and tokens in transit.",
    fix: "Set https_traffic_only_enabled = true.",
    check: requireAttribute({ azurerm_storage_account: [["https_traffic_only_enabled", true]] }),
  },
  {
    id: "MDL-TLS-003",
    severity: "error",
    title: "Redis encrypted protocol",
    why: "Feature values and Entra tokens would cross the network in clear text.",
    fix: "Set default_database.client_protocol = \"Encrypted\".",
    check: requireAttribute({ azurerm_managed_redis: [["default_database.client_protocol", "Encrypted"]] }),
  },
  {
    id: "MDL-IAM-001",
    severity: "error",
    title: "No azuread data source",
    why: "In restricted tenants the deployment principal may not read Microsoft Graph: an azuread data source fails the plan.",
    fix: "Take object IDs as inputs (Terraform variables) instead of looking them up.",
    check: (stack) => stack.dataSources.filter((d) => d.type.startsWith("azuread_")).map((d) => ({ path: d.path, detail: `data source ${d.type} reads Microsoft Graph` })),
  },
  {
    id: "MDL-IAM-002",
    severity: "error",
    title: "Key Vault on RBAC only",
    why: "Access policies are the legacy model; they survive soft-delete recovery and then conflict.",
    fix: "Set rbac_authorization_enabled = true, remove access_policy blocks and azurerm_key_vault_access_policy resources, grant roles instead.",
    check: (stack) => [
      ...of(stack, "azurerm_key_vault")
        .filter((v) => v.attrs.rbac_authorization_enabled !== true || (Array.isArray(v.attrs.access_policy) && v.attrs.access_policy.length > 0))
        .map((v) => ({ path: v.path, detail: "Key Vault not on RBAC authorization (or with inline access policies)" })),
      ...of(stack, "azurerm_key_vault_access_policy").map((p) => ({ path: p.path, detail: "azurerm_key_vault_access_policy" })),
    ],
  },
  {
    id: "MDL-IAM-003",
    severity: "error",
    title: "Storage shared keys off",
    why: "Account keys and SAS are unaudited all-powerful credentials; Entra ID is the only way in.",
    fix: "Set shared_access_key_enabled = false (and the provider's storage_use_azuread = true).",
    check: requireAttribute({ azurerm_storage_account: [["shared_access_key_enabled", false]] }),
  },
  {
    id: "MDL-IAM-004",
    severity: "error",
    title: "Redis access keys off",
    why: "Access keys bypass Entra ID and cannot be attributed.",
    fix: "Set default_database.access_keys_authentication_enabled = false and assign access policies.",
    check: requireAttribute({ azurerm_managed_redis: [["default_database.access_keys_authentication_enabled", false]] }),
  },
  {
    id: "MDL-IAM-005",
    severity: "error",
    title: "No credential in provider or backend configuration",
    why: "A client secret or access key in the configuration ends up in the synthesized JSON and the state; CI authenticates with OIDC.",
    fix: "Remove client_secret / access_key / token from providers and the backend; use OIDC (use_oidc) and Entra auth.",
    check: (stack) => {
      const providerKeys = /^(client_secret|client_certificate_password|client_certificate|token|password|azure_client_secret|access_key|sas_token)$/;
      const providers = Object.entries(stack.providers).flatMap(([name, blocks]) =>
        blocks.flatMap((block) => Object.keys(block).filter((k) => providerKeys.test(k)).map((k) => ({ path: `${stack.name}/provider/${name}`, detail: `provider ${name} sets ${k}` }))),
      );
      const backend = Object.entries(stack.backend).flatMap(([name, config]) =>
        Object.keys(config).filter((k) => providerKeys.test(k)).map((k) => ({ path: `${stack.name}/backend/${name}`, detail: `backend ${name} sets ${k}` })),
      );
      return [...providers, ...backend];
    },
  },
  {
    id: "MDL-DP-001",
    severity: "error",
    title: "Key Vault purge protection and retention",
    why: "Without purge protection a deleted vault — and every key — can be destroyed for good; the retention must be a deliberate choice.",
    fix: "Set purge_protection_enabled = true and soft_delete_retention_days (7–90).",
    check: (stack) =>
      of(stack, "azurerm_key_vault")
        .filter((v) => v.attrs.purge_protection_enabled !== true || typeof v.attrs.soft_delete_retention_days !== "number")
        .map((v) => ({ path: v.path, detail: `purge_protection_enabled ${JSON.stringify(v.attrs.purge_protection_enabled)}, soft_delete_retention_days ${JSON.stringify(v.attrs.soft_delete_retention_days)}` })),
  },
  {
    id: "MDL-DP-002",
    severity: "error",
    title: "Blob and container soft delete",
    why: "Deleted data and containers must be recoverable.",
    fix: "Set blob_properties.delete_retention_policy.days and container_delete_retention_policy.days.",
    check: (stack) =>
      of(stack, "azurerm_storage_account")
        .filter((a) => typeof get(a.attrs, "blob_properties.delete_retention_policy.days") !== "number" || typeof get(a.attrs, "blob_properties.container_delete_retention_policy.days") !== "number")
        .map((a) => ({ path: a.path, detail: "blob or container soft delete not set" })),
  },
  {
    id: "MDL-DP-003",
    severity: "error",
    title: "Production stores: prevent_destroy and a CanNotDelete lock",
    why: "In production a mistaken plan must not be able to delete the lake or the vault.",
    fix: "Set lifecycle.prevent_destroy and add an azurerm_management_lock (CanNotDelete) scoped to the resource (protectFromDeletion on the constructs).",
    check: (stack) => {
      if (!stack.production) return [];
      const locks = of(stack, "azurerm_management_lock").filter((l) => l.attrs.lock_level === "CanNotDelete");
      return of(stack, "azurerm_storage_account", "azurerm_key_vault").flatMap((r) => {
        const missing = [
          ...(get(r.attrs, "lifecycle.prevent_destroy") === true ? [] : ["prevent_destroy"]),
          ...(locks.some((l) => references(l.attrs.scope, r)) ? [] : ["CanNotDelete lock"]),
        ];
        return missing.length ? [{ path: r.path, detail: `production ${r.type} lacks ${missing.join(" and ")}` }] : [];
      });
    },
  },
  {
    id: "MDL-DP-004",
    severity: "error",
    title: "Production: no force_destroy on Unity Catalog objects",
    why: "force_destroy deletes every table and file below a catalog, schema or location with it.",
    fix: "Set force_destroy = false (protectFromDeletion on the constructs).",
    check: (stack) =>
      stack.production ? of(stack, ...UNITY_CATALOG).filter((r) => r.attrs.force_destroy === true).map((r) => ({ path: r.path, detail: `${r.type} has force_destroy = true` })) : [],
  },
  {
    id: "MDL-DBW-001",
    severity: "error",
    title: "Workspace: premium, no public IP, complete VNet injection, NoAzureDatabricksRules when private",
    why: "These are the workspace's network isolation: Secure Cluster Connectivity, VNet injection and Private Link.",
    fix: "Use SecureWorkspace, or set sku = premium, custom_parameters.no_public_ip = true, the VNet, both subnets and their NSG association IDs, and network_security_group_rules_required = NoAzureDatabricksRules.",
    check: (stack) =>
      of(stack, "azurerm_databricks_workspace").flatMap((w) => {
        const problems = [
          ...(w.attrs.sku === "premium" ? [] : [`sku ${JSON.stringify(w.attrs.sku)}`]),
          ...(get(w.attrs, "custom_parameters.no_public_ip") === true ? [] : ["no_public_ip not true"]),
          ...["virtual_network_id", "public_subnet_name", "private_subnet_name", "public_subnet_network_security_group_association_id", "private_subnet_network_security_group_association_id"]
            .filter((k) => !get(w.attrs, `custom_parameters.${k}`))
            .map((k) => `custom_parameters.${k} missing`),
          ...(w.attrs.public_network_access_enabled === false && w.attrs.network_security_group_rules_required !== "NoAzureDatabricksRules" ? ["network_security_group_rules_required not NoAzureDatabricksRules"] : []),
        ];
        return problems.map((detail) => ({ path: w.path, detail }));
      }),
  },
  {
    id: "MDL-MON-001",
    severity: "warning",
    title: "Diagnostic settings on every data store, workspace and NSG",
    why: "Without resource logs there is no audit trail and no alerting; an NSG without them hides what its rules allow and deny.",
    fix: "Add an azurerm_monitor_diagnostic_setting targeting the resource, to Log Analytics.",
    check: (stack) => {
      const targets = of(stack, "azurerm_monitor_diagnostic_setting").map((d) => d.attrs.target_resource_id);
      return of(stack, ...MONITORED)
        .filter((r) => !targets.some((t) => references(t, r)))
        .map((r) => ({ path: r.path, detail: `${r.type} has no diagnostic setting` }));
    },
  },
  {
    id: "MDL-MON-002",
    severity: "warning",
    title: "Alerts reach someone",
    why: "An alert rule without an action fires into the portal only: nobody is told.",
    fix: "Give the alert an action group (RedisFeatureTier's actionGroupId, or action { action_group_id } on a raw alert).",
    check: (stack) =>
      of(stack, "azurerm_monitor_metric_alert", "azurerm_monitor_activity_log_alert", "azurerm_monitor_scheduled_query_rules_alert_v2")
        // Metric and activity log alerts: a list of action blocks; scheduled query alerts (v2): one block with action_groups.
        .filter((r) => {
          const action = r.attrs.action as { action_groups?: unknown[] } | unknown[] | undefined;
          return Array.isArray(action) ? action.length === 0 : !(Array.isArray(action?.action_groups) && action.action_groups.length > 0);
        })
        .map((r) => ({ path: r.path, detail: `${r.type} has no action group` })),
  },
  {
    id: "MDL-TAG-001",
    severity: "error",
    title: "Mandatory tags",
    why: "Ownership, cost attribution and data classification are read from tags across the estate.",
    fix: "Apply MandatoryTagging to the stack (or the resource's scope).",
    check: (stack) =>
      stack.resources.flatMap((r) => {
        if (!r.taggable) return [];
        const tags = (r.attrs.tags ?? {}) as Record<string, unknown>;
        const missing = stack.mandatoryTags.filter((t) => !(t in tags));
        return missing.length ? [{ path: r.path, detail: `missing tags ${missing.join(", ")}` }] : [];
      }),
  },
  {
    id: "MDL-SEC-001",
    severity: "error",
    title: "No literal secret values",
    why: "A literal secret in the configuration is in the repository, the synthesized JSON and the state.",
    fix: "Reference a sensitive variable or a generated value; never write the secret in code.",
    check: (stack) => {
      const found: Violation[] = [];
      const walk = (value: unknown, resource: ResourceView, at: string) => {
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, resource, `${at}[${i}]`));
        else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) {
          if (SECRET_KEYS.test(k) && typeof v === "string" && v !== "" && !v.includes("${")) found.push({ path: resource.path, detail: `${at}${k} holds a literal value` });
          else walk(v, resource, `${at}${k}.`);
        }
      };
      for (const r of stack.resources) walk(r.attrs, r, "");
      for (const s of of(stack, "azurerm_key_vault_secret")) {
        if (typeof s.attrs.value === "string" && !s.attrs.value.includes("${")) found.push({ path: s.path, detail: "azurerm_key_vault_secret.value is a literal" });
      }
      return found;
    },
  },
  {
    id: "MDL-SEC-002",
    severity: "error",
    title: "Outputs of sensitive values are sensitive",
    why: "An output that is not marked sensitive prints its value in plan and apply logs.",
    fix: "Mark the output sensitive: true.",
    check: (stack) =>
      Object.entries(stack.outputs)
        .filter(([, o]) => o.sensitive !== true)
        .filter(([, o]) => {
          const text = JSON.stringify(o.value ?? "");
          const sensitiveVariable = Object.entries(stack.variables).some(([name, v]) => v.sensitive && text.includes(`var.${name}`));
          return sensitiveVariable || SENSITIVE_REFERENCE.test(text);
        })
        .map(([name]) => ({ path: `${stack.name}/output/${name}`, detail: `output ${name} carries a sensitive value but is not sensitive` })),
  },
  {
    id: "MDL-SEC-003",
    severity: "error",
    title: "No interpolation in literal tags",
    why: "Terraform evaluates ${…} and %{…} in every string: a tag value written as text could read a variable or another resource's attributes into tags every reader of the subscription sees.",
    fix: "Write the tag as plain text, or pass a reference as a token (a resource attribute, a TerraformVariable's value).",
    check: (stack) => stack.resources.flatMap((r) => (r.interpolatedTags ?? []).map((tag) => ({ path: r.path, detail: `tag ${tag} holds \${ or %{ as text` }))),
  },
] as const satisfies readonly Rule[];
