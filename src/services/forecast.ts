/**
 * Forecast: the capacity and cost a named event needs, and a plan to have it in place. Reads the
 * latest run (or the one named) and the hourly history every kept run of its cluster holds, builds
 * the run's SQL models in the connection's temp catalog (the pools, their pods and DaemonSets, the
 * prices: as `analyze` does, keeping nothing), hands plain objects to the forecast core
 * (`src/forecast/`, its fits on worker threads) and writes `forecast.json`, `forecast.md`,
 * `forecast.html` and the plan's files. It never changes the database.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { typedRows } from "../analyze/marts.js";
import type { Context } from "../core/context.js";
import { CapacityError, UsageError } from "../core/errors.js";
import { type ForecastDocument, forecastDocument } from "../forecast/document.js";
import { type EventFlags, resolveEvent } from "../forecast/event.js";
import { type ForecastResult, runForecast } from "../forecast/index.js";
import { historiesOf, largestByCpu } from "../forecast/inputs.js";
import { fitPool } from "../forecast/pool.js";
import { WEEK_HOURS } from "../forecast/series.js";
import { renderForecast, summaryLines } from "../report/forecast.js";
import { forecastPointer } from "../report/forecast-pointer.js";
import type { StoredRun } from "../store/runs.js";
import type { Store } from "../store/store.js";
import { forecastSql, inventory } from "./forecast-inventory.js";
import { readIfThere, writeAtomic } from "./report.js";
import { findRun } from "./runs.js";

export interface ForecastRequest extends EventFlags {
  event: string;
  runId?: string | undefined;
  cluster?: string | undefined;
}

export interface ForecastOutput {
  document: ForecastDocument;
  result: ForecastResult;
  files: string[];
  summary: string[];
}

const sql = forecastSql;

const HOURS = {
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  hour_ms: "number",
  cpu_cores: "number",
  memory_bytes: "number",
  replicas: "number",
} as const;

const HISTORY_RUNS = {
  run_id: "string",
  window_start: "string",
  window_end: "string",
  usage_rows: "number",
} as const;

function clusterOf(run: StoredRun, wanted: string | undefined): string {
  const names = (JSON.parse(run.clusters) as { name: string }[]).map((c) => c.name);
  if (wanted !== undefined) {
    if (!names.includes(wanted))
      throw new UsageError(`run ${run.run_id} has no cluster ${wanted}`, `its clusters: ${names.join(", ")}`);
    return wanted;
  }
  if (names.length !== 1)
    throw new UsageError(
      `run ${run.run_id} holds ${names.length} clusters`,
      `name one with --cluster (${names.join(", ")})`,
    );
  return names[0]!;
}

export async function forecast(
  ctx: Context,
  store: Store,
  request: ForecastRequest,
  outDir: string,
): Promise<ForecastOutput> {
  const event = resolveEvent(ctx.config.events, request.event, request);
  const settings = ctx.config.forecast;
  const run = await findRun(store, request.runId);
  const cluster = clusterOf(run, request.cluster);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const rows = typedRows(
    "forecast/workload_hours.sql",
    Object.keys(HOURS),
    HOURS,
    await store.all(sql("workload_hours"), [cluster, run.window_end.toISOString()]),
  );
  const history = historiesOf(rows);
  if (!history.length)
    throw new UsageError(
      `the database holds no hourly usage of cluster ${cluster} up to run ${run.run_id}`,
      "collect with Prometheus configured (or from a bundle with prometheus/usage_hourly.csv.gz) first",
    );
  const runs = typedRows(
    "forecast/history_runs.sql",
    Object.keys(HISTORY_RUNS),
    HISTORY_RUNS,
    (await store.all(sql("history_runs"), [cluster, run.window_end.toISOString()])).map((r) => ({
      ...r,
      window_start: r.window_start instanceof Date ? r.window_start.toISOString() : String(r.window_start),
      window_end: r.window_end instanceof Date ? r.window_end.toISOString() : String(r.window_end),
    })),
  );
  const inv = await inventory(ctx, store, run, cluster);
  const withHistory = new Set(history.map((h) => h.key));
  const specs = inv.specs.filter((s) => withHistory.has(s.key));
  const mstlKeys = largestByCpu(history, settings.mstlShare, settings.mstlMaxWorkloads);
  const pool = fitPool(settings.workers);
  let result: ForecastResult;
  try {
    result = await runForecast(
      {
        event,
        history,
        workloads: specs,
        capacity: {
          pools: inv.pools,
          catalogue: inv.catalogue,
          prices: inv.prices,
          ...(inv.fargate ? { fargate: inv.fargate } : {}),
          zoneLossHeadroom: settings.zoneLossHeadroom,
        },
        plan: {
          marginMinutes: settings.marginMinutes,
          clusterName: cluster,
          samples: inv.samples,
          nodeClassRefs: inv.nodeClassRefs,
        },
        subnets: inv.subnets,
        spotVerdicts: inv.spotVerdicts,
        ...(inv.subnetsNote ? { subnetsNote: inv.subnetsNote } : {}),
        demand: {
          mstlKeys,
          forecast: {
            planQuantile: settings.planQuantile,
            accuracy: { peakShare: settings.peakShare, mapeFloorShare: 0.05 },
            exclude: [],
            mstlFitHours: settings.mstlFitWeeks * WEEK_HOURS,
            calibrate: settings.calibrateIntervals,
          },
        },
      },
      { fitMany: pool.fitMany },
    );
  } finally {
    await pool.close();
  }
  const cpu = process.cpuUsage(cpuStarted);
  const seconds = { wall: (performance.now() - started) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  const planFiles = planFilesOf(result);
  const byKey = new Map(history.map((h) => [h.key, new Map(h.points.map((p) => [p.hourMs, p.cpuCores]))]));
  const notes = [...inv.notes];
  if (mstlKeys)
    notes.push(
      `MSTL was tried on the ${mstlKeys.size} largest of ${history.length} workloads by CPU (forecast.mstlShare ${settings.mstlShare}, forecast.mstlMaxWorkloads ${settings.mstlMaxWorkloads}); the others use seasonal naive ("small: MSTL not tried")`,
    );
  const document = forecastDocument(
    result,
    {
      generatedAt: ctx.clock(),
      runId: run.run_id,
      cluster,
      event,
      settings: { ...settings, planPercentile: Math.round(settings.planQuantile * 100) },
      history: { runs },
      specs,
      planFiles: planFiles.map((f) => f.path),
      notes,
      workers: pool.size,
    },
    byKey,
  );
  const files = await writeOutputs(outDir, document, planFiles);
  ctx.logger.info("forecast written", {
    event: event.name,
    run: run.run_id,
    workloads: history.length,
    runs: runs.length,
    workers: pool.size,
    cpuSeconds: Math.round(seconds.cpu * 10) / 10,
    wallSeconds: Math.round(seconds.wall * 10) / 10,
    files: files.join(","),
  });
  return { document, result, files, summary: summaryLines(document) };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function planFilesOf(result: ForecastResult): { path: string; content: string }[] {
  const { yaml, commands } = result.plan;
  const sh = (title: string, lines: string[]) => (lines.length ? [`# ${title}`, ...lines, ""] : []);
  const script = [
    ...sh("ahead of the event", commands.before),
    ...sh("at the pre-scale time", commands.prescale),
    ...sh("after the event", commands.after),
  ];
  return [
    { path: "forecast-plan/cronjobs.yaml", content: yaml.cronJobs },
    { path: "forecast-plan/keda.yaml", content: yaml.keda },
    { path: "forecast-plan/headroom.yaml", content: yaml.headroom },
    { path: "forecast-plan/static-nodepools.yaml", content: yaml.staticNodePools },
    {
      path: "forecast-plan/commands.sh",
      content: script.length ? `#!/bin/sh\nset -eu\n${script.join("\n")}` : "",
    },
  ].filter((f) => f.content !== "");
}

async function writeOutputs(
  outDir: string,
  document: ForecastDocument,
  planFiles: { path: string; content: string }[],
): Promise<string[]> {
  const { html, markdown } = await renderForecast(document);
  const files: string[] = [];
  const write = (file: string, content: string) => {
    try {
      mkdirSync(join(outDir, file, ".."), { recursive: true });
      writeAtomic(join(outDir, file), content);
    } catch (error) {
      throw new CapacityError(
        `writing ${join(outDir, file)} failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          hint: "fix the output folder (space, permissions) and run the forecast again: it changes nothing in the database",
        },
      );
    }
    files.push(join(outDir, file));
  };
  write("forecast.json", `${JSON.stringify(document, null, 2)}\n`);
  write("forecast.md", markdown);
  write("forecast.html", html);
  for (const f of planFiles) write(f.path, f.content);
  // The run's recommendations.json in the same folder points at this forecast (report.ts does the same the other way round).
  const recommendations = readIfThere(join(outDir, "recommendations.json"));
  const parsed = recommendations === null ? null : parseObject(recommendations);
  if (parsed && parsed.runId === document.runId)
    write(
      "recommendations.json",
      `${JSON.stringify({ ...parsed, forecast: forecastPointer(document) }, null, 2)}\n`,
    );
  return files;
}
