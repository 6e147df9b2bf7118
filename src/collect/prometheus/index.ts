/**
 * The Prometheus usage collector: hourly usage of every container over the window, from a live
 * Prometheus-compatible API (client.ts) or from a bundle. Live, it protects Prometheus: queries
 * are split by namespace (and by pod batches in large namespaces) and by day, aggregated on the
 * server, run a few at a time, retried, and a query that still fails marks that namespace and day
 * as missing instead of aborting the collection.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import pLimit from "p-limit";
import { SourceError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { type Bundle, readBundleFile } from "../bundle.js";
import type { PrometheusApi, Series } from "./client.js";
import { type Owners, parseUsageCsv, resolveOwner, USAGE_COLUMNS, usageCsvLines } from "./map.js";
import {
  jobOwnerQuery,
  ownersOverWindow,
  podNodeQuery,
  podOwnerQuery,
  RECORDED_CPU_RATE,
  REQUIRED_METRICS,
  recordedCoverageQuery,
  replicaSetOwnerQuery,
  type Scope,
  selector,
  usageQuery,
} from "./queries.js";

export function collectUsageFromBundle(
  bundle: Bundle,
  cluster: string,
): Array<Record<string, unknown>> | undefined {
  const file = `prometheus/${cluster}/usage_hourly.csv.gz`;
  const text = readBundleFile(bundle, file) ?? readBundleFile(bundle, file.replace(/\.gz$/, ""));
  return text === undefined ? undefined : parseUsageCsv(text, cluster, file);
}

export interface LiveUsageOptions {
  cluster: string;
  window: { start: Date; end: Date };
  clusterLabel?: { name: string; value: string } | undefined;
  concurrency: number;
  /** Pods per query inside a namespace with more pods than this. */
  podBatchSize: number;
  rateWindow: string;
  /** auto: read CPU peaks from our recording rule's series on the days it was recording. */
  recordingRules: "auto" | "off";
  /** Receives the rows of each finished query, so that they need not be held. */
  onRows: (rows: Array<Record<string, unknown>>) => Promise<void>;
  recordDir?: string | undefined;
  signal?: AbortSignal;
}

export interface UsageCollection {
  rows: number;
  endpoint: string;
  missingMetrics: Array<{ metric: string; from: string }>;
  namespaces: number;
  scopes: number;
  days: number;
  /** Namespace-days whose queries failed after retries. */
  gaps: Array<{ namespace: string; pods: number; day: string; error: string }>;
  /** Namespace-days whose CPU peaks came from the recording rule's series, not subqueries. */
  recordedDays: number;
}

const HOUR = 3600;
const DAY = 86_400_000;

/** The window in day-long pieces: every query covers at most one day (24 points per series). */
export function dayRanges(window: { start: Date; end: Date }): Array<{ start: Date; end: Date }> {
  const out: Array<{ start: Date; end: Date }> = [];
  for (let t = window.start.getTime(); t < window.end.getTime(); t += DAY) {
    out.push({ start: new Date(t), end: new Date(Math.min(t + DAY, window.end.getTime())) });
  }
  return out;
}

export async function collectUsageLive(
  api: PrometheusApi,
  options: LiveUsageOptions,
  logger: Logger,
): Promise<UsageCollection> {
  const { window, cluster } = options;
  const base: Scope = { clusterLabel: options.clusterLabel, namespace: "" };
  const clusterMatch = options.clusterLabel
    ? [`${options.clusterLabel.name}=${JSON.stringify(options.clusterLabel.value)}`]
    : [];
  const endpoint = await api.describe();

  // Startup check: which metrics are there at all.
  const names = new Set(
    await api.labelValues(
      "__name__",
      `{__name__=~"${REQUIRED_METRICS.map((m) => m.metric).join("|")}"${clusterMatch.length ? `,${clusterMatch.join(",")}` : ""}}`,
      window.start,
      window.end,
    ),
  );
  const missingMetrics = REQUIRED_METRICS.filter((m) => !names.has(m.metric));
  if (
    missingMetrics.some(
      (m) => m.metric.startsWith("container_cpu_usage") || m.metric.startsWith("container_memory"),
    )
  ) {
    throw new SourceError(
      "prometheus",
      `${endpoint} has no container usage metrics for ${cluster} over the window`,
      {
        hint: `install or enable: ${[...new Set(missingMetrics.map((m) => m.from))].join("; ")}${options.clusterLabel ? `; and check that ${options.clusterLabel.name}="${options.clusterLabel.value}" is the cluster's label` : ""}`,
      },
    );
  }

  const namespaces = (
    await api.labelValues(
      "namespace",
      `container_memory_working_set_bytes${selector({ ...base, namespace: "" }).replace('namespace=""', 'namespace!=""')}`,
      window.start,
      window.end,
    )
  ).sort();
  const limit = pLimit(options.concurrency);
  const windowSeconds = Math.max(HOUR, Math.round((window.end.getTime() - window.start.getTime()) / 1000));

  // Owners once per namespace over the whole window, so deleted pods still find their workload.
  const owners: Owners = { pods: new Map(), replicaSets: new Map(), jobs: new Map() };
  const scopes: Scope[] = [];
  await Promise.all(
    namespaces.map((namespace) =>
      limit(async () => {
        const scope = { ...base, namespace };
        const [pods, podOwners, rsOwners, jobOwners] = await Promise.all([
          api.labelValues(
            "pod",
            `container_memory_working_set_bytes${selector(scope)}`,
            window.start,
            window.end,
          ),
          api
            .instant(ownersOverWindow(podOwnerQuery(scope), windowSeconds), window.end)
            .catch(() => [] as Series[]),
          api
            .instant(ownersOverWindow(replicaSetOwnerQuery(scope), windowSeconds), window.end)
            .catch(() => [] as Series[]),
          api
            .instant(ownersOverWindow(jobOwnerQuery(scope), windowSeconds), window.end)
            .catch(() => [] as Series[]),
        ]);
        for (const s of podOwners)
          owners.pods.set(`${namespace}/${s.labels.pod}`, {
            kind: s.labels.owner_kind ?? "",
            name: s.labels.owner_name ?? "",
          });
        for (const s of rsOwners)
          owners.replicaSets.set(`${namespace}/${s.labels.replicaset}`, {
            kind: s.labels.owner_kind ?? "",
            name: s.labels.owner_name ?? "",
          });
        for (const s of jobOwners)
          owners.jobs.set(`${namespace}/${s.labels.job_name}`, {
            kind: s.labels.owner_kind ?? "",
            name: s.labels.owner_name ?? "",
          });
        const sorted = [...pods].sort();
        if (sorted.length <= options.podBatchSize) scopes.push(scope);
        else
          for (let i = 0; i < sorted.length; i += options.podBatchSize)
            scopes.push({ ...scope, pods: sorted.slice(i, i + options.podBatchSize) });
      }),
    ),
  );

  let record: ((lines: string[]) => void) | undefined;
  let closeRecord: (() => Promise<void>) | undefined;
  if (options.recordDir) {
    const dir = join(options.recordDir, "prometheus", cluster);
    mkdirSync(dir, { recursive: true });
    const gzip = createGzip();
    const file = createWriteStream(join(dir, "usage_hourly.csv.gz"));
    gzip.pipe(file);
    gzip.write(`${USAGE_COLUMNS.join(",")}\n`);
    record = (lines) => {
      if (lines.length) gzip.write(`${lines.join("\n")}\n`);
    };
    closeRecord = () =>
      new Promise((resolve) => {
        file.on("close", () => resolve());
        gzip.end();
      });
  }

  const days = dayRanges(window);
  const recorded = await recordedDays(api, options, days);
  if (options.recordingRules === "auto") {
    logger.info(
      recorded.size
        ? "CPU peaks from the recording rule's series on the namespace-days it was recording"
        : `no ${RECORDED_CPU_RATE} series: CPU peaks from subqueries (install deploy/prometheus/capacity-rules.yaml to spare Prometheus)`,
      { cluster, recordedNamespaceDays: recorded.size, namespaceDays: days.length * namespaces.length },
    );
  }
  const gaps: UsageCollection["gaps"] = [];
  let rows = 0;
  // Rows reach onRows one task at a time, in order, so the store is never written concurrently.
  let emitting = Promise.resolve();
  await Promise.all(
    scopes.flatMap((scope) =>
      days.map((day) =>
        limit(async () => {
          if (options.signal?.aborted) return;
          const first = new Date(day.start.getTime() + HOUR * 1000);
          try {
            const [usage, nodes] = await Promise.all([
              api.range(
                usageQuery(
                  scope,
                  options.rateWindow,
                  recorded.has(`${scope.namespace} ${day.start.getTime()}`),
                ),
                first,
                day.end,
                HOUR,
              ),
              api.range(podNodeQuery(scope), first, day.end, HOUR),
            ]);
            const batch = assemble(cluster, scope.namespace, usage, nodes, owners);
            rows += batch.length;
            emitting = emitting.then(async () => {
              record?.(usageCsvLines(batch));
              await options.onRows(batch);
            });
            await emitting;
          } catch (error) {
            if (!(error instanceof SourceError)) throw error;
            gaps.push({
              namespace: scope.namespace,
              pods: scope.pods?.length ?? 0,
              day: day.start.toISOString().slice(0, 10),
              error: error.message,
            });
            logger.warn("usage query failed after retries; that namespace and day are missing", {
              cluster,
              namespace: scope.namespace,
              day: day.start.toISOString().slice(0, 10),
            });
          }
        }),
      ),
    ),
  );
  await emitting;
  await closeRecord?.();
  return {
    rows,
    endpoint,
    missingMetrics,
    namespaces: namespaces.length,
    scopes: scopes.length,
    days: days.length,
    gaps,
    recordedDays: recorded.size,
  };
}

/**
 * The namespace-days on which the recording rule had a rate at every hour (keys `namespace day`);
 * a day the rule started or stopped recording in, or a namespace it does not cover, keeps the
 * subqueries. One cheap query over the whole window: a count per namespace and hour.
 */
async function recordedDays(
  api: PrometheusApi,
  options: LiveUsageOptions,
  days: ReadonlyArray<{ start: Date; end: Date }>,
): Promise<Set<string>> {
  const out = new Set<string>();
  if (options.recordingRules === "off") return out;
  const counts = await api
    .range(recordedCoverageQuery(options.clusterLabel), options.window.start, options.window.end, HOUR)
    .catch(() => [] as Series[]);
  for (const series of counts) {
    const seen = new Set(series.values.filter(([, v]) => v > 0).map(([t]) => t * 1000));
    for (const day of days) {
      let every = true;
      for (let t = day.start.getTime() + HOUR * 1000; t <= day.end.getTime() && every; t += HOUR * 1000) {
        every = seen.has(t);
      }
      if (every) out.add(`${series.labels.namespace} ${day.start.getTime()}`);
    }
  }
  return out;
}
/** Joins the tagged aggregates of one scope and day into one row per container and hour. */
export function assemble(
  cluster: string,
  namespace: string,
  usage: Series[],
  nodes: Series[],
  owners: Owners,
): Array<Record<string, unknown>> {
  const nodeAt = new Map<string, string>();
  for (const s of nodes)
    for (const [t] of s.values) nodeAt.set(`${s.labels.pod}\u0000${t}`, s.labels.node ?? "");
  const rows = new Map<string, Record<string, unknown>>();
  for (const s of usage) {
    const column = s.labels.capacity_column;
    const pod = s.labels.pod;
    const container = s.labels.container;
    if (!column || !pod || !container) continue;
    for (const [t, value] of s.values) {
      const key = `${pod}\u0000${container}\u0000${t}`;
      let row = rows.get(key);
      if (!row) {
        const workload = resolveOwner(namespace, pod, owners);
        row = {
          cluster,
          hour: new Date((t - HOUR) * 1000),
          namespace,
          pod,
          container,
          node: nodeAt.get(`${pod}\u0000${t}`) ?? null,
          workload_kind: workload.kind,
          workload_name: workload.name,
          oom_kills: 0,
          restarts: 0,
          samples: 0,
        };
        rows.set(key, row);
      }
      switch (column) {
        case "memory_max_bytes":
        case "memory_request_bytes":
          row[column] = BigInt(Math.round(value));
          break;
        case "oom_kills":
        case "restarts":
        case "samples":
          row[column] = Math.round(value);
          break;
        default:
          row[column] = value;
      }
    }
  }
  // Usage needs samples inside the hour: a CPU rate (two samples at least), or a working set
  // with at least two raw samples (one scrape says little of an hour). A gauge seen only through Prometheus' 5-minute lookback after its pod ended
  // (no staleness marker, as in imported or remote-read data), or only kube-state-metrics series,
  // is not usage of that hour.
  return [...rows.values()].filter(
    (r) => r.cpu_avg_cores !== undefined || (r.memory_avg_bytes !== undefined && (r.samples as number) >= 2),
  );
}
