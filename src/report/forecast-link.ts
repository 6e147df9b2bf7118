/**
 * The run's forecast in its report: when `capacity forecast` wrote `forecast.json` for this run
 * into the folder the report is written to, the report shows the forecast's own cluster CPU chart
 * (the spec `forecast.html` draws, cpuChart) and a few lines pointing to forecast.html and
 * forecast.md. A forecast of another run, or a file that is not one, is left out (and logged).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ForecastDocument } from "../forecast/document.js";
import { cpuChart } from "./forecast.js";
import type { ReportModel } from "./model.js";

/** What the report's templates show of a forecast. */
export interface ForecastLink {
  event: string;
  cluster: string;
  start: string;
  end: string;
  generatedAt: string;
  eventWindowUsd: number;
  normalWindowUsd: number;
  deltaUsd: number;
  flags: number;
}

export const FORECAST_FILE = "forecast.json";

/** The forecast document in `outDir` when it is this run's; otherwise why not (null when there is no file). */
export function readForecast(
  outDir: string,
  runId: string,
): { doc: ForecastDocument } | { skipped: string } | null {
  const path = join(outDir, FORECAST_FILE);
  if (!existsSync(path)) return null;
  let doc: Partial<ForecastDocument>;
  try {
    doc = JSON.parse(readFileSync(path, "utf8")) as Partial<ForecastDocument>;
  } catch (error) {
    return { skipped: `${path} is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (doc.runId !== runId) return { skipped: `${path} forecasts run ${String(doc.runId)}, not ${runId}` };
  if (!Array.isArray(doc.clusterCpu) || !doc.event || !doc.totals)
    return { skipped: `${path} has no clusterCpu, event or totals` };
  return { doc: doc as ForecastDocument };
}

export function withForecast(model: ReportModel, doc: ForecastDocument): ReportModel {
  return {
    ...model,
    forecast: {
      event: doc.event.name,
      cluster: doc.cluster,
      start: doc.event.start,
      end: doc.event.end,
      generatedAt: doc.generatedAt,
      eventWindowUsd: doc.totals.eventWindowUsd,
      normalWindowUsd: doc.totals.normalWindowUsd,
      deltaUsd: doc.totals.deltaUsd,
      flags: doc.flags.length,
    },
    charts: {
      ...model.charts,
      forecast: cpuChart(
        doc.clusterCpu,
        `${doc.cluster}: CPU cores, history and forecast (${doc.event.name})`,
      ),
    },
  };
}
