/**
 * The forecast on a large cluster: 2,000 workloads in 40 namespaces with four weeks of hourly CPU,
 * memory and replicas (daily and weekly seasonality, a trend, noise), each with an HPA (one in ten
 * on memory), on a Karpenter NodePool of 20 types and a managed node group; an event of 12 hours
 * the day after the history at a given uplift of 3 (with `past-event`: measured from a sale planted
 * two weeks before, per workload). Backtest, model choice, event demand, HPA replicas, packing with
 * zone headroom, cost and plan. The fits run on worker threads (one per core, or `--workers N`);
 * `--mstl-share X` and `--mstl-max N` try MSTL only on the largest workloads making X of the CPU,
 * at most N of them (forecast.mstlShare, forecast.mstlMaxWorkloads; their defaults by default:
 * `--mstl-max Infinity` tries it on every workload).
 * Prints CPU seconds (every thread of the process) and wall seconds of the same run, peak RSS,
 * then one JSON line (for bench/run.ts).
 *   npx tsx bench/forecast.ts [past-event] [--workers N] [--mstl-share X] [--mstl-max N]
 */
import { parseArgs } from "node:util";
import { instanceTypesFromRows, onDemandPricesFromRows } from "../src/core/eks/instance-types.js";
import type { KarpenterPool, ManagedNodeGroupPool } from "../src/core/eks/pools.js";
import { readReferenceCsv } from "../src/core/reference-csv.js";
import { peakHours } from "../src/forecast/accuracy.js";
import { loadMstl } from "../src/forecast/augurs.js";
import type { WorkloadHistory } from "../src/forecast/demand.js";
import { runForecast } from "../src/forecast/index.js";
import { largestByCpu } from "../src/forecast/inputs.js";
import { fitPool } from "../src/forecast/pool.js";
import type { WorkloadSpec } from "../src/forecast/replicas.js";
import { HOUR_MS, type HourlyPoint } from "../src/forecast/series.js";
import { forecastSettings } from "../src/forecast/settings.js";
import type { EventSpec } from "../src/forecast/uplift.js";

const MIB = 1024 ** 2;
/** The settings' defaults (`forecast.mstlShare`, `forecast.mstlMaxWorkloads`): the bench measures what a user gets. */
const defaults = forecastSettings.parse({});
const HOURS = 4 * 168;
const T0 = Date.parse("2026-10-05T00:00:00Z");
const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    workers: { type: "string", default: "0" },
    "mstl-share": { type: "string", default: String(defaults.mstlShare) },
    "mstl-max": { type: "string", default: String(defaults.mstlMaxWorkloads) },
  },
});
const pastEvent = positionals[0] === "past-event";
const mstlShare = Number(flags["mstl-share"]);
const mstlMax = Number(flags["mstl-max"]);

/** mulberry32: the same cluster on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(18);
const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;

const SALE = 2 * 168 + 4 * 24 + 8;
const sale = (t: number) =>
  pastEvent && t >= SALE && t < SALE + 12 ? 1 + 2 * Math.min(1, (t - SALE + 1) / 4) : 1;

/** The hours after the history up to the event's end, kept out of it: the intervals' coverage is checked on them. */
const AFTER = 24 + 8 + 12;
const futureNoise = random(81);
const future = new Map<string, number[]>();
const history: WorkloadHistory[] = [];
const workloads: WorkloadSpec[] = [];
for (let w = 0; w < 2000; w++) {
  const namespace = `ns-${w % 40}`;
  const key = `${namespace}/Deployment/workload-${w}`;
  const cpuRequestCores = pick([0.1, 0.25, 0.5, 0.5, 0.75, 1]);
  const memoryRequestBytes = pick([256, 512, 1024, 2048]) * MIB;
  const level = cpuRequestCores * pick([2, 3, 4, 6]) * 0.6;
  const phase = Math.floor(next() * 6);
  const trend = (next() - 0.3) * 0.3;
  const noise = 0.05 + next() * 0.25;
  const points: HourlyPoint[] = [];
  for (let t = 0; t < HOURS; t++) {
    if (next() < 0.01) continue; // a gap now and then
    const hour = (t + phase) % 24;
    const weekend = Math.floor(t / 24) % 7 >= 5 ? 0.7 : 1;
    const daily = 1 + 0.5 * Math.sin((2 * Math.PI * (hour - 8)) / 24);
    const cpu = level * daily * weekend * (1 + (trend * t) / HOURS) * sale(t) * (1 + (next() - 0.5) * noise);
    const replicas = Math.max(2, Math.ceil(cpu / (cpuRequestCores * 0.7)));
    points.push({
      hourMs: T0 + t * HOUR_MS,
      cpuCores: Math.max(0, cpu),
      memoryBytes: replicas * memoryRequestBytes * (0.5 + next() * 0.1),
      replicas,
    });
  }
  history.push({ key, namespace, points });
  future.set(
    key,
    Array.from({ length: AFTER }, (_, k) => {
      const t = HOURS + k;
      const hour = (t + phase) % 24;
      const weekend = Math.floor(t / 24) % 7 >= 5 ? 0.7 : 1;
      const daily = 1 + 0.5 * Math.sin((2 * Math.PI * (hour - 8)) / 24);
      return level * daily * weekend * (1 + (trend * t) / HOURS) * (1 + (futureNoise() - 0.5) * noise);
    }),
  );
  const memoryHpa = w % 10 === 0;
  workloads.push({
    key,
    namespace,
    kind: "Deployment",
    name: `workload-${w}`,
    pool: w % 5 === 0 ? "ng" : "general",
    cpuRequestCores,
    memoryRequestBytes,
    hpa: {
      name: `workload-${w}`,
      minReplicas: 2,
      maxReplicas: pick([10, 20, 50]),
      resource: memoryHpa ? "memory" : "cpu",
      targetUtilizationPercent: memoryHpa ? 80 : 70,
    },
    pdb: w % 7 === 0 ? { name: `workload-${w}`, minAvailable: "100%" } : null,
    ...(w % 3 === 0 ? { zoneSpread: { maxSkew: 1 } } : {}),
  });
}

const families = ["m5", "m6i", "m7i", "c5", "c6i", "c7i", "r5", "r6i", "m5a", "c5a"];
const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
const daemonSets = [
  { name: "aws-node", cpuCores: 0.025, memoryBytes: 0 },
  { name: "kube-proxy", cpuCores: 0.1, memoryBytes: 0 },
];
const general: KarpenterPool = {
  kind: "karpenter",
  name: "general",
  requirements: { instanceTypes: families.flatMap((f) => [`${f}.xlarge`, `${f}.2xlarge`]) },
  limits: { cpuCores: 2000 },
  consolidationPolicy: "WhenEmptyOrUnderutilized",
  zones,
  daemonSets,
};
const ng: ManagedNodeGroupPool = {
  kind: "managed-node-group",
  name: "ng",
  instanceType: "m5.2xlarge",
  capacityType: "on-demand",
  minSize: 3,
  maxSize: 100,
  autoscaler: "cluster-autoscaler",
  zones,
  daemonSets,
};
const start = T0 + (HOURS + 24 + 8) * HOUR_MS;
const event: EventSpec = {
  name: "sale",
  window: { startMs: start, endMs: start + 12 * HOUR_MS },
  uplift: 3,
  ...(pastEvent ? { pastEvent: { startMs: T0 + SALE * HOUR_MS, endMs: T0 + (SALE + 12) * HOUR_MS } } : {}),
  growth: 1,
  overrides: { namespaces: {}, workloads: {} },
};
const catalogue = instanceTypesFromRows(readReferenceCsv("ec2-instance-types.csv"));
const prices = onDemandPricesFromRows(readReferenceCsv("ec2-ondemand-prices.csv"), "us-east-1");

const mstlKeys = largestByCpu(history, mstlShare, mstlMax);
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
const loaded = process.hrtime.bigint();
const mstl = await loadMstl();
const loadSeconds = Number(process.hrtime.bigint() - loaded) / 1e9;
const pool = fitPool(Number(flags.workers));
const result = await runForecast(
  {
    event,
    history,
    workloads,
    capacity: { pools: [general, ng], catalogue, prices, zoneLossHeadroom: true },
    plan: { marginMinutes: 15, clusterName: "bench" },
    demand: { mstlKeys: mstlKeys },
  },
  { fitter: mstl, fitMany: pool.fitMany },
);
await pool.close();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// Out of sample: the baseline's interval against the hours after the history, on each workload's peak hours.
const outOfSample = { hours: 0, covered: 0 };
for (const w of result.demand.workloads) {
  const actual = future.get(w.key)!;
  const f = w.cpu.forecast;
  for (const k of peakHours(actual, 0.1)) {
    const i = Math.round((T0 + (HOURS + k) * HOUR_MS - w.cpu.startMs) / HOUR_MS);
    if (i < 0 || i >= f.point.length || Number.isNaN(f.upper[i]!)) continue;
    outOfSample.hours++;
    if (actual[k]! >= f.lower[i]! && actual[k]! <= f.upper[i]!) outOfSample.covered++;
  }
}
const futureCoverage = outOfSample.covered / outOfSample.hours;
const mstlChosen = result.demand.workloads.filter((w) => w.cpu.model === "mstl").length;
const { accuracy } = result.demand;
const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(1)} %`);
function mstlShareOf(keys: ReadonlySet<string>): number {
  const cpuOf = (h: WorkloadHistory) => h.points.reduce((s, p) => s + p.cpuCores, 0);
  const all = history.reduce((s, h) => s + cpuOf(h), 0);
  return history.filter((h) => keys.has(h.key)).reduce((s, h) => s + cpuOf(h), 0) / all;
}
const nodes = result.pools
  .map((p) => `${p.pool} ${p.normal.totals.nodes} → ${p.held.totals.nodes}`)
  .join(", ");
process.stderr.write(
  [
    `forecast: 2,000 workloads × 4 weeks hourly (${history.reduce((s, h) => s + h.points.length, 0).toLocaleString("en-US")} points), event of 12 h at ${pastEvent ? "an uplift measured from a past sale" : "a given uplift of 3"}`,
    `  model: MSTL chosen for ${mstlChosen}, seasonal naive for ${2000 - mstlChosen}; peak-hour WAPE ${pct(accuracy.chosen.wape)} vs seasonal naive ${pct(accuracy.naive.wape)} (improvement ${pct(accuracy.improvement)})`,
    `  interval at 80 %: the models' own covered ${pct(accuracy.chosen.coverage)} of the backtest's peak hours; calibrated, it covered ${pct(futureCoverage)} of the ${outOfSample.hours} peak hours after the history (out of sample)`,
    `  nodes (normal → held): ${nodes}; event window $${result.totals.eventWindowUsd.toFixed(0)} vs $${result.totals.normalWindowUsd.toFixed(0)} normal; ${result.flags.length} flags; ${result.plan.hpaChanges.length} HPAs raised`,
    `  ${pool.size} worker threads, MSTL tried for ${mstlKeys ? `the ${mstlKeys.size} largest (making ${pct(mstlShareOf(mstlKeys))} of the CPU)` : "every workload"}`,
    `  CPU ${cpuSeconds.toFixed(2)} s (all threads), wall ${seconds.toFixed(2)} s (WebAssembly load ${loadSeconds.toFixed(2)} s), peak RSS ${maxRssMb.toFixed(0)} MB  (target: under 20 s)`,
    "",
  ].join("\n"),
);
process.stdout.write(
  `${JSON.stringify({ workloads: 2000, workers: pool.size, mstlShare, mstlMax, mstlTried: mstlKeys?.size ?? 2000, mstlChosen, coverage: accuracy.chosen.coverage, futureCoverage, flags: result.flags.length, cpuSeconds, seconds, maxRssMb, wape: accuracy.chosen.wape, naiveWape: accuracy.naive.wape })}\n`,
);
