import { Construct } from "constructs";
import { MwsNccPrivateEndpointRule } from "@cdktf/provider-databricks/lib/mws-ncc-private-endpoint-rule";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { checkResourceId } from "../core/validation";

/** Serverless compute's private path to one storage account: the NCC and the account provider that manages it. */
export interface ServerlessStorageAccessProps {
  readonly accountProvider: DatabricksProvider;
  /** The environment's network connectivity configuration (its `network_connectivity_config_id`). */
  readonly networkConnectivityConfigId: string;
  /** The storage account serverless compute reads and writes. */
  readonly storageAccountId: string;
}

/**
 * Private endpoint rules (`dfs` and `blob`) from the environment's NCC to a storage account: without them serverless
 * compute cannot reach a private account at all. Each rule opens a private endpoint connection on the account in the
 * Pending state; the account's owner approves it once (help/medallion-platform.md, "Serverless access").
 */
export function addServerlessStorageAccess(scope: Construct, id: string, props: ServerlessStorageAccessProps): MwsNccPrivateEndpointRule[] {
  checkResourceId(scope, "storageAccountId", props.storageAccountId, "Microsoft.Storage/storageAccounts");
  return ["dfs", "blob"].map(
    (groupId) =>
      new MwsNccPrivateEndpointRule(scope, `${id}-${groupId}`, {
        provider: props.accountProvider,
        networkConnectivityConfigId: props.networkConnectivityConfigId,
        resourceId: props.storageAccountId,
        groupId,
      }),
  );
}
