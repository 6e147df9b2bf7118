/**
 * Report: reads the analyzed marts of a run into one view model and writes report.html,
 * report.md, recommendations.json and cost-allocation.csv (the formats asked for).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Context } from "../core/context.js";
import { renderCharts } from "../report/charts.js";
import { buildReportModel, type ReportModel } from "../report/model.js";
import { buildRecommendations } from "../report/recommendations.js";
import { renderReport } from "../report/render.js";
import type { StoredRun } from "../store/runs.js";
import type { Store } from "../store/store.js";
import { REPORT_FORMATS, type ReportFormat } from "./report-formats.js";

export interface ReportOutput {
  model: ReportModel;
  files: string[];
}

/** Writes a file whole or not at all: a reader never sees half a report. */
function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

function csvField(value: unknown): string {
  const text = String(value ?? "");
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function report(
  ctx: Context,
  store: Store,
  run: StoredRun,
  outDir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
): Promise<ReportOutput> {
  const model = await buildReportModel(store, run, ctx.config, ctx.clock());
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  if (formats.includes("html") || formats.includes("md")) {
    const rendered = renderReport(model, await renderCharts(model));
    if (formats.includes("html")) files.push(join(outDir, "report.html"));
    if (formats.includes("md")) files.push(join(outDir, "report.md"));
    if (formats.includes("html")) writeAtomic(join(outDir, "report.html"), rendered.html);
    if (formats.includes("md")) writeAtomic(join(outDir, "report.md"), rendered.markdown);
  }
  if (formats.includes("json")) {
    const path = join(outDir, "recommendations.json");
    writeAtomic(path, `${JSON.stringify(buildRecommendations(model), null, 2)}\n`);
    files.push(path);
  }
  if (formats.includes("csv")) {
    const path = join(outDir, "cost-allocation.csv");
    const header =
      "cluster,namespace,workload_kind,workload_name,monthly_cost_usd,cpu_cost_usd,memory_cost_usd,storage_cost_usd,monthly_cost_scaled_to_bill_usd,pods,capacity_types,price_sources";
    const lines = model.allocation.map((r) =>
      [
        r.cluster,
        r.namespace,
        r.workloadKind,
        r.workloadName,
        r.monthlyCostUsd.toFixed(4),
        r.cpuCostUsd.toFixed(4),
        r.memoryCostUsd.toFixed(4),
        r.storageCostUsd.toFixed(4),
        r.monthlyCostScaledUsd === null ? "" : r.monthlyCostScaledUsd.toFixed(4),
        r.pods,
        r.capacityTypes,
        r.priceSources,
      ]
        .map(csvField)
        .join(","),
    );
    writeAtomic(path, `${[header, ...lines].join("\n")}\n`);
    files.push(path);
  }
  ctx.logger.info("report written", { run: run.run_id, files: files.join(",") });
  return { model, files };
}
