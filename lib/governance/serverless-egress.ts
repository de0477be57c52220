import { Construct } from "constructs";
import { AccountNetworkPolicy } from "@cdktf/provider-databricks/lib/account-network-policy";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { WorkspaceNetworkOption } from "@cdktf/provider-databricks/lib/workspace-network-option";
import { Naming } from "../core/naming";
import { databricksWorkspaceId } from "../core/workspace-id";
import { checkPattern, invalid } from "../core/validation";

const DOMAIN = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export interface ServerlessEgressProps {
  readonly naming: Naming;
  /** The account-level provider (network policies are account objects). */
  readonly accountProvider: DatabricksProvider;
  /** The governed workspace (numeric ID, a reference such as SecureWorkspace.workspaceId). */
  readonly workspaceId: string;
  /**
   * `restricted`: serverless compute reaches only the NCC's private endpoints and `allowedDomains`; `full`: the open
   * internet, with the reason recorded in the policy's name. @default { mode: "restricted" }
   */
  readonly egress?: { readonly mode: "restricted"; readonly allowedDomains?: readonly string[]; readonly enforcement?: "enforced" | "dryRun" } | { readonly mode: "full"; readonly reason: string };
  /**
   * Azure storage accounts restricted serverless compute may read directly, beyond the NCC's endpoints and UC's own
   * locations — a disaster recovery secondary's clone sources, whose files a Delta Sharing provider hands out
   * (databricks review B2). Each gets its `dfs` and `blob` services. @default none
   */
  readonly allowedStorageAccounts?: readonly string[];
  /**
   * The workspace's network connectivity configuration, when it has one: what restricted serverless compute still
   * reaches privately. A restricted policy with neither it nor allowed domains would leave serverless nothing.
   */
  readonly networkConnectivityConfigId?: string;
}

/**
 * Serverless Egress Control: an account network policy for the workspace's serverless compute — restricted to the
 * NCC's private endpoints, an allow-list of domains and of storage accounts, enforced (or a dry run while it is rolled
 * out) — attached with a workspace network option.
 */
export class ServerlessEgressPolicy extends Construct {
  readonly policy: AccountNetworkPolicy;
  readonly workspaceOption: WorkspaceNetworkOption;

  constructor(scope: Construct, id: string, props: ServerlessEgressProps) {
    super(scope, id);
    const egress = props.egress ?? { mode: "restricted" };
    const workspaceId = databricksWorkspaceId(this, "workspaceId", props.workspaceId);
    const networkAccess = this.networkAccess(egress, props.networkConnectivityConfigId, props.allowedStorageAccounts ?? []);
    this.policy = new AccountNetworkPolicy(this, "policy", {
      provider: props.accountProvider,
      networkPolicyId: props.naming.networkPolicy(this, "serverless"),
      egress: { networkAccess },
    });
    this.workspaceOption = new WorkspaceNetworkOption(this, "workspace", { provider: props.accountProvider, workspaceId, networkPolicyId: this.policy.networkPolicyId });
  }

  private networkAccess(egress: NonNullable<ServerlessEgressProps["egress"]>, nccId: string | undefined, storageAccounts: readonly string[]) {
    if (egress.mode === "restricted") {
      const domains = egress.allowedDomains ?? [];
      for (const [i, domain] of domains.entries()) checkPattern(this, `egress.allowedDomains[${i}]`, domain, DOMAIN, "a domain name, e.g. pypi.org or *.example.com");
      if (new Set(domains).size !== domains.length) invalid(this, "egress.allowedDomains", domains, "each domain once");
      if (domains.length === 0 && nccId === undefined) {
        invalid(this, "egress.allowedDomains", domains, "allowed domains, or a networkConnectivityConfigId whose private endpoints serverless compute still reaches (restricted egress with neither leaves it nothing)");
      }
      const enforcement = egress.enforcement ?? "enforced";
      if (enforcement !== "enforced" && enforcement !== "dryRun") invalid(this, "egress.enforcement", enforcement, `"enforced" or "dryRun"`);
      if (new Set(storageAccounts).size !== storageAccounts.length) invalid(this, "allowedStorageAccounts", storageAccounts, "each storage account once");
      return {
        restrictionMode: "RESTRICTED_ACCESS",
        allowedInternetDestinations: [...domains].sort().map((destination) => ({ destination, internetDestinationType: "DNS_NAME" })),
        // Storage destinations of type AZURE_STORAGE (databricks-sdk-go v0.93.0 service/settings/model.go).
        ...(storageAccounts.length > 0
          ? { allowedStorageDestinations: storageAccounts.flatMap((azureStorageAccount) => ["blob", "dfs"].map((azureStorageService) => ({ azureStorageAccount, azureStorageService, storageDestinationType: "AZURE_STORAGE" }))) }
          : {}),
        policyEnforcement: { enforcementMode: enforcement === "dryRun" ? "DRY_RUN" : "ENFORCED" },
      };
    }
    if (egress.mode === "full") {
      if (typeof egress.reason !== "string" || egress.reason.trim().length < 20) invalid(this, "egress.reason", egress.reason, "why serverless compute needs the open internet (at least 20 characters)");
      return { restrictionMode: "FULL_ACCESS" };
    }
    return invalid(this, "egress.mode", (egress as { mode: unknown }).mode, `"restricted" or "full"`);
  }
}
