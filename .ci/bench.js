// Synth benchmark: runs the sample app's synth RUNS times (after one warm-up) and compares the median wall time and
// the peak memory with the targets. A benchmark, not a test: timings vary with the machine's load.
const { spawnSync } = require("child_process");
const { mkdtempSync, rmSync } = require("fs");
const { tmpdir } = require("os");
const { join } = require("path");

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 2000;
const TARGET_RSS_MB = 512;
const root = join(__dirname, "..");
const out = mkdtempSync(join(tmpdir(), "medallion-bench-"));

function run() {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-e", "process.on('exit', () => console.error('maxrss=' + process.resourceUsage().maxRSS)); require('./dist/main.js')"], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: join(out, "cdktf.out") },
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`synth failed:\n${child.stderr}`);
  return { ms, rssMb: Number(/maxrss=(\d+)/.exec(child.stderr)[1]) / 1024 };
}

run();
const runs = Array.from({ length: RUNS }, run);
rmSync(out, { recursive: true, force: true });
const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const rss = Math.max(...runs.map((r) => r.rssMb));
console.log(`synth (${RUNS} runs): median ${median.toFixed(0)} ms (target < ${TARGET_MS}), worst ${sorted.at(-1).toFixed(0)} ms; peak RSS ${rss.toFixed(0)} MB (target < ${TARGET_RSS_MB})`);
process.exitCode = median < TARGET_MS && rss < TARGET_RSS_MB ? 0 : 1;
