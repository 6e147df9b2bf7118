/**
 * Cost allocation: what each workload, namespace and label value costs per month (compute, the
 * EKS fee and PVC storage), idle on its own rows, and, with allocation.scaleToBill, the same
 * scaled to the bill. Its settings are the shared cost model's (`allocation.*`).
 */
import type { TopLevelSpec } from "vega-lite";
import type { Config } from "../../config/schema.js";
import { chartBase } from "../../report/chart-base.js";
import { type DailyValue, dailyTable, stackedDailyChart, summarizeDaily } from "../../report/daily.js";
import { round, roundOrNull } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
import type { RowOf } from "../marts.js";

const ALLOCATION = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  monthly_cost_usd: "number",
  monthly_cpu_cost_usd: "number",
  monthly_memory_cost_usd: "number",
  monthly_storage_cost_usd: "number",
  monthly_cost_scaled_usd: "number?",
  pods: "number",
  capacity_types: "string?",
  price_sources: "string?",
} as const;
export type AllocationRow = RowOf<typeof ALLOCATION>;

const NAMESPACES = {
  cluster: "string",
  namespace: "string",
  monthly_cost_usd: "number",
  monthly_cost_scaled_usd: "number?",
  workloads: "number",
} as const;

const BY_LABEL = {
  cluster: "string",
  label_key: "string",
  label_value: "string",
  monthly_cost_usd: "number",
  monthly_cost_with_idle_usd: "number",
  monthly_cost_scaled_usd: "number?",
  workloads: "number",
  namespaces: "string?",
  values_from: "string?",
} as const;

const DAILY = {
  cluster: "string",
  date: "date",
  namespace: "string",
  cost_usd: "number",
} as const;

/** Namespaces named in the daily chart and table; the rest are summed as "other". */
const DAILY_NAMESPACES = 6;

const BILL_SCALE = {
  cluster: "string",
  cost_kind: "string",
  modeled_usd: "number",
  billed_usd: "number",
  factor: "number?",
  applied: "boolean",
} as const;
type BillScaleRow = RowOf<typeof BILL_SCALE>;

export async function costAllocationSection({ marts, config }: SectionInput<undefined>): Promise<Section> {
  const allocation = await marts.read("mart_cost_allocation", ALLOCATION, [
    { column: "monthly_cost_usd", round: 4, desc: true },
    "cluster",
    "namespace",
    "workload_kind",
    "workload_name",
  ]);
  const total = allocation.reduce((a, r) => a + r.monthlyCostUsd, 0);
  const namespaces = (
    await marts.read("mart_namespace_costs", NAMESPACES, [
      { column: "monthly_cost_usd", round: 4, desc: true },
      "cluster",
      "namespace",
    ])
  ).map((r) => ({ ...r, share: total ? r.monthlyCostUsd / total : 0 }));
  const labelRows = await marts.read("mart_cost_by_label", BY_LABEL, [
    "cluster",
    "label_key",
    { column: "monthly_cost_usd", round: 4, desc: true },
    "label_value",
  ]);
  const keyTotals = new Map<string, number>();
  for (const r of labelRows) {
    const key = `${r.cluster} ${r.labelKey}`;
    keyTotals.set(key, (keyTotals.get(key) ?? 0) + r.monthlyCostUsd);
  }
  const costByLabel = labelRows.map((r) => ({
    ...r,
    namespaces: r.namespaces ?? "",
    valuesFrom: r.valuesFrom ?? "",
    share: r.monthlyCostUsd / (keyTotals.get(`${r.cluster} ${r.labelKey}`) || 1),
  }));
  const daily: DailyValue[] = (
    await marts.read("mart_namespace_costs_daily", DAILY, ["cluster", "date", "namespace"])
  ).map((d) => ({ cluster: d.cluster, date: d.date, series: d.namespace, usd: d.costUsd }));
  const dailyNamespaces = dailyTable(daily, DAILY_NAMESPACES);
  const billScale = await marts.read("mart_bill_scale", BILL_SCALE, ["cluster", "cost_kind"]);
  const clusters = (await marts.read("mart_cost_summary", { cluster: "string" }, ["cluster"])).map(
    (c) => c.cluster,
  );
  const rows = allocation.map((r) => ({
    ...r,
    capacityTypes: r.capacityTypes ?? "",
    priceSources: r.priceSources ?? "",
  }));
  const workloads = rows.filter((r) => !["Idle", "ControlPlane", "NodeVolumes"].includes(r.workloadKind));
  return {
    view: {
      namespaces,
      labelKeys: config.allocation.labelKeys,
      costByLabel,
      scaledToBill: config.allocation.scaleToBill && billScale.length > 0,
      allocationRows: rows.length,
      topWorkloads: workloads.slice(0, 20),
      // Every workload, for the HTML report's table (sortable, filterable, paged in the page).
      workloads,
      daily: dailyNamespaces,
      dailySummary: summarizeDaily(dailyNamespaces),
    },
    charts: {
      namespaces: namespaces.length ? namespaceChart(namespaces) : null,
      daily: stackedDailyChart(daily, {
        n: DAILY_NAMESPACES,
        title: "USD per day",
        legend: "namespace",
      }),
    },
    recommendations: {
      costAllocation: rows.map((r) => ({
        cluster: r.cluster,
        namespace: r.namespace,
        workloadKind: r.workloadKind,
        workloadName: r.workloadName,
        monthlyCostUsd: round(r.monthlyCostUsd),
        monthlyCpuCostUsd: round(r.monthlyCpuCostUsd),
        monthlyMemoryCostUsd: round(r.monthlyMemoryCostUsd),
        monthlyStorageCostUsd: round(r.monthlyStorageCostUsd),
        monthlyCostScaledUsd: roundOrNull(r.monthlyCostScaledUsd),
      })),
      costByLabel: costByLabel.map((r) => ({
        cluster: r.cluster,
        labelKey: r.labelKey,
        labelValue: r.labelValue,
        monthlyCostUsd: round(r.monthlyCostUsd),
        monthlyCostWithIdleUsd: round(r.monthlyCostWithIdleUsd),
        monthlyCostScaledUsd: roundOrNull(r.monthlyCostScaledUsd),
        workloads: r.workloads,
        namespaces: r.namespaces ? r.namespaces.split(", ") : [],
      })),
    },
    summary: {
      billScale: billScale.map((b) => ({
        cluster: b.cluster,
        costKind: b.costKind,
        modeledUsd: round(b.modeledUsd),
        billedUsd: round(b.billedUsd),
        factor: roundOrNull(b.factor, 6),
        applied: b.applied,
      })),
    },
    csv: [
      {
        file: "costs.csv",
        columns: [
          { name: "cluster" },
          { name: "namespace" },
          { name: "workloadKind" },
          { name: "workloadName" },
          { name: "monthlyCostUsd", digits: 4 },
          { name: "monthlyCpuCostUsd", digits: 4 },
          { name: "monthlyMemoryCostUsd", digits: 4 },
          { name: "monthlyStorageCostUsd", digits: 4 },
          { name: "monthlyCostScaledUsd", digits: 4 },
          { name: "pods" },
          { name: "capacityTypes" },
          { name: "priceSources" },
        ],
        rows,
      },
      {
        file: "costs-daily.csv",
        columns: [
          { name: "cluster" },
          { name: "date" },
          { name: "namespace" },
          { name: "costUsd", digits: 4 },
        ],
        rows: daily.map((d) => ({ cluster: d.cluster, date: d.date, namespace: d.series, costUsd: d.usd })),
      },
    ],
    caveats: [
      `Node prices split into per-core and per-GiB rates by ${splitMethodText(config.allocation.splitMethod)}.`,
      "Pods are charged max(request, usage) per hour for CPU and memory; idle is what their nodes cost beyond that, shown on its own lines.",
      ...scaleCaveats(config.allocation.scaleToBill, billScale, clusters),
    ],
  };
}

function splitMethodText(method: Config["allocation"]["splitMethod"]): string {
  return method === "aws-split"
    ? "aws-split (AWS split cost allocation: 1 vCPU weighs as 9 GiB)"
    : "opencost-ratio (OpenCost's default CPU:RAM price ratio, about 7.46 : 1)";
}

function scaleCaveats(asked: boolean, scales: BillScaleRow[], clusters: string[]): string[] {
  if (!asked) return [];
  return clusters.map((cluster) => {
    const rows = scales.filter((b) => b.cluster === cluster);
    if (rows.length === 0)
      return `allocation.scaleToBill is set, but ${cluster} has no bill to scale to: the figures are modeled only.`;
    const factors = rows
      .map((b) =>
        b.factor === null
          ? `${b.costKind} not scaled (${b.modeledUsd ? "nothing billed" : "nothing modeled"})`
          : `${b.costKind} × ${b.factor.toFixed(4)}`,
      )
      .join(", ");
    return `Scaled to the bill (${cluster}), billed ÷ modeled over the billed days: ${factors}; PVC storage is not scaled. The modeled figures are shown beside the scaled ones.`;
  });
}

function namespaceChart(
  namespaces: ReadonlyArray<{ namespace: string; monthlyCostUsd: number }>,
): TopLevelSpec {
  return {
    ...chartBase,
    width: 560,
    data: {
      values: namespaces.map((ns) => ({
        namespace: ns.namespace,
        usd: Math.round(ns.monthlyCostUsd * 100) / 100,
      })),
    },
    mark: { type: "bar", cornerRadiusEnd: 2 },
    encoding: {
      y: { field: "namespace", type: "nominal", sort: "-x", title: null },
      x: { field: "usd", type: "quantitative", title: "USD per month (run-rate)", axis: { format: "$,.0f" } },
      color: {
        condition: { test: "datum.namespace === '(idle)'", value: "#c2410c" },
        value: "#2563eb",
      },
    },
  } as TopLevelSpec;
}
