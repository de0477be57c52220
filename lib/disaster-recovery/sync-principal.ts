import { Construct } from "constructs";
import { AccessControlRuleSet } from "@cdktf/provider-databricks/lib/access-control-rule-set";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { ServicePrincipal } from "@cdktf/provider-databricks/lib/service-principal";
import { Naming } from "../core/naming";

export interface SyncPrincipalProps {
  readonly naming: Naming;
  /** Account-level provider. */
  readonly accountProvider: DatabricksProvider;
  /** The Databricks account ID (the rule set's name carries it). */
  readonly accountId: string;
  /** Application ID of the deployment principal: it creates the jobs that run as this principal. */
  readonly deployerApplicationId: string;
  /** What it syncs, in its display name: `<workload>-<environment>-<purpose>`. */
  readonly purpose: string;
}

/**
 * The principal a secondary's disaster recovery clone jobs run as — never the deployer, who is an account admin
 * (databricks review M1). A Databricks-managed service principal (no Entra application, no secret): nobody signs in as
 * it. The deployer holds `roles/servicePrincipal.user` on it, which setting a job's `run_as` to it requires
 * (https://learn.microsoft.com/azure/databricks/jobs/privileges#run-as; permissions/resource_access_control_rule_set.go).
 * One per catalog owner (the platform's layer catalogs, each domain's catalog), so each writes only what it syncs; its
 * Unity Catalog privileges and workspace assignment come with the catalogs' grants (SYNC_LAYER_PRIVILEGES).
 */
export class SyncPrincipal extends Construct {
  readonly servicePrincipal: ServicePrincipal;
  /** Its application ID: what `run_as` and grants name. */
  readonly applicationId: string;
  /** The deployer's right to set it as `run_as`: jobs depend on it. */
  readonly deployerUse: AccessControlRuleSet;

  constructor(scope: Construct, id: string, props: SyncPrincipalProps) {
    super(scope, id);
    const { naming } = props;
    this.servicePrincipal = new ServicePrincipal(this, "principal", {
      provider: props.accountProvider,
      displayName: `${naming.workload}-${naming.environment}-${props.purpose}`,
      active: true,
      force: false,
    });
    this.applicationId = this.servicePrincipal.applicationId;
    this.deployerUse = new AccessControlRuleSet(this, "deployer-use", {
      provider: props.accountProvider,
      name: `accounts/${props.accountId}/servicePrincipals/${this.applicationId}/ruleSets/default`,
      grantRules: [{ role: "roles/servicePrincipal.user", principals: [`servicePrincipals/${props.deployerApplicationId}`] }],
    });
  }
}
