import type { WorkspaceRecord } from "./databricks-world";

type Json = Record<string, unknown>;

/** A Unity Catalog securable: its body as the API returns it, and its owner (the creator; Unity Catalog makes it so). */
export interface Securable {
  body: Json;
  owner: string;
}

/** One metastore's Unity Catalog objects, keyed by lower-case name (names are case-insensitive). */
export class MetastoreState {
  readonly credentials = new Map<string, Securable>();
  readonly locations = new Map<string, Securable>();
  readonly catalogs = new Map<string, Securable>();
  readonly schemas = new Map<string, Securable>();
  readonly shares = new Map<string, Securable>();
  readonly recipients = new Map<string, Securable>();
  readonly volumes = new Map<string, Securable>();
  /** `<securable type>/<full name>` → principal → privileges (explicit assignments only). */
  readonly grants = new Map<string, Map<string, Set<string>>>();
  /** System schema → state (ListSystemSchemas: AVAILABLE, ENABLE_COMPLETED). `billing` is enabled by Databricks. */
  readonly systemSchemas = new Map<string, string>([["access", "AVAILABLE"], ["billing", "ENABLE_COMPLETED"], ["compute", "AVAILABLE"], ["lakeflow", "AVAILABLE"], ["query", "AVAILABLE"], ["storage", "AVAILABLE"]]);

  constructor(readonly id: string, readonly region: string) {
    // The `system` catalog and its schemas exist in every metastore, owned by Databricks' System user.
    this.catalogs.set("system", { owner: "System user", body: { name: "system", full_name: "system", catalog_type: "SYSTEM_CATALOG", metastore_id: id } });
    for (const schema of ["access", "billing", "compute"]) this.schemas.set(`system.${schema}`, { owner: "System user", body: { name: schema, catalog_name: "system", full_name: `system.${schema}`, metastore_id: id } });
  }
}

/** The account's objects (account API) and each workspace's (workspace API). */
export class DatabricksState {
  readonly metastores = new Map<string, MetastoreState>();
  readonly workspaces = new Map<number, WorkspaceRecord>();
  readonly groups = new Map<string, Json>();
  readonly servicePrincipals = new Map<string, Json>();
  /** workspace ID → principal ID → permissions. */
  readonly assignments = new Map<number, Map<string, string[]>>();
  readonly nccs = new Map<string, Json>();
  readonly endpointRules = new Map<string, Json>();
  /** workspace ID → NCC ID. */
  readonly nccBindings = new Map<number, string>();
  readonly budgetPolicies = new Map<string, Json>();
  readonly budgets = new Map<string, Json>();
  readonly ruleSets = new Map<string, Json>();
  readonly networkPolicies = new Map<string, Json>();
  /** workspace ID → network policy ID. */
  readonly networkOptions = new Map<number, string>();
  /** Per workspace: its objects (policies, ACLs, workspace files, jobs, configuration, settings, its local groups). */
  readonly local = new Map<number, WorkspaceObjects>();

  objectsOf(workspace: WorkspaceRecord): WorkspaceObjects {
    let objects = this.local.get(workspace.id);
    if (!objects) {
      objects = new WorkspaceObjects(workspace.id);
      this.local.set(workspace.id, objects);
    }
    return objects;
  }
}

/** One workspace's own objects. */
export class WorkspaceObjects {
  readonly policies = new Map<string, Json>();
  /** `<request object type>/<id>` → the ACL as PUT. */
  readonly acls = new Map<string, Json[]>();
  /** Workspace paths → object (`DIRECTORY`, `NOTEBOOK`). `/` and `/Shared` exist. */
  readonly paths = new Map<string, Json>();
  readonly jobs = new Map<string, Json>();
  readonly conf = new Map<string, string>();
  readonly settings = new Map<string, Json>();
  /** The workspace-local groups every workspace has (`users`, `admins`) and their entitlements. */
  readonly localGroups = new Map<string, { displayName: string; entitlements: string[] }>();

  constructor(workspaceId: number) {
    this.paths.set("/", { object_type: "DIRECTORY", path: "/", object_id: 0 });
    this.paths.set("/Shared", { object_type: "DIRECTORY", path: "/Shared", object_id: 1 });
    // A workspace's `users` group has workspace-access and databricks-sql-access by default
    // (https://learn.microsoft.com/azure/databricks/security/auth/entitlements).
    this.localGroups.set(`${workspaceId}1`, { displayName: "users", entitlements: ["workspace-access", "databricks-sql-access"] });
    this.localGroups.set(`${workspaceId}2`, { displayName: "admins", entitlements: ["workspace-access", "databricks-sql-access", "allow-cluster-create", "allow-instance-pool-create"] });
  }
}
