import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ConfigError, DEFAULT_CONFIG_DIR, loadConfig } from "../stacks/config/load";

/** A copy of the sample configuration with one file edited. */
function configWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "medallion-config-"));
  cpSync(DEFAULT_CONFIG_DIR, dir, { recursive: true, filter: (src) => !src.endsWith(".ts") });
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, "utf8")));
  return dir;
}

function errorOf(dir: string): string {
  try {
    loadConfig(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error("expected the configuration to be rejected");
}

describe("configuration", () => {
  test("the embedded sample loads, environments in name order", () => {
    const config = loadConfig();
    expect(config.organization.workload).toBe("lake");
    expect(config.environments.map((e) => e.environment)).toEqual(["dev", "prod"]);
    expect(config.domains.map((d) => d.domain)).toEqual(["fin", "mkt", "sales"]);
  });

  test.each<[string, string, (t: string) => string, RegExp]>([
    ["unknown region", "environments/dev.yaml", (t) => t.replace("location: westeurope", "location: westeurop"), /environments\/dev\.yaml:2: location: "westeurop" — expected a supported Azure region/],
    ["bad CIDR", "environments/dev.yaml", (t) => t.replace("10.20.0.0/22", "10.20.0.0/33x"), /environments\/dev\.yaml:\d+: network\.addressSpace: "10\.20\.0\.0\/33x" — expected an IPv4 CIDR block/],
    ["bad classification", "environments/dev.yaml", (t) => t.replace("confidential", "secret"), /dev\.yaml:3: dataClassification: "secret" — expected one of public, internal, confidential, restricted/],
    ["unknown key", "environments/dev.yaml", (t) => `${t}colour: blue\n`, /dev\.yaml:\d+: colour: — expected no such key here \(unknown key\)/],
    ["missing key", "environments/dev.yaml", (t) => t.replace(/^workspace:[\s\S]*$/m, ""), /dev\.yaml:1: workspace: — expected this key to be present/],
    ["firewall without IP", "environments/dev.yaml", (t) => t.replace("mode: natGateway", "mode: firewall"), /dev\.yaml:\d+: network\.egress\.firewallPrivateIp: — expected this key to be present/],
    ["bad egress mode", "environments/dev.yaml", (t) => t.replace("mode: natGateway", "mode: internet"), /dev\.yaml:\d+: network\.egress: \{"mode":"internet"\} — expected mode "natGateway" \(optional idleTimeoutMinutes\) or "firewall" with firewallPrivateIp/],
    ["transit with both forms", "environments/dev.yaml", (t) => t.replace("transit:\n", "transit:\n  hub: { addressSpace: 10.0.0.0/16, manageHubSide: false }\n"), /dev\.yaml:\d+: transit: .* — expected either create: \{ addressSpace \} or hub: \{ addressSpace, manageHubSide \}/],
    ["unknown compliance standard", "environments/prod.yaml", (t) => t.replace("[HIPAA]", "[SOX]"), /prod\.yaml:\d+: workspace\.enhancedSecurity\.complianceStandards\.0: "SOX" — expected one of HIPAA/],
    ["environment not matching its file", "environments/dev.yaml", (t) => t.replace("environment: dev", "environment: test"), /dev\.yaml: environment: "test" — expected "dev" \(the file name; names are unique\)/],
    ["bad workload", "organization.yaml", (t) => t.replace("workload: lake", "workload: Lake_House"), /organization\.yaml:\d+: workload: "Lake_House" — expected 2–10 characters of \[a-z0-9\]/],
    ["bad state account", "environments/prod.yaml", (t) => t.replace("sttfstatecontosoprod", "st-tfstate"), /prod\.yaml:\d+: deploy\.stateBackend\.storageAccountName: "st-tfstate" — expected 3–24 characters of \[a-z0-9\]/],
    ["YAML syntax", "organization.yaml", (t) => `${t}\n  - : [\n`, /organization\.yaml:\d+: /],
    ["domain name", "domains/sales.yaml", (t) => t.replace("domain: sales", "domain: Sales-EU"), /domains\/sales\.yaml:\d+: domain: "Sales-EU" — expected 2–10 characters of \[a-z0-9\]/],
    ["duplicate domain", "domains/mkt.yaml", (t) => t.replace("domain: mkt", "domain: sales"), /domains\/mkt\.yaml: domain: "sales" — expected "mkt" \(the file name; names are unique\)/],
    ["unknown persona", "domains/sales.yaml", (t) => t.replace("personas:\n", "personas:\n  auditors: { principalName: sales-auditors }\n"), /domains\/sales\.yaml:\d+: personas\.auditors: — expected no such key here/],
    ["budget of zero", "domains/sales.yaml", (t) => t.replace("budget: 500", "budget: 0"), /domains\/sales\.yaml:\d+: environments\.dev\.budget: 0 — expected a positive monthly amount/],
    ["unknown environment", "domains/sales.yaml", (t) => t.replace("  prod:\n", "  qa:\n"), /domains\/sales\.yaml: environments\.qa: — expected one of the environments \(dev, prod\)/],
    ["unknown alert threshold", "environments/prod.yaml", (t) => t.replace("latencyMicroseconds: 1500", "latencyMicros: 1500"), /prod\.yaml:\d+: features\.alerts\.latencyMicros: — expected no such key here/],
    ["budget start", "domains/fin.yaml", (t) => t.replace("budget:\n", "budget:\n  startDate: 2026-12-15\n"), /domains\/fin\.yaml:\d+: budget\.startDate: "2026-12-15" — expected the first day of a month/],
  ])("%s", (_name, file, edit, message) => {
    expect(errorOf(configWith(file, edit))).toMatch(message);
  });

  test("every problem of every file is reported at once", () => {
    const dir = configWith("environments/dev.yaml", (t) => t.replace("location: westeurope", "location: mars").replace("confidential", "secret"));
    const message = errorOf(dir);
    expect(message).toMatch(/location: "mars"/);
    expect(message).toMatch(/dataClassification: "secret"/);
  });
});
