import { EmulatorRequest, EmulatorResponse, json } from "../http";
import { body } from "./account-api";
import { DatabricksState, MetastoreState, Securable } from "./databricks-state";
import { Caller, DatabricksError, denied, notFound, uuid, WorkspaceRecord } from "./databricks-world";

type Json = Record<string, unknown>;

const lower = (name: unknown) => String(name ?? "").toLowerCase();

/** Privileges that let a caller read a securable's metadata (https://learn.microsoft.com/azure/databricks/data-governance/unity-catalog/manage-privileges/privileges). */
const READ_PRIVILEGES = new Set(["BROWSE", "USE_CATALOG", "USE_SCHEMA", "SELECT", "ALL_PRIVILEGES", "READ_FILES", "CREATE_EXTERNAL_LOCATION", "MANAGE"]);

/**
 * Unity Catalog's API on a workspace host (/api/2.1/unity-catalog/…), as the provider v1.99.0 calls it (catalog/,
 * sharing/, pluginfw/products/sharing at v1.99.0). Who may do what follows Databricks' privilege model: the creator owns
 * a securable; creating at the metastore needs the matching metastore privilege (CREATE_CATALOG, CREATE_EXTERNAL_LOCATION,
 * CREATE_STORAGE_CREDENTIAL, CREATE_SHARE, CREATE_RECIPIENT) or a metastore admin; grants and deletes need the owner or
 * a metastore admin; the `system` catalog is Databricks' own, so only a metastore admin grants on it
 * (https://learn.microsoft.com/azure/databricks/admin/system-tables/#grant-access-to-system-tables); enabling a system
 * schema needs a metastore admin or an account admin (databricks-sdk-go v0.93.0 service/catalog SystemSchemas.Enable).
 */
export function unityCatalogApi(state: DatabricksState, workspace: WorkspaceRecord, req: EmulatorRequest, caller: Caller): EmulatorResponse {
  const path = req.rawPath.replace(/^\/api\/2\.1\/unity-catalog\//, "");
  const [area, ...tail] = path.split("/").filter(Boolean);
  const method = req.method;
  // The refusal a workspace without a metastore gives every Unity Catalog call (databricks review m1 quotes "no metastore
  // assigned"; the error code is ours).
  if (!workspace.metastoreId) throw new DatabricksError(400, "METASTORE_DOES_NOT_EXIST", `No metastore assigned for the current workspace ${workspace.id}.`);
  const metastore = state.metastores.get(workspace.metastoreId)!;
  const me = caller.applicationId;
  const admin = caller.isMetastoreAdmin();
  const requireCreate = (privilege: "CREATE_CATALOG" | "CREATE_EXTERNAL_LOCATION" | "CREATE_STORAGE_CREDENTIAL" | "CREATE_SHARE" | "CREATE_RECIPIENT") => {
    if (!admin && !caller.has(privilege)) throw denied(`User does not have ${privilege} on Metastore '${metastore.id}'.`);
  };
  const requireOwner = (s: Securable, what: string) => {
    if (!admin && s.owner !== me) throw denied(`User is not an owner of ${what}.`);
  };
  const canRead = (s: Securable, key: string) => admin || s.owner === me || [...(metastore.grants.get(key)?.get(me) ?? [])].some((p) => READ_PRIVILEGES.has(p));

  if (area === "current-metastore-assignment" && method === "GET") return json(200, { workspace_id: workspace.id, metastore_id: metastore.id, default_catalog_name: "hive_metastore" });
  if (area === "metastore_summary" && method === "GET") return json(200, { metastore_id: metastore.id, region: metastore.region, cloud: "azure", global_metastore_id: `azure:${metastore.region}:${metastore.id}` });

  // Workspace bindings of ISOLATED securables (catalog/bindings/bindings.go; catalog delete's workspace-bindings call).
  if ((area === "bindings" || area === "workspace-bindings") && method === "PATCH") {
    const [type, name] = area === "bindings" ? tail : ["catalog", tail[1]];
    const table = type === "catalog" ? metastore.catalogs : type === "storage_credential" ? metastore.credentials : metastore.locations;
    const s = table.get(lower(name));
    if (!s) throw notFound(`${type} ${name}`);
    requireOwner(s, `${type} '${name}'`);
    return json(200, area === "bindings" ? { bindings: [{ workspace_id: workspace.id, binding_type: "BINDING_TYPE_READ_WRITE" }] } : { workspaces: [workspace.id] });
  }

  if (area === "permissions" || (area === "shares" && tail[1] === "permissions")) {
    const [type, fullName] = area === "permissions" ? tail : ["share", tail[0]];
    const s = securableOf(metastore, type, fullName);
    if (!s) throw notFound(`${type} ${fullName}`);
    const key = `${type}/${lower(fullName)}`;
    const assignments = metastore.grants.get(key) ?? new Map<string, Set<string>>();
    if (method === "GET") {
      // Only the owner, a metastore admin (or MANAGE) sees every principal's grants; others see their own.
      const visible = admin || s.owner === me ? [...assignments] : [...assignments].filter(([p]) => p === me);
      return json(200, { privilege_assignments: visible.filter(([, set]) => set.size > 0).map(([principal, set]) => ({ principal, privileges: [...set].sort() })) });
    }
    if (method === "PATCH") {
      if (type === "catalog" && lower(fullName) === "system" || type === "schema" && lower(fullName).startsWith("system.")) {
        if (!admin) throw denied(`User does not have MANAGE on ${type === "catalog" ? "Catalog" : "Schema"} '${fullName}': grants on the system catalog need a metastore admin.`);
      } else requireOwner(s, `${type} '${fullName}'`);
      for (const change of (body(req).changes ?? []) as { principal: string; add?: string[]; remove?: string[] }[]) {
        if ((change.add ?? []).length > 0 && !principalExists(state, metastore, type, change.principal)) throw new DatabricksError(400, "INVALID_PARAMETER_VALUE", `Could not find principal with name ${change.principal}`);
        const set = assignments.get(change.principal) ?? new Set<string>();
        for (const p of change.add ?? []) set.add(p.toUpperCase().replace(/ /g, "_"));
        for (const p of change.remove ?? []) set.delete(p.toUpperCase().replace(/ /g, "_"));
        if (set.size > 0) assignments.set(change.principal, set);
        else assignments.delete(change.principal);
      }
      metastore.grants.set(key, assignments);
      return json(200, { privilege_assignments: [...assignments].map(([principal, set]) => ({ principal, privileges: [...set].sort() })) });
    }
  }

  if (area === "metastores" && tail[1] === "systemschemas") {
    if (tail[0] !== metastore.id) throw notFound(`Metastore ${tail[0]}`);
    if (!admin && !caller.has("account-admin")) throw denied("Only a metastore admin or an account admin can list, enable or disable system schemas.");
    const schema = tail[2];
    if (!schema && method === "GET") return json(200, { schemas: [...metastore.systemSchemas].map(([name, st]) => ({ schema: name, state: st })) });
    if (schema && method === "PUT") {
      if (!metastore.systemSchemas.has(schema)) throw notFound(`System schema ${schema}`);
      metastore.systemSchemas.set(schema, "ENABLE_COMPLETED");
      return json(200, {});
    }
    if (schema && method === "DELETE") {
      if (schema === "billing") throw new DatabricksError(400, "INVALID_PARAMETER_VALUE", "billing can only be disabled by Databricks");
      metastore.systemSchemas.set(schema, "AVAILABLE");
      return json(200, {});
    }
  }

  const handlers: Record<string, { table: Map<string, Securable>; type: string; create: (b: Json) => { key: string; body: Json } }> = {
    "storage-credentials": {
      table: metastore.credentials,
      type: "storage_credential",
      create: (b) => {
        requireCreate("CREATE_STORAGE_CREDENTIAL");
        const mi = (b.azure_managed_identity ?? {}) as Json;
        return { key: lower(b.name), body: { name: b.name, full_name: b.name, id: uuid(`credential:${String(b.name)}`), comment: b.comment, azure_managed_identity: { access_connector_id: mi.access_connector_id, credential_id: uuid(`credential-id:${String(b.name)}`) }, isolation_mode: "ISOLATION_MODE_OPEN" } };
      },
    },
    "external-locations": {
      table: metastore.locations,
      type: "external_location",
      create: (b) => {
        const credential = metastore.credentials.get(lower(b.credential_name));
        if (!credential) throw notFound(`Storage credential '${String(b.credential_name)}'`);
        requireCreate("CREATE_EXTERNAL_LOCATION");
        // And CREATE_EXTERNAL_LOCATION on the credential: its owner holds every privilege on it.
        const onCredential = metastore.grants.get(`storage_credential/${lower(b.credential_name)}`)?.get(me);
        if (!admin && credential.owner !== me && !onCredential?.has("CREATE_EXTERNAL_LOCATION") && !onCredential?.has("ALL_PRIVILEGES")) throw denied(`User does not have CREATE_EXTERNAL_LOCATION on Storage Credential '${String(b.credential_name)}'.`);
        return { key: lower(b.name), body: { ...pick(b, ["name", "url", "credential_name", "comment", "enable_file_events", "file_event_queue", "read_only"]), credential_id: (credential.body.id as string), isolation_mode: "ISOLATION_MODE_OPEN" } };
      },
    },
    catalogs: {
      table: metastore.catalogs,
      type: "catalog",
      create: (b) => {
        requireCreate("CREATE_CATALOG");
        if (b.share_name) {
          // A catalog from a share: the share must have been granted to this metastore's recipient by another metastore.
          if (!admin && !caller.has("USE_PROVIDER")) throw denied(`User does not have USE PROVIDER on Provider '${String(b.provider_name)}'.`);
          if (!sharedWith(state, metastore, String(b.share_name))) throw notFound(`Share '${String(b.share_name)}' from provider '${String(b.provider_name)}'`);
          return { key: lower(b.name), body: { ...pick(b, ["name", "comment", "provider_name", "share_name"]), catalog_type: "DELTASHARING_CATALOG", isolation_mode: "OPEN" } };
        }
        // Every new standard catalog has a `default` schema (the provider deletes it: catalog/resource_catalog.go).
        metastore.schemas.set(`${lower(b.name)}.default`, { owner: me, body: { name: "default", catalog_name: b.name, full_name: `${String(b.name)}.default` } });
        return { key: lower(b.name), body: { ...pick(b, ["name", "comment", "properties", "storage_root"]), catalog_type: "MANAGED_CATALOG", isolation_mode: "OPEN" } };
      },
    },
    schemas: {
      table: metastore.schemas,
      type: "schema",
      create: (b) => {
        const catalog = metastore.catalogs.get(lower(b.catalog_name));
        if (!catalog) throw notFound(`Catalog '${String(b.catalog_name)}'`);
        const grants = metastore.grants.get(`catalog/${lower(b.catalog_name)}`)?.get(me);
        if (!admin && catalog.owner !== me && !(grants?.has("ALL_PRIVILEGES") || (grants?.has("USE_CATALOG") && grants.has("CREATE_SCHEMA")))) throw denied(`User does not have CREATE SCHEMA on Catalog '${String(b.catalog_name)}'.`);
        const full = `${String(b.catalog_name)}.${String(b.name)}`;
        return { key: lower(full), body: { ...pick(b, ["name", "catalog_name", "comment", "properties", "storage_root"]), full_name: full, schema_id: uuid(`schema:${full}`) } };
      },
    },
    shares: {
      table: metastore.shares,
      type: "share",
      create: (b) => {
        requireCreate("CREATE_SHARE");
        return { key: lower(b.name), body: { ...pick(b, ["name", "comment"]), objects: [] } };
      },
    },
    recipients: {
      table: metastore.recipients,
      type: "recipient",
      create: (b) => {
        requireCreate("CREATE_RECIPIENT");
        const token = b.authentication_type === "TOKEN";
        return {
          key: lower(b.name),
          body: {
            ...pick(b, ["name", "comment", "authentication_type", "data_recipient_global_metastore_id", "expiration_time", "ip_access_list"]),
            cloud: "azure",
            region: metastore.region,
            activated: !token,
            ...(token ? { activation_url: `https://${workspace.host}/delta_sharing/retrieve_config.html?${uuid(`token:${String(b.name)}`)}`, tokens: [{ id: uuid(`token-id:${String(b.name)}`), activation_url: `https://${workspace.host}/delta_sharing/retrieve_config.html?${uuid(`token:${String(b.name)}`)}`, expiration_time: b.expiration_time, created_at: 1700000000000, created_by: me, updated_at: 1700000000000, updated_by: me }] } : {}),
          },
        };
      },
    },
    volumes: {
      table: metastore.volumes,
      type: "volume",
      create: (b) => {
        const schema = metastore.schemas.get(lower(`${String(b.catalog_name)}.${String(b.schema_name)}`));
        if (!schema) throw notFound(`Schema '${String(b.catalog_name)}.${String(b.schema_name)}'`);
        if (!admin && schema.owner !== me) throw denied(`User does not have CREATE VOLUME on Schema '${String(b.catalog_name)}.${String(b.schema_name)}'.`);
        const full = `${String(b.catalog_name)}.${String(b.schema_name)}.${String(b.name)}`;
        return { key: lower(full), body: { ...pick(b, ["name", "catalog_name", "schema_name", "volume_type", "storage_location", "comment"]), full_name: full, volume_id: uuid(`volume:${full}`) } };
      },
    },
  };
  const handler = handlers[area];
  if (handler) {
    const name = tail.join("/");
    const withMeta = (s: Securable): Json => ({ ...s.body, owner: s.owner, metastore_id: metastore.id, created_by: s.owner, updated_by: s.owner, created_at: 1700000000000, updated_at: 1700000000000 });
    if (!name && method === "POST") {
      const created = handler.create(body(req));
      if (handler.table.has(created.key)) throw new DatabricksError(409, "RESOURCE_ALREADY_EXISTS", `${handler.type} '${created.key}' already exists.`);
      const s = { owner: me, body: created.body };
      handler.table.set(created.key, s);
      return json(200, withMeta(s));
    }
    const s = handler.table.get(lower(name));
    if (!s) throw notFound(`${handler.type} '${name}'`);
    const key = `${handler.type}/${lower(name)}`;
    if (method === "GET") {
      if (!canRead(s, key)) throw denied(`User does not have USE or BROWSE on ${handler.type} '${name}'.`);
      return json(200, withMeta(s));
    }
    if (method === "PATCH") {
      requireOwner(s, `${handler.type} '${name}'`);
      const b = body(req);
      if (area === "shares") {
        for (const u of (b.updates ?? []) as { action: string; data_object: Json }[]) {
          const objects = (s.body.objects ?? []) as Json[];
          const objectName = lower(u.data_object.name);
          if (u.action === "ADD") {
            const schema = metastore.schemas.get(objectName);
            if (!schema) throw notFound(`Schema '${String(u.data_object.name)}'`);
            if (!admin && schema.owner !== me) throw denied(`User is not an owner of Schema '${String(u.data_object.name)}'.`);
            s.body.objects = [...objects.filter((o) => lower(o.name) !== objectName), { ...u.data_object, added_at: 1700000000000, added_by: me, status: "ACTIVE" }];
          } else if (u.action === "REMOVE") s.body.objects = objects.filter((o) => lower(o.name) !== objectName);
        }
        if (b.comment !== undefined) s.body.comment = b.comment;
      } else {
        for (const [k, v] of Object.entries(b)) if (k !== "owner" && k !== "new_name") s.body[k] = v;
      }
      return json(200, withMeta(s));
    }
    if (method === "DELETE") {
      requireOwner(s, `${handler.type} '${name}'`);
      // A catalog with schemas (its own `default` aside) is deleted only with force (DELETE …?force=true).
      if (area === "catalogs" && req.query.get("force") !== "true" && [...metastore.schemas.keys()].some((k) => k.startsWith(`${lower(name)}.`) && k !== `${lower(name)}.default`)) {
        throw new DatabricksError(400, "INVALID_STATE", `Catalog '${name}' is not empty. The catalog has schemas.`);
      }
      handler.table.delete(lower(name));
      metastore.grants.delete(key);
      if (area === "catalogs") for (const k of [...metastore.schemas.keys()]) if (k.startsWith(`${lower(name)}.`) && metastore.schemas.get(k)!.body.name === "default") metastore.schemas.delete(k);
      return json(200, {});
    }
  }
  throw notFound(`API ${method} ${req.rawPath}`);
}

function pick(b: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((k) => b[k] !== undefined && b[k] !== "" && b[k] !== false).map((k) => [k, b[k]]));
}

function securableOf(metastore: MetastoreState, type: string, fullName: string): Securable | undefined {
  const table: Record<string, Map<string, Securable>> = { catalog: metastore.catalogs, schema: metastore.schemas, external_location: metastore.locations, storage_credential: metastore.credentials, share: metastore.shares, volume: metastore.volumes };
  return table[type]?.get(lower(fullName));
}

/** A grant's principal: an account group (by name), an active service principal (by application ID), `account users`, or a share's recipient. */
function principalExists(state: DatabricksState, metastore: MetastoreState, type: string, principal: string): boolean {
  if (type === "share") return metastore.recipients.has(lower(principal));
  if (principal === "account users") return true;
  return [...state.groups.values()].some((g) => g.displayName === principal) || [...state.servicePrincipals.values()].some((s) => s.applicationId === principal && s.active !== false);
}

/** Whether another metastore shares `share` with this one: a recipient for this metastore's global ID holds SELECT on it. */
function sharedWith(state: DatabricksState, metastore: MetastoreState, share: string): boolean {
  const globalId = `azure:${metastore.region}:${metastore.id}`;
  for (const other of state.metastores.values()) {
    if (other === metastore || !other.shares.has(lower(share))) continue;
    const recipients = [...other.recipients.values()].filter((r) => r.body.data_recipient_global_metastore_id === globalId).map((r) => String(r.body.name));
    const grants = other.grants.get(`share/${lower(share)}`);
    if (recipients.some((r) => grants?.get(r)?.has("SELECT"))) return true;
  }
  return false;
}
