/**
 * Benchmarks, printing figures (never asserting times: machines are shared and noisy).
 *   npm run bench
 * demo: the whole pipeline on the embedded demo cluster, as `npm run demo` runs it (compiled
 * JS), three times; prints wall seconds and the process's peak RSS.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectPath } from "../src/core/paths.js";

interface Figure {
  seconds: number;
  maxRssMb: number;
}

function timeDemo(): Figure {
  const out = mkdtempSync(join(tmpdir(), "capacity-bench-"));
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    [
      "--import",
      projectPath("bench", "rss-at-exit.mjs"),
      projectPath("dist", "cli", "bin.js"),
      "demo",
      "--out",
      out,
      "--log.format",
      "json",
    ],
    { encoding: "utf8" },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`demo exited with ${child.status}:\n${child.stderr}`);
  const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(child.stderr);
  return { seconds, maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN };
}

const runs = [timeDemo(), timeDemo(), timeDemo()];
const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
const median = sorted[1]!;
const fmt = (f: Figure) => `${f.seconds.toFixed(2)} s, peak RSS ${f.maxRssMb.toFixed(0)} MB`;
process.stdout.write(
  [
    "benchmark: demo pipeline end to end (collect 98k usage rows + analyze + report), 3 runs",
    ...runs.map((r, i) => `  run ${i + 1}: ${fmt(r)}`),
    `  median: ${fmt(median)}  (target: under 15 s)`,
    "",
  ].join("\n"),
);
