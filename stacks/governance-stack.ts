import { Construct } from "constructs";
import { environmentGroupName } from "../lib/data-domain/personas";
import { ServerlessEgressPolicy } from "../lib/governance/serverless-egress";
import { SystemSchemaName, SystemTables } from "../lib/governance/system-tables";
import { WorkspaceGovernance } from "../lib/governance/workspace-governance";
import { AccountPrincipals } from "../lib/identity/account-principals";
import { addActionGroup } from "../lib/monitoring/action-group";
import { AuditAlerts } from "../lib/monitoring/audit-alerts";
import { CatalogStack } from "./catalog-stack";
import { databricksProviders } from "./databricks-providers";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { PlatformStack } from "./platform-stack";

export interface GovernanceStackProps extends MedallionStackProps {
  readonly platform: PlatformStack;
  readonly catalog: CatalogStack;
}

/**
 * `governance-<env>`: the workspace's day-one settings (tokens, audit logs, export, legacy access, admins, cluster
 * creation), Serverless Egress Control, the system tables and who reads them, and the audit alerts. A stack of its own:
 * the settings are the workspace's, owned by no construct of the platform, and a change to them never waits for a
 * domain. It deploys after the catalog stack (system tables need the metastore assignment).
 */
export class GovernanceStack extends MedallionStack {
  readonly workspace: WorkspaceGovernance;
  readonly egress: ServerlessEgressPolicy;
  readonly systemTables: SystemTables;
  readonly auditAlerts: AuditAlerts;

  constructor(scope: Construct, id: string, props: GovernanceStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const governance = env.governance;
    const { platform } = props.platform;
    this.addDependency(props.catalog);
    const providers = databricksProviders(this, platform.workspace);

    this.workspace = new WorkspaceGovernance(this, "workspace", {
      workspaceProvider: providers.workspace,
      tokens: governance.tokens,
      notebookExport: governance.notebookExport,
      resultsDownload: governance.resultsDownload,
    });
    this.egress = new ServerlessEgressPolicy(this, "serverless-egress", {
      naming: this.naming,
      accountProvider: providers.account,
      workspaceId: platform.workspace.workspaceId,
      egress: governance.serverlessEgress,
      networkConnectivityConfigId: props.catalog.catalog.networkConnectivityConfig?.networkConnectivityConfigId,
    });

    const group = (name: string) => environmentGroupName(this, props.organization.groupNamePattern, name, env.environment);
    const principals = new AccountPrincipals(this, "principals", { accountProvider: providers.account, workspaceId: platform.workspace.workspaceId, mode: env.catalog.principals });
    this.systemTables = new SystemTables(this, "system-tables", {
      workspaceProvider: providers.workspace,
      schemas: governance.systemSchemas as SystemSchemaName[] | undefined,
      finopsPrincipal: principals.group(group(governance.finopsGroup)),
      auditPrincipal: principals.group(group(governance.auditGroup)),
    });

    const resourceGroupName = props.platform.resourceGroup.name;
    const actionGroup = addActionGroup(this, "audit-action-group", { naming: this.naming, purpose: "audit", resourceGroupName, contacts: governance.alertContacts });
    this.auditAlerts = new AuditAlerts(this, "audit-alerts", {
      naming: this.naming,
      resourceGroupName,
      location: env.location,
      logAnalyticsWorkspaceId: platform.logAnalyticsWorkspaceId,
      actionGroupId: actionGroup.id,
    });
  }
}
