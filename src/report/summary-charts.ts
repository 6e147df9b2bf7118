/**
 * The report's own charts (the sections draw theirs): the savings waterfall, from the cluster's
 * cost to what it would cost after each family's savings, and the trend of the monthly run-rate
 * over the analyzed runs kept. Money axes start at zero.
 */
import type { TopLevelSpec } from "vega-lite";
import { chartBase } from "./chart-base.js";
import type { SavingsFamily } from "./savings.js";
import type { CostPoint } from "./week.js";

const cents = (usd: number) => Math.round(usd * 100) / 100;

export function waterfallChart(totalUsd: number, families: readonly SavingsFamily[]): TopLevelSpec | null {
  const counted = families.filter((f) => f.status === "computed" && (f.usd ?? 0) > 0);
  if (!counted.length) return null;
  let level = totalUsd;
  const steps = counted.map((f, i) => {
    const from = level;
    level -= f.usd ?? 0;
    return { order: i + 1, step: `− ${f.label}`, from: cents(from), to: cents(level), kind: "saving" };
  });
  const values = [
    { order: 0, step: "cluster cost now", from: 0, to: cents(totalUsd), kind: "total" },
    ...steps,
    { order: steps.length + 1, step: "after the savings", from: 0, to: cents(level), kind: "total" },
  ];
  return {
    ...chartBase,
    width: 560,
    height: 200,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: {
        field: "step",
        type: "nominal",
        sort: { field: "order" },
        title: null,
        axis: { labelAngle: 0, labelLimit: 120 },
      },
      y: {
        field: "from",
        type: "quantitative",
        title: "USD per month",
        axis: { format: "$,.0f" },
        scale: { zero: true },
      },
      y2: { field: "to" },
      color: {
        field: "kind",
        type: "nominal",
        title: null,
        scale: { domain: ["total", "saving"], range: ["#2563eb", "#047857"] },
        legend: null,
      },
    },
  } as TopLevelSpec;
}

export function trendChart(history: readonly CostPoint[]): TopLevelSpec | null {
  if (history.length < 2) return null;
  const kinds = [
    ["EC2 nodes", "monthlyNodesUsd"],
    ["Fargate", "monthlyFargateUsd"],
    ["EKS fee", "monthlyControlPlaneUsd"],
    ["PVC storage", "monthlyStorageUsd"],
  ] as const;
  const values = history.flatMap((h) =>
    kinds.map(([kind, key]) => ({ run: h.windowEnd.slice(0, 10), kind, usd: cents(h[key]) })),
  );
  return {
    ...chartBase,
    width: 560,
    height: 180,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: { field: "run", type: "ordinal", title: "run (window end)" },
      y: {
        field: "usd",
        type: "quantitative",
        stack: "zero",
        title: "USD per month (run-rate)",
        axis: { format: "$,.0f" },
      },
      color: { field: "kind", type: "nominal", title: null },
    },
  } as TopLevelSpec;
}
