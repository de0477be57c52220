import { spawnSync } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse, parseDocument, stringify } from "yaml";
import { affectedStacks } from "../lib/ci/affected";
import { generatedWorkflows, RECOVERY_STEP_NAME, STACK_WORKFLOW, variablesDocument } from "../lib/ci/deploy-workflow";
import { checkParity } from "../lib/ci/parity";
import { readSynthesizedApp, SynthesizedStack } from "../lib/ci/synthesized-app";
import { chunkGroups, MAX_JOBS_PER_RUN, MAX_WORKFLOW_BYTES, stackWaves, waveGroups } from "../lib/ci/waves";
import { REPOSITORY_OPTIONS } from "../lib/cli/medallion-workflow";
import { DEFAULT_CONFIG_DIR } from "../stacks/config/load";
import { sampleSynth } from "./sample-synth";

const ROOT = join(__dirname, "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const ACTIONLINT = join(ROOT, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");
const tmp = mkdtempSync(join(tmpdir(), "medallion-workflows-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const stacks = readSynthesizedApp(sampleSynth());
const generated = generatedWorkflows(stacks, REPOSITORY_OPTIONS);
const committed = new Map([...generated.keys()].map((name) => [name, readFileSync(join(WORKFLOWS, name), "utf8")] as const));

type Step = { name?: string; id?: string; run?: string; uses?: string; if?: string; env?: Record<string, string>; with?: Record<string, unknown> };
type Job = { "runs-on"?: unknown; env?: Record<string, string>; needs?: string[]; steps?: Step[]; uses?: string; with?: Record<string, unknown>; if?: string; environment?: string; permissions?: Record<string, string>; "timeout-minutes"?: unknown; outputs?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job>; permissions?: Record<string, string>; concurrency?: unknown; "run-name"?: string; env?: Record<string, string> };
const workflow = (name: string) => parse(committed.get(name)!) as Workflow;
/** The committed workflows with one file edited. */
const mutate = (name: string, edit: (w: Workflow) => void): Map<string, string> => {
  const w = workflow(name);
  edit(w);
  return new Map([...committed, [name, stringify(w)]]);
};
const planStep = (w: Workflow, mode: string) => w.jobs.plan.steps!.find((s) => s.if === `inputs.mode == '${mode}'` && /terraform plan/.test(s.run ?? ""))!;

/** A copy of the sample configuration with one file edited, synthesized into its own cdktf.out. */
function synthEdited(name: string, file?: string, edit?: (text: string) => string): string {
  const config = join(tmp, `${name}-config`);
  cpSync(DEFAULT_CONFIG_DIR, config, { recursive: true, filter: (src) => !src.endsWith(".ts") && !src.endsWith(".js") });
  if (file && edit) writeFileSync(join(config, file), edit(readFileSync(join(config, file), "utf8")));
  const out = join(tmp, name, "cdktf.out");
  mkdirSync(join(tmp, name), { recursive: true });
  synthInChild(config, out);
  return out;
}

/**
 * Synthesizes in a child process: the same sources, transpiled by Sucrase as Jest does, synthesize about three times
 * faster outside Jest's module sandbox.
 */
function synthInChild(config: string, out: string): void {
  const script = `require("./stacks/synth").synthesize(require("./stacks/config/load").loadConfig(${JSON.stringify(config)}), ${JSON.stringify(out)})`;
  const result = spawnSync(process.execPath, ["-r", "sucrase/register/ts", "-e", script], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`synth of ${config} failed: ${result.stderr}`);
}

/** Jobs a run of a caller workflow can make at most: prepare, and per wave group its chunks' plan and apply jobs. */
function maxJobs(all: readonly SynthesizedStack[], environments?: readonly string[]): number {
  const chunks = chunkGroups(waveGroups(all, environments), undefined);
  return 1 + 2 * Object.values(chunks).reduce((n, c) => n + c.length, 0);
}

describe("generated workflows", () => {
  test("the committed workflows and the variables table are fresh generations (no drift)", () => {
    expect([...generated.keys()]).toEqual([STACK_WORKFLOW, "deploy-dev.yml", "deploy-prod.yml", "plan.yml", "drift.yml", "dr-drill-prod.yml"]);
    for (const [name, text] of generated) expect({ name, text: committed.get(name) }).toEqual({ name, text });
    expect(readFileSync(join(ROOT, "help", "operator-variables.md"), "utf8")).toBe(variablesDocument(stacks));
    expect(readdirSync(WORKFLOWS).sort()).toEqual(["ci.yml", "deploy-dev.yml", "deploy-prod.yml", "dr-drill-prod.yml", "drift.yml", "plan.yml", "release.yml", "stack.yml"]);
  });

  test("the committed workflows are in parity with every stack", () => {
    expect(checkParity(committed, stacks)).toEqual([]);
  });

  test("waves from the manifest: each wave group's job needs the groups of its stacks' dependencies; public and private stacks run apart", () => {
    const prod = workflow("deploy-prod.yml");
    expect(Object.keys(prod.jobs)).toEqual(["prepare", "wave-0-public", "wave-1-private", "wave-1-public", "dr-wave-1-public", "wave-2-private", "dr-wave-2-private", "dr-wave-2-public", "wave-3-public", "dr-wave-3-private", "dr-wave-4-public"]);
    expect(prod.jobs["wave-2-private"].needs).toEqual(["prepare", "wave-0-public", "wave-1-private"]);
    expect(prod.jobs["wave-1-private"].with).toMatchObject({ runner: '["self-hosted","linux","medallion-prod"]', "plan-environment": "prod-plan", "apply-environment": "prod", mode: "deploy" });
    expect(prod.jobs["wave-0-public"].with!.runner).toBe('["ubuntu-24.04"]');
    const groups = waveGroups(stacks, ["prod"]);
    expect(groups.find((g) => g.key === "wave-2-private")!.stacks).toEqual(["domain-fin-prod", "domain-mkt-prod", "domain-sales-prod", "governance-prod"]);
    expect(groups.find((g) => g.key === "wave-3-public")!.stacks).toEqual(["pim-prod"]);
    // The secondary region: its own jobs on its own runners, each stack after its primary.
    expect(groups.find((g) => g.key === "dr-wave-1-public")!.stacks).toEqual(["platform-prod-dr"]);
    expect(groups.find((g) => g.key === "dr-wave-2-private")).toMatchObject({ stacks: ["catalog-prod-dr"], runner: ["self-hosted", "linux", "medallion-prod-dr"] });
    expect(groups.find((g) => g.key === "dr-wave-3-private")!.stacks).toEqual(["domain-fin-prod-dr", "domain-mkt-prod-dr", "domain-sales-prod-dr", "governance-prod-dr"]);
    expect(prod.jobs["dr-wave-2-private"].needs).toContain("wave-1-private"); // catalog-prod's wave
  });

  test("the disaster recovery drill: dispatch only, checks exactly the secondary's stacks for drift with the plan identity (a change fails it), reports RPO/RTO", () => {
    const drill = workflow("dr-drill-prod.yml");
    expect(drill.on).toEqual({ workflow_dispatch: {} });
    const waves = Object.keys(drill.jobs).filter((k) => k !== "prepare");
    expect(waves).toEqual(["dr-wave-1-public", "dr-wave-2-private", "dr-wave-2-public", "dr-wave-3-private", "dr-wave-4-public"]);
    for (const key of waves) expect(drill.jobs[key].with).toMatchObject({ mode: "drift", "plan-environment": "prod-plan" });
    for (const key of waves) expect(drill.jobs[key].with).not.toHaveProperty("apply-environment");
    const prepare = drill.jobs.prepare.steps!;
    expect(prepare.find((s) => s.id === "waves")!.run).toContain("--environment prod --site dr --mode drift");
    expect(prepare.find((s) => s.name === "summary")!.run).toContain("cdktf.out/dr-report.md");
    expect(generatedWorkflows(stacks, REPOSITORY_OPTIONS).has("dr-drill-dev.yml")).toBe(false); // dev has no secondary
  });

  test("promotion: dev deploys after the tests pass on main, prod only after dev deployed the same commit; dispatch only from main", () => {
    const dev = workflow("deploy-dev.yml");
    const prod = workflow("deploy-prod.yml");
    expect(dev.on.workflow_run).toEqual({ workflows: ["ci"], types: ["completed"], branches: ["main"] });
    expect(prod.on.workflow_run).toEqual({ workflows: ["deploy-dev"], types: ["completed"], branches: ["main"] });
    const guard = (w: Workflow) => w.jobs.prepare.steps![0].env!.MAY_DEPLOY;
    expect(guard(dev)).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(guard(dev)).toContain("github.event.workflow_run.event == 'push'");
    expect(guard(prod)).toContain("github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main'");
    // The deployed commit is the run's name, and prod refuses a commit dev has not deployed.
    expect(dev["run-name"]).toBe("deploy-dev ${{ github.event.workflow_run.head_sha || github.sha }}");
    const base = prod.jobs.prepare.steps!.find((s) => s.name === "synthesize the base")!.run!;
    expect(base).toMatch(/gh run list --workflow deploy-dev\.yml --status success .* \| awk '\{print \$NF\}' \| grep -qx "\$head"/);
    expect(dev.concurrency).toEqual({ group: "deploy-dev", "cancel-in-progress": false });
  });

  test("production: a plan job makes the reviewed artifact, the approval gates the apply, and the apply verifies the plan's checksums", () => {
    const stack = workflow(STACK_WORKFLOW);
    expect(stack.jobs.plan.environment).toBe("${{ inputs.plan-environment }}");
    expect(stack.jobs.apply.environment).toBe("${{ inputs.apply-environment }}");
    expect(stack.jobs.apply.needs).toEqual(["plan"]);
    expect(stack.jobs.plan.outputs).toEqual({ sha256: "${{ steps.plan.outputs.sha256 }}" });
    const deployPlan = planStep(stack, "deploy").run!;
    expect(deployPlan).toMatch(/terraform show -no-color .* >> "\$GITHUB_STEP_SUMMARY"|terraform show -no-color/);
    expect(deployPlan).toContain('>> "$GITHUB_STEP_SUMMARY"');
    const apply = stack.jobs.apply.steps!.find((s) => s.name === "terraform apply (the reviewed plans)")!;
    expect(apply.env!.PLAN_SHA256).toBe("${{ needs.plan.outputs.sha256 }}");
    expect(apply.run!.indexOf("sha256sum --check --strict")).toBeLessThan(apply.run!.indexOf("terraform apply"));
    expect(apply.run).toMatch(/terraform apply -input=false -lock-timeout=10m -no-color "\$GITHUB_WORKSPACE\/plans\/\$stack\.tfplan"/);
    expect(apply.run).toContain("medallion-stack.js\" redact-outputs");
  });

  test("pull requests plan only the first environment, as its pull-request identity; drift plans as the plan identity; neither takes the lock; drift fails on changes", () => {
    const plan = workflow("plan.yml");
    const prJobs = Object.entries(plan.jobs).filter(([k]) => k !== "prepare");
    expect(prJobs.length).toBeGreaterThan(0);
    for (const [key, job] of prJobs) expect([key, job.with!.environment, job.with!["plan-environment"], job.with!.mode, job.with!["apply-environment"]]).toEqual([key, "dev", "dev-pr", "plan", undefined]);
    expect(plan.jobs.prepare.steps!.find((s) => s.id === "waves")!.run).toContain("--environment dev --mode plan");
    for (const [key, job] of Object.entries(workflow("drift.yml").jobs).filter(([k]) => k !== "prepare")) {
      expect([key, job.with!["plan-environment"], job.with!.mode, job.with!["apply-environment"]]).toEqual([key, `${String(job.with!.environment)}-plan`, "drift", undefined]);
    }
    expect(plan.on).toEqual({ pull_request: { branches: ["main"] } });
    expect(workflow("drift.yml").on).toMatchObject({ schedule: [{ cron: expect.any(String) }] });
    const stack = workflow(STACK_WORKFLOW);
    for (const mode of ["plan", "drift"]) expect(planStep(stack, mode).run).toMatch(/terraform plan -input=false -lock=false -no-color -detailed-exitcode \$refresh/);
    expect(planStep(stack, "drift").run).toMatch(/drift: .* differ from their configuration"; exit 1/);
    expect(planStep(stack, "plan").run).not.toMatch(/medallion-kv-recover/);
  });

  test("needs come from the stacks' dependencies: a primary never waits for its secondary, a secondary waits for its primaries (CI review M7)", () => {
    const prod = workflow("deploy-prod.yml");
    const needs = (key: string) => (prod.jobs[key].needs as string[]).filter((n) => n !== "prepare");
    for (const key of Object.keys(prod.jobs).filter((k) => k.startsWith("wave-"))) expect([key, needs(key).filter((n) => n.startsWith("dr-"))]).toEqual([key, []]);
    expect(needs("wave-3-public")).toEqual(["wave-0-public", "wave-1-private", "wave-2-private"]);
    expect(needs("dr-wave-2-private")).toEqual(expect.arrayContaining(["wave-1-private", "dr-wave-1-public"]));
    expect(needs("dr-wave-2-private")).not.toContain("wave-1-public");
  });

  test("nothing writes before an approval: the plan job only checks the recovery; its changes run in the approved recover job", () => {
    const stack = workflow(STACK_WORKFLOW);
    // Only the recover and apply jobs hold the deploy identity (the apply environment, behind its approval).
    const withDeployIdentity = Object.entries(stack.jobs).filter(([, j]) => j.environment === "${{ inputs.apply-environment }}").map(([k]) => k).sort();
    expect(withDeployIdentity).toEqual(["apply", "recover"]);
    expect(stack.jobs.plan.environment).toBe("${{ inputs.plan-environment }}");
    expect(stack.jobs.recover.if).toBe("inputs.mode == 'deploy' && inputs.recover");
    expect(stack.jobs.plan.needs).toEqual(["recover"]);
    const deployPlan = planStep(stack, "deploy").run!;
    expect(deployPlan).toMatch(/medallion-kv-recover\.js" --stack-dir \. --check/);
    expect(deployPlan).not.toMatch(/terraform (import|state (rm|mv|push))/);
    const recover = stack.jobs.recover.steps!.find((s) => s.name === RECOVERY_STEP_NAME)!.run!;
    expect(recover).toMatch(/medallion-kv-recover\.js" --stack-dir \.$/m);
    // Callers: every deploy plans as <env>-plan, every pull request as <env>-pr, nothing as <env> before an approval.
    for (const [name] of generated) {
      for (const [key, job] of Object.entries(workflow(name).jobs).filter(([, j]) => j.uses)) {
        const planEnv = String(job.with!["plan-environment"]);
        expect([name, key, planEnv.endsWith("-plan") || planEnv.endsWith("-pr")]).toEqual([name, key, true]);
        if (name === "plan.yml") expect([name, key, planEnv.endsWith("-pr")]).toEqual([name, key, true]);
      }
    }
  });

  test("stacks whose objects only an administrator may read: planned without refresh, refreshed by the approved job before it applies", () => {
    const stack = workflow(STACK_WORKFLOW);
    expect(planStep(stack, "deploy").run).toMatch(/refresh-mode --stack-dir \.\)" = deploy \]; then refresh="-refresh=false"/);
    expect(planStep(stack, "deploy").run).toMatch(/terraform plan -input=false -lock-timeout=10m -no-color \$refresh -out=/);
    const apply = stack.jobs.apply.steps!.find((s) => s.name === "terraform apply (the reviewed plans)")!.run!;
    expect(apply.indexOf("terraform plan -refresh-only")).toBeGreaterThan(0);
    expect(apply.indexOf("terraform plan -refresh-only")).toBeLessThan(apply.indexOf("terraform apply"));
    expect(apply).toMatch(/-detailed-exitcode/);
    // A reader never opens a state blob that does not exist (the backend would create it).
    for (const mode of ["plan", "drift"]) expect(planStep(stack, mode).run).toMatch(/state-blobs --stack-dir \.\)"[\s\S]*az storage blob exists[\s\S]*terraform init/);
    expect(planStep(stack, "plan").run).toContain("zz_backend_override.tf.json");
    expect(planStep(stack, "drift").run).toContain("not deployed yet");
  });

  test("least privilege and hygiene: id-token only where a job logs in; every job has a time limit; outputs without secrets; a provider cache", () => {
    for (const [name] of generated) {
      const w = workflow(name);
      expect([name, w.permissions]).toEqual([name, {}]);
      for (const [key, job] of Object.entries(w.jobs)) {
        if (job.uses) continue; // a call: the called workflow's jobs have their own
        expect([name, key, job["timeout-minutes"] !== undefined]).toEqual([name, key, true]);
        const logsIn = (job.steps ?? []).some((s) => String(s.uses).startsWith("azure/login"));
        expect([name, key, job.permissions?.["id-token"]]).toEqual([name, key, logsIn ? "write" : undefined]);
      }
    }
    expect(workflow("deploy-dev.yml").jobs.prepare.permissions).toEqual({ contents: "read", actions: "read" });
    const cache = workflow(STACK_WORKFLOW).jobs.plan.steps!.find((s) => String(s.uses).startsWith("actions/cache"))!;
    expect(cache.with!.key).toMatch(/^terraform-1\.9\.8-azuread-3\.7\.0-azurerm-4\.55\.0-databricks-1\.99\.0-/);
    for (const text of committed.values()) {
      expect(text).not.toMatch(/client-secret|ARM_CLIENT_SECRET|creds:/i);
      for (const uses of text.match(/uses: [\w-]+\/\S+/g) ?? []) expect(uses).toMatch(/@v\d+\.\d+\.\d+$/);
    }
  });

  test("release: trusted publishing with provenance and no token, the tag checked against the version; CI validates every stack", () => {
    const release = parse(readFileSync(join(WORKFLOWS, "release.yml"), "utf8")) as Workflow;
    expect(release.permissions).toEqual({});
    expect(release.jobs.publish.permissions).toEqual({ contents: "read", "id-token": "write" });
    const runs = release.jobs.publish.steps!.map((s) => s.run ?? "");
    expect(runs.findIndex((r) => r.includes('"$GITHUB_REF_NAME" != "v$version"'))).toBeLessThan(runs.findIndex((r) => r.includes("npm publish")));
    expect(runs).toContain("npm publish --provenance --access public");
    expect(JSON.stringify(release)).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN/);
    const ci = parse(readFileSync(join(WORKFLOWS, "ci.yml"), "utf8")) as Workflow;
    expect(ci.jobs.validate.steps!.map((s) => s.run ?? "").join("\n")).toMatch(/for dir in cdktf\.out\/stacks\/\*\/; do[\s\S]*terraform validate -no-color/);
    for (const job of Object.values(ci.jobs)) expect(job["timeout-minutes"]).toBeDefined();
  });

  test("generation refuses a private-network stack on a hosted runner", () => {
    const wrong = stacks.map((s) => (s.name === "domain-fin-dev" ? { ...s, deployment: { ...s.deployment, runner: ["ubuntu-24.04"] } } : s));
    expect(() => generatedWorkflows(wrong, REPOSITORY_OPTIONS)).toThrow(/stack domain-fin-dev: needs the private network \(it calls the workspace-level API of dbw-lake-core-dev-weu, whose public network access is off\) but would run on the GitHub-hosted runner ubuntu-24.04/);
  });
});

describe("parity check catches", () => {
  test("a stray TF_VAR_ export anywhere", () => {
    const text = mutate(STACK_WORKFLOW, (w) => (w.jobs.plan.env!.TF_VAR_legacy_suffix = "${{ vars.LEGACY_SUFFIX }}"));
    expect(checkParity(text, stacks)).toEqual(["stack.yml job plan: TF_VAR_legacy_suffix is a stray export — a stack's variables come from export-variables, from the GitHub names the stack declares"]);
  });

  test("a missing export: a plan without export-variables before it, or without the job's vars and secrets", () => {
    const removed = mutate(STACK_WORKFLOW, (w) => (planStep(w, "drift").run = planStep(w, "drift").run!.replace(/^.*export-variables.*\n/m, "")));
    expect(checkParity(removed, stacks)).toEqual(["stack.yml step terraform plan (drift): no export-variables before terraform plan — a stack's variables would be missing"]);
    const noSecrets = mutate(STACK_WORKFLOW, (w) => delete planStep(w, "plan").env!.SECRETS_JSON);
    expect(checkParity(noSecrets, stacks)).toEqual(["stack.yml step terraform plan (pull request): SECRETS_JSON is not the job's toJSON(secrets)"]);
  });

  test("a plan or apply without -input=false", () => {
    const text = mutate(STACK_WORKFLOW, (w) => {
      const apply = w.jobs.apply.steps!.find((s) => s.name === "terraform apply (the reviewed plans)")!;
      apply.run = apply.run!.replace("terraform apply -input=false", "terraform apply -auto-approve");
    });
    expect(checkParity(text, stacks)).toEqual([
      'stack.yml job apply, step terraform apply (the reviewed plans): "terraform apply -auto-approve -lock-timeout=10m -no-color "$GITHUB_WORKSPACE/plans/$stack.tfplan"" lacks -input=false (a missing variable would hang the run)',
    ]);
  });

  test("the recovery flag in an env: (it would shadow the value the recovery step writes)", () => {
    const text = mutate(STACK_WORKFLOW, (w) => (planStep(w, "deploy").env!.TF_VAR_key_vault_recover_soft_deleted = "false"));
    expect(checkParity(text, stacks)).toEqual(["stack.yml job plan, step terraform plan (for review): TF_VAR_key_vault_recover_soft_deleted is set in an env:, which shadows the value the recovery step writes for each stack"]);
  });

  test("a missing recovery, or one after the plan", () => {
    const missing = mutate(STACK_WORKFLOW, (w) => (planStep(w, "deploy").run = planStep(w, "deploy").run!.replace(/^.*medallion-kv-recover.*\n/m, "")));
    expect(checkParity(missing, stacks)).toEqual(["stack.yml step terraform plan (for review): no Key Vault recovery writes TF_VAR_key_vault_recover_soft_deleted"]);
    const late = mutate(STACK_WORKFLOW, (w) => {
      const lines = planStep(w, "deploy").run!.split("\n");
      const i = lines.findIndex((l) => l.includes("medallion-kv-recover"));
      const [recovery] = lines.splice(i, 1);
      lines.splice(lines.findIndex((l) => l.includes("terraform show")), 0, recovery);
      planStep(w, "deploy").run = lines.join("\n");
    });
    expect(checkParity(late, stacks)).toEqual(["stack.yml step terraform plan (for review): the Key Vault recovery runs after terraform plan"]);
  });

  test("a stack that calls the private workspace placed on a GitHub-hosted runner", () => {
    const text = mutate("deploy-prod.yml", (w) => (w.jobs["wave-1-private"].with!.runner = '["ubuntu-24.04"]'));
    expect(checkParity(text, stacks)).toEqual([
      "deploy-prod.yml job wave-1-private: runs catalog-prod on the GitHub-hosted runner ubuntu-24.04, but the stack needs the private network (it calls the workspace-level API of dbw-lake-core-prod-weu, whose public network access is off)",
    ]);
  });

  test("a missing wave job, a broken order, and an apply outside the environment's approval", () => {
    const text = mutate("deploy-prod.yml", (w) => {
      delete w.jobs["wave-3-public"];
      w.jobs["wave-2-private"].needs = ["prepare", "wave-0-public"];
      w.jobs["wave-0-public"].with!["apply-environment"] = "prod-plan";
    });
    expect(checkParity(text, stacks).sort()).toEqual([
      "deploy-prod.yml job wave-0-public: applies in prod-plan, expected prod",
      "deploy-prod.yml job wave-2-private: does not need wave-1-private, where catalog-prod (a dependency of domain-fin-prod) deploys",
      "deploy-prod.yml job wave-2-private: does not need wave-1-private, where catalog-prod (a dependency of domain-mkt-prod) deploys",
      "deploy-prod.yml job wave-2-private: does not need wave-1-private, where catalog-prod (a dependency of domain-sales-prod) deploys",
      "deploy-prod.yml job wave-2-private: does not need wave-1-private, where catalog-prod (a dependency of governance-prod) deploys",
      "deploy-prod.yml: no job wave-3-public deploys pim-prod (regenerate it: npm run workflows)",
    ]);
  });
});

describe("affected stacks", () => {
  const head = sampleSynth();

  test("identical synths give no stacks; no base gives every stack, in deploy order", () => {
    expect(affectedStacks(synthEdited("same"), head)).toEqual([]);
    const all = affectedStacks(undefined, head);
    const waves = stackWaves(stacks);
    expect([...all].sort()).toEqual(stacks.map((s) => s.name).sort());
    expect(all.map((s) => waves.get(s)!)).toEqual([...all.map((s) => waves.get(s)!)].sort((a, b) => a - b));
  });

  test("one domain's YAML changed: exactly that domain's stacks and their dependents", () => {
    const changed = synthEdited("mkt", "domains/mkt.yaml", (t) => t.replace("dataProducts: [campaigns]", "dataProducts: [campaigns, leads]"));
    expect(affectedStacks(head, changed)).toEqual(["domain-mkt-dev", "domain-mkt-prod", "domain-mkt-prod-dr", "pim-prod", "pim-prod-dr"]);
  });

  test("a platform change: the platform and everything downstream of it", () => {
    const changed = synthEdited("platform", "environments/dev.yaml", (t) => t.replace("landingRetentionDays: 14", "landingRetentionDays: 21"));
    expect(affectedStacks(head, changed)).toEqual(["platform-dev", "catalog-dev", "features-dev", "domain-fin-dev", "domain-mkt-dev", "domain-sales-dev", "governance-dev"]);
  });
});

describe("at scale: the sample organization plus 500 domains", () => {
  let big: SynthesizedStack[] = [];
  let files = new Map<string, string>();
  beforeAll(() => {
    const config = join(tmp, "scale-config");
    cpSync(DEFAULT_CONFIG_DIR, config, { recursive: true, filter: (src) => !src.endsWith(".ts") && !src.endsWith(".js") });
    // Without prod's disaster recovery site: a third copy of every domain stack would add 20 s to the suite and
    // nothing to what this checks (the sample's workflows, site included, are checked above).
    const prodFile = join(config, "environments", "prod.yaml");
    const prod = parseDocument(readFileSync(prodFile, "utf8"));
    prod.delete("disasterRecovery");
    writeFileSync(prodFile, prod.toString());
    // Without PIM in the copies: one pim-prod stack holding 500 domains' eligibilities would double the synth's time,
    // and it is one stack to the workflows either way.
    const template = readFileSync(join(config, "domains", "mkt.yaml"), "utf8").replace(/ {4}pim:\n {6}durationDays: \d+\n {6}justification: [^\n]*\n/, "");
    if (template.includes("pim:")) throw new Error("test setup: the template still asks for PIM");
    for (let i = 1; i <= 500; i++) {
      const name = `d${String(i).padStart(3, "0")}`;
      writeFileSync(join(config, "domains", `${name}.yaml`), template.replace("domain: mkt", `domain: ${name}`).replace(/mkt-/g, `${name}-`));
    }
    const out = join(tmp, "scale", "cdktf.out");
    mkdirSync(join(tmp, "scale"), { recursive: true });
    synthInChild(config, out);
    big = readSynthesizedApp(out);
    files = generatedWorkflows(big, REPOSITORY_OPTIONS);
  }, 120_000);

  test("every workflow file stays far below GitHub's 500 KB, no run can exceed 256 jobs, and parity holds", () => {
    // 500 domains in dev and prod, beside the sample's primary stacks (15).
    expect(big.length).toBe(1015);
    for (const [name, text] of files) expect([name, Buffer.byteLength(text) < MAX_WORKFLOW_BYTES / 10]).toEqual([name, true]);
    for (const env of ["dev", "prod"]) expect(maxJobs(big, [env])).toBeLessThanOrEqual(MAX_JOBS_PER_RUN);
    expect(maxJobs(big)).toBeLessThanOrEqual(MAX_JOBS_PER_RUN);
    expect(checkParity(files, big)).toEqual([]);
    // Every stack is in exactly one chunk.
    const chunked = Object.values(chunkGroups(waveGroups(big), undefined)).flatMap((c) => c.flatMap((chunk) => chunk.stacks.split(" ")));
    expect(chunked.sort()).toEqual(big.map((s) => s.name).sort());
  });

  test("actionlint passes the repository's and the 500-domain workflows, and fails a broken one", () => {
    const dir = join(tmp, "lint");
    for (const [sub, source] of [["repo", new Map(readdirSync(WORKFLOWS).map((f) => [f, readFileSync(join(WORKFLOWS, f), "utf8")] as const))], ["scale", files]] as const) {
      const target = join(dir, sub, ".github", "workflows");
      mkdirSync(target, { recursive: true });
      for (const [name, text] of source) writeFileSync(join(target, name), text);
    }
    writeFileSync(join(dir, "repo", ".github", "workflows", "broken.yml"), committed.get("deploy-dev.yml")!.replace("needs.prepare.outputs.wave-0-public != '[]'", "needs.prepare.outputs.wave-0-pubic != '[]'"));
    for (const sub of ["repo", "scale"]) {
      const result = spawnSync(process.execPath, [ACTIONLINT], { cwd: join(dir, sub), encoding: "utf8" });
      const findings = result.stdout.split("\n").filter((l) => /^\S+\.yml:\d+:\d+ /.test(l));
      expect([sub, findings.filter((l) => !l.startsWith(".github/workflows/broken.yml"))]).toEqual([sub, []]);
      if (sub === "repo") {
        expect(findings.some((l) => /broken\.yml:\d+:\d+ property "wave-0-pubic" is not defined/.test(l))).toBe(true);
        expect(result.status).toBe(1);
      } else expect(result.status).toBe(0);
    }
  }, 60_000);
});
