import { spawnSync } from "child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse, stringify } from "yaml";
import { checkParity } from "../lib/ci/parity";
import { actionlintConfig, deployWorkflow, variablesDocument } from "../lib/ci/deploy-workflow";
import { readSynthesizedApp, SynthesizedStack } from "../lib/ci/synthesized-app";
import { REPOSITORY_OPTIONS } from "../lib/cli/medallion-workflow";
import { sampleSynth } from "./sample-synth";

const ROOT = join(__dirname, "..");
const WORKFLOW = join(ROOT, ".github", "workflows", "deploy.yml");
const VARIABLES_DOC = join(ROOT, "help", "operator-variables.md");
const ACTIONLINT = join(ROOT, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");

const stacks = readSynthesizedApp(sampleSynth());
const committed = readFileSync(WORKFLOW, "utf8");

type Job = { "runs-on": string | string[]; env: Record<string, string>; needs: string[]; steps: { name?: string; run?: string; uses?: string; env?: Record<string, string>; with?: Record<string, unknown> }[] };
const mutate = (edit: (workflow: { jobs: Record<string, Job>; env?: Record<string, string> }) => void) => {
  const workflow = parse(committed);
  edit(workflow);
  return stringify(workflow);
};

describe("generated deploy workflow", () => {
  test("the committed workflow is a fresh generation (no drift)", () => {
    expect(committed).toBe(deployWorkflow(stacks, REPOSITORY_OPTIONS));
  });

  test("the committed variables table is a fresh generation", () => {
    expect(readFileSync(VARIABLES_DOC, "utf8")).toBe(variablesDocument(stacks));
  });

  test("the committed actionlint configuration is a fresh generation: the private runners' custom labels", () => {
    expect(readFileSync(join(ROOT, ".github", "actionlint.yaml"), "utf8")).toBe(actionlintConfig(stacks));
    expect(parse(actionlintConfig(stacks))).toEqual({ "self-hosted-runner": { labels: ["medallion-dev", "medallion-prod"] } });
  });

  test("the committed workflow is in parity with every stack", () => {
    expect(checkParity(committed, stacks)).toEqual([]);
  });

  test("one job per stack in dependency order; a concurrency group per environment and stack that never cancels an apply", () => {
    const workflow = parse(committed) as { jobs: Record<string, Job & { environment: string; concurrency: { group: string; "cancel-in-progress": boolean } }> };
    for (const stack of stacks) {
      const job = workflow.jobs[stack.name];
      expect(job.needs).toEqual(["synth", ...stack.dependencies]);
      expect(job.environment).toBe(stack.deployment.environment);
      expect(job.concurrency).toEqual({ group: `deploy-${stack.deployment.environment}-${stack.name}`, "cancel-in-progress": false });
      const runs = job.steps.map((s) => s.run).filter(Boolean);
      expect(runs).toEqual([
        "terraform init -input=false -lock-timeout=10m",
        expect.stringMatching(/medallion-kv-recover\.js" --stack-dir \.$/),
        "terraform plan -input=false -lock-timeout=10m -out=tfplan",
        "terraform apply -input=false -lock-timeout=10m tfplan",
        "terraform output -json > outputs.json",
      ]);
      expect(job.steps.find((s) => String(s.uses).startsWith("hashicorp/setup-terraform"))!.with).toMatchObject({ terraform_wrapper: false });
    }
  });

  test("stacks that call the private workspace run on the environment's private runners; the others on hosted ones", () => {
    const workflow = parse(committed) as { jobs: Record<string, Job> };
    for (const stack of stacks) {
      const privateNetwork = stack.name.startsWith("catalog-") || stack.name.startsWith("domain-");
      expect([stack.name, stack.deployment.network ?? "public"]).toEqual([stack.name, privateNetwork ? "private" : "public"]);
      expect([stack.name, workflow.jobs[stack.name]["runs-on"]]).toEqual([stack.name, privateNetwork ? ["self-hosted", "linux", `medallion-${stack.deployment.environment}`] : "ubuntu-24.04"]);
    }
  });

  test("generation refuses a private-network stack on a hosted runner", () => {
    const wrong = stacks.map((s) => (s.name === "domain-fin-dev" ? { ...s, deployment: { ...s.deployment, runner: ["ubuntu-24.04"] } } : s));
    expect(() => deployWorkflow(wrong, REPOSITORY_OPTIONS)).toThrow(/stack domain-fin-dev: needs the private network \(it calls the workspace-level API of dbw-lake-core-dev-weu, whose public network access is off\) but would run on the GitHub-hosted runner ubuntu-24.04/);
  });

  test("OIDC only: id-token permission, no client secret anywhere, third-party actions pinned to full versions", () => {
    const workflow = parse(committed) as { permissions: Record<string, string> };
    expect(workflow.permissions).toEqual({ "id-token": "write", contents: "read" });
    expect(committed).not.toMatch(/client-secret|ARM_CLIENT_SECRET|creds:/i);
    for (const uses of committed.match(/uses: \S+/g) ?? []) expect(uses).toMatch(/@v\d+\.\d+\.\d+$/);
  });
});

describe("parity check catches", () => {
  const problemsOf = (text: string, of: readonly SynthesizedStack[] = stacks) => checkParity(text, of);

  test("a removed TF_VAR_ export, naming it", () => {
    const text = mutate((w) => delete w.jobs["platform-dev"].env.TF_VAR_deployment_principal_object_id);
    expect(problemsOf(text)).toEqual(["job platform-dev: variable deployment_principal_object_id has no TF_VAR_deployment_principal_object_id export (expected ${{ vars.DEPLOYMENT_PRINCIPAL_OBJECT_ID }})"]);
  });

  test("a variable added to a stack without regenerating, naming it (with or without a default)", () => {
    const added = stacks.map((s) => (s.name === "catalog-prod" ? { ...s, variables: [...s.variables, { name: "new_input", sensitive: false, hasDefault: true, source: { github: { kind: "vars" as const, name: "NEW_INPUT" } } }] } : s));
    expect(problemsOf(committed, added)).toEqual(["job catalog-prod: variable new_input (has a default) has no TF_VAR_new_input export (expected ${{ vars.NEW_INPUT }})"]);
  });

  test("a sensitive variable exported from vars instead of secrets", () => {
    const sensitive = stacks.map((s) =>
      s.name === "features-dev" ? { ...s, variables: s.variables.map((v) => (v.name === "online_serving_object_id" ? { ...v, source: { github: { kind: "secrets" as const, name: "ONLINE_SERVING_OBJECT_ID" } } } : v)) } : s,
    );
    expect(problemsOf(committed, sensitive)).toEqual(['job features-dev: TF_VAR_online_serving_object_id is "${{ vars.ONLINE_SERVING_OBJECT_ID }}", but the stack declares ${{ secrets.ONLINE_SERVING_OBJECT_ID }}']);
  });

  test("a stray export", () => {
    const text = mutate((w) => (w.jobs["domain-sales-dev"].env.TF_VAR_legacy_suffix = "${{ vars.LEGACY_SUFFIX }}"));
    expect(problemsOf(text)).toEqual(["job domain-sales-dev: TF_VAR_legacy_suffix is a stray export (stack domain-sales-dev has no variable legacy_suffix)"]);
  });

  test("a plan or apply without -input=false", () => {
    const text = mutate((w) => {
      w.jobs["pim-prod"].steps.find((s) => s.name === "terraform plan")!.run = "terraform plan -out=tfplan";
      w.jobs["pim-prod"].steps.find((s) => s.name === "terraform apply")!.run = "terraform apply -auto-approve tfplan";
    });
    expect(problemsOf(text)).toEqual([
      'job pim-prod, step terraform plan: "terraform plan -out=tfplan" lacks -input=false (a missing variable would hang the run)',
      'job pim-prod, step terraform apply: "terraform apply -auto-approve tfplan" lacks -input=false (a missing variable would hang the run)',
    ]);
  });

  test("the recovery flag set in a job env: (it would shadow the runtime value)", () => {
    const text = mutate((w) => (w.jobs["platform-prod"].env.TF_VAR_key_vault_recover_soft_deleted = "true"));
    expect(problemsOf(text)).toEqual(["job platform-prod: TF_VAR_key_vault_recover_soft_deleted is set in the job's env:, which shadows the value the recovery step writes to $GITHUB_ENV"]);
  });

  test("the recovery flag set in a step env:", () => {
    const text = mutate((w) => (w.jobs["platform-prod"].steps.find((s) => s.name === "terraform plan")!.env = { TF_VAR_key_vault_recover_soft_deleted: "false" }));
    expect(problemsOf(text)).toEqual(["job platform-prod, step terraform plan: TF_VAR_key_vault_recover_soft_deleted is set in a step env:, which shadows the value the recovery step writes"]);
  });

  test("a missing recovery step, or one after the plan", () => {
    const missing = mutate((w) => (w.jobs["features-prod"].steps = w.jobs["features-prod"].steps.filter((s) => s.name !== "Key Vault soft-delete recovery")));
    expect(problemsOf(missing)).toEqual(['job features-prod: no "Key Vault soft-delete recovery" step writes TF_VAR_key_vault_recover_soft_deleted']);
    const late = mutate((w) => {
      const steps = w.jobs["features-prod"].steps;
      const i = steps.findIndex((s) => s.name === "Key Vault soft-delete recovery");
      steps.push(...steps.splice(i, 1));
    });
    expect(problemsOf(late)).toEqual(['job features-prod: "Key Vault soft-delete recovery" runs after terraform plan']);
  });

  test("a stack that calls the private workspace placed on a GitHub-hosted runner", () => {
    const text = mutate((w) => (w.jobs["catalog-prod"]["runs-on"] = "ubuntu-24.04"));
    expect(problemsOf(text)).toEqual([
      "job catalog-prod: runs on the GitHub-hosted runner ubuntu-24.04, but the stack needs the private network (it calls the workspace-level API of dbw-lake-core-prod-weu, whose public network access is off)",
    ]);
  });

  test("a missing job and a missing dependency", () => {
    const text = mutate((w) => {
      delete w.jobs["domain-mkt-prod"];
      w.jobs["catalog-dev"].needs = ["synth"];
    });
    expect(problemsOf(text).sort()).toEqual(["job catalog-dev: does not need platform-dev, which the stack depends on", "stack domain-mkt-prod: no job in the workflow (regenerate it: npm run workflows)"]);
  });
});

describe("actionlint", () => {
  // One run (the linter is a WebAssembly build that takes seconds to load): the repository's workflows as they are,
  // plus a broken copy that proves the check can fail.
  test("passes every workflow of the repository and fails a broken one", () => {
    const dir = mkdtempSync(join(tmpdir(), "actionlint-"));
    const workflows = join(dir, ".github", "workflows");
    mkdirSync(workflows, { recursive: true });
    const names = readdirSync(join(ROOT, ".github", "workflows")).filter((f) => f.endsWith(".yml"));
    for (const name of names) copyFileSync(join(ROOT, ".github", "workflows", name), join(workflows, name));
    writeFileSync(join(workflows, "broken.yml"), committed.replace("inputs.environment == 'dev'", "inputs.enviroment == 'dev'").replace("- medallion-dev", "- medallion-dve"));
    const result = spawnSync(process.execPath, [ACTIONLINT], { cwd: dir, encoding: "utf8" });
    rmSync(dir, { recursive: true, force: true });
    expect(names).toEqual(expect.arrayContaining(["ci.yml", "deploy.yml", "release.yml"]));
    // This WebAssembly build reads no configuration file: apply .github/actionlint.yaml's self-hosted runner labels
    // here, as actionlint does — an unknown label is accepted only when the configuration names it.
    const known = (parse(readFileSync(join(ROOT, ".github", "actionlint.yaml"), "utf8")) as { "self-hosted-runner": { labels: string[] } })["self-hosted-runner"].labels;
    const configured = (l: string) => known.some((label) => l.includes(`label "${label}" is unknown`));
    const findings = result.stdout.split("\n").filter((l) => /^\S+\.yml:\d+:\d+ /.test(l)).filter((l) => !configured(l));
    expect(findings.filter((l) => !l.startsWith(".github/workflows/broken.yml"))).toEqual([]);
    expect(findings.some((l) => /broken\.yml:\d+:\d+ label "medallion-dve" is unknown/.test(l))).toBe(true);
    expect(findings.some((l) => /broken\.yml:\d+:\d+ property "enviroment" is not defined/.test(l))).toBe(true);
    expect(result.status).toBe(1);
  });
});
