/**
 * Reconciliation's charts: billed and modeled compute per day on an axis from $0 with the gap
 * as bars below, and the modeled daily cost stacked by kind of capacity. Money axes start at zero.
 */
import type { TopLevelSpec } from "vega-lite";
import { chartBase } from "../../report/chart-base.js";
import type { Day } from "./section.js";

const cents = (usd: number) => Math.round(usd * 100) / 100;
const DAY_AXIS = { field: "date", type: "temporal", title: null, axis: { format: "%b %d" } } as const;

export function reconciliationChart(days: readonly Day[]): TopLevelSpec {
  const lines = days.flatMap((r) => [
    { date: r.date, series: "modeled compute", usd: cents(r.modeledUsd) },
    ...(r.billedUsd === null ? [] : [{ date: r.date, series: "billed compute", usd: cents(r.billedUsd) }]),
  ]);
  const gaps = days.flatMap((r) => (r.gapUsd === null ? [] : [{ date: r.date, gap: cents(r.gapUsd) }]));
  return {
    ...chartBase,
    vconcat: [
      {
        width: 560,
        height: 160,
        data: { values: lines },
        mark: { type: "line", point: true },
        encoding: {
          x: DAY_AXIS,
          y: {
            field: "usd",
            type: "quantitative",
            title: "USD per day",
            axis: { format: "$,.0f" },
            scale: { zero: true },
          },
          color: { field: "series", type: "nominal", title: null, scale: { range: ["#2563eb", "#0f766e"] } },
        },
      },
      {
        width: 560,
        height: 80,
        data: { values: gaps },
        mark: { type: "bar", color: "#c2410c" },
        encoding: {
          x: DAY_AXIS,
          y: {
            field: "gap",
            type: "quantitative",
            title: "gap (billed − modeled)",
            axis: { format: "$,.0f" },
          },
        },
      },
    ],
  } as TopLevelSpec;
}

const KINDS = [
  ["on-demand EC2", "modeledOnDemandUsd"],
  ["spot EC2", "modeledSpotUsd"],
  ["Fargate", "modeledFargateUsd"],
  ["EKS fee", "modeledEksFeeUsd"],
  ["PVC storage", "modeledStorageUsd"],
] as const;

export function dailyCostChart(days: readonly Day[]): TopLevelSpec {
  const values = days.flatMap((d) =>
    KINDS.map(([kind, key]) => ({ date: d.date, kind, usd: cents(d[key]) })),
  );
  return {
    ...chartBase,
    width: 560,
    height: 180,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: { ...DAY_AXIS, timeUnit: "utcyearmonthdate" },
      y: {
        field: "usd",
        type: "quantitative",
        stack: "zero",
        title: "modeled USD per day",
        axis: { format: "$,.0f" },
      },
      color: { field: "kind", type: "nominal", title: null, sort: KINDS.map(([k]) => k) },
    },
  } as TopLevelSpec;
}
