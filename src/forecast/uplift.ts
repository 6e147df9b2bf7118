/**
 * An event's uplift: how much more demand than normal. Given, or measured from a past event of
 * the same kind as the event's observed peak ÷ the peak the baseline predicts for that window
 * without it (fit on the history before the event, so the fit never sees it): per workload where
 * the history allows, else from its namespace's workloads summed hour by hour. Overrides per
 * workload or namespace (checkout ×5, batch ×1) are the whole factor; anything else is multiplied
 * by the growth since the reference.
 */
import type { MstlFitter } from "./augurs.js";
import { DEFAULT_FORECAST, type ForecastOptions, forecastSeries, type ModelName } from "./model.js";
import { before, type Grid, HOUR_MS, indicesOf, observed, WEEK_HOURS, type Window } from "./series.js";

export interface UpliftMeasure {
  status: "ok" | "insufficient_data";
  /** Observed peak ÷ predicted peak in the window; null when it could not be measured. */
  uplift: number | null;
  observedPeak: number | null;
  baselinePeak: number | null;
  model: ModelName | null;
  reason: string;
}

export interface MeasureOptions {
  /** Observed hours the history before the event needs (a week by default: last week's hours). */
  minHistoryHours: number;
  /** Share of the event's hours that must be observed. */
  minWindowShare: number;
  forecast: ForecastOptions;
}

export const DEFAULT_MEASURE: MeasureOptions = {
  minHistoryHours: WEEK_HOURS,
  minWindowShare: 0.5,
  forecast: DEFAULT_FORECAST,
};

/** The baseline's prediction for the window, from the history before it; and the window's actuals. */
function baselineFor(grid: Grid, window: Window, options: MeasureOptions, fitter: MstlFitter | null) {
  const history = before(grid, window.startMs);
  const { from, to } = indicesOf(grid, window);
  const actual = grid.values.slice(from, to);
  const seenBefore = observed(history.values);
  if (seenBefore < options.minHistoryHours)
    return {
      fail: `${seenBefore} observed hours before the event; measuring needs ${options.minHistoryHours}`,
    };
  if (
    !actual.length ||
    observed(actual) < options.minWindowShare * ((window.endMs - window.startMs) / HOUR_MS)
  )
    return { fail: `${observed(actual)} of the event's hours observed` };
  const f = forecastSeries(history, window.endMs, options.forecast, fitter);
  const offset = Math.round((grid.startMs + from * HOUR_MS - f.startMs) / HOUR_MS);
  const predicted = f.forecast.point.slice(offset, offset + actual.length);
  return { actual, predicted, model: f.model };
}

const peakOf = (values: readonly number[]) => Math.max(...values.filter((v) => !Number.isNaN(v)));

export function measureUplift(
  grid: Grid,
  pastEvent: Window,
  options: MeasureOptions = DEFAULT_MEASURE,
  fitter: MstlFitter | null = null,
): UpliftMeasure {
  const b = baselineFor(grid, pastEvent, options, fitter);
  if ("fail" in b)
    return {
      status: "insufficient_data",
      uplift: null,
      observedPeak: null,
      baselinePeak: null,
      model: null,
      reason: b.fail!,
    };
  const observedPeak = peakOf(b.actual);
  const baselinePeak = peakOf(b.predicted);
  if (!(baselinePeak > 0))
    return {
      status: "insufficient_data",
      uplift: null,
      observedPeak,
      baselinePeak,
      model: b.model,
      reason: "the baseline predicts no demand in the window",
    };
  return {
    status: "ok",
    uplift: observedPeak / baselinePeak,
    observedPeak,
    baselinePeak,
    model: b.model,
    reason: `observed peak ${observedPeak.toPrecision(4)} ÷ ${b.model} baseline peak ${baselinePeak.toPrecision(4)}`,
  };
}

/**
 * A backtest of the event forecast on a past event it does not see: the baseline fit before it,
 * times the uplift (measured elsewhere, or given), against the event's observed peak.
 */
export interface EventBacktest {
  status: "ok" | "insufficient_data";
  predictedPeak: number | null;
  observedPeak: number | null;
  /** predicted ÷ observed − 1: 0.05 = 5 % over. */
  error: number | null;
  reason: string;
}

export function backtestEvent(
  grid: Grid,
  event: Window,
  factor: number,
  options: MeasureOptions = DEFAULT_MEASURE,
  fitter: MstlFitter | null = null,
): EventBacktest {
  const b = baselineFor(grid, event, options, fitter);
  if ("fail" in b)
    return {
      status: "insufficient_data",
      predictedPeak: null,
      observedPeak: null,
      error: null,
      reason: b.fail!,
    };
  const predictedPeak = peakOf(b.predicted.map((v) => v * factor));
  const observedPeak = peakOf(b.actual);
  return {
    status: "ok",
    predictedPeak,
    observedPeak,
    error: predictedPeak / observedPeak - 1,
    reason: `${b.model} baseline × ${factor.toFixed(2)} against the observed peak`,
  };
}

export interface EventSpec {
  name: string;
  window: Window;
  /** Given uplift; with `pastEvent` it is the fallback where neither workload nor namespace can be measured. */
  uplift?: number;
  pastEvent?: Window;
  /** Earlier events of the same kind: left out of the fits; the backtest measures its uplift on the latest. */
  earlierEvents?: readonly Window[];
  /** Multiplies every uplift not overridden (1 = none). */
  growth: number;
  /** The whole factor for a namespace, or for a workload (`namespace/Kind/name`), winning over all else. */
  overrides: { namespaces: Readonly<Record<string, number>>; workloads: Readonly<Record<string, number>> };
}

export type UpliftSource =
  | "workload-override"
  | "namespace-override"
  | "measured-workload"
  | "measured-namespace"
  | "given"
  | "none";

export interface ResolvedUplift {
  /** Baseline × factor = event demand. */
  factor: number;
  source: UpliftSource;
  reason: string;
}

/**
 * The factor a workload's baseline is multiplied by: its override, its namespace's override,
 * its own measured uplift, its namespace's, the given uplift, or 1 (said so), times the growth
 * except for overrides.
 */
export function resolveUplift(
  event: EventSpec,
  workload: { key: string; namespace: string },
  own: UpliftMeasure | null,
  namespace: UpliftMeasure | null,
): ResolvedUplift {
  const w = event.overrides.workloads[workload.key];
  if (w !== undefined)
    return { factor: w, source: "workload-override", reason: `override ×${w} for the workload` };
  const n = event.overrides.namespaces[workload.namespace];
  if (n !== undefined)
    return {
      factor: n,
      source: "namespace-override",
      reason: `override ×${n} for namespace ${workload.namespace}`,
    };
  const g = event.growth;
  const grown = (u: number) => u * g;
  const growth = g === 1 ? "" : ` × growth ${g}`;
  if (own?.uplift != null)
    return {
      factor: grown(own.uplift),
      source: "measured-workload",
      reason: `measured ×${own.uplift.toFixed(2)} (${own.reason})${growth}`,
    };
  if (namespace?.uplift != null)
    return {
      factor: grown(namespace.uplift),
      source: "measured-namespace",
      reason: `measured ×${namespace.uplift.toFixed(2)} on namespace ${workload.namespace}${own ? ` (workload: ${own.reason})` : ""}${growth}`,
    };
  if (event.uplift !== undefined)
    return { factor: grown(event.uplift), source: "given", reason: `given ×${event.uplift}${growth}` };
  return {
    factor: grown(1),
    source: "none",
    reason: `no uplift given nor measurable: baseline only${growth}`,
  };
}
