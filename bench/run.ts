/**
 * Benchmarks, printing figures (never asserting times: machines are shared and noisy).
 *   npm run bench            all of them
 *   npm run bench -- demo    one of them (demo, kubernetes, models, packing, forecast, prometheus, scale)
 *   npm run bench -- scale 1000 10000   the scale benchmark on the sizes given
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectPath } from "../src/core/paths.js";
import { startFakeApiServer } from "../test/fixtures/fake-apiserver.js";
import { syntheticCluster } from "./synthetic-cluster.js";

interface Figure {
  seconds: number;
  maxRssMb: number;
}
const fmt = (f: Figure) => `${f.seconds.toFixed(2)} s, peak RSS ${f.maxRssMb.toFixed(0)} MB`;
const median = (runs: Figure[]) =>
  [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;

/** Runs a bench/ script in its own process (so its peak RSS is its own) and returns the JSON line it prints last. */
function runScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), projectPath("bench", script), ...args],
      {
        env: { ...process.env, ...env },
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d;
    });
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(err)),
    );
  });
}

/** The whole pipeline on the embedded demo cluster, as `npm run demo` runs it (compiled JS). */
function demo(): void {
  const once = (): Figure => {
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
  };
  const runs = [once(), once(), once()];
  process.stdout.write(
    [
      "demo: the whole pipeline on the embedded demo cluster (98k usage rows; collect + analyze + report), 3 runs",
      ...runs.map((r, i) => `  run ${i + 1}: ${fmt(r)}`),
      `  median: ${fmt(median(runs))}  (target: under 15 s)`,
      "",
    ].join("\n"),
  );
}

/** 10,000 pods on 1,000 nodes from the local fake API server, collected and loaded into DuckDB. */
async function kubernetes(): Promise<void> {
  const server = await startFakeApiServer(syntheticCluster(1000, 10));
  const dir = mkdtempSync(join(tmpdir(), "capacity-bench-k8s-"));
  writeFileSync(join(dir, "kubeconfig"), server.kubeconfig());
  const once = () => runScript("kubernetes-collect.ts", [], { KUBECONFIG: join(dir, "kubeconfig") });
  const runs = [await once(), await once(), await once()];
  await server.close();
  const m = [...runs].sort((a, b) => a.seconds! - b.seconds!)[1]!;
  process.stdout.write(
    [
      "kubernetes: 10,000 pods on 1,000 nodes from a local API server (pages of 500), collected and loaded into DuckDB, 3 runs",
      ...runs.map(
        (r, i) =>
          `  run ${i + 1}: ${r.seconds!.toFixed(2)} s (list ${r.listSeconds!.toFixed(2)} s + load ${r.loadSeconds!.toFixed(2)} s), peak RSS ${r.maxRssMb!.toFixed(0)} MB, ${r.requests} requests, ${r.rows} rows`,
      ),
      `  median: ${m.seconds!.toFixed(2)} s, peak RSS ${m.maxRssMb!.toFixed(0)} MB  (target: under 15 s and 500 MB)`,
      "",
    ].join("\n"),
  );
}

/**
 * The cost and right-sizing models on 10,000 containers × 14 days of hourly usage (3.36M rows),
 * three runs per strategy (each in its own process, on its own fresh file): the median, and the
 * spread, because these machines are shared.
 */
async function models(): Promise<void> {
  const lines: string[] = [];
  for (const strategy of ["simple", "vpa"]) {
    const runs: Array<Record<string, number>> = [];
    for (let i = 0; i < 3; i++) runs.push(await runScript("models.ts", [strategy]));
    const sorted = [...runs].sort((a, b) => a.seconds! - b.seconds!);
    const mid = sorted[1]!;
    lines.push(
      `  ${strategy.padEnd(6)}: median ${mid.seconds!.toFixed(2)} s (${sorted[0]!.seconds!.toFixed(2)}–${sorted[2]!.seconds!.toFixed(2)}), ${mid.cpuSeconds!.toFixed(1)} CPU-s, peak RSS ${Math.max(...runs.map((r) => r.maxRssMb!)).toFixed(0)} MB, ${mid.containers} right-sizing rows; slowest (time, peak RSS while built): ${mid.slowest}`,
    );
  }
  process.stdout.write(
    [
      "models: every cost, label roll-up and right-sizing model and data test on 10,000 pod containers (2,000 workloads) on 1,000 nodes, 14 days hourly (3.36M rows), 1,000 PVCs",
      ...lines,
      "  (target: under 10 s)",
      "",
    ].join("\n"),
  );
}

/**
 * 2,000 workloads / 10,000 containers / 14 days in a real local Prometheus (Debian's package),
 * collected by the real collector and loaded into DuckDB. The synthetic series are sampled
 * every 30 minutes (rateWindow 1h) to keep the input near 3 GB; the queries, series and
 * answers have the shape and size of a real cluster's, the samples per series are fewer.
 */
async function prometheus(): Promise<void> {
  const { backfillRules, havePrometheus, startPrometheus } = await import("../test/fixtures/prometheus.js");
  const { writeSyntheticUsage } = await import("./prometheus-data.js");
  if (!havePrometheus()) {
    process.stdout.write("prometheus: skipped (no promtool/prometheus; apt-get install prometheus)\n");
    return;
  }
  const end = Math.floor(Date.parse("2026-11-16T00:00:00Z") / 1000);
  const built = process.hrtime.bigint();
  let shape = { namespaces: 0, pods: 0, series: 0, samples: 0 };
  const prom = await startPrometheus((path) => {
    shape = writeSyntheticUsage(path, { workloads: 2000, replicas: 5, days: 14, stepSeconds: 1800, end });
  });
  const buildSeconds = Number(process.hrtime.bigint() - built) / 1e9;
  const cpuBefore = prom.cpuSeconds();
  const figures = await runScript("prometheus-collect.ts", [
    prom.url,
    new Date((end - 14 * 86400) * 1000).toISOString(),
    new Date(end * 1000).toISOString(),
  ]);
  const promRss = prom.peakRssMb();
  const promCpu = prom.cpuSeconds() - cpuBefore;
  // The same collection once our recording rule has been recording (backfilled as Prometheus
  // documents it). The bench's samples are 30 minutes apart, so its copy of the rule rates over
  // 1h every 30m where deploy/prometheus/capacity-rules.yaml rates over 5m every minute; the
  // queries the collector sends are the same.
  const rulesFile = join(mkdtempSync(join(tmpdir(), "capacity-bench-rules-")), "rules.yaml");
  writeFileSync(
    rulesFile,
    readFileSync(projectPath("deploy", "prometheus", "capacity-rules.yaml"), "utf8")
      .replace("interval: 1m", "interval: 30m")
      .replace("[5m]", "[1h]"),
  );
  const backfillStarted = process.hrtime.bigint();
  const recorded = await backfillRules(prom, rulesFile, end - 14 * 86400, end, { settle: true });
  const backfillSeconds = Number(process.hrtime.bigint() - backfillStarted) / 1e9;
  const rulesCpuBefore = recorded.cpuSeconds();
  const withRules = await runScript("prometheus-collect.ts", [
    recorded.url,
    new Date((end - 14 * 86400) * 1000).toISOString(),
    new Date(end * 1000).toISOString(),
  ]);
  const rulesRss = recorded.peakRssMb();
  const rulesCpu = recorded.cpuSeconds() - rulesCpuBefore;
  await recorded.stop();
  const serverSeconds = figures.serverMs! / 1000;
  const execSeconds = figures.prometheusExecSeconds!;
  process.stdout.write(
    [
      `prometheus: ${shape.pods.toLocaleString("en-US")} containers of 2,000 workloads in ${shape.namespaces} namespaces, 14 days (${shape.series.toLocaleString("en-US")} series, ${shape.samples.toLocaleString("en-US")} samples; blocks built in ${buildSeconds.toFixed(0)} s)`,
      `  collection: ${figures.seconds!.toFixed(1)} s, ${figures.rows!.toLocaleString("en-US")} hourly rows, ${figures.queries} queries (${figures.scopes} scopes x 14 days; ${figures.hourlyPodDays} pod-days read hour by hour), ${(figures.bytes! / 1e6).toFixed(1)} MB answered, ${figures.failures} failed, ${figures.gaps} gaps`,
      `  peak RSS: capacity ${figures.maxRssMb!.toFixed(0)} MB, prometheus ${promRss.toFixed(0)} MB; CPU: capacity ${figures.cpuSeconds!.toFixed(1)} s, prometheus ${promCpu.toFixed(1)} s`,
      `  Prometheus' own query time (stats=all execTotalTime, summed; 4 in flight): ${execSeconds.toFixed(1)} s; collection / Prometheus = ${(figures.seconds! / execSeconds).toFixed(2)}`,
      `  requests as timed from here (transfer and JSON parsing included, summed): ${serverSeconds.toFixed(1)} s`,
      `  with the recording rule (backfilled and compacted in ${backfillSeconds.toFixed(0)} s): collection ${withRules.seconds!.toFixed(1)} s, ${withRules.rows!.toLocaleString("en-US")} hourly rows, CPU peaks recorded on ${withRules.recordedDays} of ${withRules.namespaceDays} namespace-days, ${withRules.queries} queries, ${(withRules.bytes! / 1e6).toFixed(1)} MB, ${withRules.failures} failed; peak RSS capacity ${withRules.maxRssMb!.toFixed(0)} MB, prometheus ${rulesRss.toFixed(0)} MB; CPU capacity ${withRules.cpuSeconds!.toFixed(1)} s, prometheus ${rulesCpu.toFixed(1)} s; Prometheus' own query time ${withRules.prometheusExecSeconds!.toFixed(1)} s, collection / Prometheus = ${(withRules.seconds! / withRules.prometheusExecSeconds!).toFixed(2)}`,
      "  (targets: 60 s or less, 1 GB or less for capacity, collection no more than 1.3 x Prometheus' time)",
      "",
    ].join("\n"),
  );
}

/** The simulator packing 10,000 pods onto a NodePool of 20 types (about 1,000 nodes), 3 runs. */
async function packing(): Promise<void> {
  const runs = [
    await runScript("packing.ts", []),
    await runScript("packing.ts", []),
    await runScript("packing.ts", []),
  ];
  const mid = [...runs].sort((a, b) => a.cpuSeconds! - b.cpuSeconds!)[1]!;
  process.stdout.write(
    [
      `packing: ${mid.pods!.toLocaleString("en-US")} pods of 2,000 workloads onto a Karpenter NodePool of 20 types, ${mid.nodes} nodes, ${mid.unplaced} unplaced, 3 runs`,
      ...runs.map(
        (r, i) =>
          `  run ${i + 1}: CPU ${r.cpuSeconds!.toFixed(2)} s, wall ${r.seconds!.toFixed(2)} s, peak RSS ${r.maxRssMb!.toFixed(0)} MB`,
      ),
      `  median: CPU ${mid.cpuSeconds!.toFixed(2)} s  (target: under 2 s)`,
      "",
    ].join("\n"),
  );
}

/**
 * The forecast of an event for 2,000 workloads with four weeks of hourly history (backtest and
 * model choice per workload, uplift, HPA replicas, packing, plan), once at a given uplift and once
 * measuring it from a past sale; each run in its own process.
 */
async function forecast(): Promise<void> {
  const given = await runScript("forecast.ts", []);
  const measured = await runScript("forecast.ts", ["past-event"]);
  const line = (label: string, r: Record<string, number>) =>
    `  ${label}: CPU ${r.cpuSeconds!.toFixed(1)} s, wall ${r.seconds!.toFixed(1)} s, peak RSS ${r.maxRssMb!.toFixed(0)} MB; MSTL chosen for ${r.mstlChosen} of ${r.workloads}; peak-hour WAPE ${(r.wape! * 100).toFixed(1)} % vs seasonal naive ${(r.naiveWape! * 100).toFixed(1)} %`;
  process.stdout.write(
    [
      "forecast: 2,000 workloads × 4 weeks of hourly CPU, memory and replicas, an event of 12 hours",
      line("given uplift   ", given),
      line("measured uplift", measured),
      "  (target: under 20 s)",
      "",
    ].join("\n"),
  );
}

const which = process.argv[2];
if (!which || which === "demo") demo();
if (!which || which === "kubernetes") await kubernetes();
if (!which || which === "models") await models();
if (!which || which === "packing") await packing();
if (!which || which === "forecast") await forecast();
if (!which || which === "prometheus") await prometheus();
if (!which || which === "scale") {
  const { scale } = await import("./scale.js");
  const sizes = process.argv
    .slice(3)
    .map(Number)
    .filter((n) => n > 0);
  await scale(sizes.length > 0 ? sizes : [1000, 10_000, 30_000, 100_000]);
}
