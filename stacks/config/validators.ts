import { createHash } from "crypto";
import { existsSync, writeFileSync } from "fs";
import { join } from "path";
import Ajv, { ErrorObject } from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { DOMAIN_SCHEMA, DomainConfig, ENVIRONMENT_SCHEMA, EnvironmentConfig, ORGANIZATION_SCHEMA, OrganizationConfig } from "./schema";

export type Validator<T> = ((data: unknown) => data is T) & { errors?: ErrorObject[] | null };

export interface Validators {
  readonly organization: Validator<OrganizationConfig>;
  readonly environment: Validator<EnvironmentConfig>;
  readonly domain: Validator<DomainConfig>;
}

const SCHEMAS = { organization: ORGANIZATION_SCHEMA, environment: ENVIRONMENT_SCHEMA, domain: DOMAIN_SCHEMA };
const OPTIONS = { allErrors: true, verbose: true, discriminator: true, strict: false } as const;

/**
 * Compiling the schemas costs about 100 ms on every synth, a tenth of the sample app's CPU. `npm run build` writes
 * them as standalone code beside this module; a synth uses that file when it was generated from the same schemas
 * (their hash is in it), and otherwise — run from the sources, or after a plain `tsc` — compiles them here.
 */
export const STANDALONE_FILE = join(__dirname, "standalone-validators.js");

export function loadValidators(file: string = STANDALONE_FILE): Validators {
  if (existsSync(file)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const standalone = require(file) as Validators & { schemaHash?: string };
    if (standalone.schemaHash === schemaHash()) return standalone;
  }
  const ajv = new Ajv(OPTIONS);
  return { organization: ajv.compile(SCHEMAS.organization), environment: ajv.compile(SCHEMAS.environment), domain: ajv.compile(SCHEMAS.domain) };
}

/** The three validators as one CommonJS module (ajv's standalone code) that records the hash of its schemas. */
export function standaloneValidators(): string {
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  for (const [name, schema] of Object.entries(SCHEMAS)) ajv.addSchema(schema, name);
  const code = standaloneCode(ajv, { organization: "organization", environment: "environment", domain: "domain" });
  return `${code}\nexports.schemaHash = ${JSON.stringify(schemaHash())};\n`;
}

function schemaHash(): string {
  return createHash("sha256").update(JSON.stringify(SCHEMAS)).digest("hex");
}

// `node dist/stacks/config/validators.js` (npm run build) writes the standalone file.
if (require.main === module) writeFileSync(STANDALONE_FILE, standaloneValidators());
