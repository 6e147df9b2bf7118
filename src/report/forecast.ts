/**
 * The forecast report: `forecast.json`'s document rendered by `reports/forecast/forecast.{html,md}.hbs`
 * (the same Handlebars engines, helpers and escaping as the run's report), with a chart of the
 * cluster's CPU (history, forecast, interval, event window) and of its largest workloads, and the
 * summary printed on stdout.
 */
import type { TopLevelSpec } from "vega-lite";
import { projectPath } from "../core/paths.js";
import { mapStrings, showInvisible, visibleControls } from "../core/text.js";
import type { ForecastDocument } from "../forecast/document.js";
import { TOOL_VERSION } from "../services/version.js";
import { chartBase } from "./chart-base.js";
import { renderSvg } from "./charts.js";
import { cores, pct, usd } from "./format.js";
import { finishHtml, inlineAssets } from "./html.js";
import { engine, markdownSafe } from "./render.js";

const DIRS = [projectPath("reports", "layouts"), projectPath("reports", "forecast")];

type Series = ForecastDocument["clusterCpu"];

/** History (solid), forecast (dashed) with its planning interval (band), the event window shaded. */
export function cpuChart(series: Series, title: string): TopLevelSpec {
  const inEvent = series.filter((s) => s.inEvent);
  return {
    ...chartBase,
    width: 640,
    height: 200,
    title: { text: title, fontSize: 12, anchor: "start" },
    layer: [
      ...(inEvent.length
        ? [
            {
              data: { values: [{ start: inEvent[0]!.hour, end: inEvent.at(-1)!.hour }] },
              mark: { type: "rect", color: "#fde68a", opacity: 0.5 },
              encoding: { x: { field: "start", type: "temporal" }, x2: { field: "end" } },
            },
          ]
        : []),
      {
        data: { values: series.filter((s) => s.upperCores !== null) },
        mark: { type: "area", color: "#93c5fd", opacity: 0.45 },
        encoding: {
          x: { field: "hour", type: "temporal", title: null },
          y: { field: "lowerCores", type: "quantitative", title: "CPU cores" },
          y2: { field: "upperCores" },
        },
      },
      {
        data: { values: series.filter((s) => s.actualCores !== null) },
        mark: { type: "line", color: "#111827", strokeWidth: 1 },
        encoding: {
          x: { field: "hour", type: "temporal" },
          y: { field: "actualCores", type: "quantitative" },
        },
      },
      {
        data: { values: series.filter((s) => s.pointCores !== null) },
        mark: { type: "line", color: "#2563eb", strokeWidth: 1.5, strokeDash: [4, 2] },
        encoding: {
          x: { field: "hour", type: "temporal" },
          y: { field: "pointCores", type: "quantitative" },
        },
      },
    ],
  } as TopLevelSpec;
}

export async function renderForecast(doc: ForecastDocument): Promise<{ html: string; markdown: string }> {
  const charts = {
    cluster: await renderSvg(cpuChart(doc.clusterCpu, `${doc.cluster}: CPU cores, history and forecast`)),
    workloads: await Promise.all(doc.topWorkloads.map((w) => renderSvg(cpuChart(w.cpu, w.workload)))),
  };
  const base = { ...doc, toolVersion: TOOL_VERSION, title: `capacity forecast: ${doc.event.name}` };
  // The SVGs are our renderer's output (Vega escapes text marks): the template inserts them with {{{ }}}.
  // The run report's page: its inline stylesheet and script under the same hash-based CSP.
  const html = finishHtml(
    engine("html", DIRS).compile(SHELL, { strict: true })({
      ...mapStrings(
        {
          ...base,
          clusterSvg: charts.cluster,
          topWorkloads: doc.topWorkloads.map((w, i) => ({ ...w, svg: charts.workloads[i]! })),
        },
        showInvisible,
      ),
      inline: inlineAssets(),
    }),
  );
  const md = engine("md", DIRS).compile(SHELL, { strict: true, noEscape: true })(markdownSafe(base));
  return { html, markdown: `${md.replace(/\n{3,}/g, "\n\n").trim()}\n` };
}

/** `reports/forecast/forecast.<format>.hbs`, registered as the partial `forecast` of each engine. */
const SHELL = "{{> forecast }}";

/** What stdout shows: the event, the figures, every flag and the plan's time, in plain lines. */
export function summaryLines(doc: ForecastDocument): string[] {
  const t = (s: string) => visibleControls(s);
  const lines = [
    `forecast ${t(doc.event.name)} for ${t(doc.cluster)}: ${doc.event.start} → ${doc.event.end} (${doc.event.hours} h), run ${doc.runId}`,
    `history: ${doc.history.workloads} workloads from ${doc.history.runs.length} runs; models: MSTL ${doc.accuracy.models.mstl}, seasonal naive ${doc.accuracy.models.seasonalNaive}; backtest WAPE on peak hours ${pct(doc.accuracy.chosen?.wape)} (seasonal naive ${pct(doc.accuracy.seasonalNaive?.wape)}), interval coverage ${pct(doc.accuracy.chosen?.coverage)}`,
  ];
  const c = doc.eventBacktest.cluster;
  if (c && c.status === "ok")
    lines.push(
      `past event ${doc.eventBacktest.predicted!.start} predicted without seeing it (uplift ×${c.uplift?.toFixed(2)} from ${doc.eventBacktest.measuredOn!.start}): peak ${cores(c.predictedPeakCores)} cores against ${cores(c.observedPeakCores)} observed (${pct(c.error)})`,
    );
  else lines.push(`past event check: ${t(doc.eventBacktest.reason)}`);
  for (const p of doc.pools)
    lines.push(
      p.kind === "fargate"
        ? `pool ${t(p.pool)}: ${p.normal.nodes} Fargate pods normally, ${p.event.nodes} at the peak; window ${usd(p.eventWindowUsd)} (normal ${usd(p.normalWindowUsd)})`
        : `pool ${t(p.pool)}: ${p.normal.nodes} nodes normally, ${p.event.nodes} at the peak, ${p.held.nodes} held with zone headroom; window ${usd(p.eventWindowUsd)} (normal ${usd(p.normalWindowUsd)})`,
    );
  lines.push(
    `cost of the window: ${usd(doc.totals.eventWindowUsd)} against ${usd(doc.totals.normalWindowUsd)} normally (+${usd(doc.totals.deltaUsd)}); a normal week ${usd(doc.totals.normalWeekUsd)}`,
  );
  for (const f of doc.flags) lines.push(`FLAG ${f.kind} ${t(f.subject)}: ${t(f.detail)}`);
  lines.push(
    `pre-scale at ${doc.plan.prescaleAt} (lead ${doc.plan.leadSeconds} s + margin), restore at ${doc.plan.restoreAt}`,
  );
  for (const s of doc.plan.steps) lines.push(`  [${s.phase}${s.at ? ` ${s.at}` : ""}] ${t(s.action)}`);
  for (const f of doc.plan.files) lines.push(`  plan file: ${f}`);
  return lines;
}
