/**
 * The Prometheus usage collector: hourly usage of every container over the window, from a live
 * Prometheus-compatible API (client.ts) or from a bundle. Live, it protects Prometheus: queries
 * are split by namespace (and by pod batches in large namespaces) and by day, reduced to hourly
 * points on the server with plain range functions (queries.ts), run a few at a time, retried,
 * and a query that still fails marks that namespace and day as missing instead of aborting the
 * collection. Answers go to a spool the store loads (spool.ts); facts that change rarely are
 * read per day, and per hour only where the day shows a change (rows.ts).
 */
import pLimit from "p-limit";
import { SourceError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { RowProblem } from "../source.js";
import type { PrometheusApi, Series } from "./client.js";
import type { Owners } from "./map.js";
import { collectPending } from "./pending.js";
import {
  factsQuery,
  jobOwnerQuery,
  namespacesSelector,
  podOwnerQuery,
  podSelectors,
  REQUIRED_METRICS,
  recordedCoverageQuery,
  recordedCpuRate,
  replicaSetOwnerQuery,
  requiredMetricsSelector,
  type Scope,
  USAGE_QUERIES,
} from "./queries.js";
import { resolveRateWindow, sourceFailure } from "./rate-window.js";
import { factRows, podRows, podsNeedingHours, readFacts, type SpanFacts } from "./rows.js";
import { type LoadSpool, Spool } from "./spool.js";
import type { PendingPodHourRow } from "./tables.js";

export interface LiveUsageOptions {
  cluster: string;
  window: { start: Date; end: Date };
  clusterLabel?: { name: string; value: string } | undefined;
  concurrency: number;
  /** Pods per query inside a namespace with more pods than this. */
  podBatchSize: number;
  /** The CPU rate window (`1m`), or `auto`: 4 × the scrape interval found in the data. */
  rateWindow: string;
  /** auto: read CPU peaks from our recording rule's series on the days it was recording. */
  recordingRules: "auto" | "off";
  namespaces?: readonly string[]; // only these namespaces' usage (`-n`); empty: all
  /**
   * Loads a piece of the spooled answers into the run (store/queries.ts `loadUsageSpool`), in
   * order, one at a time; resolves to the rows it loaded.
   */
  load: LoadSpool;
  /** Each namespace-day (of a pod batch) read or given up as a gap, of all there are: progress with an ETA. */
  onDay?: (done: number, total: number) => void;
  /** Spool bytes per piece handed to `load` (64 MiB). */
  spoolPieceBytes?: number;
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
  /** Pod-days whose node, requests, restarts or throttling changed within the day, read hour by hour. */
  hourlyPodDays: number;
  /** The CPU rate window the peaks and p95s were taken over, and the scrape interval it came from. */
  rateWindow: string;
  scrapeIntervalSeconds: number | null;
  /** Request values no container can have, left out of the facts (their request is unknown, not 0). */
  rejected: RowProblem[];
  /** The pods Pending per hour (pending.ts), and the namespace-days whose query failed. */
  pending: PendingPodHourRow[];
  pendingGaps: number;
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
  const base: Scope = { clusterLabel: options.clusterLabel };
  const endpoint = await api.describe();

  // Startup check: which metrics are there at all.
  const names = new Set(
    await api.labelValues(
      "__name__",
      requiredMetricsSelector(options.clusterLabel),
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

  const { rateWindow, scrapeIntervalSeconds } = await resolveRateWindow(api, options, logger);

  const all = await api.labelValues(
    "namespace",
    namespacesSelector(options.clusterLabel),
    window.start,
    window.end,
  );
  const namespaces = all
    .filter((ns) => !options.namespaces?.length || options.namespaces.includes(ns))
    .sort();
  const limit = pLimit(options.concurrency);
  const windowSeconds = Math.max(HOUR, Math.round((window.end.getTime() - window.start.getTime()) / 1000));

  // Owners once per namespace over the whole window, so deleted pods still find their workload.
  const owners: Owners = { pods: new Map(), replicaSets: new Map(), jobs: new Map() };
  const scopes: NamespaceScope[] = [];
  const podsOf = new Map<string, string[]>();
  await Promise.all(
    namespaces.map((namespace) =>
      limit(async () => {
        const scope = { ...base, namespace };
        const pods = (match: string) => api.labelValues("pod", match, window.start, window.end);
        // Owners are a nicety (a pod without one is its own workload): a failed query leaves them out.
        const owned = (query: string) =>
          api.instant(query, window.end).catch(sourceFailure(() => [] as Series[]));
        const [memoryPods, cpuPods, podOwners, rsOwners, jobOwners] = await Promise.all([
          pods(podSelectors(scope).memory),
          pods(podSelectors(scope).cpu),
          owned(podOwnerQuery(scope, windowSeconds)),
          owned(replicaSetOwnerQuery(scope, windowSeconds)),
          owned(jobOwnerQuery(scope, windowSeconds)),
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
        const sorted = [...new Set([...memoryPods, ...cpuPods])].sort();
        podsOf.set(namespace, sorted);
        if (sorted.length <= options.podBatchSize) scopes.push(scope);
        else
          for (let i = 0; i < sorted.length; i += options.podBatchSize)
            scopes.push({ ...scope, pods: sorted.slice(i, i + options.podBatchSize) });
      }),
    ),
  );

  const days = dayRanges(window);
  const recorded = await recordedDays(api, options, days, rateWindow);
  if (options.recordingRules === "auto") {
    logger.info(
      recorded.size
        ? "CPU peaks from the recording rule's series on the namespace-days it was recording"
        : `no ${recordedCpuRate(rateWindow)} series: CPU peaks from subqueries (install deploy/prometheus/capacity-rules.yaml, with a ${rateWindow} window, to spare Prometheus)`,
      { cluster, recordedNamespaceDays: recorded.size, namespaceDays: days.length * namespaces.length },
    );
  }
  const gaps: UsageCollection["gaps"] = [];
  const rejected: RowProblem[] = [];
  const gap = (scope: NamespaceScope, day: { start: Date }, error: Error) => {
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
  };
  let hourlyPodDays = 0;
  const spool = new Spool(options.load, { maxBytes: options.spoolPieceBytes });
  spool.pods([...podsOf].flatMap(([namespace, pods]) => podRows(namespace, pods, owners)));
  const query = <T>(fn: () => Promise<T>) =>
    limit(() => {
      if (options.signal?.aborted) throw new AbortedError();
      return fn();
    });
  let daysDone = 0;
  const collecting = Promise.all(
    scopes.map(async (scope) => {
      const daily = await dailyFacts(scope, days, query, api).catch((error: unknown) => {
        if (error instanceof AbortedError) return undefined;
        throw error;
      });
      if (!daily) return;
      await Promise.all(
        days.map(async (day) => {
          await readDay(day, daily);
          options.onDay?.(++daysDone, scopes.length * days.length);
        }),
      );
      async function readDay(
        day: { start: Date; end: Date },
        byDay: Awaited<ReturnType<typeof dailyFacts>>,
      ): Promise<void> {
        const facts = byDay.get(day.end.getTime() / 1000);
        if (facts instanceof Error) return gap(scope, day, facts);
        const first = new Date(day.start.getTime() + HOUR * 1000);
        const recordedDay = recorded.has(`${scope.namespace} ${day.start.getTime()}`);
        const hourly = podsNeedingHours(facts);
        try {
          const [usage, hours] = await Promise.all([
            Promise.all(
              USAGE_QUERIES.map((q) =>
                query(() =>
                  api.rangeText(
                    recordedDay && q.recorded ? q.recorded(scope, rateWindow) : q.promql(scope, rateWindow),
                    first,
                    day.end,
                    HOUR,
                  ),
                ).then((text) => [q.column, text] as const),
              ),
            ),
            hourly.size
              ? query(() =>
                  api.range(factsQuery({ ...scope, pods: [...hourly].sort() }, HOUR), first, day.end, HOUR),
                ).then(readFacts)
              : undefined,
          ]);
          const dayEnd = day.end.getTime() / 1000;
          for (const span of [facts, ...(hours?.values() ?? [])]) rejected.push(...(span?.rejected ?? []));
          spool.add(dayEnd, usage, factRows(scope.namespace, { day: facts, hours, hourly }, dayEnd));
          hourlyPodDays += hourly.size;
        } catch (error) {
          if (error instanceof AbortedError) return;
          if (!(error instanceof SourceError)) throw error;
          gap(scope, day, error);
        }
      }
    }),
  );
  const pending = collectPending(api, { cluster, base, namespaces, days, owners, query }, logger).catch(
    (error: unknown) => {
      if (error instanceof AbortedError) return { rows: [], gaps: 0 };
      throw error;
    },
  );
  await Promise.all([collecting, pending]).catch(async (error: unknown) => {
    await spool.discard();
    throw error;
  });
  const { rows: pendingRows, gaps: pendingGaps } = await pending;
  const rows = await spool.finish();
  return {
    rows,
    rejected,
    endpoint,
    missingMetrics,
    namespaces: namespaces.length,
    scopes: scopes.length,
    days: days.length,
    gaps,
    recordedDays: recorded.size,
    rateWindow,
    scrapeIntervalSeconds,
    hourlyPodDays,
    pending: pendingRows,
    pendingGaps,
  };
}

class AbortedError extends Error {}

/** A scope of one namespace (and maybe a batch of its pods): what a usage query reads. */
type NamespaceScope = Scope & { namespace: string };

/**
 * The facts of every day of the window for one scope, keyed by the day's end (unix seconds): one
 * range query with a 1-day step over the whole days (14 points per series), one for a shorter
 * last day. Where that fails after its retries, each day is asked alone, and a day that still
 * fails holds its error (that namespace and day are then missing).
 */
async function dailyFacts(
  scope: Scope,
  days: ReadonlyArray<{ start: Date; end: Date }>,
  query: <T>(fn: () => Promise<T>) => Promise<T>,
  api: PrometheusApi,
): Promise<Map<number, SpanFacts | undefined | SourceError>> {
  const out = new Map<number, SpanFacts | undefined | SourceError>();
  const seconds = (d: { start: Date; end: Date }) => Math.round((d.end.getTime() - d.start.getTime()) / 1000);
  const ask = async (group: ReadonlyArray<{ start: Date; end: Date }>) => {
    const spans = readFacts(
      await query(() =>
        api.range(factsQuery(scope, seconds(group[0]!)), group[0]!.end, group.at(-1)!.end, 86_400),
      ),
    );
    for (const d of group) out.set(d.end.getTime() / 1000, spans.get(d.end.getTime() / 1000));
  };
  const whole = days.filter((d) => seconds(d) === 86_400);
  const groups = [whole, ...days.filter((d) => seconds(d) !== 86_400).map((d) => [d])].filter(
    (g) => g.length,
  );
  await Promise.all(
    groups.map(async (group) => {
      try {
        await ask(group);
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        await Promise.all(
          group.map((d) =>
            (group.length > 1 ? ask([d]) : Promise.reject(error)).catch((e: unknown) => {
              if (!(e instanceof SourceError)) throw e;
              out.set(d.end.getTime() / 1000, e);
            }),
          ),
        );
      }
    }),
  );
  return out;
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
  rateWindow: string,
): Promise<Set<string>> {
  const out = new Set<string>();
  if (options.recordingRules === "off") return out;
  const counts = await api
    .range(
      recordedCoverageQuery(options.clusterLabel, rateWindow),
      options.window.start,
      options.window.end,
      HOUR,
    )
    .catch(sourceFailure(() => [] as Series[]));
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
