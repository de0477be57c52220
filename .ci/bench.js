// Synth benchmark: runs the sample app's synth (compiled, and under ts-node for comparison), and a 100-domain organization's, RUNS times each (after one warm-up)
// and compares the medians (wall, CPU) and the peak memory with the targets. A benchmark, not a test: timings vary
// with the machine's load.
const { spawnSync } = require("child_process");
const { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } = require("fs");
const { tmpdir } = require("os");
const { join } = require("path");
const { parseDocument } = require("yaml");

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 2000;
const TARGET_RSS_MB = 512;
const TARGET_TS_NODE_RATIO = 10;
const root = join(__dirname, "..");
const out = mkdtempSync(join(tmpdir(), "medallion-bench-"));

// 100 domains (the sample's plus copies of one), both environments: 207 stacks.
const TARGET_100_CPU_MS = 3500;
const TARGET_100_RSS_MB = 250;
const REPORT = "process.on('exit', () => { const u = process.resourceUsage(); console.error('maxrss=' + u.maxRSS + ' cpu=' + (u.userCPUTime + u.systemCPUTime)); });";

function run(script, env = {}) {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-e", `${REPORT} ${script}`], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`synth failed:\n${child.stderr}`);
  return { ms, rssMb: Number(/maxrss=(\d+)/.exec(child.stderr)[1]) / 1024, cpuMs: Number(/cpu=(\d+)/.exec(child.stderr)[1]) / 1000 };
}

function series(script, env, count = RUNS) {
  run(script, env);
  const runs = Array.from({ length: count }, () => run(script, env));
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), rssMb: Math.max(...runs.map((r) => r.rssMb)) };
}

const sample = series("require('./dist/main.js')", { CDKTF_OUTDIR: join(out, "cdktf.out") });
console.log(`sample app (${RUNS} runs): median ${sample.ms.toFixed(0)} ms wall, ${sample.cpuMs.toFixed(0)} ms CPU (target < ${TARGET_MS} ms wall); peak RSS ${sample.rssMb.toFixed(0)} MB (target < ${TARGET_RSS_MB})`);

// The same app as cdktf's TypeScript template runs it (ts-node, type-checking main.ts and everything it imports).
const tsNode = series("require('ts-node/register'); require('./main.ts')", { CDKTF_OUTDIR: join(out, "cdktf-ts-node.out") }, 3);
const ratio = tsNode.cpuMs / sample.cpuMs;
console.log(`sample app under ts-node (3 runs): median ${tsNode.cpuMs.toFixed(0)} ms CPU; compiled uses ${ratio.toFixed(1)}x less CPU (target >= ${TARGET_TS_NODE_RATIO}x)`);

const config = join(out, "config-100");
cpSync(join(root, "stacks", "config"), config, { recursive: true, filter: (src) => !/\.(ts|js)$/.test(src) });
// The measure is defined on both environments' primary stacks (207): prod's disaster recovery site is left out.
const prodFile = join(config, "environments", "prod.yaml");
const prodDoc = parseDocument(readFileSync(prodFile, "utf8"));
prodDoc.delete("disasterRecovery");
writeFileSync(prodFile, prodDoc.toString());
const template = readFileSync(join(config, "domains", "mkt.yaml"), "utf8");
for (let i = readdirSync(join(config, "domains")).length + 1; i <= 100; i++) {
  const name = `d${String(i).padStart(3, "0")}`;
  writeFileSync(join(config, "domains", `${name}.yaml`), template.replace("domain: mkt", `domain: ${name}`).replace(/mkt-/g, `${name}-`));
}
const big = series(`require('./dist/stacks/synth').synthesize(require('./dist/stacks/config/load').loadConfig(${JSON.stringify(config)}), ${JSON.stringify(join(out, "out-100"))})`);
console.log(`100 domains, 207 stacks (${RUNS} runs): median ${big.cpuMs.toFixed(0)} ms CPU (target < ${TARGET_100_CPU_MS}), ${big.ms.toFixed(0)} ms wall; peak RSS ${big.rssMb.toFixed(0)} MB (target < ${TARGET_100_RSS_MB})`);
rmSync(out, { recursive: true, force: true });
process.exitCode = ratio >= TARGET_TS_NODE_RATIO && sample.ms < TARGET_MS && sample.rssMb < TARGET_RSS_MB && big.cpuMs < TARGET_100_CPU_MS && big.rssMb < TARGET_100_RSS_MB ? 0 : 1;
