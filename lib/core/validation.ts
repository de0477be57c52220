import { Token } from "cdktf";
import { IConstruct } from "constructs";

/**
 * Thrown for any bad input, at construction time — before anything is written to cdktf.out.
 * The message always names the construct path, the prop, the bad value and the expected form.
 */
export class ValidationError extends Error {
  constructor(
    readonly constructPath: string,
    readonly prop: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${constructPath || "<root>"}: invalid ${prop} ${describe(value)}: expected ${expected}`);
    this.name = "ValidationError";
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Throws a ValidationError for `prop` of `scope`. */
export function invalid(scope: IConstruct, prop: string, value: unknown, expected: string): never {
  throw new ValidationError(scope.node.path, prop, value, expected);
}

/** True when the value is only known at apply time (a Terraform reference or variable): such values are not validated at synth. */
export function isDeferred(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** Validates a number range unless the value is a token. */
export function checkRange(scope: IConstruct, prop: string, value: number, min: number, max: number): number {
  if (isDeferred(value)) return value;
  if (!Number.isInteger(value) || value < min || value > max) invalid(scope, prop, value, `an integer from ${min} to ${max}`);
  return value;
}

/** Validates a string against a pattern unless the value is a token. */
export function checkPattern(scope: IConstruct, prop: string, value: string, pattern: RegExp, expected: string): string {
  if (isDeferred(value)) return value;
  if (typeof value !== "string" || !pattern.test(value)) invalid(scope, prop, value, expected);
  return value;
}

/** Validates an Azure resource ID (optionally of a given provider type) unless the value is a token. */
export function checkResourceId(scope: IConstruct, prop: string, value: string, type?: string): string {
  if (isDeferred(value)) return value;
  const ok =
    typeof value === "string" &&
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+/i.test(value) &&
    (!type || value.toLowerCase().includes(`/providers/${type.toLowerCase()}/`));
  if (!ok) invalid(scope, prop, value, `an Azure resource ID${type ? ` of type ${type}` : ""} (/subscriptions/…/resourceGroups/…/providers/${type ?? "…"}/…)`);
  return value;
}
