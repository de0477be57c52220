import { spawnSync } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { deployerRole } from "../lib/ci/deployer-permissions";
import { readSynthesizedApp } from "../lib/ci/synthesized-app";
import { generatedDocuments } from "../lib/cli/medallion-docs";
import { sampleSynth } from "./sample-synth";

const ROOT = join(__dirname, "..");
const HELP = join(ROOT, "help");
const out = mkdtempSync(join(tmpdir(), "medallion-docs-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const markdown = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? markdown(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : []));
const parse = (files: string[]) => spawnSync(process.execPath, [join(__dirname, "fixtures", "parse-mermaid.mjs"), ...files], { encoding: "utf8" });

describe("help/", () => {
  test("the generated pages (stack diagrams, guardrails) are fresh generations", () => {
    const docs = generatedDocuments(sampleSynth(), join(HELP, "guardrails.md"), join(HELP, "diagrams"), join(HELP, "deployer-permissions.md"), join(HELP, "persona-access.md"), join(ROOT, "rehearsal", "observed-actions.json"));
    expect(docs.size).toBeGreaterThan(10);
    for (const [path, text] of docs) expect({ path, text: readFileSync(path, "utf8") }).toEqual({ path, text });
    expect(readdirSync(join(HELP, "diagrams")).sort()).toEqual([...docs.keys()].filter((p) => p.includes("diagrams")).map((p) => p.split("/").pop()).sort());
  });

  test("every Mermaid diagram parses with Mermaid's own parser, and a broken one does not", () => {
    const files = markdown(HELP).filter((f) => readFileSync(f, "utf8").includes("```mermaid"));
    expect(files.length).toBeGreaterThan(10);
    const blocks = files.reduce((n, f) => n + (readFileSync(f, "utf8").match(/```mermaid\n/g) ?? []).length, 0);
    const result = parse(files);
    expect({ status: result.status, out: result.stdout.trim().split("\n").pop() }).toEqual({ status: 0, out: `parsed ${blocks} mermaid blocks, 0 failed` });

    const broken = join(out, "broken.md");
    writeFileSync(broken, "```mermaid\nflowchart LR\n  subgraph g0[\"open\"]\n    a --> \n```\n");
    const failed = parse([broken]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/FAIL .*broken\.md: /);
  });

  test("every relative link between pages points at a page that exists", () => {
    for (const file of markdown(HELP).concat(join(ROOT, "README.md"))) {
      for (const [, target] of readFileSync(file, "utf8").matchAll(/\]\(((?!https?:)[^)#]+\.md)(#[^)]*)?\)/g)) {
        const resolved = join(file, "..", target);
        expect({ file, target, exists: (() => { try { readFileSync(resolved); return true; } catch { return false; } })() }).toEqual({ file, target, exists: true });
      }
    }
  });

  test("the runbook registers every resource provider the stacks use, and Event Grid for file events", () => {
    const runbook = readFileSync(join(HELP, "operator-runbook.md"), "utf8");
    const registrations = /\*\*Resource providers\.\*\*([\s\S]*?)\n\d\. /.exec(runbook)![1];
    const stacks = readSynthesizedApp(sampleSynth());
    const namespaces = new Set(["dev", "prod"].flatMap((env) => deployerRole(stacks, env)!.Actions.map((a) => a.split("/")[0])));
    // Registered in every subscription from the start.
    for (const builtIn of ["Microsoft.Authorization", "Microsoft.Resources"]) namespaces.delete(builtIn);
    const fileEvents = stacks.some((s) => JSON.stringify(s.json).includes('"enable_file_events":true'));
    for (const namespace of [...namespaces, ...(fileEvents ? ["Microsoft.EventGrid"] : [])]) expect({ namespace, registered: registrations.includes(namespace) }).toEqual({ namespace, registered: true });
  });
});
