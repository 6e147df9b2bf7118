/**
 * Figures per day, from the per-day marts kept with each run: one series per name (namespace,
 * pool), the largest few named and the rest summed as "other", for a stacked chart (HTML) and the
 * same figures as a small table (Markdown: one row per cluster and day, a column per series).
 * Money axes start at zero. No Vega here: sections build specs without loading it.
 */
import type { TopLevelSpec } from "vega-lite";
import { chartBase } from "./chart-base.js";

export const OTHER = "other";
const cents = (usd: number) => Math.round(usd * 100) / 100;

export interface DailyValue {
  cluster: string;
  date: string;
  series: string;
  usd: number;
}

/** The `n` series with the largest sum (ties by name), then "other" when any is left out. */
export function topSeries(values: readonly DailyValue[], n: number): string[] {
  const sums = new Map<string, number>();
  for (const v of values) sums.set(v.series, (sums.get(v.series) ?? 0) + v.usd);
  const ranked = [...sums].sort((a, b) => cents(b[1]) - cents(a[1]) || a[0].localeCompare(b[0]));
  const top = ranked.slice(0, n).map(([s]) => s);
  return ranked.length > n ? [...top, OTHER] : top;
}

/** Each value under its series, or "other" when its series is not among `series`. */
function grouped(values: readonly DailyValue[], series: readonly string[]): DailyValue[] {
  const named = new Set(series);
  const out = new Map<string, DailyValue>();
  for (const v of values) {
    const s = named.has(v.series) ? v.series : OTHER;
    const key = `${v.cluster}\u0000${v.date}\u0000${s}`;
    const have = out.get(key);
    if (have) have.usd += v.usd;
    else out.set(key, { ...v, series: s });
  }
  return [...out.values()];
}

export interface DailyTable {
  /** The columns after the day: the series, in order, "other" last. */
  series: string[];
  rows: Array<{ cluster: string; date: string; usd: number[]; totalUsd: number }>;
}

/** One row per cluster and day, a column per series (the top `n` and "other"), and the day's total. */
export function dailyTable(values: readonly DailyValue[], n: number): DailyTable {
  const series = topSeries(values, n);
  const rows = new Map<string, DailyTable["rows"][number]>();
  for (const v of grouped(values, series)) {
    const key = `${v.cluster}\u0000${v.date}`;
    let row = rows.get(key);
    if (!row) {
      row = { cluster: v.cluster, date: v.date, usd: series.map(() => 0), totalUsd: 0 };
      rows.set(key, row);
    }
    row.usd[series.indexOf(v.series)]! += v.usd;
    row.totalUsd += v.usd;
  }
  const sorted = [...rows.values()].sort(
    (a, b) => a.cluster.localeCompare(b.cluster) || a.date.localeCompare(b.date),
  );
  return { series, rows: sorted };
}

const DAY = { field: "date", type: "temporal", timeUnit: "utcyearmonthdate", title: null } as const;

/** Bars per day stacked by series (the top `n` and "other"), on a USD axis from $0; a row per cluster when there are several. */
export function stackedDailyChart(
  values: readonly DailyValue[],
  options: { n: number; title: string; legend: string },
): TopLevelSpec | null {
  if (values.length === 0) return null;
  const series = topSeries(values, options.n);
  const data = grouped(values, series).map((v) => ({ ...v, usd: cents(v.usd) }));
  const clusters = new Set(values.map((v) => v.cluster)).size;
  const encoding = {
    x: { ...DAY, axis: { format: "%b %d", labelAngle: 0 } },
    y: {
      field: "usd",
      type: "quantitative",
      stack: "zero",
      title: options.title,
      axis: { format: "$,.0f" },
      scale: { zero: true },
    },
    color: { field: "series", type: "nominal", title: options.legend, sort: series },
    order: { field: "rank", type: "quantitative" },
    tooltip: [{ field: "series" }, { field: "usd", format: "$,.2f" }],
  };
  const ranked = data.map((d) => ({ ...d, rank: series.indexOf(d.series) }));
  const mark = { type: "bar" } as const;
  if (clusters > 1)
    return {
      ...chartBase,
      data: { values: ranked },
      facet: { row: { field: "cluster", type: "nominal", title: null } },
      spec: { width: 560, height: 160, mark, encoding },
    } as TopLevelSpec;
  return { ...chartBase, width: 560, height: 180, data: { values: ranked }, mark, encoding } as TopLevelSpec;
}

export interface PoolDay {
  cluster: string;
  capacityPool: string;
  date: string;
  cpuAllocatableCores: number;
  cpuRequestedCores: number;
  cpuUsedCores: number | null;
}

const MEASURES = [
  ["allocatable", "cpuAllocatableCores"],
  ["requested", "cpuRequestedCores"],
  ["used", "cpuUsedCores"],
] as const;

/** Per pool, a panel of CPU cores per day: allocatable, requested and used, each the day's average, from 0. */
export function poolCapacityChart(days: readonly PoolDay[], clusters: number): TopLevelSpec | null {
  if (days.length === 0) return null;
  const values = days.flatMap((d) =>
    MEASURES.flatMap(([measure, key]) => {
      const cores = d[key];
      return cores === null
        ? []
        : [
            {
              pool: clusters > 1 ? `${d.cluster}/${d.capacityPool}` : d.capacityPool,
              date: d.date,
              measure,
              cores: Math.round(cores * 100) / 100,
            },
          ];
    }),
  );
  return {
    ...chartBase,
    data: { values },
    facet: {
      row: { field: "pool", type: "nominal", title: null, header: { labelAngle: 0, labelAlign: "left" } },
    },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 480,
      height: 90,
      mark: { type: "line", point: true },
      encoding: {
        x: { ...DAY, axis: { format: "%b %d", labelAngle: 0 } },
        y: { field: "cores", type: "quantitative", title: "CPU cores", scale: { zero: true } },
        color: {
          field: "measure",
          type: "nominal",
          title: null,
          sort: MEASURES.map(([m]) => m),
          scale: { range: ["#6b7280", "#2563eb", "#047857"] },
        },
      },
    },
  } as TopLevelSpec;
}

export interface PoolSummary {
  cluster: string;
  capacityPool: string;
  days: number;
  cpuAllocatableCores: number;
  cpuRequestedCores: number;
  cpuUsedCores: number | null;
  /** The day of the highest used average, and that average. */
  peakDate: string | null;
  peakUsedCores: number | null;
}

/** Each pool's averages over the window (days weighted alike), for the Markdown table. */
export function poolSummaries(days: readonly PoolDay[]): PoolSummary[] {
  const byPool = new Map<string, PoolDay[]>();
  for (const d of days) {
    const key = `${d.cluster}\u0000${d.capacityPool}`;
    byPool.set(key, [...(byPool.get(key) ?? []), d]);
  }
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  return [...byPool.values()].map((ds) => {
    const used = ds.filter((d) => d.cpuUsedCores !== null);
    const peak = used.reduce<PoolDay | null>(
      (best, d) => (best === null || d.cpuUsedCores! > best.cpuUsedCores! ? d : best),
      null,
    );
    return {
      cluster: ds[0]!.cluster,
      capacityPool: ds[0]!.capacityPool,
      days: ds.length,
      cpuAllocatableCores: mean(ds.map((d) => d.cpuAllocatableCores)),
      cpuRequestedCores: mean(ds.map((d) => d.cpuRequestedCores)),
      cpuUsedCores: used.length ? mean(used.map((d) => d.cpuUsedCores!)) : null,
      peakDate: peak?.date ?? null,
      peakUsedCores: peak?.cpuUsedCores ?? null,
    };
  });
}

export interface SeriesSummary {
  series: string;
  /** Mean over the days of the table's rows (every cluster's days alike). */
  meanUsd: number;
  lowDate: string;
  lowUsd: number;
  highDate: string;
  highUsd: number;
}

/** Each column of a daily table (and the total, last) as its mean, lowest and highest day: the Markdown's compact form. */
export function summarizeDaily(table: DailyTable): SeriesSummary[] {
  if (table.rows.length === 0) return [];
  const columns = [
    ...table.series.map((series, i) => ({ series, usd: (r: DailyTable["rows"][number]) => r.usd[i]! })),
    { series: "total", usd: (r: DailyTable["rows"][number]) => r.totalUsd },
  ];
  return columns.map(({ series, usd }) => {
    let low = table.rows[0]!;
    let high = table.rows[0]!;
    let sum = 0;
    for (const r of table.rows) {
      sum += usd(r);
      if (cents(usd(r)) < cents(usd(low))) low = r;
      if (cents(usd(r)) > cents(usd(high))) high = r;
    }
    const day = (r: DailyTable["rows"][number]) =>
      new Set(table.rows.map((x) => x.cluster)).size > 1 ? `${r.cluster} ${r.date}` : r.date;
    return {
      series,
      meanUsd: sum / table.rows.length,
      lowDate: day(low),
      lowUsd: usd(low),
      highDate: day(high),
      highUsd: usd(high),
    };
  });
}
