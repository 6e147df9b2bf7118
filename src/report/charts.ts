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

/** Each section's charts as SVG, keyed by section name then chart name ("" for a chart with no data). */
export type Charts = Record<string, Record<string, string>>;

export async function renderCharts(model: ReportModel): Promise<Charts> {
  const out: Charts = {};
  for (const section of model.sections) {
    const entries = await Promise.all(
      Object.entries(section.charts ?? {}).map(
        async ([name, spec]) => [name, spec ? await renderSvg(spec) : ""] as const,
      ),
    );
    out[section.name] = Object.fromEntries(entries);
  }
  return out;
}

/** The same keys with no SVG: the Markdown report has no charts. */
export function noCharts(model: ReportModel): Charts {
  return Object.fromEntries(
    model.sections.map((s) => [s.name, Object.fromEntries(Object.keys(s.charts ?? {}).map((k) => [k, ""]))]),
  );
}
