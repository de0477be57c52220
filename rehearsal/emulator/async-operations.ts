import { randomUUID } from "crypto";
import { segments } from "../authorization/actions";

/**
 * ARM's long-running operation protocol
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations): the accepted response
 * carries `Azure-AsyncOperation` (a status URL answering `{"status":"InProgress"|"Succeeded"|"Failed"}`) or `Location`
 * (answering 202 while running, then the result). The status URL is a resource of its own, authorized like any GET:
 * "to track the status you need permission at the scope of the status URL" (same page), so the shape decides the
 * action a role needs. The shapes below are the ones real Azure returned in the Azure CLI's recorded test traffic
 * (Azure/azure-cli, src/azure-cli/azure/cli/command_modules/<module>/tests/latest/recordings/): a namespace whose shape
 * was not seen there answers synchronously (no status URL), and the report says so.
 * `Retry-After: 0` keeps the go-azure-sdk pollers from sleeping (rehearsal trial, §3.3).
 */
interface StatusShape {
  /** `Azure-AsyncOperation` (status document) or `Location` (202, then the resource). */
  readonly header: "Azure-AsyncOperation" | "Location";
  /** The status path, from the resource's subscription, group, location and a fresh operation ID. */
  readonly path: (sub: string, group: string, location: string, id: string) => string;
}

const SHAPES: readonly { readonly type: RegExp; readonly shape: StatusShape; readonly source: string }[] = [
  {
    type: /^microsoft\.network\/privatednszones/i,
    shape: { header: "Azure-AsyncOperation", path: (sub, rg, _loc, id) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsOperationStatuses/${id}` },
    source: "privatedns/tests/latest/recordings/test_PutZone_ZoneNotExists_ExpectZoneCreated.yaml @1e4829c3",
  },
  {
    type: /^microsoft\.network\//i,
    shape: { header: "Azure-AsyncOperation", path: (sub, _rg, loc, id) => `/subscriptions/${sub}/providers/Microsoft.Network/locations/${loc}/operations/${id}` },
    source: "network/tests/latest/recordings/test_network_vnet_peering.yaml @17bf14ba, test_natgateway_empty_create.yaml @362be0b8",
  },
  {
    type: /^microsoft\.storage\/storageaccounts$/i,
    shape: { header: "Location", path: (sub, _rg, loc, id) => `/subscriptions/${sub}/providers/Microsoft.Storage/locations/${loc}/asyncoperations/${id}` },
    source: "storage/tests/latest/recordings/test_create_storage_account_with_dns_endpoint_type.yaml @05efc032",
  },
  {
    type: /^microsoft\.databricks\/workspaces$/i,
    shape: { header: "Azure-AsyncOperation", path: (sub, rg, loc, id) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Databricks/locations/${loc}/operationStatuses/${id}` },
    source: "Azure/azure-cli-extensions src/databricks/azext_databricks/tests/latest/recordings/test_databricks_create_v1.yaml @04d7076c",
  },
  {
    type: /^microsoft\.cache\/redisenterprise(\/|$)/i,
    shape: { header: "Azure-AsyncOperation", path: (sub, _rg, loc, id) => `/subscriptions/${sub}/providers/Microsoft.Cache/locations/${loc}/operationsStatus/${id}` },
    source: "Azure/azure-cli-extensions src/redisenterprise/azext_redisenterprise/tests/latest/recordings/test_redisenterprise_scenario2.yaml @1a51811b",
  },
  {
    type: /^microsoft\.resources\/deployments$/i,
    shape: { header: "Azure-AsyncOperation", path: (sub, rg, _loc, id) => `/subscriptions/${sub}/resourcegroups/${rg}/providers/Microsoft.Resources/deployments/${id.split("|")[0]}/operationStatuses/${id.split("|")[1]}` },
    source: "resource/tests/latest/recordings/test_group_deployment_lite.yaml @045b6e1a",
  },
];

export interface AsyncOperation {
  readonly id: string;
  readonly header: "Azure-AsyncOperation" | "Location";
  readonly url: string;
  /** The resource the operation writes (a Location poll answers with it when done). */
  readonly resourceId: string;
  /** Until when the operation reports InProgress (a write that holds its target, see concurrency). */
  readonly busyUntil: number;
}

export class AsyncOperations {
  private readonly operations = new Map<string, AsyncOperation>();

  /** Starts an operation writing `resourceId`; undefined when its type has no recorded status shape (synchronous). */
  start(resourceId: string, type: string, location: string, apiVersion: string, holdMs = 0): AsyncOperation | undefined {
    const match = SHAPES.find((s) => s.type.test(type));
    if (!match) return undefined;
    const parts = segments(resourceId);
    const group = parts[2]?.toLowerCase() === "resourcegroups" ? parts[3] : "";
    const id = randomUUID();
    const loc = (location || "westeurope").toLowerCase().replace(/\s+/g, "");
    const opId = /deployments$/i.test(type) ? `${parts[parts.length - 1]}|${id}` : id;
    const path = match.shape.path(parts[1], group, loc, opId);
    const url = `https://management.azure.com${path}?${match.shape.header === "Location" ? "monitor=true&" : ""}api-version=${apiVersion}`;
    const op = { id: segments(path).pop()!, header: match.shape.header, url, resourceId, busyUntil: Date.now() + holdMs };
    this.operations.set(op.id, op);
    return op;
  }

  /** The operation behind a status path, if the path is one of ours. */
  byPath(path: string): AsyncOperation | undefined {
    return this.operations.get(segments(path).pop() ?? "");
  }

  running(op: AsyncOperation): boolean {
    return Date.now() < op.busyUntil;
  }
}
