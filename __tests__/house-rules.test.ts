import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";

const ROOT = join(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const files = [join(ROOT, "main.ts"), ...sources(join(ROOT, "lib")), ...sources(join(ROOT, "stacks"))].map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, "utf8"),
}));

function offenders(pattern: RegExp): string[] {
  return files.flatMap(({ path, text }) => text.split("\n").flatMap((line, i) => (pattern.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])));
}

describe("house rules", () => {
  test("scans the sources", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  test("provider classes are imported by deep path only (a root import costs ~1 s and ~400 MB)", () => {
    expect(offenders(/from\s+["']@cdktf\/provider-(azurerm|databricks|azuread)["']|require\(["']@cdktf\/provider-(azurerm|databricks|azuread)["']\)/)).toEqual([]);
  });

  test("no azuread data source (restricted tenants cannot read Microsoft Graph)", () => {
    expect(offenders(/provider-azuread\/lib\/data-|DataAzuread/)).toEqual([]);
  });

  test("no Key Vault access policies (RBAC only)", () => {
    expect(offenders(/key-vault-access-policy|KeyVaultAccessPolicy/)).toEqual([]);
  });

  test("the rule itself catches a root import", () => {
    const sample = 'import { StorageAccount } from "@cdktf/provider-azurerm";';
    expect(/from\s+["']@cdktf\/provider-(azurerm|databricks|azuread)["']/.test(sample)).toBe(true);
  });
});
