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

/** Relative imports of each module (type-only ones too: a circle of types is still a circle of concepts). */
function importGraph(modules: { path: string; text: string }[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const { path, text } of modules) {
    const targets = [...text.matchAll(/^(?:import|export)[^;]*?from "(\.{1,2}\/[^"]+)";/gms)].map((m) => join(path, "..", m[1]).replace(/\\/g, "/") + ".ts");
    graph.set(path, targets);
  }
  return graph;
}

/** Every import circle, as `a → b → a`. */
function circles(graph: Map<string, string[]>): string[] {
  const found = new Set<string>();
  const visit = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) {
      const cycle = path.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0]);
      found.add([...cycle.slice(start), ...cycle.slice(0, start), cycle[start]].join(" → "));
      return;
    }
    for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next, [...path, node]);
  };
  for (const node of graph.keys()) visit(node, []);
  return [...found];
}

describe("house rules", () => {
  test("no import circles, type-only imports included", () => {
    expect(circles(importGraph(files))).toEqual([]);
    // The check can fail: two modules importing each other.
    expect(circles(importGraph([{ path: "lib/a.ts", text: 'import type { B } from "./b";' }, { path: "lib/b.ts", text: 'import { A } from "./a";' }]))).toEqual(["lib/a.ts → lib/b.ts → lib/a.ts"]);
  });

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
