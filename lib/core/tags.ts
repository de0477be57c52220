import { Aspects, IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { invalid, isDeferred } from "./validation";
import { checkLiterals } from "./literals";

/** Data classification levels, lowest to highest. */
export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

/** The mandatory tags every taggable resource carries. */
export interface MandatoryTags {
  readonly environment: string;
  /** Accountable owner (team mailbox or group name). */
  readonly owner: string;
  readonly costCenter: string;
  readonly dataClassification: DataClassification;
  /** What manages the resource, e.g. `cdktf-medallion`. */
  readonly managedBy: string;
  /** Business domain, where the resource belongs to one (set by DataDomain). */
  readonly domain?: string;
}

// Azure's limits: 50 tags per resource; name 512 characters (128 on storage accounts, the tightest is used);
// value 256 characters; names may not contain < > % & \ ? /.
const MAX_TAGS = 50;
const MAX_NAME = 128;
const MAX_VALUE = 256;
const FORBIDDEN_NAME_CHARS = /[<>%&\\?/]/;

/** Validates a set of tags against Azure's limits; `prop` names the input in the error. */
export function validateTags(scope: IConstruct, prop: string, tags: Readonly<Record<string, string>>): void {
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) invalid(scope, prop, `${entries.length} tags`, `at most ${MAX_TAGS} tags per resource`);
  for (const [name, value] of entries) {
    if (name.length === 0 || name.length > MAX_NAME || FORBIDDEN_NAME_CHARS.test(name)) {
      invalid(scope, `${prop} name`, name, `1–${MAX_NAME} characters without < > % & \\ ? /`);
    }
    if (isDeferred(value)) continue;
    if (typeof value !== "string" || value.length > MAX_VALUE) invalid(scope, `${prop}.${name}`, value, `a string of at most ${MAX_VALUE} characters`);
  }
}

function validateMandatory(scope: IConstruct, tags: MandatoryTags): void {
  for (const key of ["environment", "owner", "costCenter", "managedBy"] as const) {
    if (typeof tags[key] !== "string" || tags[key].trim() === "") invalid(scope, `tags.${key}`, tags[key], "a non-empty string");
  }
  if (!DATA_CLASSIFICATIONS.includes(tags.dataClassification)) {
    invalid(scope, "tags.dataClassification", tags.dataClassification, `one of ${DATA_CLASSIFICATIONS.join(", ")}`);
  }
  if (tags.domain !== undefined && tags.domain.trim() === "") invalid(scope, "tags.domain", tags.domain, "a non-empty string when set");
  validateTags(scope, "tags", toRecord(tags));
}

function toRecord(tags: MandatoryTags): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) if (value !== undefined) record[key] = value;
  return record;
}

interface Taggable {
  tagsInput?: Record<string, string>;
  tags: Record<string, string>;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  return node instanceof TerraformResource && "tagsInput" in node;
}

/**
 * Applies the mandatory tags to every taggable resource below a scope. Mandatory keys win over tags set
 * on the resource itself (the schema is policy), other resource tags are kept.
 */
export class MandatoryTagging implements IAspect {
  /**
   * Validates `tags` and applies them below `scope`, with `extra` tags of the scope's own (e.g. a sandbox's
   * expiry). Scopes nest: a domain adds `domain` on top of its stack's tags.
   */
  static apply(scope: IConstruct, tags: MandatoryTags, extra: Readonly<Record<string, string>> = {}): void {
    validateMandatory(scope, tags);
    const all = { ...extra, ...toRecord(tags) };
    validateTags(scope, "tags", all);
    checkLiterals(scope, all, "tags");
    Aspects.of(scope).add(new MandatoryTagging(all));
  }

  private constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (!isTaggable(node)) return;
    const merged = { ...(node.tagsInput ?? {}), ...this.tags };
    validateTags(node, "tags", merged);
    node.tags = merged;
  }
}
