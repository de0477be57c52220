import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { DEFAULT_CONFIG_DIR } from "../stacks/config/load";
import { loadValidators, standaloneValidators, Validators } from "../stacks/config/validators";

// Inside the project, so the standalone code finds ajv's runtime as it does from dist/.
const dir = mkdtempSync(join(__dirname, "..", "node_modules", ".medallion-validators-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sample = (file: string) => parse(readFileSync(join(DEFAULT_CONFIG_DIR, file), "utf8"));
const dev = sample("environments/dev.yaml");
const sales = sample("domains/sales.yaml");

// Documents each schema accepts or rejects in a different way: errors from the standalone code must be the compiled ones.
const CASES: [keyof Validators, unknown][] = [
  ["organization", sample("organization.yaml")],
  ["organization", {}],
  ["environment", dev],
  ["environment", { ...dev, location: "westeurop", colour: "blue" }],
  ["environment", { ...dev, network: { ...dev.network, addressSpace: "10.0.0.0/33" } }],
  ["domain", sales],
  ["domain", { ...sales, environments: { dev: { unknown: 1 } } }],
];

describe("precompiled configuration validators", () => {
  test("the standalone module validates exactly as the schemas compiled at run time", () => {
    const file = join(dir, "current.js");
    writeFileSync(file, standaloneValidators());
    const standalone = loadValidators(file);
    const compiled = loadValidators(join(dir, "absent.js"));
    expect(standalone.domain).not.toBe(compiled.domain); // really two implementations
    for (const [schema, doc] of CASES) {
      expect([schema, standalone[schema](doc), standalone[schema].errors]).toEqual([schema, compiled[schema](doc), compiled[schema].errors]);
    }
    expect(CASES.some(([schema, doc]) => !compiled[schema](doc))).toBe(true);
  });

  test("a standalone module generated from other schemas is not used", () => {
    const file = join(dir, "stale.js");
    writeFileSync(file, standaloneValidators().replace(/exports\.schemaHash = "[0-9a-f]+"/, 'exports.schemaHash = "0"'));
    const stale = require(file) as Validators;
    const loaded = loadValidators(file);
    expect(loaded.domain).not.toBe(stale.domain);
    expect(loaded.domain(sales)).toBe(true);
  });
});
