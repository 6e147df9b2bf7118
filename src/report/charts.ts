/**
 * Charts as inline SVG, rendered from Vega-Lite specs in Node (no browser, no CDN). Vega's SVG
 * renderer escapes every text mark, so names from the cluster stay text.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { ReportModel } from "./model.js";

const FONT = "system-ui, -apple-system, Segoe UI, sans-serif";
const base = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  background: "transparent",
  config: {
    font: FONT,
    axis: { labelFontSize: 11, titleFontSize: 11 },
    legend: { labelFontSize: 11, titleFontSize: 11 },
    view: { stroke: null },
  },
} as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function namespaceChart(model: ReportModel): TopLevelSpec {
  return {
    ...base,
    width: 560,
    data: {
      values: model.namespaces.map((ns) => ({
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

export function reconciliationChart(model: ReportModel): TopLevelSpec {
  const values = model.reconciliation.flatMap((r) => [
    { date: r.date, series: "modeled compute", usd: Math.round(r.modeledUsd * 100) / 100 },
    ...(r.billedUsd === null
      ? []
      : [{ date: r.date, series: "billed compute", usd: Math.round(r.billedUsd * 100) / 100 }]),
  ]);
  return {
    ...base,
    width: 560,
    height: 180,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "date", type: "temporal", title: null, axis: { format: "%b %d" } },
      y: {
        field: "usd",
        type: "quantitative",
        title: "USD per day",
        axis: { format: "$,.0f" },
        scale: { zero: false },
      },
      color: { field: "series", type: "nominal", title: null, scale: { range: ["#2563eb", "#0f766e"] } },
    },
  } as TopLevelSpec;
}

export interface Charts {
  namespaces: string;
  reconciliation: string;
}

export async function renderCharts(model: ReportModel): Promise<Charts> {
  const [namespaces, reconciliation] = await Promise.all([
    model.namespaces.length ? renderSvg(namespaceChart(model)) : Promise.resolve(""),
    model.reconciliation.some((r) => r.billedUsd !== null)
      ? renderSvg(reconciliationChart(model))
      : Promise.resolve(""),
  ]);
  return { namespaces, reconciliation };
}
