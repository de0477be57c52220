import { ADMIN_PRIVILEGES, PeopleAccess, READ_PRIVILEGES } from "../data-domain/personas";

/** The pipeline's privileges on a layer catalog: it registers and writes the layer's tables. */
export const PIPELINE_LAYER_PRIVILEGES: readonly string[] = ["USE_CATALOG", "USE_SCHEMA", "CREATE_SCHEMA", "CREATE_TABLE", "MODIFY", "SELECT"];
/**
 * A disaster recovery sync principal's privileges on a secondary's layer catalogs: it replaces the deep-cloned tables
 * in schemas that exist (no CREATE_SCHEMA), and nothing else.
 */
export const SYNC_LAYER_PRIVILEGES: readonly string[] = ["USE_CATALOG", "USE_SCHEMA", "CREATE_TABLE", "MODIFY", "SELECT"];
/** File privileges on the zones still read and written as files (landing, staging). */
export const PIPELINE_FILE_PRIVILEGES: readonly string[] = ["READ_FILES", "WRITE_FILES"];
/** The layers whose zones stay files: no layer catalog, and the pipeline keeps file privileges there. */
export const FILE_LAYERS: readonly string[] = ["landing", "staging"];

/** The principals of the platform's Unity Catalog side (the deployer holds ALL_PRIVILEGES everywhere besides). */
export const PLATFORM_PRINCIPALS = ["admins", "pipeline", "goldReaders", "sync"] as const;
export type PlatformPrincipal = (typeof PLATFORM_PRINCIPALS)[number];

/** What one platform principal may do, per kind of securable; an empty list: nothing. */
export interface PlatformAccess {
  readonly storageCredential: readonly string[];
  /** External locations of file zones (landing, staging). */
  readonly fileLocations: readonly string[];
  /** External locations of layer zones (bronze, silver, gold…): tables go through the layer catalogs. */
  readonly layerLocations: readonly string[];
  /** Layer catalogs of bronze and silver zones. */
  readonly layerCatalogs: readonly string[];
  /** Layer catalogs of gold zones. */
  readonly goldCatalogs: readonly string[];
}

/**
 * The platform's access model: PlatformCatalog builds its grants from it and the generated persona table renders it.
 * Admins create external locations on the credential and nothing broader; where people read only (production) they
 * read data and browse, and writes go through the pipeline principal.
 */
export function platformAccess(peopleAccess: PeopleAccess): Readonly<Record<PlatformPrincipal, PlatformAccess>> {
  const readWrite = peopleAccess === "readWrite";
  const adminCatalog = readWrite ? ADMIN_PRIVILEGES : [...READ_PRIVILEGES, "BROWSE"];
  const adminLocation = readWrite ? ADMIN_PRIVILEGES : ["BROWSE", "READ_FILES"];
  return {
    admins: { storageCredential: ["CREATE_EXTERNAL_LOCATION"], fileLocations: adminLocation, layerLocations: adminLocation, layerCatalogs: adminCatalog, goldCatalogs: adminCatalog },
    pipeline: { storageCredential: [], fileLocations: PIPELINE_FILE_PRIVILEGES, layerLocations: [], layerCatalogs: PIPELINE_LAYER_PRIVILEGES, goldCatalogs: PIPELINE_LAYER_PRIVILEGES },
    goldReaders: { storageCredential: [], fileLocations: [], layerLocations: [], layerCatalogs: [], goldCatalogs: READ_PRIVILEGES },
    sync: { storageCredential: [], fileLocations: [], layerLocations: [], layerCatalogs: SYNC_LAYER_PRIVILEGES, goldCatalogs: SYNC_LAYER_PRIVILEGES },
  };
}
