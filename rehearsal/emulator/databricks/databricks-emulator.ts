import { ArmEmulator } from "../arm";
import { CallLog, pathTemplate } from "../call-log";
import { EntraEmulator } from "../entra";
import { ArmError, EmulatorRequest, EmulatorResponse, json } from "../http";
import { accountApi } from "./account-api";
import { DatabricksState, MetastoreState } from "./databricks-state";
import { Caller, DatabricksBootstrap, DatabricksError, numericId, WorkspaceRecord } from "./databricks-world";
import { unityCatalogApi } from "./unity-catalog-api";
import { workspaceApi } from "./workspace-api";

export const ACCOUNTS_HOST = "accounts.azuredatabricks.net";

/**
 * Azure Databricks as the databricks provider reaches it: the account API on accounts.azuredatabricks.net and each
 * workspace's API on its `adb-<id>.<n>.azuredatabricks.net` host (the workspace the ARM side created, found by its
 * workspaceUrl). Callers are identified by their Entra token (the SDK's azure-client-secret flow: a v1 token for the
 * AzureDatabricks application); what each may do is the bootstrap's grant of rights, checked by each API.
 */
export class DatabricksEmulator {
  readonly state = new DatabricksState();

  constructor(
    private readonly bootstrap: DatabricksBootstrap,
    private readonly entra: EntraEmulator,
    private readonly arm: ArmEmulator,
    private readonly log: CallLog,
  ) {
    for (const m of bootstrap.metastores) this.state.metastores.set(m.id, new MetastoreState(m.id, m.region));
    // Bootstrap step 1: each identity is added to the account as a service principal, by its application ID.
    for (const [applicationId, identity] of bootstrap.identities) {
      const id = numericId(`sp:${applicationId}`);
      this.state.servicePrincipals.set(id, { id, applicationId, displayName: identity.name, active: true, schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"] });
    }
  }

  serves(host: string): boolean {
    return host === ACCOUNTS_HOST || /^adb-\d+\.\d+\.azuredatabricks\.net$/.test(host);
  }

  handle(req: EmulatorRequest, run: { label: string; network: "public" | "private" }): EmulatorResponse {
    let identity = "-";
    let response: EmulatorResponse;
    let error: string | undefined;
    try {
      const caller = this.caller(req);
      identity = caller.name;
      if (req.host === ACCOUNTS_HOST) response = accountApi(this.state, this.bootstrap.accountId, req, caller, (id) => this.workspaceBy((w) => String(w.workspaceId) === String(id), `workspace ${id}`));
      else {
        const workspace = this.workspace(req.host);
        // The front end is private (public network access off): it answers only through its private endpoint.
        if (run.network !== "private") throw new DatabricksError(403, "403", `Unauthorized network access to workspace: ${workspace.id} (the call came from a runner outside the workspace's network)`);
        if (!caller.isWorkspaceUser(workspace)) throw new DatabricksError(403, "PERMISSION_DENIED", `${caller.applicationId} is not a user of workspace ${workspace.id}.`);
        response = req.rawPath.startsWith("/api/2.1/unity-catalog/") ? unityCatalogApi(this.state, workspace, req, caller) : workspaceApi(this.state, workspace, req, caller, this.bootstrap.accountId);
      }
    } catch (e) {
      if (e instanceof DatabricksError) {
        response = e.toResponse();
        error = `${e.code}: ${e.message}`;
      } else if (e instanceof ArmError) {
        response = json(401, { error_code: "UNAUTHENTICATED", message: e.message });
        error = `UNAUTHENTICATED: ${e.message}`;
      } else throw e;
    }
    this.log.add({ run: run.label, identity, host: req.host, method: req.method, path: req.rawPath, template: pathTemplate(req.host, req.rawPath), apiVersion: "", status: response.status, ...(error ? { error } : {}) });
    return response;
  }

  private caller(req: EmulatorRequest): Caller {
    const identity = this.entra.identityOf(req);
    const known = this.bootstrap.identities.get(identity.clientId.toLowerCase());
    return new Caller(identity.clientId, identity.name, known?.environment, known?.rights ?? new Set());
  }

  /** The workspace behind a host: the ARM side's Databricks workspace with that workspaceUrl. */
  private workspace(host: string): WorkspaceRecord {
    const found = this.workspaceBy((p) => p.workspaceUrl === host, host);
    if (!found) throw new DatabricksError(404, "RESOURCE_DOES_NOT_EXIST", `No workspace answers at ${host}.`);
    return found;
  }

  /** A workspace the ARM side holds (it exists while its azurerm_databricks_workspace does), registered on first sight. */
  private workspaceBy(match: (properties: { workspaceUrl?: string; workspaceId?: string }) => boolean, what: string): WorkspaceRecord | undefined {
    const arm = this.arm.store.all().find((r) => String(r.body.type ?? "").toLowerCase() === "microsoft.databricks/workspaces" && match((r.body.properties ?? {}) as { workspaceUrl?: string; workspaceId?: string }));
    if (!arm) return undefined;
    const properties = arm.body.properties as { workspaceUrl: string; workspaceId: string };
    const id = Number(properties.workspaceId);
    const known = this.state.workspaces.get(id);
    if (known) return known;
    const environment = this.bootstrap.environmentOfResource(arm.id);
    if (!environment) throw new DatabricksError(404, "RESOURCE_DOES_NOT_EXIST", `${what}: not in a subscription of the rehearsal`);
    const record: WorkspaceRecord = { id, host: properties.workspaceUrl, armId: arm.id, environment };
    this.state.workspaces.set(id, record);
    return record;
  }
}
