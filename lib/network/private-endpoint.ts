import { Construct } from "constructs";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { Naming } from "../core/naming";
import { PrivateDns, PrivateDnsZoneKey } from "./private-dns";

export interface PrivateEndpointProps {
  readonly naming: Naming;
  /** Name purpose of the endpoint (with the sub-resource, it names the endpoint). */
  readonly purpose: string;
  /** Tells apart several endpoints of one purpose and sub-resource (e.g. `fe` for a front end). */
  readonly qualifier?: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly subnetId: string;
  /** The resource the endpoint connects to. */
  readonly resourceId: string;
  /** Private Link sub-resource, e.g. `dfs`, `vault`, `databricks_ui_api`. */
  readonly subresource: string;
  readonly privateDns: PrivateDns;
  /** The DNS zone that resolves the endpoint. */
  readonly zone: PrivateDnsZoneKey;
}

/** A private endpoint (auto-approved: same tenant) registered in its private DNS zone. */
export function addPrivateEndpoint(scope: Construct, id: string, props: PrivateEndpointProps): PrivateEndpoint {
  const name = props.naming.privateEndpoint(scope, props.purpose, props.subresource, props.qualifier);
  return new PrivateEndpoint(scope, id, {
    name,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    subnetId: props.subnetId,
    privateServiceConnection: { name, privateConnectionResourceId: props.resourceId, subresourceNames: [props.subresource], isManualConnection: false },
    privateDnsZoneGroup: { name: "default", privateDnsZoneIds: [props.privateDns.zoneId(props.zone)] },
  });
}
