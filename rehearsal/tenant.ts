import { SynthesizedStack } from "../lib/ci/synthesized-app";
import { stableGuid } from "./emulator/type-quirks";

/**
 * The fake tenant a rehearsal deploys into. Every ID is made up here (never a real tenant's), derived from a name so
 * that two runs see the same IDs: the tenant, one subscription per environment, the hub's subscription and the
 * identities. Their secrets exist only in this process and the emulator it runs.
 */
export const TENANT_ID = stableGuid("rehearsal:tenant");
export const HUB_SUBSCRIPTION_ID = stableGuid("rehearsal:subscription:hub");
export const HUB_GROUP = "rg-connectivity-hub";
export const HUB_VNET = "vnet-hub-transit";
export const HUB_PE_SUBNET = "snet-private-endpoints";

export function subscriptionOf(environment: string): string {
  return stableGuid(`rehearsal:subscription:${environment}`);
}

/** The Databricks account (one for every environment, as in the sample) and its metastores, one per region. */
export const DATABRICKS_ACCOUNT_ID = stableGuid("rehearsal:databricks:account");
export const METASTORES: readonly { readonly id: string; readonly region: string; readonly variable: string }[] = [
  { id: stableGuid("rehearsal:databricks:metastore:westeurope"), region: "westeurope", variable: "METASTORE_ID" },
  { id: stableGuid("rehearsal:databricks:metastore:northeurope"), region: "northeurope", variable: "DR_METASTORE_ID" },
];

/** The environment whose subscription holds an Azure resource, if any. */
export function environmentOfResource(armId: string, environments: readonly string[]): string | undefined {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(armId)?.[1]?.toLowerCase();
  return environments.find((e) => subscriptionOf(e).toLowerCase() === subscription);
}

/** The identities of one environment: what the runbook's bootstrap creates. */
export interface EnvironmentIdentities {
  readonly deploy: { readonly name: string; readonly clientId: string; readonly objectId: string };
  readonly plan: { readonly name: string; readonly clientId: string; readonly objectId: string };
}

export function identitiesOf(environment: string): EnvironmentIdentities {
  const identity = (purpose: string) => ({ name: `${purpose}-${environment}`, clientId: stableGuid(`rehearsal:client:${purpose}:${environment}`), objectId: stableGuid(`rehearsal:object:${purpose}:${environment}`) });
  return { deploy: identity("deploy"), plan: identity("plan") };
}

/** The hub's privatelink zones, by the GitHub variable that names each (HUB_<X>_DNS_ZONE_ID). */
const HUB_ZONES: Readonly<Record<string, string>> = {
  HUB_BLOB_DNS_ZONE_ID: "privatelink.blob.core.windows.net",
  HUB_DFS_DNS_ZONE_ID: "privatelink.dfs.core.windows.net",
  HUB_QUEUE_DNS_ZONE_ID: "privatelink.queue.core.windows.net",
  HUB_VAULT_DNS_ZONE_ID: "privatelink.vaultcore.azure.net",
  HUB_DATABRICKS_DNS_ZONE_ID: "privatelink.azuredatabricks.net",
  HUB_DATAFACTORY_DNS_ZONE_ID: "privatelink.datafactory.azure.net",
  HUB_EVENTHUB_DNS_ZONE_ID: "privatelink.servicebus.windows.net",
  HUB_REDIS_DNS_ZONE_ID: "privatelink.redis.azure.net",
};

const hubGroupId = `/subscriptions/${HUB_SUBSCRIPTION_ID}/resourceGroups/${HUB_GROUP}`;
export const HUB_VNET_ID = `${hubGroupId}/providers/Microsoft.Network/virtualNetworks/${HUB_VNET}`;
export const HUB_PE_SUBNET_ID = `${HUB_VNET_ID}/subnets/${HUB_PE_SUBNET}`;

/** What exists in the hub before the first deploy (the network team's resources), as ARM would return it. */
export function hubResources(): { id: string; body: Record<string, unknown> }[] {
  const zones = Object.values(HUB_ZONES).map((zone) => ({ id: `${hubGroupId}/providers/Microsoft.Network/privateDnsZones/${zone}`, body: { type: "Microsoft.Network/privateDnsZones", location: "global", properties: { provisioningState: "Succeeded" } } }));
  return [
    { id: hubGroupId, body: { type: "Microsoft.Resources/resourceGroups", location: "westeurope", properties: { provisioningState: "Succeeded" } } },
    { id: HUB_VNET_ID, body: { type: "Microsoft.Network/virtualNetworks", location: "westeurope", properties: { provisioningState: "Succeeded", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } } } },
    { id: HUB_PE_SUBNET_ID, body: { type: "Microsoft.Network/virtualNetworks/subnets", properties: { provisioningState: "Succeeded", addressPrefix: "10.0.1.0/24", privateEndpointNetworkPolicies: "Disabled" } } },
    ...zones,
  ];
}

/**
 * The GitHub Environment variables an operator sets (help/operator-variables.md), with made-up values: object and
 * client IDs are GUIDs derived from the variable's name, hub IDs point at the seeded hub, the subscription and client
 * are the environment's. `identity` is the job's identity (the deploy or plan one), as `AZURE_CLIENT_ID` is per GitHub
 * Environment.
 */
export function githubVariables(environment: string, stacks: readonly SynthesizedStack[], identity: "deploy" | "plan"): Record<string, string> {
  const ids = identitiesOf(environment);
  const fixed: Record<string, string> = {
    AZURE_CLIENT_ID: ids[identity].clientId,
    AZURE_TENANT_ID: TENANT_ID,
    AZURE_SUBSCRIPTION_ID: subscriptionOf(environment),
    DEPLOYMENT_PRINCIPAL_CLIENT_ID: ids.deploy.clientId,
    DEPLOYMENT_PRINCIPAL_OBJECT_ID: ids.deploy.objectId,
    HUB_SUBSCRIPTION_ID,
    HUB_TRANSIT_VNET_ID: HUB_VNET_ID,
    HUB_PRIVATE_ENDPOINT_SUBNET_ID: HUB_PE_SUBNET_ID,
    DR_SHARE_PROVIDER_NAME: "rehearsal-provider",
    DATABRICKS_ACCOUNT_ID,
    ...Object.fromEntries(METASTORES.map((m) => [m.variable, m.id])),
    ...Object.fromEntries(Object.entries(HUB_ZONES).map(([name, zone]) => [name, `${hubGroupId}/providers/Microsoft.Network/privateDnsZones/${zone}`])),
  };
  const out: Record<string, string> = {};
  for (const stack of stacks) {
    for (const variable of stack.variables) {
      if (!("github" in variable.source)) continue;
      const name = variable.source.github.name;
      out[name] = fixed[name] ?? stableGuid(`rehearsal:variable:${environment}:${name}`);
    }
  }
  return out;
}
