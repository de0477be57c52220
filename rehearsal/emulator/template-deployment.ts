import { requestAction, segments } from "../authorization/actions";
import { grantFor } from "../authorization/evaluate";
import { ArmError } from "./http";
import type { QuirkContext } from "./type-quirks";

/**
 * A resource-group deployment of an ARM template, as far as the stacks use it: each template resource is written with
 * the deploying identity's own rights — ARM checks `<type>/write` on every resource a deployment creates
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-rest#required-permissions) — and through the
 * same concurrency rules as a direct write. Template expressions are evaluated for the functions the stacks use,
 * `parameters()` and `format()` (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions);
 * any other expression fails the deployment instead of guessing its value.
 */
export function deployTemplate(ctx: QuirkContext, id: string, body: Record<string, unknown>): Record<string, unknown> {
  const properties = (body.properties ?? {}) as { template?: Template; parameters?: Record<string, { value?: unknown }>; mode?: string };
  const template = properties.template;
  if (!template) throw new ArmError(400, "InvalidTemplate", "The rehearsal emulator deploys inline templates only (properties.template).");
  const parameters = properties.parameters ?? {};
  const groupId = "/" + segments(id).slice(0, 4).join("/");
  const outputs: Record<string, unknown> = {};
  const outputResources: { id: string }[] = [];
  for (const resource of template.resources ?? []) {
    const type = String(resource.type);
    const name = String(evaluate(resource.name, parameters));
    const typeParts = type.split("/");
    const nameParts = name.split("/");
    if (nameParts.length !== typeParts.length - 1) throw new ArmError(400, "InvalidTemplate", `Deployment template validation failed: the resource name '${name}' does not match the type '${type}'.`);
    const path = [groupId, "providers", typeParts[0], ...typeParts.slice(1).flatMap((t, i) => [t, nameParts[i]])].join("/");
    const { action, scope } = requestAction("PUT", path);
    if (!grantFor(ctx.arm.assignments(), ctx.identity.objectId, action, scope)) {
      throw new ArmError(403, "AuthorizationFailed", `The client '${ctx.identity.clientId}' with object id '${ctx.identity.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid.`);
    }
    const parent = "/" + segments(path).slice(0, -2).join("/");
    if (!ctx.arm.store.get(parent)) throw new ArmError(404, "ParentResourceNotFound", `Failed to perform 'write' on resource(s) of type '${type}', because the parent resource '${parent}' could not be found.`);
    const resourceBody = { id: path, name: nameParts[nameParts.length - 1], type, properties: evaluate(resource.properties ?? {}, parameters) as Record<string, unknown> };
    ctx.arm.concurrency.begin(ctx, path, resourceBody);
    ctx.arm.store.put(path, resourceBody);
    ctx.arm.noteApiVersion(type, String(resource.apiVersion ?? ""));
    outputResources.push({ id: path });
  }
  // `providers` lists each namespace and type deployed; azurerm reads resourceTypes[].resourceType on delete.
  const types = [...new Set((template.resources ?? []).map((r) => String(r.type)))];
  const providers = [...new Set(types.map((t) => t.split("/")[0]))].map((namespace) => ({ namespace, resourceTypes: types.filter((t) => t.startsWith(`${namespace}/`)).map((t) => ({ resourceType: t.slice(namespace.length + 1), locations: [] })) }));
  return { ...body, properties: { ...properties, provisioningState: "Succeeded", outputs, outputResources, providers, templateHash: String(JSON.stringify(template).length) } };
}

interface Template {
  readonly resources?: { type: unknown; name: unknown; apiVersion?: unknown; properties?: unknown }[];
}

function evaluate(value: unknown, parameters: Record<string, { value?: unknown }>): unknown {
  if (Array.isArray(value)) return value.map((v) => evaluate(v, parameters));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, parameters)]));
  if (typeof value !== "string" || !/^\[.*\]$/s.test(value) || value.startsWith("[[")) return value;
  return expression(value.slice(1, -1).trim(), parameters);
}

function expression(text: string, parameters: Record<string, { value?: unknown }>): unknown {
  const literal = /^'((?:[^']|'')*)'$/.exec(text);
  if (literal) return literal[1].replace(/''/g, "'");
  const call = /^([a-zA-Z]+)\((.*)\)$/s.exec(text);
  if (!call) throw new ArmError(400, "InvalidTemplate", `The rehearsal emulator cannot evaluate the template expression '${text}'.`);
  const args = splitArguments(call[2]).map((a) => expression(a, parameters));
  switch (call[1].toLowerCase()) {
    case "parameters": {
      const name = String(args[0]);
      if (!(name in parameters)) throw new ArmError(400, "InvalidTemplate", `The template parameter '${name}' is not found.`);
      return parameters[name].value;
    }
    case "format":
      return String(args[0]).replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i) + 1]));
    default:
      throw new ArmError(400, "InvalidTemplate", `The rehearsal emulator does not evaluate the template function '${call[1]}'.`);
  }
}

function splitArguments(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === "(") depth++;
    if (!quoted && ch === ")") depth--;
    if (!quoted && depth === 0 && ch === ",") {
      out.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
