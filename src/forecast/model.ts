/**
 * The demand model of one hourly series: a backtest (hold out the last week, fit on the rest)
 * of seasonal naive against MSTL, the better of the two on peak hours chosen (by WAPE; a tie goes
 * to seasonal naive, the simpler), then that model fit on the whole history and run to the end of
 * the horizon, with its interval. The plan sizes to a quantile of demand (P90 by default): the
 * upper bound of a two-sided interval at level 2q − 1.
 */
import {
  type Accuracy,
  type AccuracyOptions,
  DEFAULT_ACCURACY,
  improvement,
  peakAccuracy,
} from "./accuracy.js";
import type { MstlFitter } from "./augurs.js";
import { calibrated, calibration } from "./calibrate.js";
import { type IntervalForecast, seasonalNaive } from "./naive.js";
import { DAY_HOURS, type Grid, HOUR_MS, maskWindows, observed, WEEK_HOURS, type Window } from "./series.js";

export type ModelName = "seasonal-naive" | "mstl";

export interface ForecastOptions {
  /** The quantile of demand the plan sizes to: 0.9 = P90. */
  planQuantile: number;
  accuracy: AccuracyOptions;
  /** Windows left out of every fit (past events), as gaps. */
  exclude: readonly Window[];
  /**
   * MSTL is fit on at most this many of the latest hours, in the backtest and for the forecast
   * alike, so that the backtest scores the model as the forecast runs it (and a fit costs the
   * same however long the history): three weeks by default.
   */
  mstlFitHours: number;
  /** Calibrate the chosen model's interval on its backtest errors (`calibrate.ts`). */
  calibrate: boolean;
}

export const DEFAULT_FORECAST: ForecastOptions = {
  planQuantile: 0.9,
  accuracy: DEFAULT_ACCURACY,
  exclude: [],
  mstlFitHours: 3 * WEEK_HOURS,
  calibrate: true,
};

export interface Backtest {
  /** The held-out week. */
  heldOut: Window;
  /** Held-out actuals and each model's forecast of them, hour by hour (for charts and pooling). */
  actual: number[];
  naive: Accuracy;
  /** Null when MSTL could not run (too little history to fit, or it failed: `mstlNote`). */
  mstl: Accuracy | null;
  mstlNote: string | null;
  /** Each model's forecast of the held-out week (the calibration's scores come from it). */
  naiveForecast: IntervalForecast;
  mstlForecast: IntervalForecast | null;
  /** The chosen model's improvement over seasonal naive (0 when naive is chosen). */
  improvement: number | null;
}

export interface SeriesForecast {
  status: "ok" | "insufficient_data";
  model: ModelName;
  /** Which model and why, in words. */
  reason: string;
  /** First hour forecast: the hour after the history. */
  startMs: number;
  /** Point forecast, and the interval at level 2q − 1 (`upper` is the planning quantile). */
  forecast: IntervalForecast;
  planQuantile: number;
  backtest: Backtest | null;
  /** Backtest errors the interval was calibrated on (null: the model's own interval). */
  calibratedFrom: number | null;
  /** What the figures rest on: hours from yesterday, gaps, windows left out. */
  notes: string[];
}

/** Least observed hours to forecast at all (a day), and to fit MSTL's weekly period (two weeks). */
export const MIN_HOURS = DAY_HOURS;
export const MIN_MSTL_HOURS = 2 * WEEK_HOURS;

const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(1)} %`);
const clampAtZero = (f: IntervalForecast): IntervalForecast => ({
  ...f,
  point: f.point.map((v) => Math.max(0, v)),
  lower: f.lower.map((v) => Math.max(0, v)),
  upper: f.upper.map((v) => Math.max(0, v)),
});

function runMstl(
  fitter: MstlFitter | null,
  values: readonly number[],
  horizon: number,
  level: number,
  notTried: string,
): { forecast: IntervalForecast | null; note: string | null } {
  if (!fitter) return { forecast: null, note: notTried };
  if (observed(values) < MIN_MSTL_HOURS)
    return {
      forecast: null,
      note: `MSTL needs ${MIN_MSTL_HOURS} observed hours to fit, had ${observed(values)}`,
    };
  try {
    return {
      forecast: clampAtZero(fitter.forecast(values, [DAY_HOURS, WEEK_HOURS], horizon, level)),
      note: null,
    };
  } catch (e) {
    return { forecast: null, note: `MSTL failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Why a series without a fitter gets seasonal naive (the default: its resource is not modelled by MSTL). */
export const MSTL_NOT_REQUESTED = "MSTL not requested for this series";

/** Hold out the last week, fit both models on the rest, score them on the week's peak hours. */
export function backtest(
  grid: Grid,
  level: number,
  options: ForecastOptions,
  fitter: MstlFitter | null,
  notTried = MSTL_NOT_REQUESTED,
): Backtest | null {
  const n = grid.values.length;
  if (n - WEEK_HOURS < WEEK_HOURS) return null;
  const train = grid.values.slice(0, n - WEEK_HOURS);
  const actual = grid.values.slice(n - WEEK_HOURS);
  if (observed(actual) === 0) return null;
  const naiveForecast = seasonalNaive(train, WEEK_HOURS, level);
  const naive = peakAccuracy(actual, naiveForecast, options.accuracy);
  const m = runMstl(fitter, train.slice(-options.mstlFitHours), WEEK_HOURS, level, notTried);
  const mstl = m.forecast ? peakAccuracy(actual, m.forecast, options.accuracy) : null;
  const better = mstl !== null && mstl.wape !== null && naive.wape !== null && mstl.wape < naive.wape;
  return {
    heldOut: { startMs: grid.startMs + (n - WEEK_HOURS) * HOUR_MS, endMs: grid.startMs + n * HOUR_MS },
    actual,
    naive,
    mstl,
    mstlNote: m.note,
    naiveForecast: {
      point: naiveForecast.point,
      lower: naiveForecast.lower,
      upper: naiveForecast.upper,
      level,
    },
    mstlForecast: m.forecast,
    improvement: better ? improvement(mstl, naive) : 0,
  };
}

/**
 * Forecast of the grid's series to `untilMs` (exclusive), with the model its backtest chose.
 * Without a fitter, `notTried` says why (the reason reads "seasonal naive (…)").
 */
export function forecastSeries(
  grid: Grid,
  untilMs: number,
  options: ForecastOptions = DEFAULT_FORECAST,
  fitter: MstlFitter | null = null,
  notTried = MSTL_NOT_REQUESTED,
): SeriesForecast {
  const level = 2 * options.planQuantile - 1;
  const masked = maskWindows(grid, options.exclude);
  const startMs = grid.startMs + masked.values.length * HOUR_MS;
  const horizon = Math.max(0, Math.ceil((untilMs - startMs) / HOUR_MS));
  const notes: string[] = [];
  const gaps = masked.values.length - observed(masked.values);
  if (options.exclude.length)
    notes.push(`${options.exclude.length} past event window(s) left out of the fit`);
  if (gaps) notes.push(`${gaps} of ${masked.values.length} hours not observed (or left out)`);
  const empty = { point: [], lower: [], upper: [], level };
  if (observed(masked.values) < MIN_HOURS)
    return {
      status: "insufficient_data",
      model: "seasonal-naive",
      reason: `${observed(masked.values)} observed hours; a forecast needs at least ${MIN_HOURS}`,
      startMs,
      forecast: empty,
      planQuantile: options.planQuantile,
      backtest: null,
      calibratedFrom: null,
      notes,
    };
  const bt = backtest(masked, level, options, fitter, notTried);
  const mstlWins = bt?.mstl && bt.improvement !== null && bt.improvement > 0;
  let reason: string;
  if (!bt)
    reason = `${masked.values.length} hours of history: a backtest needs two weeks, so seasonal naive (the benchmark) is used`;
  else if (mstlWins)
    reason = `MSTL: WAPE on peak hours ${pct(bt.mstl!.wape)} against seasonal naive's ${pct(bt.naive.wape)} in the backtest`;
  else if (bt.mstl)
    reason = `seasonal naive: WAPE on peak hours ${pct(bt.naive.wape)}, MSTL ${pct(bt.mstl.wape)} in the backtest`;
  else reason = fitter ? `seasonal naive: ${bt.mstlNote}` : `seasonal naive (${bt.mstlNote})`;
  const scored = mstlWins ? bt?.mstl : bt?.naive;
  const tuned = (f: IntervalForecast, chosen: IntervalForecast | null | undefined) => {
    const c = options.calibrate && bt && chosen ? calibration(bt.actual, chosen.point, level) : null;
    if (!c) return { forecast: f, calibratedFrom: null };
    notes.push(
      `interval calibrated on ${c.scores} backtest errors (split conformal: ${pct(c.lower)} … +${pct(c.upper)} of the point)${scored?.coverage != null ? `; the model's own covered ${pct(scored.coverage)} of the backtest's peak hours` : ""}`,
    );
    return { forecast: calibrated(f, c), calibratedFrom: c.scores };
  };
  if (!options.calibrate && scored?.coverage != null && scored.coverage < level - 0.1)
    notes.push(
      `the interval covered ${pct(scored.coverage)} of the backtest's peak hours, against ${pct(level)} asked: the P${Math.round(options.planQuantile * 100)} bound is optimistic`,
    );
  if (mstlWins) {
    const m = runMstl(fitter, masked.values.slice(-options.mstlFitHours), horizon, level, notTried);
    if (m.forecast)
      return {
        status: "ok",
        model: "mstl",
        reason,
        startMs,
        ...tuned(m.forecast, bt?.mstlForecast),
        planQuantile: options.planQuantile,
        backtest: bt,
        notes,
      };
    reason = `seasonal naive: ${m.note}`;
  }
  const naive = seasonalNaive(masked.values, horizon, level);
  if (naive.fromYesterday)
    notes.push(
      `${naive.fromYesterday} hours predicted from the day before: last week's hour was not observed`,
    );
  if (naive.missing) notes.push(`${naive.missing} hours with neither last week's nor yesterday's value`);
  if (Number.isNaN(naive.upper[0] ?? 0))
    notes.push(`no interval: seasonal naive had ${naive.residuals} errors to take it from`);
  const naiveTuned = tuned(naive, bt?.naiveForecast);
  return {
    status: "ok",
    model: "seasonal-naive",
    reason,
    startMs,
    forecast: { ...naive, ...naiveTuned.forecast },
    calibratedFrom: naiveTuned.calibratedFrom,
    planQuantile: options.planQuantile,
    backtest: bt,
    notes,
  };
}
