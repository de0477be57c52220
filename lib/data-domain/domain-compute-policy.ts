import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ClusterPolicy } from "@cdktf/provider-databricks/lib/cluster-policy";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Naming } from "../core/naming";
import { checkPattern, checkRange, invalid } from "../core/validation";

/** What a domain's people may create: node types, size and how soon idle compute stops. */
export interface ComputePolicyLimits {
  /** Azure VM sizes allowed (the first is the default). */
  readonly nodeTypes: readonly string[];
  readonly workers: { readonly min: number; readonly max: number };
  /** Auto-termination: the default, and the longest a cluster may stay idle. */
  readonly autoTerminationMinutes: { readonly default: number; readonly max: number };
}

export interface DomainComputePolicyProps {
  readonly naming: Naming;
  readonly workspaceProvider: DatabricksProvider;
  readonly domain: string;
  readonly costCenter: string;
  readonly limits: ComputePolicyLimits;
  /** Account groups (or service principals' application IDs) that may use the policy: the domain's builders. */
  readonly users: readonly { readonly principal: string; readonly type: "group" | "servicePrincipal" }[];
  /** What must exist before the ACL names the users: their workspace assignments (AccountPrincipals). @default none */
  readonly usersReady?: readonly ITerraformDependable[];
}

const NODE_TYPE = /^[A-Za-z0-9_]{3,64}$/;

/**
 * A domain's cluster policy: its cost tags fixed on every cluster (they reach the billing system table), its node
 * types, size and auto-termination limited, Unity Catalog access modes only; usable by the domain's builders alone
 * (one permissions resource: authoritative).
 */
export class DomainComputePolicy extends Construct {
  readonly policy: ClusterPolicy;
  readonly permissions: Permissions;

  constructor(scope: Construct, id: string, props: DomainComputePolicyProps) {
    super(scope, id);
    const { limits } = props;
    if (!Array.isArray(limits.nodeTypes) || limits.nodeTypes.length === 0) invalid(this, "limits.nodeTypes", limits.nodeTypes, "at least one Azure VM size");
    for (const [i, type] of limits.nodeTypes.entries()) checkPattern(this, `limits.nodeTypes[${i}]`, type, NODE_TYPE, "an Azure VM size, e.g. Standard_D4ds_v5");
    checkRange(this, "limits.workers.min", limits.workers.min, 0, 1000);
    checkRange(this, "limits.workers.max", limits.workers.max, 1, 1000);
    if (limits.workers.min > limits.workers.max) invalid(this, "limits.workers.min", limits.workers.min, `at most limits.workers.max (${limits.workers.max}): the limits contradict each other`);
    checkRange(this, "limits.autoTerminationMinutes.default", limits.autoTerminationMinutes.default, 10, 10000);
    checkRange(this, "limits.autoTerminationMinutes.max", limits.autoTerminationMinutes.max, 10, 10000);
    if (limits.autoTerminationMinutes.default > limits.autoTerminationMinutes.max) {
      invalid(this, "limits.autoTerminationMinutes.default", limits.autoTerminationMinutes.default, `at most limits.autoTerminationMinutes.max (${limits.autoTerminationMinutes.max}): the limits contradict each other`);
    }
    if (props.users.length === 0) invalid(this, "users", props.users, "the domain's builders (at least one)");

    // Databricks cluster policy definition: attribute paths → rules (docs: "Compute policy reference").
    const definition = {
      "custom_tags.domain": { type: "fixed", value: props.domain },
      "custom_tags.costCenter": { type: "fixed", value: props.costCenter },
      node_type_id: { type: "allowlist", values: [...limits.nodeTypes], defaultValue: limits.nodeTypes[0] },
      driver_node_type_id: { type: "allowlist", values: [...limits.nodeTypes], defaultValue: limits.nodeTypes[0] },
      "autoscale.min_workers": { type: "range", minValue: limits.workers.min, maxValue: limits.workers.max, defaultValue: limits.workers.min },
      "autoscale.max_workers": { type: "range", minValue: limits.workers.min, maxValue: limits.workers.max, defaultValue: limits.workers.max },
      autotermination_minutes: { type: "range", minValue: 10, maxValue: limits.autoTerminationMinutes.max, defaultValue: limits.autoTerminationMinutes.default },
      data_security_mode: { type: "allowlist", values: ["USER_ISOLATION", "SINGLE_USER"], defaultValue: "USER_ISOLATION" },
    };
    this.policy = new ClusterPolicy(this, "policy", {
      provider: props.workspaceProvider,
      name: props.naming.clusterPolicy(this, props.domain),
      description: `Compute of the ${props.domain} domain: cost tags fixed, sizes limited`,
      definition: JSON.stringify(definition),
    });
    this.permissions = new Permissions(this, "permissions", {
      provider: props.workspaceProvider,
      clusterPolicyId: this.policy.id,
      dependsOn: props.usersReady ? [...props.usersReady] : undefined,
      accessControl: props.users.map((u) => (u.type === "group" ? { groupName: u.principal, permissionLevel: "CAN_USE" } : { servicePrincipalName: u.principal, permissionLevel: "CAN_USE" })),
    });
  }
}
