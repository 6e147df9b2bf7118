/**
 * Charts as inline SVG, rendered from the sections' Vega-Lite specs in Node (no browser, no CDN).
 * Vega's SVG renderer escapes every text mark, so names from the cluster stay text.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { ReportModel } from "./model.js";

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Each section's charts as SVG, keyed by section name then chart name ("" for a chart with no
 * data); the report's own charts under REPORT_CHARTS.
 */
export type Charts = Record<string, Record<string, string>>;
export const REPORT_CHARTS = "(report)";

type Specs = Record<string, TopLevelSpec | null>;

const specsOf = (model: ReportModel): Array<[string, Specs]> => [
  [REPORT_CHARTS, model.charts],
  ...model.sections.map((s): [string, Specs] => [s.name, s.charts ?? {}]),
];

export async function renderCharts(model: ReportModel): Promise<Charts> {
  const out: Charts = {};
  for (const [owner, specs] of specsOf(model)) {
    const entries = await Promise.all(
      Object.entries(specs).map(async ([name, spec]) => [name, spec ? await renderSvg(spec) : ""] as const),
    );
    out[owner] = Object.fromEntries(entries);
  }
  return out;
}

/** The same keys with no SVG: the Markdown report has no charts. */
export function noCharts(model: ReportModel): Charts {
  return Object.fromEntries(
    specsOf(model).map(([owner, specs]) => [
      owner,
      Object.fromEntries(Object.keys(specs).map((k) => [k, ""])),
    ]),
  );
}
