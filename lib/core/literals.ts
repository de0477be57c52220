import { IConstruct } from "constructs";
import { invalid } from "./validation";

/** cdktf's marker for an unresolved token inside a string: the one place `${` may come from. */
const TOKEN_MARKER = /\$\{TfToken\[[^\]]*\]\}/g;
/** What Terraform interpolates in a string: `${…}` expressions and `%{…}` directives. */
const INTERPOLATION = /\$\{|%\{/;

/** Whether a string spells out `${` or `%{` outside cdktf's token markers (Terraform would evaluate it). */
export function hasInterpolation(value: string): boolean {
  return INTERPOLATION.test(value.replace(TOKEN_MARKER, ""));
}

/**
 * A user string must reach the JSON as the literal it is. Terraform interpolates `${…}` and `%{…}` in every string
 * of a configuration, so a tag value `${var.subscription_id}` would read a variable, and other expressions could read
 * resource attributes into tags or grants. References are passed as tokens (a resource's attribute, a variable's
 * value), never spelled out: those are the only `${` allowed.
 */
export function checkLiteral(scope: IConstruct, prop: string, value: string): string {
  if (typeof value === "string" && hasInterpolation(value)) {
    invalid(scope, prop, value, "text without ${ or %{ (Terraform would evaluate it): pass a reference as a token, e.g. a resource attribute or a TerraformVariable's value");
  }
  return value;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Checks every string of a construct's props — nested objects and arrays included, class instances (constructs,
 * providers, tokens) skipped — with {@link checkLiteral}, naming the prop by its path (`personas.admins.principalName`),
 * then hands each string to `visit` (checkProps checks IDs and addresses there).
 */
export function checkLiterals(scope: IConstruct, props: unknown, prefix = "", visit?: (prop: string, value: string) => void): void {
  if (typeof props === "string") {
    checkLiteral(scope, prefix || "value", props);
    visit?.(prefix, props);
  } else if (Array.isArray(props)) {
    props.forEach((item, i) => checkLiterals(scope, item, `${prefix}[${i}]`, visit));
  } else if (isPlainObject(props)) {
    for (const [key, value] of Object.entries(props)) {
      // A key is user text too (tag names, properties).
      checkLiteral(scope, prefix ? `${prefix} key` : "key", key);
      checkLiterals(scope, value, prefix ? `${prefix}.${key}` : key, visit);
    }
  }
}
