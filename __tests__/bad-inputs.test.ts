import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { DEFAULT_CONFIG_DIR, loadConfig } from "../stacks/config/load";
import { synthesize } from "../stacks/synth";
import { ValidationError } from "../lib/core/validation";
import { nothingWritten, PROP_CASES, propEnv } from "./bad-props";

/**
 * The sweep: every kind of bad input an operator can put in the configuration, run end to end through the app. Each
 * fails before anything is written — the previous cdktf.out stays exactly as it was — with a message naming where
 * (file and line, or construct path), what (key or prop), the bad value and the expectation.
 */
const root = mkdtempSync(join(tmpdir(), "medallion-sweep-"));
const outdir = join(root, "cdktf.out");
synthesize(loadConfig(), outdir);
const before = listing(outdir);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

type Edit = [file: string, edit: (text: string) => string];
const dev = (from: string | RegExp, to: string): Edit => ["environments/dev.yaml", (t) => replaceOnce(t, from, to)];
const prod = (from: string | RegExp, to: string): Edit => ["environments/prod.yaml", (t) => replaceOnce(t, from, to)];
const org = (from: string | RegExp, to: string): Edit => ["organization.yaml", (t) => replaceOnce(t, from, to)];
const domain = (name: string, from: string | RegExp, to: string): Edit => [`domains/${name}.yaml`, (t) => replaceOnce(t, from, to)];

function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${String(from)} not found`);
  return next;
}

// A configuration error: `<file>:<line>: <key>: <value> — expected …`; a construct error: `<path>: invalid <prop> <value>: expected …`.
const CONFIG_SHAPE = /[\w/.-]+\.yaml(:\d+)?: [\w.]+:.* — expected .+/;
const CONSTRUCT_SHAPE = /[\w/-]+: invalid .+ (".*"|\[.*\]|-?[\d.]+|true|false|\(missing\)|\{.*\}).*: expected .+/;

const CASES: [string, Edit, RegExp][] = [
  // environment files — schema
  ["unknown region", dev("location: westeurope", "location: westeurope2"), /dev\.yaml:2: location: "westeurope2" — expected a supported Azure region/],
  ["classification", dev("dataClassification: confidential", "dataClassification: top-secret"), /dataClassification: "top-secret" — expected one of public, internal/],
  ["address space format", dev("addressSpace: 10.20.0.0/22", "addressSpace: 10.20.0.0"), /network\.addressSpace: "10\.20\.0\.0" — expected an IPv4 CIDR block/],
  ["egress mode", dev("mode: natGateway", "mode: proxy"), /network\.egress: \{"mode":"proxy"\} — expected mode "natGateway"/],
  ["firewall without its IP", dev("mode: natGateway", "mode: firewall"), /network\.egress\.firewallPrivateIp: — expected this key to be present/],
  ["NAT idle timeout", dev("mode: natGateway", "mode: natGateway\n    idleTimeoutMinutes: 200"), /network\.egress\.idleTimeoutMinutes: 200 — expected an integer from 4 to 120/],
  ["transit in both forms", dev("transit:\n", "transit:\n  hub: { addressSpace: 10.0.0.0/16, manageHubSide: true }\n"), /transit: .* — expected either create: \{ addressSpace \} or hub: \{ addressSpace, manageHubSide \}/],
  ["hub without its address space", prod("    addressSpace: 10.0.0.0/16\n", ""), /transit\.hub\.addressSpace: — expected this key to be present/],
  ["web-auth without address space", dev("webAuth:\n  addressSpace: 10.20.12.0/24", "webAuth: {}"), /webAuth\.addressSpace: — expected this key to be present/],
  ["root storage SKU", dev("rootStorageSku: Standard_ZRS", "rootStorageSku: Premium_LRS"), /workspace\.rootStorageSku: "Premium_LRS" — expected one of Standard_ZRS/],
  ["compliance standard", prod("[HIPAA]", "[SOC2]"), /workspace\.enhancedSecurity\.complianceStandards\.0: "SOC2" — expected one of HIPAA/],
  ["too few zones", dev("zones: [landing, bronze, silver, gold]", "zones: [bronze, gold]"), /lake\.zones: \["bronze","gold"\] — expected /],
  ["lake replication", dev("replication: ZRS", "replication: GRS"), /lake\.replication: "GRS" — expected one of ZRS, GZRS, RAGZRS, LRS/],
  ["Key Vault retention", dev("softDeleteRetentionDays: 7", "softDeleteRetentionDays: 100"), /keyVault\.softDeleteRetentionDays: 100 — expected an integer from 7 to 90/],
  ["log retention", dev("logRetentionDays: 30", "logRetentionDays: 10"), /monitoring\.logRetentionDays: 10 — expected an integer from 30 to 730/],
  ["metastore mode", dev("metastore: existing", "metastore: shared"), /catalog\.metastore: "shared" — expected existing/],
  ["empty admin group", dev("adminGroup: lake-platform-admins", 'adminGroup: ""'), /catalog\.adminGroup: "" — expected the Databricks account group/],
  ["features without a SKU", dev("  sku: Balanced_B1\n", ""), /features\.sku: — expected this key to be present/],
  ["TTL jitter", dev("  sku: Balanced_B1\n", "  sku: Balanced_B1\n  ttlJitterPercent: 80\n"), /features\.ttlJitterPercent: 80 — expected a whole percentage from 0 to 50/],
  ["alert contact", dev("[feature-ops@contoso.example]", "[feature-ops]"), /features\.contacts\.0: "feature-ops" — expected an e-mail address/],
  ["private runner that is GitHub-hosted", dev("private: [self-hosted, linux, medallion-dev]", "private: [ubuntu-24.04]"), /catalog-dev: invalid deploy runner \["ubuntu-24\.04"\]: expected labels of a runner inside the network .*because it calls the workspace-level API of dbw-lake-core-dev-weu/],
  ["unknown key", dev("protectFromDeletion: false", "protectFromDeletion: false\nprotect: true"), /protect: — expected no such key here/],
  // organization
  ["workload", org("workload: lake", "workload: data-lake"), /organization\.yaml:\d+: workload: "data-lake" — expected 2–10 characters of \[a-z0-9\]/],
  ["state container", dev("containerName: tfstate", "containerName: TF"), /deploy\.stateBackend\.containerName: "TF" — expected 3–63 characters/],
  // domain files
  ["domain name", domain("mkt", "domain: mkt", "domain: Marketing"), /domains\/mkt\.yaml:\d+: domain: "Marketing" — expected 2–10 characters/],
  ["unknown persona", domain("mkt", "personas:\n", "personas:\n  owners: { principalName: mkt-owners }\n"), /personas\.owners: — expected no such key here/],
  ["budget of zero", domain("mkt", "budget: 200", "budget: 0"), /environments\.dev\.budget: 0 — expected a positive monthly amount/],
  ["unknown environment", domain("mkt", "  prod:\n", "  staging:\n"), /environments\.staging: — expected one of the environments \(dev, prod\)/],
  ["budget start date", domain("mkt", "dataProducts: [campaigns]\n", "dataProducts: [campaigns]\nbudget:\n  startDate: 2026-12-31\n"), /budget\.startDate: "2026-12-31" — expected the first day of a month/],
  ["data product name", domain("mkt", "dataProducts: [campaigns]", "dataProducts: [Campaigns]"), /dataProducts\.0: "Campaigns" — expected a data product name/],
  ["PIM duration", domain("fin", "durationDays: 180", "durationDays: 400"), /pim\.durationDays: 400 — expected 1 to 365 days/],
  ["duplicate domain", domain("mkt", "domain: mkt", "domain: sales"), /domains\/mkt\.yaml: domain: "sales" — expected "mkt" \(the file name; names are unique\)/],
  // the constructs behind the configuration
  ["VNet too large", dev("addressSpace: 10.20.0.0/22", "addressSpace: 10.22.0.0/15"), /platform-dev\/platform\/workspace\/network: invalid addressSpace "10\.22\.0\.0\/15": expected a \/16 to \/24 CIDR block/],
  ["host subnet too small", prod("hostSubnetCidr: 10.40.0.0/22", "hostSubnetCidr: 10.40.0.0/27"), /platform-prod\/platform\/workspace\/network: invalid hostSubnetCidr "10\.40\.0\.0\/27": expected a \/26 or larger subnet/],
  ["overlapping subnets", prod("containerSubnetCidr: 10.40.4.0/22", "containerSubnetCidr: 10.40.2.0/23"), /invalid hostSubnetCidr "10\.40\.0\.0\/22": expected a range that does not overlap containerSubnetCidr/],
  ["subnet outside the VNet", prod("privateEndpointSubnetCidr: 10.40.8.0/24", "privateEndpointSubnetCidr: 10.41.8.0/24"), /invalid privateEndpointSubnetCidr "10\.41\.8\.0\/24": expected a range inside the VNet 10\.40\.0\.0\/20/],
  ["web-auth CIDR with host bits", dev("addressSpace: 10.20.12.0/24", "addressSpace: 10.20.12.1/24"), /platform-dev: invalid webAuth\.addressSpace "10\.20\.12\.1\/24": expected an IPv4 CIDR block with no host bits set/],
  ["web-auth overlapping the workspace VNet", dev("addressSpace: 10.20.12.0/24", "addressSpace: 10.20.2.0/24"), /platform-dev: invalid webAuth\.addressSpace "10\.20\.2\.0\/24": expected a range that does not overlap network\.addressSpace \(10\.20\.0\.0\/22\)/],
  ["transit overlapping the web-auth VNet", dev("addressSpace: 10.20.8.0/24", "addressSpace: 10.20.12.0/25"), /platform-dev: invalid transit\.create\.addressSpace "10\.20\.12\.0\/25": expected a range that does not overlap webAuth\.addressSpace/],
  ["hub overlapping the workspace VNet", prod("addressSpace: 10.0.0.0/16", "addressSpace: 10.40.0.0/16"), /platform-prod: invalid transit\.hub\.addressSpace "10\.40\.0\.0\/16": expected a range that does not overlap network\.addressSpace/],
  ["firewall outside the hub", prod("firewallPrivateIp: 10.0.0.4", "firewallPrivateIp: 192.168.0.4"), /platform-prod: invalid network\.egress\.firewallPrivateIp "192\.168\.0\.4": expected an address in the hub's range/],
  ["unknown zone", dev("zones: [landing, bronze, silver, gold]", "zones: [landing, bronze, silver, platinum]"), /platform-dev\/platform: invalid lake\.zones "platinum": expected a layer/],
  ["duplicate zone", dev("zones: [landing, bronze, silver, gold]", "zones: [bronze, silver, gold, gold]"), /platform-dev\/platform: invalid lake\.zones "gold": expected unique zone names/],
  ["qualified landing zone", dev("zones: [landing, bronze, silver, gold]", "zones: [landing-sap, bronze, silver, gold]"), /invalid lake\.zones "landing-sap": expected "landing" without a qualifier/],
  ["Managed Redis SKU", dev("sku: Balanced_B1", "sku: Premium_P1"), /features-dev\/feature-tier: invalid sku "Premium_P1": expected a Managed Redis SKU/],
  ["feature set name", dev("name: card_velocity", "name: card:velocity"), /features-dev\/feature-tier: invalid featureSets\[0\]\.name "card:velocity": expected \[a-z\]\[a-z0-9_\]\*/],
  ["freshness SLA too short for a TTL", dev("freshnessSlaSeconds: 600", "freshnessSlaSeconds: 1"), /invalid featureSets\[0\]\.freshnessSlaSeconds 1: expected an SLA long enough for a TTL above 0/],
  ["schema version", dev("schemaVersion: 3", "schemaVersion: 0"), /invalid featureSets\[0\]\.schemaVersion 0: expected a positive integer/],
  ["expired sandbox", domain("sales", "expiresOn: 2027-06-30", "expiresOn: 2025-06-30"), /domain-sales-dev\/domain\/sandbox: invalid sandbox\.expiresOn "2025-06-30": expected a date in the future/],
  ["sandbox budget not smaller", domain("sales", "budget: 150 }", "budget: 900 }"), /invalid sandbox\.budgetAmount 900: expected a positive amount smaller than the domain's budget \(500\)/],
  // disaster recovery (prod's secondary region)
  ["DR secondary in the primary's region", prod("    location: northeurope", "    location: westeurope"), /platform-prod: invalid disasterRecovery\.secondary\.location "westeurope": expected a region other than the primary's \(westeurope\)/],
  ["DR zone not in the lake", prod("    staging: { mechanism: geoReplication }\n", "    staging: { mechanism: geoReplication }\n    platinum: { mechanism: geoReplication }\n"), /platform-prod: invalid disasterRecovery\.zones\.platinum "platinum": expected a zone of lake\.zones/],
  ["DR zone without a mechanism", prod("    staging: { mechanism: geoReplication }\n", ""), /platform-prod: invalid disasterRecovery\.zones\.staging \(missing\): expected its recovery mechanism/],
  ["Delta zone on geo-replication alone", prod("silver: { mechanism: deepClone, intervalHours: 12, schemas: [conformed] }", "silver: { mechanism: geoReplication }"), /invalid disasterRecovery\.zones\.silver\.mechanism "geoReplication": expected deepClone: silver holds Delta tables/],
  ["file zone deep cloned", prod("landing: { mechanism: geoReplication }", "landing: { mechanism: deepClone, intervalHours: 6 }"), /invalid disasterRecovery\.zones\.landing\.mechanism "deepClone": expected geoReplication: landing holds files/],
  ["clone interval not dividing a day", prod("intervalHours: 12", "intervalHours: 5"), /disasterRecovery\.zones\.silver\.intervalHours: 5 — expected hours that divide a day/],
  ["deep clone with nothing to clone", prod("bronze: { mechanism: deepClone, intervalHours: 24, schemas: [erp, crm] }", "bronze: { mechanism: deepClone, intervalHours: 24 }"), /invalid disasterRecovery\.zones\.bronze\.schemas \(missing\): expected the schemas of the bronze layer catalog to clone/],
  ["geo-replication from a lake that does not replicate", prod("replication: GZRS", "replication: ZRS"), /platform-prod: invalid lake\.replication "ZRS": expected GZRS or RAGZRS: zone landing is recovered from the lake's geo-redundant copy/],
  ["geo-replicated Redis with persistence", prod("  sku: MemoryOptimized_M20\n", "  sku: MemoryOptimized_M20\n  persistence: rdb\n"), /platform-prod: invalid features\.persistence "rdb": expected none: Azure Managed Redis does not geo-replicate a persisted cache/],
  ["features without a recovery mode", prod("  features: { mode: geoReplication }\n", ""), /platform-prod: invalid disasterRecovery\.features \(missing\): expected mode geoReplication or rebuild/],
  ["a hub in the secondary region", prod("      create: { addressSpace: 10.61.0.0/24 }", "      hub: { addressSpace: 10.0.0.0/16, manageHubSide: true }"), /disasterRecovery\.secondary\.transit\.(hub|create): — expected/],
  ["secondary state backend missing", prod("    stateBackend:\n      resourceGroupName: rg-tfstate-prod-dr\n      storageAccountName: sttfstatecontosoproddr\n      containerName: tfstate\n", ""), /disasterRecovery\.secondary\.stateBackend: — expected this key to be present/],
  ["secondary VNet overlapping its transit", prod("      create: { addressSpace: 10.61.0.0/24 }", "      create: { addressSpace: 10.60.8.0/24 }"), /platform-prod-dr: invalid transit\.create\.addressSpace "10\.60\.8\.0\/24": expected a range that does not overlap network\.addressSpace/],
  // workspace governance
  ["token lifetime over 90 days", dev("maxLifetimeDays: 30", "maxLifetimeDays: 120"), /dev\.yaml:\d+: governance\.tokens\.maxLifetimeDays: 120 — expected 1 to 90 days/],
  ["unknown system schema", prod("  auditGroup: lake-auditors\n", "  auditGroup: lake-auditors\n  systemSchemas: [access, billing, audit]\n"), /governance-prod\/system-tables: invalid schemas\[2\] "audit": expected a system schema of the pinned provider/],
  ["system tables where the environment does not own the metastore", dev("  alertContacts:", "  auditGroup: lake-auditors\n  alertContacts:"), /governance-dev: invalid governance\.auditGroup "lake-auditors": expected omitted: only the environment that owns the metastore \(catalog\.metastoreOwner\) manages its system tables/],
  ["two owners of one metastore", dev("  metastore: existing\n", "  metastore: existing\n  metastoreOwner: true\n"), /environments\/dev\.yaml: catalog\.metastoreOwner: true — expected one owner per metastore: westeurope's is also owned by prod/],
  ["cluster policy limits that contradict each other", dev("workers: { min: 1, max: 4 }", "workers: { min: 6, max: 4 }"), /domain-fin-dev\/domain\/compute-policy: invalid limits\.workers\.min 6: expected at most limits\.workers\.max \(4\): the limits contradict each other/],
  ["open serverless egress without a reason", prod("serverlessEgress: { mode: restricted }", "serverlessEgress: { mode: full }"), /governance\.serverlessEgress\.reason: — expected this key to be present/],
  // Delta Sharing (sales shares orders in prod)
  ["shared object outside the domain's catalog", domain("sales", "- { schema: orders }", "- { schema: ledger }"), /domain-sales-prod\/domain\/sharing: invalid shares\[0\]\.objects\[0\]\.schema "ledger": expected a schema of the domain's catalog sales_prod \(orders, customers, pipeline\)/],
  ["shared table not named schema.table", domain("sales", "- { schema: orders }", "- { table: daily_totals }"), /invalid shares\[0\]\.objects\[0\]\.table "daily_totals": expected <schema>\.<table> of \[a-z0-9_\]/],
  ["open recipient without an IP list", domain("sales", "ipAccessList: [203.0.113.0/24], ", ""), /invalid shares\[0\]\.recipients\[1\]\.ipAccessList \(missing\): expected the IPv4 addresses or CIDR blocks an open recipient's token is accepted from/],
  ["open recipient without an expiry", domain("sales", ", expiresOn: 2027-06-30", ""), /invalid shares\[0\]\.recipients\[1\]\.expiresOn \(missing\): expected the last day of access/],
  ["open recipient already expired", domain("sales", "expiresOn: 2027-06-30 }", "expiresOn: 2024-06-30 }"), /invalid shares\[0\]\.recipients\[1\]\.expiresOn "2024-06-30": expected a date in the future/],
  ["open recipient's IP list with host bits", domain("sales", "[203.0.113.0/24]", "[203.0.113.7/24]"), /invalid shares\[0\]\.recipients\[1\]\.ipAccessList\[0\] "203\.0\.113\.7\/24": expected an IPv4 CIDR block with no host bits set/],
  ["Databricks recipient without a valid sharing identifier", domain("sales", '"azure:westeurope:7f0e4d9a-3c1b-4a52-9d8e-2b6f1a0c5e37"', '"westeurope"'), /invalid shares\[0\]\.recipients\[0\]\.sharingIdentifier "westeurope": expected the recipient metastore's sharing identifier/],
  ["duplicate recipient names", domain("sales", "- { name: northwind,", "- { name: fabrikam,"), /invalid shares\[0\]\.recipients\[1\]\.name "fabrikam": expected a recipient name declared once, or the same way every time/],
  ["duplicate share names", domain("sales", "    shares:\n", "    shares:\n      - { name: orders_partners, objects: [{ schema: customers }], recipients: [{ name: contoso, sharingIdentifier: \"azure:westeurope:00000000-0000-0000-0000-000000000001\" }] }\n"), /invalid shares\[1\]\.name "orders_partners": expected a share name used once in the domain/],
  ["sharing from a restricted domain", domain("fin", "    budget: 4000\n", "    budget: 4000\n    shares:\n      - { name: ledger_audit, objects: [{ schema: ledger }], recipients: [{ name: auditor, sharingIdentifier: \"azure:westeurope:00000000-0000-0000-0000-000000000002\" }] }\n"), /domain-fin-prod\/domain\/sharing: invalid restrictedSharingAllowance\.reason \(missing\): expected why restricted data is shared outside the company/],
  ["PIM justification", domain("fin", "justification: Operational support of the finance domain", "justification: ops"), /pim-prod\/fin: invalid eligibilities\[0\]\.justification "ops": expected a justification of at least 10 characters/],
];

describe("bad-input sweep", () => {
  test("covers at least 150 bad inputs: the configuration schema, the four constructs' public props and the guardrails' API", () => {
    expect(CASES.length + PROP_CASES.length).toBeGreaterThanOrEqual(150);
    for (const kind of ["platform:", "workspace:", "redis:", "domain:", "guardrails:"]) expect([kind, PROP_CASES.some(([name]) => name.startsWith(kind))]).toEqual([kind, true]);
  });

  test.each(PROP_CASES)("%s: names the prop, the value and the expectation, and writes nothing", (_name, build, prop, value, expected) => {
    const env = propEnv();
    let error: Error | undefined;
    try {
      build(env);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.message).toContain(`: invalid ${prop} ${value}`);
    expect(error!.message).toMatch(/: expected .+/);
    expect(error!.message).toMatch(expected);
    expect(error!.message).toMatch(CONSTRUCT_SHAPE);
    expect(nothingWritten(env.outdir)).toBe(true);
  });

  test.each(CASES)("%s: fails with where, what, value and expectation, and writes nothing", (_name, [file, edit], message) => {
    const config = mkdtempSync(join(root, "config-"));
    cpSync(DEFAULT_CONFIG_DIR, config, { recursive: true, filter: (src) => !src.endsWith(".ts") });
    writeFileSync(join(config, file), edit(readFileSync(join(config, file), "utf8")));
    let error: Error | undefined;
    try {
      synthesize(loadConfig(config), outdir);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error!.message.split("\n").some((line) => CONFIG_SHAPE.test(line) || CONSTRUCT_SHAPE.test(line))).toBe(true);
    expect(listing(outdir)).toEqual(before);
    expect(existsSync(`${outdir}.staging`)).toBe(false);
  });
});
