/**
 * The scale benchmark (npm run bench -- scale [PODS…]): generated clusters of 1,000 / 10,000 /
 * 30,000 / 100,000 pods (pods ÷ 10 nodes, two containers a pod, 14 days hourly; written as
 * `collect --record` writes a bundle: synthetic-bundle.ts) replayed end to end by the compiled
 * CLI under the default databaseMemoryLimit, one process per stage (collect --from, analyze,
 * report) so that each stage's wall time, CPU seconds (all threads) and peak RSS are its own.
 * Then the growth exponent k of CPU ∝ pods^k, fitted on the sizes run. Figures are printed,
 * never asserted.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectPath } from "../src/core/paths.js";
import { writeSyntheticBundle } from "./synthetic-bundle.js";

interface Stage {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  code: number;
}

const STAGES = ["collect", "analyze", "report"] as const;

function stage(args: string[], cwd: string): Stage {
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    [
      "--import",
      projectPath("bench", "rss-at-exit.mjs"),
      projectPath("dist", "cli", "bin.js"),
      ...args,
      "--log.format",
      "json",
    ],
    { cwd, encoding: "utf8", maxBuffer: 1 << 26 },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(child.stderr);
  const cpu = /BENCH_CPU_US=(\d+)/.exec(child.stderr);
  const code = child.status ?? -1;
  if (code !== 0 && code !== 3) {
    const last = child.stderr.trim().split("\n").slice(-4).join("\n");
    process.stdout.write(`    ${args[0]} exited with ${code}: ${last}\n`);
  }
  return {
    seconds,
    cpuSeconds: cpu ? Number(cpu[1]) / 1e6 : Number.NaN,
    maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
    code,
  };
}

/** Least-squares slope of log(y) on log(x). */
export function growthExponent(points: Array<{ x: number; y: number }>): number {
  const p = points.filter((q) => q.x > 0 && q.y > 0 && Number.isFinite(q.y));
  if (p.length < 2) return Number.NaN;
  const lx = p.map((q) => Math.log(q.x));
  const ly = p.map((q) => Math.log(q.y));
  const mx = lx.reduce((a, b) => a + b, 0) / p.length;
  const my = ly.reduce((a, b) => a + b, 0) / p.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < p.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}

export async function scale(sizes: number[], days = 14): Promise<void> {
  const fmt = (s: Stage) =>
    `${s.seconds.toFixed(1).padStart(6)} s ${s.cpuSeconds.toFixed(1).padStart(6)} CPU-s ${s.maxRssMb.toFixed(0).padStart(5)} MB`;
  process.stdout.write(
    `scale: synthetic clusters replayed end to end (collect --from, analyze, report), ${days} days hourly, pods ÷ 10 nodes, 2 containers a pod, default databaseMemoryLimit\n`,
  );
  const results: Array<{ pods: number; stages: Record<string, Stage>; usageRows: number }> = [];
  for (const pods of sizes) {
    const dir = mkdtempSync(join(tmpdir(), "capacity-scale-"));
    try {
      const generated = process.hrtime.bigint();
      const bundle = await writeSyntheticBundle(join(dir, "bundle"), { pods, days });
      const generateSeconds = Number(process.hrtime.bigint() - generated) / 1e9;
      const db = ["--database", join(dir, "c.duckdb")];
      const stages: Record<string, Stage> = {
        collect: stage(["collect", "--from", bundle.dir, ...db], dir),
        analyze: stage(["analyze", ...db], dir),
        report: stage(["report", ...db, "--out", join(dir, "out")], dir),
      };
      results.push({ pods, stages, usageRows: bundle.usageRows });
      const total = {
        seconds: STAGES.reduce((a, s) => a + stages[s]!.seconds, 0),
        cpuSeconds: STAGES.reduce((a, s) => a + stages[s]!.cpuSeconds, 0),
        maxRssMb: Math.max(...STAGES.map((s) => stages[s]!.maxRssMb)),
        code: 0,
      };
      const modelsReport = {
        seconds: stages.analyze!.seconds + stages.report!.seconds,
        cpuSeconds: stages.analyze!.cpuSeconds + stages.report!.cpuSeconds,
        maxRssMb: Math.max(stages.analyze!.maxRssMb, stages.report!.maxRssMb),
        code: 0,
      };
      process.stdout.write(
        [
          `  ${pods.toLocaleString("en-US")} pods, ${bundle.usageRows.toLocaleString("en-US")} usage rows (bundle written in ${generateSeconds.toFixed(0)} s):`,
          ...STAGES.map(
            (s) =>
              `    ${s.padEnd(8)} ${fmt(stages[s]!)}${stages[s]!.code === 0 || stages[s]!.code === 3 ? "" : `  exit ${stages[s]!.code}`}`,
          ),
          `    models + report ${fmt(modelsReport)}`,
          `    total    ${fmt(total)}`,
          "",
        ].join("\n"),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (results.length >= 2) {
    const k = (pick: (r: (typeof results)[number]) => number) =>
      growthExponent(results.map((r) => ({ x: r.pods, y: pick(r) }))).toFixed(2);
    process.stdout.write(
      [
        `  growth exponent k (CPU-s ∝ pods^k over ${results.map((r) => r.pods).join(", ")}): ` +
          `total ${k((r) => STAGES.reduce((a, s) => a + r.stages[s]!.cpuSeconds, 0))}, ` +
          STAGES.map((s) => `${s} ${k((r) => r.stages[s]!.cpuSeconds)}`).join(", "),
        "  (targets: 10,000 pods models + report ≤ 15 CPU-s and ≤ 1 GB; 100,000 pods ≤ 5 min and ≤ 4 GB; k ≤ 1.05)",
        "",
      ].join("\n"),
    );
  }
}
