#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync } from "fs";
import { checkParity } from "../ci/parity";
import { actionlintConfig, deployWorkflow, DeployWorkflowOptions, variablesDocument } from "../ci/deploy-workflow";
import { readSynthesizedApp } from "../ci/synthesized-app";

const USAGE = `usage: medallion-workflow <generate|check> [--outdir cdktf.out] [--workflow .github/workflows/deploy.yml] [--variables-doc FILE] [--actionlint-config .github/actionlint.yaml]
  generate  write the deploy workflow (and the variables document) from the synthesized app
  check     fail, listing each offender, when the committed files differ from a fresh generation
            or the workflow is out of parity with the stacks`;

/** This repository's way of synthesizing and running the recovery CLI inside the workflow. */
export const REPOSITORY_OPTIONS: DeployWorkflowOptions = {
  synthCommands: ["npm run synth"],
  artifactPaths: ["cdktf.out", "dist"],
  recoveryCommand: "node \"$GITHUB_WORKSPACE/dist/lib/cli/medallion-kv-recover.js\" --stack-dir .",
};

function option(args: string[], name: string, fallback?: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
}

export function main(args: string[]): number {
  const [command] = args;
  if (command !== "generate" && command !== "check") {
    console.error(USAGE);
    return 2;
  }
  const outdir = option(args, "--outdir", "cdktf.out")!;
  const workflowPath = option(args, "--workflow", ".github/workflows/deploy.yml")!;
  const docPath = option(args, "--variables-doc");
  const lintPath = option(args, "--actionlint-config", ".github/actionlint.yaml")!;
  if (!existsSync(`${outdir}/manifest.json`)) {
    console.error(`medallion-workflow: ${outdir}/manifest.json not found — run the synth first (npm run synth)`);
    return 2;
  }
  const stacks = readSynthesizedApp(outdir);
  const workflow = deployWorkflow(stacks, REPOSITORY_OPTIONS);
  const doc = variablesDocument(stacks);
  const lint = actionlintConfig(stacks);

  if (command === "generate") {
    writeFileSync(workflowPath, workflow);
    writeFileSync(lintPath, lint);
    if (docPath) writeFileSync(docPath, doc);
    console.log(`medallion-workflow: wrote ${workflowPath}, ${lintPath}${docPath ? ` and ${docPath}` : ""} for ${stacks.length} stacks`);
    return 0;
  }

  const problems: string[] = [];
  const committed = existsSync(workflowPath) ? readFileSync(workflowPath, "utf8") : "";
  if (committed !== workflow) problems.push(`${workflowPath} differs from a fresh generation: run \`npm run workflows\` and commit the result`);
  if (docPath && (!existsSync(docPath) || readFileSync(docPath, "utf8") !== doc)) problems.push(`${docPath} differs from a fresh generation: run \`npm run workflows\``);
  if (!existsSync(lintPath) || readFileSync(lintPath, "utf8") !== lint) problems.push(`${lintPath} differs from a fresh generation: run \`npm run workflows\``);
  problems.push(...checkParity(committed, stacks).map((p) => `${workflowPath}: ${p}`));
  for (const p of problems) console.error(`medallion-workflow: ${p}`);
  if (problems.length === 0) console.log(`medallion-workflow: ${workflowPath} is current and in parity with ${stacks.length} stacks`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
