/**
 * Rendering a report of 10,000 right-sizing recommendations: the demo's analyzed run, its
 * right-sizing section repeated to 10,000 containers (names made unique), rendered to HTML (with
 * charts), Markdown, recommendations.json and every CSV. Prints the CPU seconds of rendering,
 * the HTML's size and the Markdown's length (targets: under 5 s, 10 MB and 60,000 characters).
 *   npx tsx bench/report.ts [containers]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { martReader } from "../src/analyze/marts.js";
import { ANALYZERS } from "../src/analyze/registry.js";
import { loadConfig } from "../src/config/load.js";
import { memoryLogger } from "../src/core/logger.js";
import { projectPath } from "../src/core/paths.js";
import { renderCharts } from "../src/report/charts.js";
import { buildReportModel, type ReportModel } from "../src/report/model.js";
import { buildRecommendations } from "../src/report/recommendations.js";
import { renderHtml, renderMarkdown } from "../src/report/render.js";
import { csvText } from "../src/services/report.js";
import { findAnalyzedRun } from "../src/services/runs.js";
import { Store } from "../src/store/store.js";

const containers = Number(process.argv[2] ?? 10_000);
const out = mkdtempSync(join(tmpdir(), "capacity-bench-report-"));
const demo = spawnSync(
  process.execPath,
  ["--import", import.meta.resolve("tsx"), projectPath("src", "cli", "bin.ts"), "demo", "--out", out],
  { encoding: "utf8" },
);
if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);

/** `rows` repeated to `n`, each copy's workload named apart. */
function repeat<T extends Record<string, unknown>>(rows: readonly T[], n: number): T[] {
  return Array.from({ length: n }, (_, i) => {
    const r = rows[i % rows.length]!;
    const copy = Math.floor(i / rows.length);
    const name = (key: string) => (typeof r[key] === "string" ? `${r[key]}-${copy}` : r[key]);
    return {
      ...r,
      workloadName: name("workloadName"),
      ...("workload" in r ? { workload: name("workload") } : {}),
    };
  });
}

function inflate(model: ReportModel): ReportModel {
  const sections = model.sections.map((s) => {
    if (s.name !== "rightsizing") return s;
    const view = s.view as Record<string, Array<Record<string, unknown>>>;
    const rows = repeat(view.rows!, containers);
    const csv = [s.csv ?? []]
      .flat()
      .map((t) => (t.file === "rightsizing.csv" ? { ...t, rows: repeat(t.rows, containers) } : t));
    return {
      ...s,
      view: {
        ...s.view,
        rows,
        top: view.top,
        atRisk: repeat(view.atRisk!, Math.ceil((containers * view.atRisk!.length) / view.rows!.length)),
      },
      recommendations: {
        ...s.recommendations,
        rightsizing: repeat(s.recommendations.rightsizing as Array<Record<string, unknown>>, containers),
      },
      csv,
    };
  });
  return { ...model, sections };
}

const store = await Store.open(join(out, "capacity.duckdb"), memoryLogger());
try {
  const run = await findAnalyzedRun(store);
  const config = loadConfig({ env: {}, base: { allocation: { labelKeys: ["team"] } } });
  const model = inflate(
    await buildReportModel(martReader(store, run.run_id), run, config, ANALYZERS, new Date(), (id) =>
      martReader(store, id),
    ),
  );
  const before = process.cpuUsage();
  const html = renderHtml(model, await renderCharts(model), ANALYZERS);
  const md = renderMarkdown(model, ANALYZERS);
  const json = JSON.stringify(buildRecommendations(model), null, 2);
  const csv = model.sections.flatMap((s) => [s.csv ?? []].flat()).map(csvText);
  const used = process.cpuUsage(before);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(
    `report of ${containers.toLocaleString("en-US")} recommendations: ${cpuSeconds.toFixed(2)} CPU-s; HTML ${(html.length / 1e6).toFixed(2)} MB; Markdown ${md.length.toLocaleString("en-US")} characters${md.includes("\n## Left out\n") ? " (sections left out)" : ""}; JSON ${(json.length / 1e6).toFixed(2)} MB; ${csv.length} CSV files`,
  );
  console.log(
    JSON.stringify({ containers, cpuSeconds, htmlBytes: Buffer.byteLength(html), markdownChars: md.length }),
  );
} finally {
  store.close();
}
