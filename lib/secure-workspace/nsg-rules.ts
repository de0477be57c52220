import { IConstruct } from "constructs";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { invalid } from "../core/validation";

/** One NSG rule. Rules are separate `azurerm_network_security_rule` resources: explicit, and diffed one by one. */
export interface NsgRule {
  readonly name: string;
  readonly description: string;
  /** 100–4096; unique per direction within an NSG (Azure answers `SecurityRuleConflict` otherwise). */
  readonly priority: number;
  readonly direction: "Inbound" | "Outbound";
  readonly access: "Allow" | "Deny";
  readonly protocol: "Tcp" | "Udp" | "*";
  readonly sourceAddressPrefix: string;
  readonly destinationAddressPrefix: string;
  /** Ports or ranges; `["*"]` is any port (written as `destination_port_range = "*"`, as Databricks writes its rules). */
  readonly destinationPortRanges: string[];
}

/** Name prefix of the rules Azure Databricks manages on the subnets delegated to it. */
export const DATABRICKS_RULE_PREFIX = "Microsoft.Databricks-workspaces_UseOnly_";

/**
 * Priorities Azure Databricks uses for its own rules on a delegated subnet's NSG: 100–104 today (Microsoft's
 * quickstart template `databricks-all-in-one-template-for-vnet-injection-privateendpoint`), in both directions. The
 * block up to 199 is kept for them: a rule of ours there would meet a Databricks rule added later with
 * `SecurityRuleConflict`. Rules of ours start at 200.
 */
export const DATABRICKS_RESERVED_PRIORITIES = { from: 100, to: 199 } as const;

const databricks = (suffix: string, description: string, priority: number, direction: NsgRule["direction"], protocol: NsgRule["protocol"], destination: string, ports: string[]): NsgRule => ({
  name: `${DATABRICKS_RULE_PREFIX}${suffix}`,
  description,
  priority,
  direction,
  access: "Allow",
  protocol,
  sourceAddressPrefix: "VirtualNetwork",
  destinationAddressPrefix: destination,
  destinationPortRanges: ports,
});

/**
 * The rules Azure Databricks requires on its delegated subnets with `network_security_group_rules_required =
 * NoAzureDatabricksRules` (back-end Private Link: the outbound AzureDatabricks rule is the one it drops), declared
 * exactly as Databricks' network intent policy declares them — same names, priorities and ranges, as Microsoft's
 * template does — so Terraform and Databricks agree on them instead of colliding (`SecurityRuleConflict`), and a
 * later apply never tries to remove them (`ConflictWithNetworkIntentPolicy`).
 */
export const DATABRICKS_MANAGED_RULES: readonly NsgRule[] = [
  databricks("databricks-worker-to-worker-inbound", "Required for worker nodes communication within a cluster.", 100, "Inbound", "*", "VirtualNetwork", ["*"]),
  databricks("databricks-worker-to-sql", "Required for workers communication with Azure SQL services.", 101, "Outbound", "Tcp", "Sql", ["3306"]),
  databricks("databricks-worker-to-storage", "Required for workers communication with Azure Storage services.", 102, "Outbound", "Tcp", "Storage", ["443"]),
  databricks("databricks-worker-to-worker-outbound", "Required for worker nodes communication within a cluster.", 103, "Outbound", "*", "VirtualNetwork", ["*"]),
  databricks("databricks-worker-to-eventhub", "Required for worker communication with Azure Eventhub services.", 104, "Outbound", "Tcp", "EventHub", ["9093"]),
];

/** Explicit deny of anything inbound from the internet, below every allow rule. */
const DENY_INTERNET_INBOUND: NsgRule = {
  name: "deny-internet-inbound",
  description: "No inbound traffic from the internet",
  priority: 4000,
  direction: "Inbound",
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "Internet",
  destinationAddressPrefix: "*",
  destinationPortRanges: ["0-65535"],
};

/** The Databricks subnets' NSG: Databricks' own rules, then ours. */
export const DATABRICKS_SUBNET_RULES: readonly NsgRule[] = [...DATABRICKS_MANAGED_RULES, DENY_INTERNET_INBOUND];

/** Private-endpoint subnet: only clients inside the network reach the endpoints; nothing from the internet. */
export const PRIVATE_ENDPOINT_SUBNET_RULES: readonly NsgRule[] = [
  { name: "allow-vnet-to-private-endpoints", description: "Clients in the network reach the private endpoints", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "VirtualNetwork", destinationPortRanges: ["443", "6666", "3306", "8443-8451"] },
  DENY_INTERNET_INBOUND,
];

/**
 * Checks a rule set before anything is created: priorities 100–4096, one per direction, unique names, and — on an NSG
 * of subnets delegated to Databricks — nothing of ours in the priorities Databricks reserves.
 */
export function validateNsgRules(scope: IConstruct, prop: string, rules: readonly NsgRule[], delegatedToDatabricks: boolean): void {
  const seen = new Map<string, string>();
  const names = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `${prop}[${i}]`;
    if (!Number.isInteger(rule.priority) || rule.priority < 100 || rule.priority > 4096) invalid(scope, `${at}.priority`, rule.priority, "an integer from 100 to 4096");
    if (rule.direction !== "Inbound" && rule.direction !== "Outbound") invalid(scope, `${at}.direction`, rule.direction, `"Inbound" or "Outbound"`);
    const managed = DATABRICKS_MANAGED_RULES.some((m) => m.name === rule.name && m.priority === rule.priority && m.direction === rule.direction);
    if (delegatedToDatabricks && !managed && rule.priority >= DATABRICKS_RESERVED_PRIORITIES.from && rule.priority <= DATABRICKS_RESERVED_PRIORITIES.to) {
      invalid(scope, `${at}.priority`, rule.priority, `a priority outside ${DATABRICKS_RESERVED_PRIORITIES.from}–${DATABRICKS_RESERVED_PRIORITIES.to}, which Azure Databricks reserves for its rules on delegated subnets (rule ${rule.name})`);
    }
    if (!managed && rule.name.startsWith(DATABRICKS_RULE_PREFIX)) invalid(scope, `${at}.name`, rule.name, `a name not starting with ${DATABRICKS_RULE_PREFIX} (Databricks' own rules)`);
    if (names.has(rule.name)) invalid(scope, `${at}.name`, rule.name, "unique rule names");
    names.add(rule.name);
    const key = `${rule.direction}|${rule.priority}`;
    const other = seen.get(key);
    if (other) invalid(scope, `${at}.priority`, rule.priority, `a priority not used by ${other} in the same direction (Azure: SecurityRuleConflict)`);
    seen.set(key, rule.name);
  });
}

/** Creates the rules in the NSG, one child construct per rule named after the rule (stable IDs). */
export function addNsgRules(nsg: NetworkSecurityGroup, rules: readonly NsgRule[]): NetworkSecurityRule[] {
  return rules.map(
    ({ destinationPortRanges, ...r }) =>
      new NetworkSecurityRule(nsg, r.name, {
        ...r,
        ...(destinationPortRanges.length === 1 && destinationPortRanges[0] === "*" ? { destinationPortRange: "*" } : { destinationPortRanges }),
        sourcePortRange: "*",
        networkSecurityGroupName: nsg.name,
        resourceGroupName: nsg.resourceGroupName,
      }),
  );
}
