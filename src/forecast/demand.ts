/**
 * Each workload's demand in the event window: its CPU and memory forecast (the model its backtest
 * chose), times its uplift factor; and the backtest pooled over all workloads. The uplift is
 * measured on CPU (what traffic drives) and applied to both CPU and memory: a workload's memory
 * grows with the pods it runs.
 */
import { type Accuracy, type AccuracySums, improvement, pooled } from "./accuracy.js";
import type { MstlFitter } from "./augurs.js";
import {
  DEFAULT_FORECAST,
  type ForecastOptions,
  forecastSeries,
  MSTL_NOT_REQUESTED,
  type SeriesForecast,
} from "./model.js";
import { type Grid, HOUR_MS, type HourlyPoint, sumGrids, toGrid } from "./series.js";
import {
  DEFAULT_MEASURE,
  type EventSpec,
  type MeasureOptions,
  measureUplift,
  type ResolvedUplift,
  resolveUplift,
  type UpliftMeasure,
} from "./uplift.js";

export interface WorkloadHistory {
  /** `namespace/Kind/name` */
  key: string;
  namespace: string;
  points: readonly HourlyPoint[];
}

export interface DemandOptions {
  forecast: ForecastOptions;
  measure: MeasureOptions;
  /** Workloads whose memory is modelled with MSTL too (an HPA on memory); others by seasonal naive. */
  memoryModelled: ReadonlySet<string>;
  /** Workloads MSTL is fit for (the largest, `forecast.mstlShare` and `mstlMaxWorkloads`); null: every workload. */
  mstlKeys: ReadonlySet<string> | null;
}

export const DEFAULT_DEMAND: DemandOptions = {
  forecast: DEFAULT_FORECAST,
  measure: DEFAULT_MEASURE,
  memoryModelled: new Set(),
  mstlKeys: null,
};

/** One resource in the event window, hour by hour from the window's start. */
export interface WindowDemand {
  /** Baseline without the event. */
  baseline: number[];
  /** Baseline × factor: the point forecast of the event. */
  point: number[];
  /** The planning quantile × factor (the point where the model gives no interval). */
  plan: number[];
  peakPoint: number;
  peakPlan: number;
  peakBaseline: number;
}

export interface WorkloadDemand {
  key: string;
  namespace: string;
  cpu: SeriesForecast;
  memory: SeriesForecast;
  measured: UpliftMeasure | null;
  uplift: ResolvedUplift;
  cpuCores: WindowDemand;
  memoryBytes: WindowDemand;
  /** Replicas in the last hour observed. */
  lastReplicas: number;
}

export interface DemandResult {
  workloads: WorkloadDemand[];
  /** The backtest pooled over workloads (CPU, peak hours): the chosen models, seasonal naive, the gain. */
  accuracy: { chosen: Accuracy; naive: Accuracy; improvement: number | null; workloads: number };
}

const peak = (values: readonly number[]) =>
  values.reduce((m, v) => (Number.isNaN(v) ? m : Math.max(m, v)), 0);

/** The forecast's hours inside the window, × factor; hours before the forecast starts are NaN. */
export function windowOf(
  f: SeriesForecast,
  window: { startMs: number; endMs: number },
  factor: number,
): WindowDemand {
  const hours = Math.round((window.endMs - window.startMs) / HOUR_MS);
  const offset = Math.round((window.startMs - f.startMs) / HOUR_MS);
  const at = (list: readonly number[], h: number) => list[offset + h] ?? Number.NaN;
  const baseline = Array.from({ length: hours }, (_, h) => at(f.forecast.point, h));
  const upper = Array.from({ length: hours }, (_, h) => at(f.forecast.upper, h));
  const point = baseline.map((v) => v * factor);
  const plan = upper.map((u, h) => (Number.isNaN(u) ? baseline[h]! : u) * factor);
  return {
    baseline,
    point,
    plan,
    peakPoint: peak(point),
    peakPlan: peak(plan),
    peakBaseline: peak(baseline),
  };
}

/** The accuracy of the model a series forecast chose, as sums to pool. */
const chosenSums = (f: SeriesForecast): AccuracySums | null =>
  f.backtest ? (f.model === "mstl" && f.backtest.mstl ? f.backtest.mstl : f.backtest.naive) : null;

/** What a workload's history gives before any other workload is looked at: its two forecasts and measured uplift. */
export interface WorkloadFit {
  key: string;
  cpu: SeriesForecast;
  memory: SeriesForecast;
  measured: UpliftMeasure | null;
}

/** The event's past windows left out of every fit. */
export function fitOptions(event: EventSpec, options: DemandOptions): ForecastOptions {
  return {
    ...options.forecast,
    exclude: [
      ...options.forecast.exclude,
      ...(event.pastEvent ? [event.pastEvent] : []),
      ...(event.earlierEvents ?? []),
    ],
  };
}

/** Measuring an uplift fits the baseline as the forecast does, with every past event left out. */
export const measureOptions = (event: EventSpec, options: DemandOptions): MeasureOptions => ({
  ...options.measure,
  forecast: fitOptions(event, options),
});

/** Why a workload outside `mstlKeys` gets seasonal naive. */
const SMALL = "small: MSTL not tried";

/**
 * One workload's fits, independent of every other workload's (so they can run on worker threads).
 * MSTL is fit only where `options.mstlKeys` allows it (null: everywhere).
 */
export function fitWorkload(
  w: WorkloadHistory,
  event: EventSpec,
  options: DemandOptions,
  fitter: MstlFitter | null,
): WorkloadFit {
  const forecastOptions = fitOptions(event, options);
  const own = options.mstlKeys === null || options.mstlKeys.has(w.key) ? fitter : null;
  const cpuGrid = toGrid(w.key, w.points, (p) => p.cpuCores);
  const cpu = forecastSeries(
    cpuGrid,
    event.window.endMs,
    forecastOptions,
    own,
    fitter && !own ? SMALL : MSTL_NOT_REQUESTED,
  );
  const memory = forecastSeries(
    toGrid(w.key, w.points, (p) => p.memoryBytes),
    event.window.endMs,
    forecastOptions,
    options.memoryModelled.has(w.key) ? own : null,
  );
  const measured = event.pastEvent
    ? measureUplift(cpuGrid, event.pastEvent, measureOptions(event, options), own)
    : null;
  return { key: w.key, cpu, memory, measured };
}

/**
 * Every workload's demand in the event window. `fits` are the workloads' own fits when they were
 * made elsewhere (worker threads); otherwise they are made here, one after the other.
 */
export function forecastDemand(
  workloads: readonly WorkloadHistory[],
  event: EventSpec,
  options: DemandOptions = DEFAULT_DEMAND,
  fitter: MstlFitter | null = null,
  fits?: readonly WorkloadFit[],
): DemandResult {
  const fitByKey = new Map(
    (fits ?? workloads.map((w) => fitWorkload(w, event, options, fitter))).map((f) => [f.key, f]),
  );
  const cpuGrids = new Map<string, Grid>();
  for (const w of workloads)
    cpuGrids.set(
      w.key,
      toGrid(w.key, w.points, (p) => p.cpuCores),
    );
  const namespaceMeasure = new Map<string, UpliftMeasure>();
  const measureNamespace = (namespace: string): UpliftMeasure => {
    let m = namespaceMeasure.get(namespace);
    if (!m) {
      const grids = workloads.filter((w) => w.namespace === namespace).map((w) => cpuGrids.get(w.key)!);
      m = measureUplift(sumGrids(grids), event.pastEvent!, measureOptions(event, options), fitter);
      namespaceMeasure.set(namespace, m);
    }
    return m;
  };
  const result: WorkloadDemand[] = [];
  const chosen: AccuracySums[] = [];
  const naive: AccuracySums[] = [];
  for (const w of workloads) {
    const fit = fitByKey.get(w.key);
    if (!fit) throw new Error(`no fit for workload ${w.key}`);
    const { cpu, memory, measured } = fit;
    const ns = measured && measured.uplift === null ? measureNamespace(w.namespace) : null;
    const uplift = resolveUplift(event, w, measured, ns);
    const last = w.points.reduce((a, b) => (b.hourMs > a.hourMs ? b : a), w.points[0]!);
    result.push({
      key: w.key,
      namespace: w.namespace,
      cpu,
      memory,
      measured,
      uplift,
      cpuCores: windowOf(cpu, event.window, uplift.factor),
      memoryBytes: windowOf(memory, event.window, uplift.factor),
      lastReplicas: last?.replicas ?? 0,
    });
    const c = chosenSums(cpu);
    if (c && cpu.backtest) {
      chosen.push(c);
      naive.push(cpu.backtest.naive);
    }
  }
  const chosenAll = pooled(chosen);
  const naiveAll = pooled(naive);
  return {
    workloads: result,
    accuracy: {
      chosen: chosenAll,
      naive: naiveAll,
      improvement: improvement(chosenAll, naiveAll),
      workloads: chosen.length,
    },
  };
}
