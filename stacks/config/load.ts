import { existsSync, readdirSync, readFileSync } from "fs";
import { basename, join, relative } from "path";
import type { ErrorObject } from "ajv";
import { LineCounter, parseDocument } from "yaml";
import { DomainConfig, EnvironmentConfig, OrganizationConfig } from "./schema";
import { loadValidators, Validator } from "./validators";

/** A configuration file that does not match its schema. The message lists every problem with file, line and key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export interface AppConfig {
  readonly organization: OrganizationConfig;
  /** Sorted by environment name, for deterministic stack order. */
  readonly environments: readonly EnvironmentConfig[];
  /** Sorted by domain name. */
  readonly domains: readonly DomainConfig[];
}

/** The embedded sample configuration of this repository (found from the sources or from dist/). */
export const DEFAULT_CONFIG_DIR = existsSync(join(__dirname, "organization.yaml")) ? __dirname : join(__dirname, "..", "..", "..", "stacks", "config");

const validate = loadValidators();

/**
 * Loads `organization.yaml` and `environments/*.yaml` from `dir`, validating each file against its schema.
 * All problems of all files are reported together.
 */
export function loadConfig(dir: string = DEFAULT_CONFIG_DIR): AppConfig {
  const problems: string[] = [];
  const organization = loadFile<OrganizationConfig>(join(dir, "organization.yaml"), validate.organization, problems);
  const environments = loadDirectory<EnvironmentConfig>(join(dir, "environments"), validate.environment, "environment", problems);
  if (environments.length === 0) problems.push(`${display(join(dir, "environments"))}: no environment files — expected at least one <environment>.yaml`);
  const domainDir = join(dir, "domains");
  const domains = existsSync(domainDir) ? loadDirectory<DomainConfig>(domainDir, validate.domain, "domain", problems) : [];
  const known = new Set(environments.map((e) => e.environment));
  for (const domain of domains) {
    for (const env of Object.keys(domain.environments)) {
      if (!known.has(env)) problems.push(`${display(join(domainDir, `${domain.domain}.yaml`))}: environments.${env}: — expected one of the environments (${[...known].join(", ")})`);
    }
  }
  // One owner per metastore (one per region and account): two owners would each switch the system tables off on
  // destroy, and each one's people would read the other's audit logs.
  const owners = new Map<string, string[]>();
  for (const env of environments.filter((e) => e.catalog.metastoreOwner)) {
    for (const location of new Set([env.location, ...(env.disasterRecovery ? [env.disasterRecovery.secondary.location] : [])])) owners.set(location, [...(owners.get(location) ?? []), env.environment]);
  }
  for (const [location, envs] of owners) {
    for (const env of envs.length > 1 ? envs : []) {
      problems.push(`${display(join(dir, "environments", `${env}.yaml`))}: catalog.metastoreOwner: true — expected one owner per metastore: ${location}'s is also owned by ${envs.filter((e) => e !== env).join(", ")}`);
    }
  }
  if (problems.length > 0 || !organization) throw new ConfigError(problems);
  return { organization, environments, domains };
}

/** Every `<name>.yaml` of a directory, in name order; the `key` field must equal the file name, so names are unique. */
function loadDirectory<T extends object>(dir: string, validate: Validator<T>, key: keyof T & string, problems: string[]): T[] {
  const result: T[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    const path = join(dir, file);
    const item = loadFile<T>(path, validate, problems);
    if (!item) continue;
    const name = basename(file, ".yaml");
    if (item[key] !== name) {
      problems.push(`${display(path)}: ${key}: ${JSON.stringify(item[key])} — expected "${name}" (the file name; names are unique)`);
      continue;
    }
    result.push(item);
  }
  return result;
}

function loadFile<T>(path: string, validate: Validator<T>, problems: string[]): T | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, "utf8"), { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push(`${display(path)}:${lines.linePos(e.pos[0]).line}: ${e.message.split("\n")[0]}`);
    return undefined;
  }
  const data = doc.toJS();
  if (validate(data)) return data;
  for (const error of relevantErrors(validate.errors ?? [])) {
    const segments = error.instancePath.split("/").slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    // For a missing or unknown key, name that key; the value is then not worth printing.
    const named = keyNamed(error);
    const key = named ? [...segments, named] : segments;
    const node = (doc.getIn(key, true) ?? doc.getIn(segments, true)) as { range?: [number, number, number] } | undefined;
    const line = node?.range ? `:${lines.linePos(node.range[0]).line}` : "";
    const keyText = key.join(".") || "(document)";
    const value = named ? "" : ` ${JSON.stringify(error.data)}`;
    problems.push(`${display(path)}${line}: ${keyText}:${value} — expected ${expectation(error)}`);
  }
  return undefined;
}

function keyNamed(error: ErrorObject): string | undefined {
  if (error.keyword === "required") return (error.params as { missingProperty: string }).missingProperty;
  if (error.keyword === "additionalProperties") return (error.params as { additionalProperty: string }).additionalProperty;
  return undefined;
}

/** With a discriminator, ajv also reports the branches not taken; keep the specific errors. */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "if");
  return specific.length > 0 ? specific : errors;
}

function expectation(error: ErrorObject): string {
  switch (error.keyword) {
    case "required":
      return "this key to be present";
    case "additionalProperties":
      return "no such key here (unknown key)";
    default: {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      return description ?? (error.message ?? "a valid value");
    }
  }
}

function display(path: string): string {
  return relative(process.cwd(), path) || path;
}
