import { Construct } from "constructs";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { Naming } from "../core/naming";
import { FrontEndProps, SecureWorkspace, SecureWorkspaceProps } from "./secure-workspace";
import { checkProps } from "../core/prop-checks";
import type { AzureRegion } from "../core/regions";
import { lockAfterDependants } from "../core/lock-ordering";

export interface WebAuthWorkspaceProps {
  readonly naming: Naming;
  readonly resourceGroupName: string;
  readonly location: AzureRegion;
  /** Its own small network: Databricks subnets are never shared between workspaces. A /24 is plenty. */
  readonly network: SecureWorkspaceProps["network"];
  /**
   * The transit/hub side where the `browser_authentication` endpoint goes (the users' side), with the owner of its
   * `privatelink.azuredatabricks.net` zone: the one the region's front-end endpoints register in.
   */
  readonly transit: FrontEndProps;
  /** @default a Log Analytics workspace of its own */
  readonly logAnalyticsWorkspaceId?: string;
  /** @default an access connector of its own */
  readonly accessConnectorId?: string;
}

/**
 * The region's "web auth" workspace: an empty, VNet-injected private workspace whose only job is to host the
 * `browser_authentication` private endpoint used for SSO by every front-end-private workspace in the region.
 * It must outlive all of them, so it carries a CanNotDelete lock and `prevent_destroy`.
 */
export class WebAuthWorkspace extends Construct {
  readonly workspace: SecureWorkspace;
  readonly browserAuthenticationEndpoint: PrivateEndpoint;
  readonly lock: ManagementLock;

  constructor(scope: Construct, id: string, props: WebAuthWorkspaceProps) {
    super(scope, id);
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    this.workspace = new SecureWorkspace(this, "workspace", {
      naming: props.naming,
      purpose: "auth",
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      network: props.network,
      // It runs no clusters: no back-end or root storage endpoints, nothing to resolve in its VNet.
      backEnd: false,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      accessConnectorId: props.accessConnectorId,
      preventDestroy: true,
    });
    this.browserAuthenticationEndpoint = this.workspace.addPrivateEndpoint("browser-auth-endpoint", props.transit.subnetId, props.transit.privateDns, "auth", "browser_authentication");
    this.lock = new ManagementLock(this, "lock", {
      name: props.naming.managementLock(this, "auth"),
      scope: this.workspace.workspaceResourceId,
      lockLevel: "CanNotDelete",
      notes: "Hosts the region's browser_authentication private endpoint used for SSO by every private workspace. Do not delete.",
    });
    lockAfterDependants(this.lock, this.workspace.workspace);
  }
}
