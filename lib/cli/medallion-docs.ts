#!/usr/bin/env node
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { deployerPermissionsDocument, ObservedActions } from "../ci/deployer-permissions";
import { identityDocument } from "../ci/identities";
import { readSynthesizedApp } from "../ci/synthesized-app";
import { personaAccessDocument } from "../docs/persona-access-document";
import { stackDiagram, stacksOverview } from "../docs/stack-diagram";
import { rulesDocument } from "../guardrails/rules-document";
import { runCli } from "./run-cli";

const USAGE = "usage: medallion-docs <generate|check> [--outdir cdktf.out] [--guardrails help/guardrails.md] [--diagrams help/diagrams] [--permissions help/deployer-permissions.md] [--personas help/persona-access.md] [--observed rehearsal/observed-actions.json] [--identities help/identity-permissions.md]";

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
}

/** Every generated document, by path: the guardrails page, the deployer's permissions, the persona table and one diagram page per stack. */
export function generatedDocuments(outdir: string, guardrailsPath: string, diagramsDir: string, permissionsPath: string, personasPath: string, observedPath?: string, identitiesPath = "help/identity-permissions.md"): Map<string, string> {
  const docs = new Map<string, string>([[guardrailsPath, rulesDocument()]]);
  const stacks = readSynthesizedApp(outdir);
  // What the deploy rehearsal saw each role grant, when this repository has run one.
  const observed = observedPath && existsSync(observedPath) ? (JSON.parse(readFileSync(observedPath, "utf8")) as { roles: ObservedActions }).roles : undefined;
  docs.set(permissionsPath, deployerPermissionsDocument(stacks, observed));
  docs.set(personasPath, personaAccessDocument(stacks));
  docs.set(identitiesPath, identityDocument(stacks));
  docs.set(join(diagramsDir, "README.md"), stacksOverview(stacks));
  for (const stack of stacks) docs.set(join(diagramsDir, `${stack.name}.md`), stackDiagram(stack));
  return docs;
}

/** Generated documentation: writes it (`generate`) or fails, listing each file, when the committed copy differs (`check`). */
export function main(args: string[]): number {
  const [command] = args;
  if (command !== "generate" && command !== "check") {
    console.error(USAGE);
    return 2;
  }
  const outdir = option(args, "--outdir", "cdktf.out");
  const diagramsDir = option(args, "--diagrams", "help/diagrams");
  if (!existsSync(join(outdir, "manifest.json"))) {
    console.error(`medallion-docs: ${outdir}/manifest.json not found — run the synth first (npm run synth)`);
    return 2;
  }
  const docs = generatedDocuments(outdir, option(args, "--guardrails", "help/guardrails.md"), diagramsDir, option(args, "--permissions", "help/deployer-permissions.md"), option(args, "--personas", "help/persona-access.md"), option(args, "--observed", "rehearsal/observed-actions.json"), option(args, "--identities", "help/identity-permissions.md"));
  if (command === "generate") {
    // Diagrams of stacks that no longer exist go too.
    if (existsSync(diagramsDir)) rmSync(diagramsDir, { recursive: true });
    mkdirSync(diagramsDir, { recursive: true });
    for (const [path, text] of docs) writeFileSync(path, text);
    console.log(`medallion-docs: wrote ${docs.size} documents`);
    return 0;
  }
  const stale = [...docs].filter(([path, text]) => !existsSync(path) || readFileSync(path, "utf8") !== text).map(([path]) => path);
  const extra = existsSync(diagramsDir) ? readdirSync(diagramsDir).map((f) => join(diagramsDir, f)).filter((p) => !docs.has(p)) : [];
  for (const path of [...stale, ...extra]) console.error(`medallion-docs: ${path} differs from a fresh generation: run \`npm run docs\``);
  return stale.length + extra.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = runCli("medallion-docs", main, process.argv.slice(2));
