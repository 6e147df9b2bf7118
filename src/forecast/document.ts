/**
 * `forecast.json`: the forecast as a documented, versioned document (`docs/forecast.schema.json`),
 * which the Markdown and HTML forecast reports render too. camelCase; CPU in cores, memory in
 * bytes, money in USD for the window unless the name says otherwise; times ISO 8601 UTC.
 */

import type { PackResult } from "../core/eks/packing-types.js";
import type { Accuracy } from "./accuracy.js";
import type { WorkloadDemand } from "./demand.js";
import type { ForecastResult } from "./index.js";
import type { FlagKind, WorkloadSpec } from "./replicas.js";
import { HOUR_MS, iso, type Window } from "./series.js";
import type { EventSpec } from "./uplift.js";

export const FORECAST_SCHEMA_VERSION = "1.2.0";

/** Flags by what breaks first: capacity the cluster cannot get, then scaling, then draining, then requests. */
const FLAG_ORDER: readonly FlagKind[] = [
  "node-group-max-size",
  "nodepool-limit",
  "pods-unplaced",
  "subnet-ips",
  "max-replicas-too-low",
  "hpa-without-requests",
  "pdb-blocks-scale-down",
  "demand-over-requests",
];

export interface DocumentMeta {
  generatedAt: Date;
  runId: string;
  cluster: string;
  event: EventSpec;
  settings: Record<string, unknown>;
  history: { runs: { runId: string; windowStart: string; windowEnd: string; usageRows: number }[] };
  specs: readonly WorkloadSpec[];
  /** Files the plan was written to, relative to the output folder. */
  planFiles: string[];
  notes: string[];
  /** How long the fits took, for the log and the report. */
  workers: number;
}

const r4 = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1e4) / 1e4;
const r2 = (x: number) => Math.round(x * 100) / 100;
const windowOf = (w: Window) => ({ start: iso(w.startMs), end: iso(w.endMs) });
const accuracy = (a: Accuracy | null | undefined) =>
  a ? { hours: a.hours, mape: r4(a.mape), wape: r4(a.wape), coverage: r4(a.coverage) } : null;

const pack = (p: PackResult) => ({
  nodes: p.totals.nodes,
  nodesByType: p.totals.nodesByType,
  podsPlaced: p.totals.podsPlaced,
  podsUnplaced: p.totals.podsUnplaced,
  usdPerHour: r4(p.totals.usdPerHour),
});

/** Hour by hour from `fromMs`: history actuals (CPU summed over workloads), then the forecast with the event's factor in its window. */
export function cpuSeries(
  workloads: readonly WorkloadDemand[],
  history: ReadonlyMap<string, ReadonlyMap<number, number>>,
  event: Window,
  fromMs: number,
) {
  const hours = Math.max(0, Math.round((event.endMs - fromMs) / HOUR_MS));
  return Array.from({ length: hours }, (_, h) => {
    const t = fromMs + h * HOUR_MS;
    const inWindow = t >= event.startMs && t < event.endMs;
    let actual: number | null = null;
    let point: number | null = null;
    let lower: number | null = null;
    let upper: number | null = null;
    for (const w of workloads) {
      const seen = history.get(w.key)?.get(t);
      if (seen !== undefined) actual = (actual ?? 0) + seen;
      const f = w.cpu;
      const i = Math.round((t - f.startMs) / HOUR_MS);
      if (i < 0 || i >= f.forecast.point.length) continue;
      const factor = inWindow ? w.uplift.factor : 1;
      const p = f.forecast.point[i]!;
      const lo = f.forecast.lower[i]!;
      const up = f.forecast.upper[i]!;
      point = (point ?? 0) + p * factor;
      lower = (lower ?? 0) + (Number.isNaN(lo) ? p : lo) * factor;
      upper = (upper ?? 0) + (Number.isNaN(up) ? p : up) * factor;
    }
    return {
      hour: iso(t),
      inEvent: inWindow,
      actualCores: r4(actual),
      pointCores: r4(point),
      lowerCores: r4(lower),
      upperCores: r4(upper),
    };
  });
}

export function forecastDocument(
  result: ForecastResult,
  meta: DocumentMeta,
  history: ReadonlyMap<string, ReadonlyMap<number, number>>,
) {
  const { event } = meta;
  const specByKey = new Map(meta.specs.map((s) => [s.key, s]));
  const replicasByKey = new Map(result.replicas.map((r) => [r.key, r]));
  const models = { mstl: 0, seasonalNaive: 0 };
  for (const w of result.demand.workloads)
    if (w.cpu.status === "ok") models[w.cpu.model === "mstl" ? "mstl" : "seasonalNaive"]++;
  const byPeak = [...result.demand.workloads]
    .filter((w) => w.cpu.status === "ok")
    .sort((a, b) => b.cpuCores.peakPlan - a.cpuCores.peakPlan || (a.key < b.key ? -1 : 1));
  // A loop, not Math.max(...all hours): a large cluster's hours overflow the argument list.
  let lastSeen = Number.NEGATIVE_INFINITY;
  for (const hours of history.values()) for (const t of hours.keys()) if (t > lastSeen) lastSeen = t;
  const chartFrom = lastSeen - 14 * 24 * HOUR_MS + HOUR_MS;
  const bt = result.eventBacktest;
  const check = (c: (typeof bt.workloads)[number]) => ({
    subject: c.subject,
    uplift: r4(c.uplift),
    status: c.backtest.status,
    predictedPeakCores: r4(c.backtest.predictedPeak),
    observedPeakCores: r4(c.backtest.observedPeak),
    error: r4(c.backtest.error),
    reason: c.backtest.reason,
  });
  const plan = result.plan;
  return {
    schemaVersion: FORECAST_SCHEMA_VERSION,
    generatedAt: meta.generatedAt.toISOString(),
    runId: meta.runId,
    cluster: meta.cluster,
    event: {
      name: event.name,
      ...windowOf(event.window),
      hours: Math.round((event.window.endMs - event.window.startMs) / HOUR_MS),
      uplift: event.uplift ?? null,
      pastEvent: event.pastEvent ? windowOf(event.pastEvent) : null,
      earlierEvents: (event.earlierEvents ?? []).map(windowOf),
      growth: event.growth,
      overrides: event.overrides,
    },
    settings: meta.settings,
    history: {
      runs: meta.history.runs,
      workloads: result.demand.workloads.length,
      lastHour: Number.isFinite(lastSeen) ? iso(lastSeen) : null,
    },
    accuracy: {
      workloads: result.demand.accuracy.workloads,
      models,
      chosen: accuracy(result.demand.accuracy.chosen),
      seasonalNaive: accuracy(result.demand.accuracy.naive),
      improvement: r4(result.demand.accuracy.improvement),
    },
    eventBacktest: {
      status: bt.status,
      reason: bt.reason,
      predicted: bt.predicted ? windowOf(bt.predicted) : null,
      measuredOn: bt.measuredOn ? windowOf(bt.measuredOn) : null,
      cluster: bt.cluster ? check(bt.cluster) : null,
      workloads: bt.workloads.map(check),
    },
    clusterCpu: cpuSeries(result.demand.workloads, history, event.window, chartFrom),
    topWorkloads: byPeak.slice(0, 5).map((w) => ({
      workload: w.key,
      cpu: cpuSeries([w], history, event.window, chartFrom),
    })),
    workloads: byPeak.map((w) => {
      const spec = specByKey.get(w.key);
      const r = replicasByKey.get(w.key);
      const bt = w.cpu.backtest;
      const chosen = bt ? (w.cpu.model === "mstl" ? bt.mstl : bt.naive) : null;
      return {
        workload: w.key,
        namespace: w.namespace,
        pool: spec?.pool ?? null,
        model: w.cpu.model,
        reason: w.cpu.reason,
        notes: w.cpu.notes,
        uplift: { factor: r4(w.uplift.factor), source: w.uplift.source, reason: w.uplift.reason },
        cpu: {
          baselinePeakCores: r4(w.cpuCores.peakBaseline),
          peakCores: r4(w.cpuCores.peakPoint),
          planPeakCores: r4(w.cpuCores.peakPlan),
          requestCores: spec?.cpuRequestCores ?? null,
        },
        memory: {
          baselinePeakBytes: Math.round(w.memoryBytes.peakBaseline),
          peakBytes: Math.round(w.memoryBytes.peakPoint),
          planPeakBytes: Math.round(w.memoryBytes.peakPlan),
          requestBytes: spec?.memoryRequestBytes ?? null,
        },
        backtest: bt
          ? {
              heldOut: windowOf(bt.heldOut),
              chosen: accuracy(chosen),
              seasonalNaive: accuracy(bt.naive),
              mstl: accuracy(bt.mstl),
              improvement: r4(bt.improvement),
            }
          : null,
        replicas: r
          ? {
              current: r.current,
              normal: r.normal,
              event: r.event,
              minReplicas: r.minReplicas,
              maxReplicas: r.maxReplicas,
            }
          : null,
        hpa: spec?.hpa ?? null,
        flags: r?.flags ?? [],
      };
    }),
    pools: result.pools.map((p) => ({
      pool: p.pool,
      kind: p.kind,
      normal: pack(p.normal),
      event: pack(p.event),
      held: pack(p.held),
      headroomPods: p.headroomPods,
      costs: p.costs,
      eventWindowUsd: r2(p.eventWindowUsd),
      normalWindowUsd: r2(p.normalWindowUsd),
      deltaUsd: r2(p.deltaUsd),
      normalWeekUsd: r2(p.normalWeekUsd),
      flags: p.flags,
    })),
    totals: {
      eventWindowUsd: r2(result.totals.eventWindowUsd),
      normalWindowUsd: r2(result.totals.normalWindowUsd),
      deltaUsd: r2(result.totals.deltaUsd),
      normalWeekUsd: r2(result.pools.reduce((s, p) => s + p.normalWeekUsd, 0)),
    },
    vpc: result.ips,
    spot: result.spot,
    flags: [...result.flags].sort((a, b) => FLAG_ORDER.indexOf(a.kind) - FLAG_ORDER.indexOf(b.kind)),
    plan: {
      leadSeconds: plan.leadSeconds,
      leadTimes: plan.leadTimes,
      prescaleAt: iso(plan.prescaleAtMs),
      readyBy: iso(plan.readyByMs),
      restoreAt: iso(plan.restoreAtMs),
      hpaChanges: plan.hpaChanges,
      steps: plan.steps.map((s) => ({
        at: s.atMs === null ? null : iso(s.atMs),
        phase: s.phase,
        action: s.action,
      })),
      commands: plan.commands,
      files: meta.planFiles,
    },
    caveats: [...result.caveats, ...meta.notes],
  };
}

export type ForecastDocument = ReturnType<typeof forecastDocument>;
