import { stringify } from "yaml";
import { isHostedRunner } from "./deploy-metadata";
import { SynthesizedStack } from "./synthesized-app";

/** Third-party actions, pinned to full version tags. */
export const ACTIONS = {
  checkout: "actions/checkout@v4.2.2",
  setupNode: "actions/setup-node@v4.4.0",
  uploadArtifact: "actions/upload-artifact@v4.6.2",
  downloadArtifact: "actions/download-artifact@v4.3.0",
  azureLogin: "azure/login@v2.3.0",
  setupTerraform: "hashicorp/setup-terraform@v3.1.2",
} as const;

export const TERRAFORM_VERSION = "1.9.8";
/** The GitHub variables the OIDC login uses (the deployment principal's application ID, tenant, subscription). */
export const LOGIN_VARIABLES = { clientId: "AZURE_CLIENT_ID", tenantId: "AZURE_TENANT_ID", subscriptionId: "AZURE_SUBSCRIPTION_ID" } as const;
export const RECOVERY_STEP_NAME = "Key Vault soft-delete recovery";
const ARTIFACT = "synthesized";

export interface DeployWorkflowOptions {
  /** How a job runs the Key Vault recovery CLI, relative to the stack directory. */
  readonly recoveryCommand: string;
  /** The commands that synthesize the app into cdktf.out (and build the CLI). */
  readonly synthCommands: readonly string[];
  /** Paths uploaded from the synth job and downloaded by every stack job. */
  readonly artifactPaths: readonly string[];
}

const HEADER = [
  "# GENERATED from the synthesized app (stacks and dependencies from cdktf.out/manifest.json, variables from each",
  "# cdk.tf.json) by `npm run workflows`. Do not edit: `npm test` fails when this file differs from a fresh generation.",
  "",
].join("\n");

const expr = (text: string) => `\${{ ${text} }}`;
const runsOn = (labels: readonly string[]) => (labels.length === 1 ? labels[0] : [...labels]);

/** The deploy workflow: one job per stack in dependency order, OIDC only, plan then apply of exactly that plan. */
export function deployWorkflow(stacks: readonly SynthesizedStack[], options: DeployWorkflowOptions): string {
  const environments = [...new Set(stacks.map((s) => s.deployment.environment))].sort();
  const jobs: Record<string, unknown> = {
    synth: {
      name: "synth",
      "runs-on": "ubuntu-24.04",
      steps: [
        { uses: ACTIONS.checkout },
        { uses: ACTIONS.setupNode, with: { "node-version": 20, cache: "npm" } },
        { run: "npm ci" },
        ...options.synthCommands.map((run) => ({ run })),
        { uses: ACTIONS.uploadArtifact, with: { name: ARTIFACT, path: options.artifactPaths.join("\n"), "if-no-files-found": "error", "retention-days": 7 } },
      ],
    },
  };
  for (const stack of stacks) jobs[stack.name] = stackJob(stack, options);
  const workflow = {
    name: "deploy",
    on: {
      push: { branches: ["main"] },
      workflow_dispatch: { inputs: { environment: { description: "Environment to deploy", type: "choice", options: environments, required: true } } },
    },
    permissions: { "id-token": "write", contents: "read" },
    jobs,
  };
  return HEADER + stringify(workflow, { lineWidth: 0 });
}

/** The runner labels of a stack's jobs; a stack that needs the private network never gets a GitHub-hosted runner. */
export function stackRunner(stack: SynthesizedStack): readonly string[] {
  const runner = stack.deployment.runner ?? ["ubuntu-24.04"];
  if (stack.deployment.network === "private" && isHostedRunner(runner)) {
    throw new Error(`stack ${stack.name}: needs the private network (${stack.deployment.networkReason ?? "it calls a private API"}) but would run on the GitHub-hosted runner ${runner.join(", ")}`);
  }
  return runner;
}

function stackJob(stack: SynthesizedStack, options: DeployWorkflowOptions): Record<string, unknown> {
  const env = stack.deployment.environment;
  const jobEnv: Record<string, string> = {
    ARM_USE_OIDC: "true",
    ARM_USE_AZUREAD: "true",
    ARM_CLIENT_ID: expr(`vars.${LOGIN_VARIABLES.clientId}`),
    ARM_TENANT_ID: expr(`vars.${LOGIN_VARIABLES.tenantId}`),
    ARM_SUBSCRIPTION_ID: expr(`vars.${LOGIN_VARIABLES.subscriptionId}`),
  };
  // The recovery flag is written by the recovery step on every run; an env: entry would shadow it.
  for (const variable of stack.variables) {
    if ("github" in variable.source) jobEnv[`TF_VAR_${variable.name}`] = expr(`${variable.source.github.kind}.${variable.source.github.name}`);
  }
  return {
    name: stack.name,
    needs: ["synth", ...stack.dependencies],
    if: `github.event_name == 'push' || inputs.environment == '${env}'`,
    "runs-on": runsOn(stackRunner(stack)),
    environment: env,
    concurrency: { group: `deploy-${env}-${stack.name}`, "cancel-in-progress": false },
    env: jobEnv,
    defaults: { run: { "working-directory": stack.directory } },
    steps: [
      { uses: ACTIONS.downloadArtifact, with: { name: ARTIFACT } },
      { uses: ACTIONS.setupNode, with: { "node-version": 20 } },
      { uses: ACTIONS.azureLogin, with: { "client-id": expr(`vars.${LOGIN_VARIABLES.clientId}`), "tenant-id": expr(`vars.${LOGIN_VARIABLES.tenantId}`), "subscription-id": expr(`vars.${LOGIN_VARIABLES.subscriptionId}`) } },
      { uses: ACTIONS.setupTerraform, with: { terraform_version: TERRAFORM_VERSION, terraform_wrapper: false } },
      { name: "terraform init", run: "terraform init -input=false -lock-timeout=10m" },
      { name: RECOVERY_STEP_NAME, run: options.recoveryCommand },
      { name: "terraform plan", run: "terraform plan -input=false -lock-timeout=10m -out=tfplan" },
      { name: "terraform apply", run: "terraform apply -input=false -lock-timeout=10m tfplan" },
      { name: "terraform output", run: "terraform output -json > outputs.json" },
      { uses: ACTIONS.uploadArtifact, with: { name: `outputs-${stack.name}`, path: `${stack.directory}/outputs.json`, "retention-days": 30 } },
    ],
  };
}

/**
 * actionlint's configuration: the custom labels of the runners the stacks use (self-hosted, or larger GitHub-hosted
 * runners with Azure private networking), so a typo in a label is still caught. Generated, like the workflow.
 */
export function actionlintConfig(stacks: readonly SynthesizedStack[]): string {
  const labels = [...new Set(stacks.flatMap((s) => stackRunner(s)).filter((l) => !isHostedRunner([l]) && !["self-hosted", "linux", "windows", "macos", "x64", "arm", "arm64"].includes(l)))].sort();
  return `${HEADER}${stringify({ "self-hosted-runner": { labels } }, { lineWidth: 0 })}`;
}

/** The operator's table of GitHub variables and secrets per environment, generated so it cannot drift. */
export function variablesDocument(stacks: readonly SynthesizedStack[]): string {
  const lines = [
    "<!-- GENERATED by `npm run workflows` from the synthesized stacks. Do not edit: `npm test` fails on drift. -->",
    "# GitHub variables and secrets per environment",
    "",
    "Set these on each GitHub Environment (Settings → Environments). `vars` are variables, `secrets` are secrets.",
    `The login uses \`${LOGIN_VARIABLES.clientId}\`, \`${LOGIN_VARIABLES.tenantId}\` and \`${LOGIN_VARIABLES.subscriptionId}\` in every job.`,
    "`TF_VAR_key_vault_recover_soft_deleted` is never set here: the recovery step writes it on every run.",
    "",
  ];
  for (const env of [...new Set(stacks.map((s) => s.deployment.environment))].sort()) {
    const rows = new Map<string, { kind: string; tfVariables: Set<string>; stacks: Set<string> }>();
    for (const stack of stacks.filter((s) => s.deployment.environment === env)) {
      for (const variable of stack.variables) {
        if (!("github" in variable.source)) continue;
        const { kind, name } = variable.source.github;
        const row = rows.get(name) ?? { kind, tfVariables: new Set<string>(), stacks: new Set<string>() };
        row.tfVariables.add(variable.name);
        row.stacks.add(stack.name);
        rows.set(name, row);
      }
    }
    lines.push(`## ${env}`, "", "| GitHub name | kind | Terraform variable | stacks |", "| --- | --- | --- | --- |");
    for (const [name, row] of [...rows.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`| \`${name}\` | ${row.kind} | ${[...row.tfVariables].map((v) => `\`${v}\``).join(", ")} | ${[...row.stacks].join(", ")} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
