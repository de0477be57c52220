import { execFileSync, spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { transform } from "sucrase";

const ROOT = join(__dirname, "..");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const work = mkdtempSync(join(tmpdir(), "medallion-package-"));
let tarball = "";
let files: string[] = [];

beforeAll(() => {
  // The package is what `npm run build` compiles (type-checking already ran once in npm test); pack it as
  // `npm publish` would.
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.json"), "--noCheck"], { cwd: ROOT });
  const packed = JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8" }))[0];
  tarball = join(work, packed.filename);
  files = packed.files.map((f: { path: string }) => f.path).sort();
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm package", () => {
  test("holds the compiled library with types and source maps, the help pages, README, LICENSE and CHANGELOG — nothing else", () => {
    expect(files.filter((f) => !f.startsWith("dist/lib/") && !f.startsWith("help/"))).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "package.json"]);
    // The documentation, for npm users: every page of help/, and nothing else from it.
    expect(files.filter((f) => f.startsWith("help/")).every((f) => f.endsWith(".md"))).toBe(true);
    expect(files).toEqual(expect.arrayContaining(["help/index.md", "help/getting-started.md", "help/ci-tooling.md", "help/unity-catalog.md"]));
    for (const f of ["dist/lib/index.js", "dist/lib/index.d.ts", "dist/lib/index.js.map", "dist/lib/cli/medallion-kv-recover.js", "dist/lib/cli/medallion-workflow.js"]) expect(files).toContain(f);
    expect(files.every((f) => !f.startsWith("dist/lib/") || /\.(js|d\.ts|js\.map)$/.test(f))).toBe(true);
    for (const f of files) expect(f).not.toMatch(/__tests__|__snapshots__|^stacks\/|^dist\/stacks|^dist\/main|cdktf\.json|\.github|\.ya?ml$/);
  });

  test("source maps carry their sources (the .ts files are not shipped)", () => {
    const map = JSON.parse(readFileSync(join(ROOT, "dist", "lib", "index.js.map"), "utf8"));
    expect(map.sourcesContent?.[0]).toContain("export * from");
  });

  test("declares an exports map, types, the CLIs, and the peers it is tested with", () => {
    expect(PACKAGE.exports).toEqual({ ".": { types: "./dist/lib/index.d.ts", default: "./dist/lib/index.js" }, "./package.json": "./package.json" });
    expect(PACKAGE.types).toBe("dist/lib/index.d.ts");
    expect(PACKAGE.bin).toEqual({ "medallion-kv-recover": "dist/lib/cli/medallion-kv-recover.js", "medallion-stack": "dist/lib/cli/medallion-stack.js", "medallion-workflow": "dist/lib/cli/medallion-workflow.js" });
    // npm provenance links the package to its source repository: publishing fails (E422) without it.
    expect(PACKAGE.homepage).toMatch(/^https:\/\/github\.com\/[\w.-]+\/cdktf-medallion\//);
    expect(PACKAGE.bugs.url).toMatch(/^https:\/\/github\.com\/[\w.-]+\/cdktf-medallion\/issues$/);
    // npm users get the documentation with the package.
    expect(PACKAGE.files).toContain("help/**/*.md");
    expect(PACKAGE.repository).toEqual({ type: "git", url: expect.stringMatching(/^git\+https:\/\/github\.com\/[\w.-]+\/cdktf-medallion\.git$/) });
    // constructs: from the version the cdktn cell tests (npm run test:cdktn) up to the one installed here.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CDKTN_CONSTRUCTS } = require("../.ci/cdktn-flavour.js") as { CDKTN_CONSTRUCTS: string };
    expect(PACKAGE.peerDependencies.constructs).toBe(`^${CDKTN_CONSTRUCTS}`);
    for (const [name, range] of Object.entries<string>(PACKAGE.peerDependencies)) {
      // The version installed here — the one every test runs against — satisfies the declared range.
      const installed = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
      const [major, minor] = installed.split(".").map(Number);
      const [minMajor, minMinor] = range.replace(/^\^/, "").split(".").map(Number);
      expect({ name, installed, satisfied: range.startsWith("^") ? major === minMajor && minor >= minMinor : range === installed }).toEqual({ name, installed, satisfied: true });
      expect(PACKAGE.devDependencies[name]).toBe(installed);
    }
    expect(Object.keys(PACKAGE.dependencies).sort()).toEqual(["ipaddr.js", "yaml"]);
  });
});

describe("a consumer project", () => {
  test("installs the tarball and synthesizes the getting-started app with the four constructs", () => {
    const consumer = join(work, "consumer");
    mkdirSync(consumer);
    // Peers and dependencies are linked from this repository's node_modules: nothing is downloaded.
    const linked = ["cdktf", "constructs", "@cdktf/provider-azurerm", "@cdktf/provider-databricks", "@cdktf/provider-azuread", "ipaddr.js", "yaml"];
    const dependencies = Object.fromEntries([["cdktf-medallion", `file:${tarball}`], ...linked.map((p) => [p, `file:${join(ROOT, "node_modules", p)}`])]);
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies }, null, 2));
    execFileSync("npm", ["install", "--offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: consumer, stdio: "pipe" });

    // The app is the getting-started example, as a new user copies it.
    const docs = readFileSync(join(ROOT, "help", "getting-started.md"), "utf8");
    const example = /```ts\n([\s\S]*?)```/.exec(docs)![1];
    expect(example).toContain('from "cdktf-medallion"');
    writeFileSync(join(consumer, "app.js"), transform(example, { transforms: ["typescript", "imports"] }).code);
    const run = spawnSync(process.execPath, ["app.js"], { cwd: consumer, encoding: "utf8" });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });

    const resolved = spawnSync(process.execPath, ["-p", "require.resolve('cdktf-medallion')"], { cwd: consumer, encoding: "utf8" }).stdout.trim();
    expect(resolved).toBe(join(consumer, "node_modules", "cdktf-medallion", "dist", "lib", "index.js"));

    const stack = (name: string) => JSON.parse(readFileSync(join(consumer, "cdktf.out", "stacks", name, "cdk.tf.json"), "utf8"));
    const platform = stack("platform").resource;
    expect(Object.keys(platform.azurerm_databricks_workspace)).toHaveLength(2);
    expect(Object.keys(platform.azurerm_managed_redis)).toHaveLength(1);
    expect(Object.values<Record<string, unknown>>(platform.azurerm_storage_account).map((a) => a.public_network_access_enabled)).toEqual([false]);
    const data = stack("data").resource;
    expect(Object.values<Record<string, unknown>>(data.databricks_catalog).map((c) => c.name).sort()).toEqual(["lake_bronze_dev", "lake_gold_dev", "lake_silver_dev", "sales_dev"]);
    expect(Object.keys(data.databricks_external_location)).toHaveLength(3);
    expect(existsSync(join(consumer, "cdktf.out", "manifest.json"))).toBe(true);

    // The getting-started app is ready for the CI tooling: its workflows generate and pass the parity check.
    const cli = (dir: string, ...args: string[]) => spawnSync(process.execPath, [join(consumer, "node_modules", "cdktf-medallion", "dist", "lib", "cli", "medallion-workflow.js"), ...args], { cwd: dir, encoding: "utf8" });
    mkdirSync(join(consumer, "wf"));
    expect(cli(consumer, "generate", "--workflows", "wf").status).toBe(0);
    expect(cli(consumer, "check", "--workflows", "wf")).toMatchObject({ status: 0, stderr: "" });

    // An app that records nothing: one line naming the stack and what to call, never a stack trace.
    writeFileSync(join(consumer, "bare.js"), 'const { App, TerraformStack } = require("cdktf"); const app = new App({ outdir: "bare.out" }); new TerraformStack(app, "bare"); app.synth();');
    expect(spawnSync(process.execPath, ["bare.js"], { cwd: consumer }).status).toBe(0);
    const refused = cli(consumer, "generate", "--outdir", "bare.out", "--workflows", "wf");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^medallion-workflow: stack bare has no deployment metadata: call setStackDeployment\(stack, \{ environment \}\) on every stack/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    // Every TypeScript block of help/ compiles against the installed package, as a user copies it; a typo in a region
    // or a SKU does not.
    const snippets = join(consumer, "snippets");
    mkdirSync(snippets);
    for (const page of readdirSync(join(ROOT, "help")).filter((f) => f.endsWith(".md"))) {
      const blocks = [...readFileSync(join(ROOT, "help", page), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
      blocks.forEach((code, i) => writeFileSync(join(snippets, `${page.replace(/\.md$/, "")}-${i + 1}.ts`), code));
    }
    expect(readdirSync(snippets).length).toBeGreaterThanOrEqual(8);
    const tsc = (files: string[]) => {
      const compilerOptions = { noEmit: true, strict: true, skipLibCheck: true, target: "es2022", module: "commonjs", moduleResolution: "node", types: [] };
      writeFileSync(join(consumer, "tsconfig.snippets.json"), JSON.stringify({ compilerOptions, files }));
      return spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.snippets.json"], { cwd: consumer, encoding: "utf8" });
    };
    const compiled = tsc(readdirSync(snippets).map((f) => join("snippets", f)));
    expect({ status: compiled.status, errors: compiled.stdout }).toEqual({ status: 0, errors: "" });
    const multi = readFileSync(join(snippets, "multi-environment-1.ts"), "utf8");
    writeFileSync(join(consumer, "typo-region.ts"), multi.replace('name: "prod", region: "westeurope"', 'name: "prod", region: "westeurop"'));
    writeFileSync(join(consumer, "typo-sku.ts"), 'import { RedisFeatureTierProps } from "cdktf-medallion";\nexport const sku: RedisFeatureTierProps["sku"] = "Balanced_B2";\n');
    const typos = tsc(["typo-region.ts", "typo-sku.ts"]);
    expect(typos.status).not.toBe(0);
    expect(typos.stdout).toMatch(/typo-region\.ts\(\d+,\d+\): error TS\d+: Type '"westeurop"' is not assignable to type .*Did you mean '"westeurope"'\?/);
    expect(typos.stdout).toMatch(/typo-sku\.ts\(\d+,\d+\): error TS\d+: Type '"Balanced_B2"' is not assignable to type 'ManagedRedisSku \| undefined'/);

    // help/ci-tooling.md's app, as a user copies it, then the generator and the parity check on its output.
    const ci = join(consumer, "ci");
    mkdirSync(ci);
    const tooling = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, "help", "ci-tooling.md"), "utf8"))![1];
    writeFileSync(join(ci, "app.js"), transform(tooling, { transforms: ["typescript", "imports"] }).code);
    expect(spawnSync(process.execPath, ["app.js"], { cwd: ci, encoding: "utf8", env: { ...process.env, NODE_PATH: join(consumer, "node_modules") } }).status).toBe(0);
    mkdirSync(join(ci, "wf"));
    expect(cli(ci, "generate", "--workflows", "wf").status).toBe(0);
    const checked = cli(ci, "check", "--workflows", "wf");
    expect({ status: checked.status, stderr: checked.stderr }).toEqual({ status: 0, stderr: "" });
  }, 120_000);
});
