/**
 * How good a forecast was on the hours that matter for capacity: the peak hours of what really
 * happened (by default the top 10 % of the held-out actuals). MAPE is easy to read but breaks near
 * zero, so hours whose actual is below a floor are left out of it (and counted); WAPE (the summed
 * absolute error over the summed actual) has no such problem and is what models are chosen by.
 */

/** Sums from which the figures are computed, so that workloads can be pooled into an overall one. */
export interface AccuracySums {
  hours: number;
  absErrorSum: number;
  actualSum: number;
  /** Absolute percentage errors summed over the hours MAPE counts, and how many. */
  apeSum: number;
  apeHours: number;
  /** Hours left out of MAPE: actual below the floor. */
  apeSkipped: number;
  /** Hours with an interval, and those whose actual fell inside it. */
  intervalHours: number;
  covered: number;
}

export interface Accuracy extends AccuracySums {
  /** Fractions (0.05 = 5 %); null when there is nothing to compute them on. */
  mape: number | null;
  wape: number | null;
  coverage: number | null;
}

export interface AccuracyOptions {
  /** Share of the held-out hours counted as peak hours. */
  peakShare: number;
  /** An actual below this share of the held-out hours' mean is left out of MAPE. */
  mapeFloorShare: number;
}

export const DEFAULT_ACCURACY: AccuracyOptions = { peakShare: 0.1, mapeFloorShare: 0.05 };

/**
 * The indices of the peak hours: the top `share` of the observed actuals (at least one), largest
 * first, ties by index.
 */
export function peakHours(actual: readonly number[], share: number): number[] {
  const seen = actual.map((v, i) => ({ v, i })).filter((p) => !Number.isNaN(p.v));
  const count = Math.max(1, Math.ceil(share * seen.length));
  return seen
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .slice(0, count)
    .map((p) => p.i);
}

export function accuracySums(
  actual: readonly number[],
  predicted: { point: readonly number[]; lower: readonly number[]; upper: readonly number[] },
  hours: readonly number[],
  floor: number,
): AccuracySums {
  const s: AccuracySums = {
    hours: 0,
    absErrorSum: 0,
    actualSum: 0,
    apeSum: 0,
    apeHours: 0,
    apeSkipped: 0,
    intervalHours: 0,
    covered: 0,
  };
  for (const i of hours) {
    const a = actual[i]!;
    const p = predicted.point[i]!;
    if (Number.isNaN(a) || Number.isNaN(p)) continue;
    s.hours++;
    s.absErrorSum += Math.abs(a - p);
    s.actualSum += Math.abs(a);
    if (Math.abs(a) < floor || a === 0) s.apeSkipped++;
    else {
      s.apeSum += Math.abs(a - p) / Math.abs(a);
      s.apeHours++;
    }
    const lo = predicted.lower[i]!;
    const hi = predicted.upper[i]!;
    if (!Number.isNaN(lo) && !Number.isNaN(hi)) {
      s.intervalHours++;
      if (a >= lo && a <= hi) s.covered++;
    }
  }
  return s;
}

export function fromSums(s: AccuracySums): Accuracy {
  return {
    ...s,
    mape: s.apeHours ? s.apeSum / s.apeHours : null,
    wape: s.actualSum > 0 ? s.absErrorSum / s.actualSum : null,
    coverage: s.intervalHours ? s.covered / s.intervalHours : null,
  };
}

/** Accuracy on the peak hours of the held-out actuals. */
export function peakAccuracy(
  actual: readonly number[],
  predicted: { point: readonly number[]; lower: readonly number[]; upper: readonly number[] },
  options: AccuracyOptions = DEFAULT_ACCURACY,
): Accuracy {
  const seen = actual.filter((v) => !Number.isNaN(v));
  const mean = seen.length ? seen.reduce((a, b) => a + b, 0) / seen.length : 0;
  return fromSums(
    accuracySums(actual, predicted, peakHours(actual, options.peakShare), options.mapeFloorShare * mean),
  );
}

/** Several workloads' accuracy pooled hour by hour (not an average of their figures). */
export function pooled(list: readonly AccuracySums[]): Accuracy {
  const total: AccuracySums = {
    hours: 0,
    absErrorSum: 0,
    actualSum: 0,
    apeSum: 0,
    apeHours: 0,
    apeSkipped: 0,
    intervalHours: 0,
    covered: 0,
  };
  for (const s of list) for (const k of Object.keys(total) as (keyof AccuracySums)[]) total[k] += s[k];
  return fromSums(total);
}

/** 1 − WAPE(model) ÷ WAPE(seasonal naive): 0.4 = 40 % less error than the benchmark. */
export function improvement(model: Accuracy, naive: Accuracy): number | null {
  if (model.wape === null || naive.wape === null || naive.wape === 0) return null;
  return 1 - model.wape / naive.wape;
}
