/**
 * Seasonal naive, the benchmark every forecast here must beat: each hour is predicted by the same
 * hour last week, or, when that hour is not in the history (less than a week, or a gap), by the
 * same hour yesterday; the forecast counts how often it fell back. Its prediction interval is
 * empirical: the quantiles of its own errors over the history (each observed hour against the same
 * hour a week, or a day, before it), the errors a backtest of it would make.
 */
import { DAY_HOURS, WEEK_HOURS } from "./series.js";

/** A forecast of `horizon` hours after the history, with a two-sided interval at `level`. */
export interface IntervalForecast {
  point: number[];
  /** NaN where the model gives no interval. */
  lower: number[];
  upper: number[];
  level: number;
}

export interface NaiveForecast extends IntervalForecast {
  /** Hours predicted from the same hour yesterday, because last week's was not observed. */
  fromYesterday: number;
  /** Hours with neither (NaN in `point`). */
  missing: number;
  /** Errors the interval was taken from. */
  residuals: number;
}

/** Linear interpolation between order statistics (R's type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (!sorted.length) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** The latest index ≤ `last` that is `t` less a whole number of `period`s, or -1. */
const sameHour = (t: number, last: number, period: number) =>
  t <= last ? t - period : t - period * Math.ceil((t - last) / period);

/** The value seasonal naive predicts for index `t` of a history whose last index is `last`. */
function predictAt(
  values: readonly number[],
  t: number,
  last: number,
): { value: number; fromYesterday: boolean } {
  const week = sameHour(t, last, WEEK_HOURS);
  if (week >= 0 && !Number.isNaN(values[week]!)) return { value: values[week]!, fromYesterday: false };
  const day = sameHour(t, last, DAY_HOURS);
  if (day >= 0 && !Number.isNaN(values[day]!)) return { value: values[day]!, fromYesterday: true };
  return { value: Number.NaN, fromYesterday: false };
}

/** Fewer errors than this and the interval is not given (NaN). */
export const MIN_RESIDUALS = 24;

export function seasonalNaive(values: readonly number[], horizon: number, level: number): NaiveForecast {
  const last = values.length - 1;
  const point: number[] = [];
  let fromYesterday = 0;
  let missing = 0;
  for (let h = 0; h < horizon; h++) {
    const p = predictAt(values, last + 1 + h, last);
    point.push(p.value);
    if (Number.isNaN(p.value)) missing++;
    else if (p.fromYesterday) fromYesterday++;
  }
  const errors: number[] = [];
  for (let t = DAY_HOURS; t <= last; t++) {
    if (Number.isNaN(values[t]!)) continue;
    const p = predictAt(values, t, t - 1);
    if (!Number.isNaN(p.value)) errors.push(values[t]! - p.value);
  }
  // A typed array sorts numerically without a comparator: a seventh of the time, on every series.
  const sorted = Float64Array.from(errors).sort();
  const enough = sorted.length >= MIN_RESIDUALS;
  const lo = enough ? quantile(sorted, (1 - level) / 2) : Number.NaN;
  const hi = enough ? quantile(sorted, (1 + level) / 2) : Number.NaN;
  return {
    point,
    lower: point.map((p) => Math.max(0, p + lo)),
    upper: point.map((p) => p + hi),
    level,
    fromYesterday,
    missing,
    residuals: errors.length,
  };
}
