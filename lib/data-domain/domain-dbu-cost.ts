import { Construct } from "constructs";
import { AccessControlRuleSet } from "@cdktf/provider-databricks/lib/access-control-rule-set";
import { Budget } from "@cdktf/provider-databricks/lib/budget";
import { BudgetPolicy } from "@cdktf/provider-databricks/lib/budget-policy";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { checkPattern, invalid } from "../core/validation";
import { databricksWorkspaceId } from "../core/workspace-id";
import { checkProps } from "../core/prop-checks";

export interface DomainDbuCostProps {
  readonly accountProvider: DatabricksProvider;
  readonly accountId: string;
  readonly domain: string;
  readonly environment: string;
  readonly costCenter: string;
  readonly workspaceId: string;
  /** Who runs serverless compute for the domain: account group names and service principal application IDs. */
  readonly users: { readonly groups: readonly string[]; readonly servicePrincipals: readonly string[] };
  /** Monthly DBU spend (list price, USD) above which the contacts are e-mailed. */
  readonly monthlyAmountUsd: number;
  readonly contacts: readonly string[];
}

/**
 * A domain's DBU spend, which its Azure budget cannot see (DBUs are billed on the workspace): a serverless budget policy
 * that tags usage with the domain and cost center, assigned to the domain's groups and service principals
 * (`roles/budgetPolicy.user`) — a policy nobody may use attributes nothing — and an account budget that watches usage
 * carrying those tags in the environment's workspace and e-mails the contacts.
 */
export class DomainDbuCost extends Construct {
  readonly policy: BudgetPolicy;
  readonly policyUsers: AccessControlRuleSet;
  readonly budget: Budget;

  constructor(scope: Construct, id: string, props: DomainDbuCostProps) {
    super(scope, id);
    checkProps(this, props);
    if (typeof props.monthlyAmountUsd !== "number" || !Number.isFinite(props.monthlyAmountUsd) || props.monthlyAmountUsd <= 0) invalid(this, "monthlyAmountUsd", props.monthlyAmountUsd, "a positive monthly amount (USD)");
    for (const email of props.contacts) checkPattern(this, "contacts", email, /^[^@\s]+@[^@\s]+\.[^@\s]+$/, "e-mail addresses");
    if (props.users.groups.length + props.users.servicePrincipals.length === 0) invalid(this, "users", props.users, "at least one group or service principal that runs serverless compute");
    const provider = props.accountProvider;
    const workspaceId = databricksWorkspaceId(this, "workspaceId", props.workspaceId);
    const tags = { domain: props.domain, costCenter: props.costCenter };

    this.policy = new BudgetPolicy(this, "policy", {
      provider,
      policyName: `${props.domain}-${props.environment}`,
      customTags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      bindingWorkspaceIds: [workspaceId],
    });
    this.policyUsers = new AccessControlRuleSet(this, "policy-users", {
      provider,
      name: `accounts/${props.accountId}/budgetPolicies/${this.policy.policyId}/ruleSets/default`,
      grantRules: [
        {
          role: "roles/budgetPolicy.user",
          principals: [...props.users.groups.map((g) => `groups/${g}`), ...props.users.servicePrincipals.map((sp) => `servicePrincipals/${sp}`)],
        },
      ],
    });
    this.budget = new Budget(this, "budget", {
      provider,
      displayName: `${props.domain}-${props.environment}-dbu`,
      alertConfigurations: [
        {
          timePeriod: "MONTH",
          triggerType: "CUMULATIVE_SPENDING_EXCEEDED",
          quantityType: "LIST_PRICE_DOLLARS_USD",
          quantityThreshold: String(props.monthlyAmountUsd),
          actionConfigurations: props.contacts.map((target) => ({ actionType: "EMAIL_NOTIFICATION", target })),
        },
      ],
      filter: {
        tags: Object.entries(tags).map(([key, value]) => ({ key, value: { operator: "IN", values: [value] } })),
        workspaceId: { operator: "IN", values: [workspaceId] },
      },
    });
  }
}
