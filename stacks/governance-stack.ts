import { Construct } from "constructs";
import { DefaultNamespaceSetting } from "@cdktf/provider-databricks/lib/default-namespace-setting";
import { environmentGroupName } from "../lib/data-domain/personas";
import { ServerlessEgressPolicy } from "../lib/governance/serverless-egress";
import { SystemSchemaName, SystemTables } from "../lib/governance/system-tables";
import { WorkspaceGovernance } from "../lib/governance/workspace-governance";
import { invalid } from "../lib/core/validation";
import { AccountPrincipals } from "../lib/identity/account-principals";
import { addActionGroup } from "../lib/monitoring/action-group";
import { AuditAlerts } from "../lib/monitoring/audit-alerts";
import { CatalogStack } from "./catalog-stack";
import { databricksProviders } from "./databricks-providers";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { DomainConfig } from "./config/schema";
import { PlatformStack } from "./platform-stack";
import { replicationSources } from "./replication-sources";

export interface GovernanceStackProps extends MedallionStackProps {
  readonly platform: PlatformStack;
  readonly catalog: CatalogStack;
  /** The domains deployed in this environment (a secondary's egress policy allows their clone sources). */
  readonly domains: readonly DomainConfig[];
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
  /** Where the environment owns the metastore (catalog.metastoreOwner). */
  readonly systemTables?: SystemTables;
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
      // A secondary reads the primary's storage it clones from: the same list its NCC rules come from.
      allowedStorageAccounts: replicationSources(this, props.domains).map((source) => source.accountName),
    });

    // Metastore-wide objects have one owner: the environment whose deploy identity is the metastore admin there.
    if (env.catalog.metastoreOwner) {
      if (!governance.finopsGroup || !governance.auditGroup) invalid(this, "governance.finopsGroup, governance.auditGroup", [governance.finopsGroup, governance.auditGroup], "both set: this environment owns the metastore's system tables (catalog.metastoreOwner), read by exactly these groups");
      const group = (name: string) => environmentGroupName(this, props.organization.groupNamePattern, name, env.environment);
      const principals = new AccountPrincipals(this, "principals", { accountProvider: providers.account, workspaceProvider: providers.workspace, workspaceId: platform.workspace.workspaceId, mode: env.catalog.principals });
      this.systemTables = new SystemTables(this, "system-tables", {
        workspaceProvider: providers.workspace,
        schemas: governance.systemSchemas as SystemSchemaName[] | undefined,
        finopsPrincipal: principals.group(group(governance.finopsGroup)),
        auditPrincipal: principals.group(group(governance.auditGroup)),
      });
    } else {
      const stray = (["systemSchemas", "finopsGroup", "auditGroup"] as const).filter((key) => governance[key] !== undefined);
      if (stray.length > 0) invalid(this, `governance.${stray[0]}`, governance[stray[0]], "omitted: only the environment that owns the metastore (catalog.metastoreOwner) manages its system tables, which hold every environment's audit and billing data");
    }

    // The workspace's default catalog is one people only read, not the workspace catalog Databricks may create for a new
    // workspace (every workspace user may write there; databricks review M2). That catalog itself is taken over at
    // bootstrap (help/unity-catalog.md): whether it exists depends on the account, not on this configuration.
    const gold = platform.zones.find((z) => z.layer === "gold");
    if (gold) {
      new DefaultNamespaceSetting(this, "default-namespace", { provider: providers.workspace, namespace: { value: props.catalog.catalog.layerCatalogs[gold.name].name } });
    }

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
