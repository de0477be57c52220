import { createHash } from "crypto";
import type { DatabricksRight } from "../../../lib/ci/databricks-authorization";
import { EmulatorResponse, json } from "../http";

/**
 * The Databricks account the rehearsal deploys into, and who holds what in it. The rights come from the bootstrap
 * (help/unity-catalog.md, "Bootstrap of a new environment"): each identity is given what the stacks' identity records
 * state it holds (`//.deployment.identities`), nothing more — so a stack that needs more than its identity was given
 * fails here as it would on a real account. What each API demands is decided by the API handlers, from Databricks'
 * documentation and the provider's source, independently of the library's authorization table.
 */
export interface DatabricksBootstrap {
  readonly accountId: string;
  /** The account's metastores, one per region (both exist before the first deploy: `metastore: existing`). */
  readonly metastores: readonly { readonly id: string; readonly region: string }[];
  /** By application (client) ID: the identity's environment and its rights. */
  readonly identities: ReadonlyMap<string, { readonly name: string; readonly environment: string; readonly rights: ReadonlySet<DatabricksRight> }>;
  /** The environment whose subscription holds an Azure resource ID (a workspace's), or undefined. */
  readonly environmentOfResource: (armId: string) => string | undefined;
}

/** A Databricks API refusal: `{"error_code","message"}` (databricks-sdk-go v0.93.0 apierr/errors.go parses it). */
export class DatabricksError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly scim = false) {
    super(message);
  }

  toResponse(): EmulatorResponse {
    // SCIM errors carry the SCIM error schema (apierr/errors.go: used when `message` is empty).
    if (this.scim) return json(this.status, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], detail: this.message, status: String(this.status) });
    return json(this.status, { error_code: this.code, message: this.message });
  }
}

export const notFound = (what: string, scim = false) => new DatabricksError(404, "RESOURCE_DOES_NOT_EXIST", `${what} does not exist.`, scim);
export const denied = (message: string, scim = false) => new DatabricksError(403, "PERMISSION_DENIED", message, scim);

/** A workspace the ARM side created, as Databricks knows it. */
export interface WorkspaceRecord {
  readonly id: number;
  readonly host: string;
  readonly armId: string;
  readonly environment: string;
  metastoreId?: string;
}

/** Numeric IDs (SCIM principal IDs are int64 strings: mws_permission_assignment.principal_id is an integer). */
export function numericId(seed: string): string {
  return (BigInt("0x" + createHash("sha256").update(seed).digest("hex").slice(0, 13)) + 1000000000000000n).toString();
}

export function uuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The caller: its application ID (a Databricks service principal is named by it) and what it holds. */
export class Caller {
  constructor(
    readonly applicationId: string,
    readonly name: string,
    readonly environment: string | undefined,
    private readonly rights: ReadonlySet<DatabricksRight>,
  ) {}

  has(right: DatabricksRight): boolean {
    return this.rights.has(right);
  }

  /** Account admin: the account API answers nobody else (https://learn.microsoft.com/azure/databricks/admin/#account-admins). */
  requireAccountAdmin(what: string): void {
    if (!this.has("account-admin")) throw denied(`${this.applicationId} is not an account admin: ${what} needs the account admin role.`);
  }

  /** Admin of the workspace: its admins group (bootstrap step 3 adds the deploy identity by hand). */
  isWorkspaceAdmin(workspace: WorkspaceRecord): boolean {
    return this.environment === workspace.environment && this.has("workspace-admin");
  }

  /** A user of the workspace (assigned to it): without it, every workspace API call is refused. */
  isWorkspaceUser(workspace: WorkspaceRecord): boolean {
    return this.environment === workspace.environment && (this.has("workspace-user") || this.has("workspace-admin"));
  }

  requireWorkspaceAdmin(workspace: WorkspaceRecord, what: string): void {
    if (!this.isWorkspaceAdmin(workspace)) throw denied(`${this.applicationId} is not an admin of workspace ${workspace.id}: ${what} needs a workspace admin.`);
  }

  /** Metastore admin of the workspace's metastore (bootstrap: the owner environment's deploy identity). */
  isMetastoreAdmin(): boolean {
    return this.has("metastore-admin");
  }
}
