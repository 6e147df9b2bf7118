/**
 * Prometheus as a source (source.ts): the hourly usage of every container over the window. Live,
 * the days an earlier run of the cluster stored are copied into this run and Prometheus is asked
 * only for the rest (incremental.ts; prometheus.incremental: false asks for the whole window).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { errorMessage, SourceError } from "../../core/errors.js";
import { type Bundle, bundlePath, checkCsv } from "../bundle.js";
import type { Collected, Collection, Source } from "../source.js";
import { planUsage } from "./incremental.js";
import { collectUsageLive } from "./index.js";
import { USAGE_HEADER } from "./map.js";
import { readPendingCsv } from "./pending.js";
import { PROMETHEUS_TABLES } from "./tables.js";

export const prometheus: Source = {
  name: "prometheus",
  tables: PROMETHEUS_TABLES,
  needsRegion: false,
  live,

  /**
   * The bundle's usage CSV, checked as a stream here (whole, and with the documented header)
   * and read by DuckDB in the run's transaction; rows that break a rule go to rejected_objects
   * and make the source partial.
   */
  async replay(bundle, c) {
    const name = `prometheus/${c.cluster.name}/usage_hourly.csv`;
    const file = [`${name}.gz`, name]
      .map((n) => ({ name: n, path: bundlePath(bundle, n) }))
      .find((f) => f.path !== undefined);
    if (file?.path === undefined)
      return { status: "missing", origin: "bundle", rows: 0, error: "the bundle has no usage history" };
    const { header, records } = await checkCsv(file.path, "prometheus");
    if (header !== USAGE_HEADER) {
      throw new SourceError("prometheus", `${file.path} does not start with the usage columns`, {
        hint: `its first line must be: ${USAGE_HEADER} (docs/bundle.md)`,
      });
    }
    let loaded: { rows: number; rejected: number };
    try {
      loaded = await c.history.loadBundleUsage({ file: file.path, name: file.name, records, ...c.window });
    } catch (error) {
      c.signal.throwIfAborted();
      throw new SourceError("prometheus", `${file.path} cannot be read: ${errorMessage(error)}`);
    }
    const left = records - loaded.rows;
    const pending = await replayPending(bundle, c);
    const notes = [
      ...(left > 0
        ? [
            `${left} of ${records} rows of ${file.name} were left out (${loaded.rejected} problems listed in rejected_objects)`,
          ]
        : []),
      ...(pending.left > 0
        ? [`${pending.left} rows of ${pending.name} were left out (listed in rejected_objects)`]
        : []),
    ];
    return {
      status: notes.length ? "partial" : "ok",
      origin: "bundle",
      rows: loaded.rows + pending.rows,
      error: notes.length ? notes.join("; ") : undefined,
      detail: {
        rowsLeftOut: left,
        problems: loaded.rejected,
        pendingRows: pending.rows,
        pendingRowsLeftOut: pending.left,
      },
    };
  },
};

/**
 * The bundle's pending-pod history (prometheus/<cluster>/pending_pods_hourly.csv), each row checked;
 * a bundle without it (recorded before it was collected) has none.
 */
async function replayPending(
  bundle: Bundle,
  c: Collection,
): Promise<{ name: string; rows: number; left: number }> {
  const name = `prometheus/${c.cluster.name}/pending_pods_hourly.csv`;
  const path = bundlePath(bundle, name);
  if (path === undefined) return { name, rows: 0, left: 0 };
  const { rows, problems } = readPendingCsv(readFileSync(path, "utf8"), c.cluster.name, c.window, path);
  for (const { line, ...p } of problems) c.out.reject({ location: `${name} line ${line}`, ...p });
  return { name, rows: await c.out.append("prom_pending_pods_hourly", rows), left: problems.length };
}

/** A secret from a file named in the config: the error names the key, never the content. */
function secretFile(key: string, path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    throw new SourceError(
      "prometheus",
      `cannot read ${key} (${path}): ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`,
    );
  }
}

async function live(c: Collection): Promise<Collected> {
  const p = c.config.prometheus;
  const cluster = c.cluster.name;
  if (!p.url) {
    return {
      status: "missing",
      origin: "live",
      rows: 0,
      error: "no prometheus.url configured: without usage history pods are charged their requests",
    };
  }
  const { PrometheusApi } = await import("./client.js");
  // Progress: namespace-days read of all there are (an ETA), with the queries and bytes so far.
  let asked = { queries: 0, bytes: 0 };
  let days: { done: number; total?: number } = { done: 0 };
  const progress = () => c.progress?.update(`prometheus ${cluster}`, days.done, days.total, asked);
  const api = new PrometheusApi(
    {
      url: p.url,
      bearerToken: p.bearerTokenFile
        ? secretFile("prometheus.bearerTokenFile", p.bearerTokenFile)
        : undefined,
      basicAuth: p.basicAuth
        ? {
            username: p.basicAuth.username,
            password: secretFile("prometheus.basicAuth.passwordFile", p.basicAuth.passwordFile),
          }
        : undefined,
      headers: p.headers,
      caFile: p.caFile,
      insecureSkipVerify: p.insecureSkipVerify,
      sigv4Region: p.sigv4Region,
      awsProfile: c.config.aws.profile,
      onQuery: (s) => {
        asked = { queries: s.queries, bytes: s.bytes };
        progress();
      },
      timeoutSeconds: p.timeoutSeconds,
      compression: p.compression,
      retries: p.retries,
      signal: c.signal,
    },
    c.logger,
  );
  const started = performance.now();
  const plan = planUsage(c.window, p.incremental ? await c.history.previousUsage() : undefined);
  const reused = plan.reuse ? await c.history.carryUsage(plan.reuse) : 0;
  const usage = await collectUsageLive(
    api,
    {
      cluster,
      window: plan.fetch,
      clusterLabel: p.clusterLabel ? { name: p.clusterLabel, value: cluster } : undefined,
      concurrency: p.concurrency,
      podBatchSize: p.podBatchSize,
      rateWindow: p.rateWindow,
      recordingRules: p.recordingRules,
      namespaces: c.config.scope.namespaces,
      load: (files) => c.history.loadUsage(files),
      onDay: (done, total) => {
        days = { done, total };
        progress();
      },
      signal: c.signal,
    },
    c.logger,
  );
  for (const r of usage.rejected) c.out.reject({ location: "Prometheus query facts (requests)", ...r });
  const pendingRows = await c.out.append("prom_pending_pods_hourly", usage.pending);
  if (c.record !== undefined) {
    const dir = join(c.record, "prometheus", cluster);
    mkdirSync(dir, { recursive: true });
    await c.history.exportUsage(join(dir, "usage_hourly.csv.gz"));
    await c.history.exportPending(join(dir, "pending_pods_hourly.csv"));
  }
  const stats = { ...api.stats, seconds: Math.round((performance.now() - started) / 100) / 10 };
  const incremental = {
    daysReused: plan.reusedDays,
    daysFetched: plan.fetchedDays,
    reusedFrom: plan.reuse?.fromRun,
  };
  c.progress?.end(`prometheus ${c.cluster.name}`);
  c.logger.info("prometheus collected", {
    cluster,
    endpoint: usage.endpoint,
    rows: usage.rows + reused,
    ...incremental,
    queries: stats.queries,
    bytes: stats.bytes,
    prometheusSeconds: Math.round(stats.serverMs / 100) / 10,
    seconds: stats.seconds,
    gaps: usage.gaps.length,
    recordedNamespaceDays: usage.recordedDays,
    hourlyPodDays: usage.hourlyPodDays,
  });
  const notes = [
    ...usage.missingMetrics.map((m) => `no ${m.metric}: install ${m.from}`),
    ...(usage.pendingGaps
      ? [`${usage.pendingGaps} namespace-days of the pending-pod history could not be read`]
      : []),
    ...(usage.gaps.length
      ? [
          `${usage.gaps.length} of ${usage.scopes * usage.days} namespace-days could not be read: ${usage.gaps
            .slice(0, 5)
            .map((g) => `${g.namespace} ${g.day}`)
            .join(", ")}`,
        ]
      : []),
  ];
  return {
    status: notes.length ? "partial" : "ok",
    origin: "live",
    rows: usage.rows + reused + pendingRows,
    error: notes.length ? notes.join("; ") : undefined,
    detail: {
      endpoint: usage.endpoint,
      ...incremental,
      rowsReused: reused,
      namespaces: usage.namespaces,
      scopes: usage.scopes,
      days: usage.days,
      gaps: usage.gaps,
      recordedNamespaceDays: usage.recordedDays,
      hourlyPodDays: usage.hourlyPodDays,
      pendingRows,
      ...stats,
    },
  };
}
