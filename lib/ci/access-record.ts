import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import type { PeopleAccess, PersonaName } from "../data-domain/personas";

/** A domain's access model as its stack's JSON records it (`//.access.domains.<name>`). */
export interface DomainAccessRecord {
  readonly peopleAccess: PeopleAccess;
  readonly privilegedAccess: "standing" | "pim";
  readonly writeExceptions: readonly { readonly persona: PersonaName; readonly reason: string }[];
  /** The personas the domain declares. */
  readonly personas: readonly PersonaName[];
  readonly sandbox: boolean;
  readonly catalogStorage: "platformLake" | "dedicated";
}

/** The platform's Unity Catalog access model as its stack's JSON records it (`//.access.platform`). */
export interface PlatformAccessRecord {
  readonly peopleAccess: PeopleAccess;
  /** `deployer`: one principal deploys and runs the pipelines (dev); `separate`: a pipeline principal of its own. */
  readonly pipeline: "none" | "deployer" | "separate";
  readonly goldReaders: boolean;
  readonly layerCatalogs: boolean;
  /** A disaster recovery sync principal writes the layer catalogs (a secondary). */
  readonly sync?: boolean;
}

export interface AccessRecords {
  readonly domains?: Readonly<Record<string, DomainAccessRecord>>;
  readonly platform?: PlatformAccessRecord;
}

/**
 * Records a domain's access model next to the grants it produced, for security reviewers reading the JSON and for the
 * generated persona table (a `//` comment key: Terraform ignores it).
 */
export function recordDomainAccess(scope: IConstruct, domain: string, record: DomainAccessRecord): void {
  TerraformStack.of(scope).addOverride(`//.access.domains.${domain}`, record);
}

/** Records the platform's Unity Catalog access model (see recordDomainAccess). */
export function recordPlatformAccess(scope: IConstruct, record: PlatformAccessRecord): void {
  TerraformStack.of(scope).addOverride("//.access.platform", record);
}

/** The access records of a synthesized stack's JSON. */
export function accessRecords(json: Record<string, unknown>): AccessRecords {
  return ((json["//"] as { access?: AccessRecords } | undefined)?.access ?? {}) as AccessRecords;
}
