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
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
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

/** An Azure resource ID put together: `/subscriptions/{s}/resourceGroups/{g}/providers/{type}/{name}`. */
export function resourceId(subscription: string, resourceGroup: string, type: string, name: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
}

/** An Azure resource ID taken apart: `/subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}[/{type}/{name}…]`. */
export function parseResourceId(value: string): { subscription: string; resourceGroup: string; type: string; name: string } | undefined {
  if (typeof value !== "string") return undefined;
  const parts = value.split("/");
  if (parts.length < 9 || parts.length % 2 === 0 || parts[0] !== "" || parts[1].toLowerCase() !== "subscriptions" || parts[3].toLowerCase() !== "resourcegroups" || parts[5].toLowerCase() !== "providers") return undefined;
  if (parts.some((p, i) => i > 0 && p === "")) return undefined;
  const types = [parts[6]];
  for (let i = 7; i < parts.length; i += 2) types.push(parts[i]);
  return { subscription: parts[2], resourceGroup: parts[4], type: types.join("/"), name: parts[parts.length - 1] };
}

/** Validates an Azure resource ID — parsed, of exactly the given resource type when one is given — unless the value is a token. */
export function checkResourceId(scope: IConstruct, prop: string, value: string, type?: string): string {
  if (isDeferred(value)) return value;
  const parsed = parseResourceId(value);
  if (!parsed || (type && parsed.type.toLowerCase() !== type.toLowerCase())) {
    invalid(scope, prop, value, `an Azure resource ID${type ? ` of type ${type}` : ""} (/subscriptions/…/resourceGroups/…/providers/${type ?? "…"}/…)`);
  }
  return value;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a GUID (object ID, client ID, tenant ID) unless the value is a token. */
export function checkGuid(scope: IConstruct, prop: string, value: string, what = "an object ID (GUID)"): string {
  return checkPattern(scope, prop, value, GUID, `${what}, e.g. 00000000-0000-0000-0000-000000000000`);
}

/** Checks at run time, for JavaScript callers, a value TypeScript already restricts to `allowed`. */
export function checkOneOf<T extends string>(scope: IConstruct, prop: string, value: T, allowed: readonly T[]): T {
  if (isDeferred(value)) return value;
  if (!allowed.includes(value)) invalid(scope, prop, value, `one of ${allowed.join(", ")}`);
  return value;
}

/** Validates an IPv4 address (no prefix) unless the value is a token. */
export function checkIpv4(scope: IConstruct, prop: string, value: string): string {
  if (isDeferred(value)) return value;
  const parts = typeof value === "string" ? value.split(".") : [];
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && String(Number(p)) === p)) invalid(scope, prop, value, "an IPv4 address, e.g. 10.0.0.4");
  return value;
}

/** Validates an https URL (parsed, not pattern-matched), optionally of a host family, unless the value is a token. */
export function checkHttpsUrl(scope: IConstruct, prop: string, value: string, host?: RegExp, what = "an https URL"): string {
  if (isDeferred(value)) return value;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== "https:" || (host && !host.test(url.hostname))) invalid(scope, prop, value, what);
  return value;
}
