/**
 * Report: reads the marts of an analyzed run into one view model and writes report.html,
 * report.md, recommendations.json and each section's CSV (the formats asked for). It never runs
 * the models: a run that was not analyzed is a usage error (findAnalyzedRun).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CsvTable, type Registry, snake } from "../analyze/analyzer.js";
import { martReader } from "../analyze/marts.js";
import { ANALYZERS } from "../analyze/registry.js";
import type { Context } from "../core/context.js";
import { OutputError } from "../core/errors.js";
import { redactDeep } from "../core/text.js";
import { renderCharts } from "../report/charts.js";
import { readForecast, withForecast } from "../report/forecast-link.js";
import { forecastPointer } from "../report/forecast-pointer.js";
import { buildReportModel, type ReportModel } from "../report/model.js";
import { buildRecommendations } from "../report/recommendations.js";
import { renderHtml, renderMarkdown } from "../report/render.js";
import type { StoredRun } from "../store/runs.js";
import type { Store } from "../store/store.js";
import { REPORT_FORMATS, type ReportFormat } from "./report-formats.js";

/** A file's text, or null when there is none (or it cannot be read). */
export function readIfThere(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

export interface ReportOutput {
  model: ReportModel;
  files: string[];
}

/**
 * Writes a file whole or not at all: a reader never sees half a report, and a write that fails
 * (disk full, read-only folder) leaves neither the file nor its temporary copy.
 */
export function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. A text cell
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so no
 * spreadsheet runs it as a formula (OWASP's advice on CSV injection); numbers, negative ones
 * included, are written as numbers.
 */
export function csvField(value: unknown, digits?: number): string {
  const isNumber = typeof value === "number" || typeof value === "bigint";
  const text =
    typeof value === "number" && digits !== undefined ? value.toFixed(digits) : String(value ?? "");
  const safe = !isNumber && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A section's CSV: the header is the columns' names in snake_case, as the marts name them. */
export function csvText(table: CsvTable): string {
  const header = table.columns.map((c) => snake(c.name)).join(",");
  const lines = table.rows.map((row) => table.columns.map((c) => csvField(row[c.name], c.digits)).join(","));
  return `${[header, ...lines].join("\n")}\n`;
}

export async function report(
  ctx: Context,
  store: Store,
  run: StoredRun,
  outDir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  analyzers: Registry = ANALYZERS,
): Promise<ReportOutput> {
  // Belt and braces: a URL's credentials never reach a report, whatever text carried them.
  let model = redactDeep(
    await buildReportModel(martReader(store, run.run_id), run, ctx.config, analyzers, ctx.clock(), (id) =>
      martReader(store, id),
    ),
  );
  // This run's forecast, when `capacity forecast` wrote one into the same folder.
  const forecast = readForecast(outDir, run.run_id);
  if (forecast && "doc" in forecast) model = redactDeep(withForecast(model, forecast.doc));
  else if (forecast) ctx.logger.warn("forecast left out of the report", { reason: forecast.skipped });
  // The run is committed before this is called: a failure from here on is an output's, not the run's.
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new OutputError(run.run_id, outDir, error);
  }
  const files: string[] = [];
  const write = (file: string, content: string) => {
    try {
      writeAtomic(join(outDir, file), content);
    } catch (error) {
      throw new OutputError(run.run_id, file, error);
    }
    files.push(join(outDir, file));
  };
  if (formats.includes("html")) write("report.html", renderHtml(model, await renderCharts(model), analyzers));
  if (formats.includes("md")) write("report.md", renderMarkdown(model, analyzers));
  if (formats.includes("json")) {
    const pointer = forecast && "doc" in forecast ? forecastPointer(forecast.doc) : null;
    write("recommendations.json", `${JSON.stringify(buildRecommendations(model, pointer), null, 2)}\n`);
  }
  if (formats.includes("csv")) {
    for (const table of model.sections.flatMap((s) => (s.csv ? [s.csv].flat() : []))) {
      write(table.file, csvText(table));
    }
  }
  for (const file of model.sections.flatMap((s) => s.files ?? [])) {
    // Segments are names the section escaped: never a separator, `.` or `..`.
    if (file.path.some((p) => p === "" || p === "." || p === ".." || /[/\\]/.test(p))) {
      throw new Error(`a report file's path segment is not a file name: ${file.path.join("/")}`);
    }
    mkdirSync(join(outDir, ...file.path.slice(0, -1)), { recursive: true });
    writeAtomic(join(outDir, ...file.path), file.content);
    // Listed by their top folder (`patches`), not one by one.
    const top = join(outDir, file.path[0]!);
    if (file.path.length > 1 && !files.includes(top)) files.push(top);
    else if (file.path.length === 1) files.push(top);
  }
  ctx.logger.info("report written", { run: run.run_id, files: files.join(",") });
  return { model, files };
}
