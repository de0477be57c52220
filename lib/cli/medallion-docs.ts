#!/usr/bin/env node
import { readFileSync, writeFileSync } from "fs";
import { rulesDocument } from "../guardrails/rules-document";

/** Generated documentation: `medallion-docs <generate|check> [--guardrails help/guardrails.md]`. */
export function main(args: string[]): number {
  const [command] = args;
  const i = args.indexOf("--guardrails");
  const path = i >= 0 ? args[i + 1] : "help/guardrails.md";
  const doc = rulesDocument();
  if (command === "generate") {
    writeFileSync(path, doc);
    console.log(`medallion-docs: wrote ${path}`);
    return 0;
  }
  if (command === "check") {
    const current = (() => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return "";
      }
    })();
    if (current === doc) return 0;
    console.error(`medallion-docs: ${path} differs from a fresh generation: run \`npm run docs\``);
    return 1;
  }
  console.error("usage: medallion-docs <generate|check> [--guardrails help/guardrails.md]");
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
