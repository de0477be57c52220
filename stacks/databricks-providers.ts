import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { recordIdentities, requirePrivateNetwork } from "../lib/ci/deploy-metadata";
import { deployRights, PLAN_RIGHTS } from "../lib/ci/identities";
import { LOGIN_VARIABLES } from "../lib/ci/deploy-workflow";
import { SecureWorkspace } from "../lib/secure-workspace/secure-workspace";
import { MedallionStack } from "./medallion-stack";
import { stackVariable } from "./variables";

const ACCOUNTS_HOST = "https://accounts.azuredatabricks.net";

export interface DatabricksProviders {
  readonly workspace: DatabricksProvider;
  readonly account: DatabricksProvider;
  /** The Databricks account ID (a variable). */
  readonly accountId: string;
}

/**
 * The workspace-level and account-level databricks providers of a stack, authenticating with GitHub OIDC as the
 * deployment principal. Never use this in the stack that creates the workspace: import, refresh and destroy break.
 */
export function databricksProviders(stack: MedallionStack, workspace: SecureWorkspace): DatabricksProviders {
  // The workspace answers its REST API only through its front-end private endpoint: this stack's jobs run inside.
  requirePrivateNetwork(stack, `it calls the workspace-level API of ${workspace.workspaceName}, whose public network access is off`, stack.config.environment.deploy.runners.private);
  // What the identities of this stack hold (help/operator-runbook.md, "Identities"): the secondary consumes the primary's
  // shares; the environment that owns the metastore has its deploy identity as metastore admin (bootstrap).
  recordIdentities(stack, {
    deploy: deployRights({ metastoreAdmin: stack.config.environment.catalog.metastoreOwner === true, sharedDataConsumer: stack.secondary }),
    plan: PLAN_RIGHTS,
  });
  const accountId = stackVariable(stack, "databricks_account_id", { type: "string", description: "Databricks account ID" });
  // The job's own identity signs in (the deploy identity, or the read-only one of pull request and drift plans); the
  // deployment principal named in grants is a separate variable, the same in every job.
  const jobIdentity = stackVariable(stack, "databricks_auth_client_id", {
    type: "string",
    description: "Application (client) ID the databricks providers sign in as: the job's identity (GitHub OIDC)",
    source: { github: { kind: "vars", name: LOGIN_VARIABLES.clientId } },
  });
  const auth = { authType: "github-oidc-azure", azureClientId: jobIdentity.stringValue, azureTenantId: stack.tenantId.stringValue };
  return {
    workspace: new DatabricksProvider(stack, "databricks-workspace", { alias: "workspace", host: workspace.workspaceUrl, azureWorkspaceResourceId: workspace.workspaceResourceId, ...auth }),
    account: new DatabricksProvider(stack, "databricks-account", { alias: "account", host: ACCOUNTS_HOST, accountId: accountId.stringValue, ...auth }),
    accountId: accountId.stringValue,
  };
}

/** The deployment principal's application (client) ID variable of a stack, declared once. */
export function deploymentClientId(stack: MedallionStack) {
  return stack.variable("deployment_principal_client_id", {
    type: "string",
    description: "Application (client) ID of the deployment principal: it owns the Unity Catalog securables and is in every grants block",
    source: { github: { kind: "vars", name: "DEPLOYMENT_PRINCIPAL_CLIENT_ID" } },
  });
}
