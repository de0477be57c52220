import { stringify } from "yaml";
import { SynthesizedStack } from "./synthesized-app";
import { githubEnvironmentOf } from "./identities";
import { WaveGroup, waveGroups } from "./waves";

/** Third-party actions, pinned to full version tags. */
export const ACTIONS = {
  checkout: "actions/checkout@v4.2.2",
  setupNode: "actions/setup-node@v4.4.0",
  cache: "actions/cache@v4.2.3",
  uploadArtifact: "actions/upload-artifact@v4.6.2",
  downloadArtifact: "actions/download-artifact@v4.3.0",
  azureLogin: "azure/login@v2.3.0",
  setupTerraform: "hashicorp/setup-terraform@v3.1.2",
} as const;

export const TERRAFORM_VERSION = "1.9.8";
/** The GitHub variables the OIDC login uses (the identity's application ID, tenant, subscription), per GitHub Environment. */
export const LOGIN_VARIABLES = { clientId: "AZURE_CLIENT_ID", tenantId: "AZURE_TENANT_ID", subscriptionId: "AZURE_SUBSCRIPTION_ID" } as const;
export const RECOVERY_STEP_NAME = "Key Vault soft-delete recovery";
/** The reusable workflow that plans (and applies) one chunk of stacks. */
export const STACK_WORKFLOW = "stack.yml";

/**
 * The GitHub Environments of one environment, each with its own OIDC subject and so its own identity
 * (lib/ci/identities.ts, help/identity-permissions.md):
 * - `apply` (`<env>`): the deploy identity, only in jobs behind the environment's approval (the recover job, the apply);
 * - `plan` (`<env>-plan`): the plan identity — reads, and the state lock — plans before the approval, drift, the drill;
 * - `pr` (`<env>-pr`): the pull-request identity, the weakest; only the first environment of the promotion has one.
 */
export function githubEnvironments(environment: string): { readonly apply: string; readonly plan: string; readonly pr: string } {
  return { apply: githubEnvironmentOf(environment, "deploy"), plan: githubEnvironmentOf(environment, "plan"), pr: githubEnvironmentOf(environment, "pr") };
}

export interface DeployWorkflowOptions {
  /** How a job runs the Key Vault recovery CLI, in the stack's directory. */
  readonly recoveryCommand: string;
  /** How a stack job runs the per-stack CLI, medallion-stack (export-variables, redact-outputs). */
  readonly workflowCommand: string;
  /** How the prepare job runs medallion-workflow (waves). */
  readonly prepareCommand: string;
  /** The commands that synthesize the app into cdktf.out (and build the CLIs). */
  readonly synthCommands: readonly string[];
  /** Paths uploaded from the prepare job and downloaded by every stack job. */
  readonly artifactPaths: readonly string[];
  /** The workflow whose success on main starts the first environment's deploy (the tests). */
  readonly testWorkflow: string;
  /** Environments in promotion order: each deploys only a commit the previous one deployed. */
  readonly promotion: readonly string[];
}

const HEADER = [
  "# GENERATED from the synthesized app (stacks, waves and runners from cdktf.out) by `npm run workflows`.",
  "# Do not edit: `npm test` fails when this file differs from a fresh generation.",
  "",
].join("\n");

const expr = (text: string) => `\${{ ${text} }}`;
// No anchors: each job spells out its own env (GitHub's YAML anchors support is recent and not every tool reads it).
const yaml = (value: unknown) => HEADER + stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });

/** The provider versions of the app, for the plugin cache key: a new version is a new cache. */
function providerKey(stacks: readonly SynthesizedStack[]): string {
  const versions = new Set<string>();
  for (const stack of stacks) {
    const providers = ((stack.json.terraform as { required_providers?: Record<string, { source: string; version: string }> } | undefined)?.required_providers ?? {}) as Record<string, { source: string; version: string }>;
    for (const [name, p] of Object.entries(providers)) versions.add(`${name}-${p.version}`);
  }
  return `terraform-${TERRAFORM_VERSION}-${[...versions].sort().join("-")}`;
}

const LOGIN_ENV = {
  ARM_USE_OIDC: "true",
  ARM_USE_AZUREAD: "true",
  ARM_CLIENT_ID: expr(`vars.${LOGIN_VARIABLES.clientId}`),
  ARM_TENANT_ID: expr(`vars.${LOGIN_VARIABLES.tenantId}`),
  ARM_SUBSCRIPTION_ID: expr(`vars.${LOGIN_VARIABLES.subscriptionId}`),
  TF_IN_AUTOMATION: "true",
  TF_PLUGIN_CACHE_DIR: "${{ github.workspace }}/.terraform-plugins",
};

/** Plans a stack the plan identity cannot refresh with -refresh=false: the approved job refreshes it (applyScript). */
const REFRESH_FLAG = (options: DeployWorkflowOptions) => `  refresh=""; if [ "$(${options.workflowCommand} refresh-mode --stack-dir .)" = deploy ]; then refresh="-refresh=false"; fi`;

/** The per-stack loop of a plan step: init, variables from GitHub, (the recovery check,) validate, plan. */
function planScript(mode: "deploy" | "plan" | "drift", options: DeployWorkflowOptions): string {
  const lines = [
    "set -euo pipefail",
    'mkdir -p "$GITHUB_WORKSPACE/plans" "$TF_PLUGIN_CACHE_DIR"',
    ...(mode === "deploy" ? [] : ["failed=()", "drifted=()"]),
    "for stack in $STACKS; do",
    '  cd "$GITHUB_WORKSPACE/cdktf.out/stacks/$stack"',
  ];
  if (mode !== "deploy") {
    // A reader must not open a state blob that does not exist: the azurerm backend would create it (CI review B2).
    lines.push(
      `  blobs="$(${options.workflowCommand} state-blobs --stack-dir .)"`,
      '  fresh=""; upstream=""',
      "  while read -r kind name account container key; do",
      '    [ -n "$kind" ] || continue',
      '    exists="$(az storage blob exists --account-name "$account" --container-name "$container" --name "$key" --auth-mode login --query exists -o tsv)"',
      '    if [ "$exists" != "true" ]; then if [ "$kind" = self ]; then fresh=1; else upstream="$name"; fi; fi',
      '  done <<< "$blobs"',
      '  if [ -n "$upstream" ]; then echo "<details><summary>$stack: not planned</summary>the state it reads ($upstream) does not exist yet: its upstream stack is not deployed</details>" >> "$GITHUB_STEP_SUMMARY"; continue; fi',
      ...(mode === "drift"
        ? ['  if [ -n "$fresh" ]; then echo "<details><summary>$stack: not deployed yet</summary></details>" >> "$GITHUB_STEP_SUMMARY"; continue; fi']
        : ["  if [ -n \"$fresh\" ]; then echo '{\"terraform\":{\"backend\":{\"local\":{}}}}' > zz_backend_override.tf.json; fi"]),
    );
  }
  lines.push(
    "  terraform init -input=false -lock-timeout=10m -no-color",
    // Every variable from the GitHub variable or secret its stack declares; a missing one fails here, by name.
    `  ${options.workflowCommand} export-variables --stack-dir .`,
  );
  if (mode === "deploy") {
    lines.push(
      // Read-only: decides the recovery flag; a change it needs fails here and waits for the approved recover job.
      `  GITHUB_ENV="$PWD/.recovery.env" ${options.recoveryCommand} --check`,
      "  set -a; . ./.recovery.env; set +a",
    );
  }
  lines.push("  terraform validate -no-color", REFRESH_FLAG(options));
  if (mode === "deploy") {
    lines.push(
      '  terraform plan -input=false -lock-timeout=10m -no-color $refresh -out="$GITHUB_WORKSPACE/plans/$stack.tfplan"',
      '  cp .terraform.lock.hcl "$GITHUB_WORKSPACE/plans/$stack.terraform.lock.hcl"',
      '  terraform show -no-color "$GITHUB_WORKSPACE/plans/$stack.tfplan" > "$GITHUB_WORKSPACE/plans/$stack.txt"',
      '  { echo "<details><summary>$stack${refresh:+ (not refreshed: refreshed by the deploy identity after the approval)}</summary>"; echo; echo \'```\'; head -c 60000 "$GITHUB_WORKSPACE/plans/$stack.txt"; echo \'```\'; echo "</details>"; } >> "$GITHUB_STEP_SUMMARY"',
      "  unset TF_VAR_key_vault_recover_soft_deleted",
      "done",
      'cd "$GITHUB_WORKSPACE/plans"',
      // The checksums leave through a job output, not the artifact: the apply job trusts only what this job computed.
      'sha256sum -- *.tfplan *.terraform.lock.hcl > SHA256SUMS',
      '{ echo "sha256<<SHA256SUMS_END"; cat SHA256SUMS; echo "SHA256SUMS_END"; } >> "$GITHUB_OUTPUT"',
    );
    return lines.join("\n");
  }
  // Pull request, drift and drill plans: no state lock (the pull-request identity cannot take it; drift must not wait).
  lines.push(
    "  set +e",
    '  terraform plan -input=false -lock=false -no-color -detailed-exitcode $refresh > "$GITHUB_WORKSPACE/plans/$stack.txt" 2>&1',
    "  code=$?",
    "  set -e",
    '  case $code in 0) state="no changes" ;; 2) state="changes"; drifted+=("$stack") ;; *) state="error"; failed+=("$stack") ;; esac',
    '  { echo "<details><summary>$stack: $state${refresh:+ (configuration against state: its objects are refreshed only by the deploy identity)}${fresh:+ (not deployed yet: against an empty state)}</summary>"; echo; echo \'```\'; head -c 60000 "$GITHUB_WORKSPACE/plans/$stack.txt"; echo \'```\'; echo "</details>"; } >> "$GITHUB_STEP_SUMMARY"',
    "done",
    'if [ ${#failed[@]} -gt 0 ]; then echo "::error::plan failed: ${failed[*]}"; exit 1; fi',
  );
  if (mode === "drift") lines.push('if [ ${#drifted[@]} -gt 0 ]; then echo "::error::drift: ${drifted[*]} differ from their configuration"; exit 1; fi');
  return lines.join("\n");
}

/** The approved recover job: the Key Vault recovery's changes (recover, move, import), as the deploy identity. */
function recoverScript(options: DeployWorkflowOptions): string {
  return [
    "set -euo pipefail",
    'mkdir -p "$TF_PLUGIN_CACHE_DIR"',
    "for stack in $STACKS; do",
    '  cd "$GITHUB_WORKSPACE/cdktf.out/stacks/$stack"',
    "  terraform init -input=false -lock-timeout=10m -no-color",
    `  ${options.workflowCommand} export-variables --stack-dir .`,
    `  GITHUB_ENV="$PWD/.recovery.env" ${options.recoveryCommand}`,
    "done",
  ].join("\n");
}

function applyScript(options: DeployWorkflowOptions): string {
  return [
    "set -euo pipefail",
    'cd "$GITHUB_WORKSPACE/plans"',
    // Exactly the reviewed plans: the checksums the plan job put in its outputs.
    'printf "%s\\n" "$PLAN_SHA256" > expected.sha256',
    "sha256sum --check --strict expected.sha256",
    'mkdir -p "$GITHUB_WORKSPACE/outputs" "$TF_PLUGIN_CACHE_DIR"',
    "for stack in $STACKS; do",
    '  cd "$GITHUB_WORKSPACE/cdktf.out/stacks/$stack"',
    '  cp "$GITHUB_WORKSPACE/plans/$stack.terraform.lock.hcl" .terraform.lock.hcl',
    "  terraform init -input=false -lock-timeout=10m -no-color -lockfile=readonly",
    // What the plan identity could not read is refreshed now, by the deploy identity: a change made outside Terraform
    // since the reviewed plan stops the apply before it writes anything.
    `  if [ "$(${options.workflowCommand} refresh-mode --stack-dir .)" = deploy ]; then`,
    `    ${options.workflowCommand} export-variables --stack-dir .`,
    "    set +e",
    '    terraform plan -refresh-only -input=false -lock-timeout=10m -no-color -detailed-exitcode > "$RUNNER_TEMP/$stack.refresh.txt" 2>&1',
    "    code=$?",
    "    set -e",
    '    if [ $code -ne 0 ]; then cat "$RUNNER_TEMP/$stack.refresh.txt"; echo "::error::$stack: $([ $code -eq 2 ] && echo "objects changed outside Terraform since the reviewed plan" || echo "the refresh failed"); nothing was applied — review the output above and deploy again"; exit 1; fi',
    "  fi",
    '  terraform apply -input=false -lock-timeout=10m -no-color "$GITHUB_WORKSPACE/plans/$stack.tfplan"',
    // Outputs for downstream deploys (bundles), without sensitive values.
    `  terraform output -json | ${options.workflowCommand} redact-outputs > "$GITHUB_WORKSPACE/outputs/$stack.json"`,
    "done",
  ].join("\n");
}

/** The reusable workflow: plan a chunk of stacks, then (deploy mode) apply exactly those plans after the environment's approval. */
function stackWorkflow(stacks: readonly SynthesizedStack[], options: DeployWorkflowOptions): string {
  const input = (type: string, description: string, required = true) => ({ type, description, required });
  const common = (artifactDir: string) => [
    { uses: ACTIONS.downloadArtifact, with: { name: expr("inputs.artifact"), path: artifactDir } },
    { uses: ACTIONS.setupNode, with: { "node-version": 20 } },
    { uses: ACTIONS.setupTerraform, with: { terraform_version: TERRAFORM_VERSION, terraform_wrapper: false } },
    { uses: ACTIONS.cache, with: { path: ".terraform-plugins", key: `${providerKey(stacks)}-${expr("runner.os")}-${expr("runner.arch")}` } },
    { uses: ACTIONS.azureLogin, with: { "client-id": expr(`vars.${LOGIN_VARIABLES.clientId}`), "tenant-id": expr(`vars.${LOGIN_VARIABLES.tenantId}`), "subscription-id": expr(`vars.${LOGIN_VARIABLES.subscriptionId}`) } },
  ];
  const planStep = (mode: "deploy" | "plan" | "drift") => ({
    name: mode === "deploy" ? "terraform plan (for review)" : mode === "plan" ? "terraform plan (pull request)" : "terraform plan (drift)",
    if: `inputs.mode == '${mode}'`,
    id: mode === "deploy" ? "plan" : undefined,
    env: { STACKS: expr("inputs.stacks"), VARS_JSON: expr("toJSON(vars)"), SECRETS_JSON: expr("toJSON(secrets)") },
    run: planScript(mode, options),
  });
  const workflow = {
    name: "stack",
    on: {
      workflow_call: {
        inputs: {
          environment: input("string", "The environment (dev, prod)"),
          "plan-environment": input("string", "GitHub Environment of the plan job (its identity)"),
          "apply-environment": { ...input("string", "GitHub Environment of the recover and apply jobs (deploy mode): the deploy identity, after the approval", false), default: "" },
          recover: { ...input("boolean", "Deploy mode: run the Key Vault recovery's changes (recover, move, import) in an approved job before the plan", false), default: false },
          mode: input("string", "deploy: plan, approve, apply; plan: a pull request's plan; drift: plan -detailed-exitcode"),
          chunk: input("string", "The chunk's ID (artifact names)"),
          stacks: input("string", "Space-separated stack names, one wave"),
          runner: input("string", "Runner labels, a JSON array"),
          "timeout-minutes": input("number", "Time limit of each job"),
          artifact: input("string", "The synthesized app's artifact"),
        },
      },
    },
    permissions: {},
    jobs: {
      // Only when dispatched with recover: the changes the plan job's check named, behind the environment's approval.
      recover: {
        name: `recover ${expr("inputs.chunk")}`,
        if: "inputs.mode == 'deploy' && inputs.recover",
        "runs-on": expr("fromJSON(inputs.runner)"),
        environment: expr("inputs.apply-environment"),
        "timeout-minutes": expr("inputs.timeout-minutes"),
        permissions: { "id-token": "write", contents: "read" },
        env: LOGIN_ENV,
        steps: [...common("."), { name: RECOVERY_STEP_NAME, env: { STACKS: expr("inputs.stacks"), VARS_JSON: expr("toJSON(vars)"), SECRETS_JSON: expr("toJSON(secrets)") }, run: recoverScript(options) }],
      },
      plan: {
        name: `plan ${expr("inputs.chunk")}`,
        needs: ["recover"],
        if: `\${{ !cancelled() && (needs.recover.result == 'success' || needs.recover.result == 'skipped') }}`,
        "runs-on": expr("fromJSON(inputs.runner)"),
        environment: expr("inputs.plan-environment"),
        "timeout-minutes": expr("inputs.timeout-minutes"),
        permissions: { "id-token": "write", contents: "read" },
        outputs: { sha256: expr("steps.plan.outputs.sha256") },
        env: LOGIN_ENV,
        steps: [
          ...common("."),
          planStep("deploy"),
          planStep("plan"),
          planStep("drift"),
          { if: "inputs.mode == 'deploy'", uses: ACTIONS.uploadArtifact, with: { name: `plans-${expr("inputs.chunk")}`, path: "plans", "if-no-files-found": "error", "retention-days": 7, overwrite: true } },
        ].map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined))),
      },
      apply: {
        name: `apply ${expr("inputs.chunk")}`,
        needs: ["plan"],
        if: "inputs.mode == 'deploy'",
        "runs-on": expr("fromJSON(inputs.runner)"),
        environment: expr("inputs.apply-environment"),
        "timeout-minutes": expr("inputs.timeout-minutes"),
        permissions: { "id-token": "write", contents: "read" },
        env: LOGIN_ENV,
        steps: [
          ...common("."),
          { uses: ACTIONS.downloadArtifact, with: { name: `plans-${expr("inputs.chunk")}`, path: "plans" } },
          { name: "terraform apply (the reviewed plans)", env: { STACKS: expr("inputs.stacks"), PLAN_SHA256: expr("needs.plan.outputs.sha256"), VARS_JSON: expr("toJSON(vars)"), SECRETS_JSON: expr("toJSON(secrets)") }, run: applyScript(options) },
          { uses: ACTIONS.uploadArtifact, with: { name: `outputs-${expr("inputs.chunk")}`, path: "outputs", "retention-days": 30, overwrite: true } },
        ],
      },
    },
  };
  return yaml(workflow);
}

/** The prepare job: synthesize head (and base), choose the stacks, split them into chunks per wave group. */
function prepareJob(groups: readonly WaveGroup[], options: DeployWorkflowOptions, spec: { resolve?: { env: Record<string, string>; script: string }; base?: { env: Record<string, string>; script: string }; wavesArgs: string; permissions: Record<string, string>; artifact: string; guard?: string; summary?: string }): Record<string, unknown> {
  return {
    "runs-on": "ubuntu-24.04",
    "timeout-minutes": 30,
    permissions: spec.permissions,
    outputs: Object.fromEntries(groups.map((g) => [g.key, expr(`steps.waves.outputs.${g.key}`)])),
    steps: [
      // A failed run, not a skipped one: a run whose jobs are all skipped counts as a success, and promotion reads success.
      ...(spec.guard
        ? [{ name: "the trigger may deploy", env: { MAY_DEPLOY: expr(spec.guard) }, run: 'if [ "$MAY_DEPLOY" != "true" ]; then echo "::error::nothing deployed: the upstream run did not succeed on main, or this was dispatched from another branch"; exit 1; fi' }]
        : []),
      { uses: ACTIONS.checkout, with: { "fetch-depth": 0 } },
      ...(spec.resolve ? [{ name: "the commit to deploy", env: spec.resolve.env, run: spec.resolve.script }] : []),
      { uses: ACTIONS.setupNode, with: { "node-version": 20, cache: "npm" } },
      { run: "npm ci" },
      ...options.synthCommands.map((run) => ({ run })),
      ...(spec.base ? [{ name: "synthesize the base", env: spec.base.env, run: spec.base.script }] : []),
      { name: "choose the stacks", id: "waves", run: `${options.prepareCommand} waves ${spec.wavesArgs}` },
      ...(spec.summary ? [{ name: "summary", run: spec.summary }] : []),
      { uses: ACTIONS.uploadArtifact, with: { name: spec.artifact, path: options.artifactPaths.join("\n"), "if-no-files-found": "error", "retention-days": 7 } },
    ],
  };
}

/**
 * The wave groups a group must wait for: those holding a stack that one of its stacks depends on, directly or not
 * (manifest.json). Transitive, because a job whose need was skipped still runs; never by wave number, so a secondary
 * waits for its primaries and a primary never waits for its secondary (CI review M7).
 */
export function dependencyGroups(group: WaveGroup, groups: readonly WaveGroup[], stacks: readonly SynthesizedStack[]): string[] {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const upstream = new Set<string>();
  const visit = (name: string) => {
    for (const dependency of byName.get(name)?.dependencies ?? []) {
      if (upstream.has(dependency)) continue;
      upstream.add(dependency);
      visit(dependency);
    }
  };
  group.stacks.forEach(visit);
  return groups.filter((g) => g.key !== group.key && g.stacks.some((s) => upstream.has(s))).map((g) => g.key);
}

/** A caller job: the wave group's chunks as a matrix of the reusable workflow. */
function waveJob(group: WaveGroup, needs: readonly string[], spec: { mode: "deploy" | "plan" | "drift"; planEnvironment: string; applyEnvironment?: string; recover?: string; artifact: string }): Record<string, unknown> {
  const output = `needs.prepare.outputs.${group.key}`;
  return {
    needs: ["prepare", ...needs],
    // Skipped waves (nothing affected) must not skip the waves after them; a failure stops them.
    if: `\${{ !cancelled() && needs.prepare.result == 'success' && !contains(needs.*.result, 'failure') && ${output} != '[]' }}`,
    strategy: { "fail-fast": false, matrix: { chunk: expr(`fromJSON(${output})`) } },
    uses: `./.github/workflows/${STACK_WORKFLOW}`,
    with: {
      environment: group.environment,
      "plan-environment": spec.planEnvironment,
      ...(spec.applyEnvironment ? { "apply-environment": spec.applyEnvironment } : {}),
      ...(spec.recover ? { recover: spec.recover } : {}),
      mode: spec.mode,
      chunk: expr("matrix.chunk.id"),
      stacks: expr("matrix.chunk.stacks"),
      runner: JSON.stringify(group.runner),
      "timeout-minutes": expr("matrix.chunk.timeout"),
      artifact: spec.artifact,
    },
    secrets: "inherit",
  };
}

function deployWorkflowOf(environment: string, stacks: readonly SynthesizedStack[], options: DeployWorkflowOptions): string {
  const groups = waveGroups(stacks, [environment]);
  const index = options.promotion.indexOf(environment);
  const previous = index > 0 ? options.promotion[index - 1] : undefined;
  const upstream = previous ? `deploy-${previous}` : options.testWorkflow;
  const envs = githubEnvironments(environment);
  const artifact = `synthesized-${environment}`;
  const self = `deploy-${environment}.yml`;
  // Every deploy run is named after the commit it deploys (run-name): the record of what each environment runs.
  const deployedShas = (workflow: string, jq: string) => `gh run list --workflow ${workflow} --status success --limit 200 --json displayTitle --jq '${jq}'`;
  const resolve = {
    env: (previous ? { TRIGGER_TITLE: expr("github.event.workflow_run.display_title || ''") } : { TRIGGER_SHA: expr("github.event.workflow_run.head_sha || github.sha") }) as Record<string, string>,
    script: [
      "set -euo pipefail",
      previous ? 'sha="${TRIGGER_TITLE##* }"; sha="${sha:-$GITHUB_SHA}"' : 'sha="$TRIGGER_SHA"',
      'git checkout --detach "$sha"',
    ].join("\n"),
  };
  const baseScript = [
    "set -euo pipefail",
    'head="$(git rev-parse HEAD)"',
    ...(previous
      ? [
          // Promotion: only a commit the previous environment deployed.
          `if ! ${deployedShas(`deploy-${previous}.yml`, ".[].displayTitle")} | awk '{print $NF}' | grep -qx "$head"; then`,
          `  echo "::error::$head has no successful deploy-${previous} run: ${environment} deploys only what ${previous} deployed"; exit 1`,
          "fi",
        ]
      : []),
    `base="$(${deployedShas(self, ".[0].displayTitle // \"\"")} | awk '{print $NF}')"`,
    'if [ "$FORCE_ALL" = "true" ] || [ -z "$base" ]; then echo "deploying every stack (forced, or no earlier deploy)"; exit 0; fi',
    'git worktree add "$RUNNER_TEMP/base" "$base"',
    '(cd "$RUNNER_TEMP/base" && npm ci && npm run synth)',
    'echo "MEDALLION_BASE=$RUNNER_TEMP/base/cdktf.out" >> "$GITHUB_ENV"',
  ].join("\n");
  const jobs: Record<string, unknown> = {
    prepare: prepareJob(groups, options, {
      resolve,
      base: { env: { GH_TOKEN: expr("github.token"), FORCE_ALL: expr("inputs.all || false") }, script: baseScript },
      wavesArgs: `--head cdktf.out --environment ${environment} --mode deploy \${MEDALLION_BASE:+--base "$MEDALLION_BASE"}`,
      permissions: { contents: "read", actions: "read" },
      artifact,
      guard:
        `(github.event_name == 'workflow_run' && github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.head_branch == 'main'${previous ? "" : " && github.event.workflow_run.event == 'push'"})` +
        " || (github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main')",
    }),
  };
  for (const group of groups) {
    jobs[group.key] = waveJob(group, dependencyGroups(group, groups, stacks), { mode: "deploy", planEnvironment: envs.plan, applyEnvironment: envs.apply, recover: expr("inputs.recover || false"), artifact });
  }
  return yaml({
    name: `deploy-${environment}`,
    "run-name": `deploy-${environment} ${expr(previous ? "github.event.workflow_run.display_title || github.sha" : "github.event.workflow_run.head_sha || github.sha")}`,
    on: {
      workflow_run: { workflows: [upstream], types: ["completed"], branches: ["main"] },
      workflow_dispatch: {
        inputs: {
          all: { description: "Deploy every stack, not only the affected ones", type: "boolean", default: false },
          recover: { description: "Make the Key Vault recovery's changes (recover, move, import) the plan's check named, in an approved job", type: "boolean", default: false },
        },
      },
    },
    permissions: {},
    // One deploy of an environment at a time; a queued one waits, an apply is never cancelled.
    concurrency: { group: `deploy-${environment}`, "cancel-in-progress": false },
    jobs,
  });
}

/**
 * Pull-request plans and the daily drift check. A pull request plans only the first environment of the promotion, as
 * its pull-request identity: any branch can obtain that identity, so no later environment's state (and secrets) is in
 * its reach (CI review M4); later environments' plans are reviewed before their deploy's approval. Drift runs as each
 * environment's plan identity, from main only.
 */
function readOnlyWorkflow(kind: "plan" | "drift", stacks: readonly SynthesizedStack[], options: DeployWorkflowOptions): string {
  const prEnvironment = options.promotion.find((e) => stacks.some((s) => s.deployment.environment === e));
  const groups = kind === "plan" ? waveGroups(stacks, prEnvironment ? [prEnvironment] : []) : waveGroups(stacks);
  const artifact = `synthesized-${kind}`;
  const baseScript = [
    "set -euo pipefail",
    'git worktree add "$RUNNER_TEMP/base" "$BASE_SHA"',
    '(cd "$RUNNER_TEMP/base" && npm ci && npm run synth)',
    'echo "MEDALLION_BASE=$RUNNER_TEMP/base/cdktf.out" >> "$GITHUB_ENV"',
  ].join("\n");
  const prepare = prepareJob(groups, options, {
    wavesArgs: kind === "plan" ? `--head cdktf.out --environment ${prEnvironment} --mode plan --base "$MEDALLION_BASE"` : "--head cdktf.out --mode drift",
    base: kind === "plan" ? { env: { BASE_SHA: expr("github.event.pull_request.base.sha") }, script: baseScript } : undefined,
    permissions: { contents: "read" },
    artifact,
  });
  const jobs: Record<string, unknown> = { prepare };
  for (const group of groups) jobs[group.key] = waveJob(group, [], { mode: kind, planEnvironment: kind === "plan" ? githubEnvironments(group.environment).pr : githubEnvironments(group.environment).plan, artifact });
  return yaml({
    name: kind,
    on: kind === "plan" ? { pull_request: { branches: ["main"] } } : { schedule: [{ cron: "17 5 * * *" }], workflow_dispatch: {} },
    permissions: {},
    concurrency: kind === "plan" ? { group: `plan-${expr("github.event.pull_request.number")}`, "cancel-in-progress": true } : { group: "drift", "cancel-in-progress": false },
    jobs,
  });
}

/**
 * The disaster recovery drill of an environment with a secondary site: dispatch only, it checks every stack of the
 * secondary for drift with the plan identity (what a failover would find: the secondary's state, its variables, its
 * runners inside the secondary network) — a stack that differs from its configuration fails the drill (CI review M5) —
 * and puts the RPO/RTO report in the run's summary. The failover itself follows
 * help/disaster-recovery.md; a full drill is that runbook in a non-production environment with a secondary.
 */
function drillWorkflowOf(environment: string, site: string, stacks: readonly SynthesizedStack[], options: DeployWorkflowOptions): string {
  const groups = waveGroups(stacks, [environment]).filter((g) => g.site === site);
  const artifact = `synthesized-${site}-drill-${environment}`;
  const prepare = prepareJob(groups, options, {
    wavesArgs: `--head cdktf.out --environment ${environment} --site ${site} --mode drift`,
    permissions: { contents: "read" },
    artifact,
    summary: 'if [ -f cdktf.out/dr-report.md ]; then cat cdktf.out/dr-report.md >> "$GITHUB_STEP_SUMMARY"; else echo "::error::cdktf.out/dr-report.md is missing"; exit 1; fi',
  });
  const jobs: Record<string, unknown> = { prepare };
  // Plans change nothing: every wave plans at once.
  for (const group of groups) jobs[group.key] = waveJob(group, [], { mode: "drift", planEnvironment: githubEnvironments(environment).plan, artifact });
  return yaml({
    name: `${site}-drill-${environment}`,
    on: { workflow_dispatch: {} },
    permissions: {},
    concurrency: { group: `${site}-drill-${environment}`, "cancel-in-progress": false },
    jobs,
  });
}

/**
 * Every generated workflow, by file name (under .github/workflows): the reusable `stack.yml`, a `deploy-<env>.yml` per
 * environment (waves of chunks; plan, approval, apply of exactly that plan), `plan.yml` for pull requests and
 * `drift.yml`. Their size does not grow with the number of stacks: which stacks run, in how many chunks, is computed
 * per run from the synthesized app. An environment with a secondary site also gets `<site>-drill-<env>.yml`.
 */
export function generatedWorkflows(stacks: readonly SynthesizedStack[], options: DeployWorkflowOptions): Map<string, string> {
  const environments = [...new Set(stacks.map((s) => s.deployment.environment))];
  for (const env of environments) {
    if (!options.promotion.includes(env)) throw new Error(`environment ${env} is not in the promotion order (${options.promotion.join(" → ")})`);
  }
  const files = new Map<string, string>([[STACK_WORKFLOW, stackWorkflow(stacks, options)]]);
  for (const env of options.promotion.filter((e) => environments.includes(e))) files.set(`deploy-${env}.yml`, deployWorkflowOf(env, stacks, options));
  files.set("plan.yml", readOnlyWorkflow("plan", stacks, options));
  files.set("drift.yml", readOnlyWorkflow("drift", stacks, options));
  for (const env of options.promotion.filter((e) => environments.includes(e))) {
    for (const site of new Set(stacks.filter((s) => s.deployment.environment === env && s.deployment.site).map((s) => s.deployment.site!))) {
      files.set(`${site}-drill-${env}.yml`, drillWorkflowOf(env, site, stacks, options));
    }
  }
  return files;
}

/** The operator's table of GitHub variables and secrets per environment, generated so it cannot drift. */
export function variablesDocument(stacks: readonly SynthesizedStack[]): string {
  const lines = [
    "<!-- GENERATED by `npm run workflows` from the synthesized stacks. Do not edit: `npm test` fails on drift. -->",
    "# GitHub variables and secrets per environment",
    "",
    "Each environment has GitHub Environments with an identity each (help/operator-runbook.md, \"Identities\"): `<env>`",
    "(the deploy identity: recover and apply, after the approval), `<env>-plan` (the plan identity: plans, drift, the drill)",
    "and, for the first environment of the promotion only, `<env>-pr` (the pull-request identity). Set the values below on",
    "each; only `AZURE_CLIENT_ID` differs. `vars` are variables, `secrets` are secrets.",
    "Each job writes a stack's variables from these (`medallion-workflow export-variables`) and fails, naming",
    "every missing one, before it plans. `key_vault_recover_soft_deleted` is never set here: the recovery step decides it.",
    "",
  ];
  for (const env of [...new Set(stacks.map((s) => s.deployment.environment))].sort()) {
    const rows = new Map<string, { kind: string; tfVariables: Set<string>; stacks: Set<string>; optional: boolean }>();
    for (const stack of stacks.filter((s) => s.deployment.environment === env)) {
      for (const variable of stack.variables) {
        if (!("github" in variable.source)) continue;
        const { kind, name } = variable.source.github;
        const row = rows.get(name) ?? { kind, tfVariables: new Set<string>(), stacks: new Set<string>(), optional: true };
        row.tfVariables.add(variable.name);
        row.stacks.add(stack.name);
        row.optional = row.optional && variable.hasDefault;
        rows.set(name, row);
      }
    }
    const names = githubEnvironments(env);
    lines.push(`## ${env} (\`${names.apply}\`, \`${names.plan}\`; \`${names.pr}\` when ${env} is the first environment of the promotion)`, "", "| GitHub name | kind | Terraform variable | stacks |", "| --- | --- | --- | --- |");
    lines.push(`| \`${LOGIN_VARIABLES.clientId}\` | vars | (the login) | every job |`);
    for (const [name, row] of [...rows.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`| \`${name}\` | ${row.kind}${row.optional ? " (optional: the default holds)" : ""} | ${[...row.tfVariables].map((v) => `\`${v}\``).join(", ")} | ${[...row.stacks].join(", ")} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
