/**
 * Collect: every source of every cluster into one run, in one transaction. Sources are
 * collected independently; a source that fails is recorded as missing with its error and the
 * others go on (STYLE.md 14). Only errors that are not about a source (bugs, the store) abort the
 * run, and then nothing of it is kept.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterAccess } from "../collect/aws.js";
import { BUNDLE_FORMAT, type Bundle, openBundle } from "../collect/bundle.js";
import type { PriceRow } from "../collect/pricing/tables.js";
import { SOURCES } from "../collect/registry.js";
import type { ClusterFacts, Collection, History, RunSink } from "../collect/source.js";
import type { Context } from "../core/context.js";
import { CapacityError, errorMessage, UsageError } from "../core/errors.js";
import {
  badUsage,
  carryCosts,
  carryPending,
  carryUsage,
  exportCurSplit,
  exportPending,
  exportUsage,
  freshPrices,
  loadBundleCurSplit,
  loadBundleUsage,
  loadCurSplit,
  loadUsageSpool,
  parquetColumns,
  previousCosts,
  previousUsage,
} from "../store/queries.js";
import { type ContextsFlag, type RunResult, type RunScope, type RunWriter, writeRun } from "../store/runs.js";
import type { Row, Store } from "../store/store.js";
import { TOOL_VERSION } from "./version.js";

export interface CollectOptions {
  /** Replay a recorded bundle instead of reaching live sources. */
  from?: string | undefined;
  /** Also write what live collection fetched as a bundle. */
  record?: string | undefined;
  command: string;
  /** The flag that chose the clusters by kube context (kept in the run's scope), if one did. */
  contextsFlag?: ContextsFlag | undefined;
}

interface Target {
  name: string;
  region: string | undefined;
  context: string | undefined;
  /** How the cluster's AWS account is reached (clusters[].aws): a role to assume, a profile. */
  aws?: ClusterAccess | undefined;
}

export async function collect(ctx: Context, store: Store, options: CollectOptions): Promise<RunResult> {
  if (options.from !== undefined && options.record !== undefined)
    throw new UsageError("--record and --from do not go together");
  const bundle = options.from === undefined ? undefined : openBundle(options.from);
  const targets = inScope(ctx, bundle ? bundleTargets(ctx, bundle) : await liveTargets(ctx));
  const end = bundle ? new Date(bundle.manifest.window.end) : floorHour(ctx.clock());
  const start = bundle
    ? new Date(bundle.manifest.window.start)
    : new Date(end.getTime() - ctx.config.historyDays * 86_400_000);
  if (bundle) checkWindow(join(bundle.dir, "bundle.json"), start, end);
  const started = ctx.clock();
  ctx.logger.info("collecting", {
    run: ctx.runId,
    from: bundle ? bundle.dir : "live",
    clusters: targets.map((c) => c.name).join(","),
    record: options.record,
    namespaces: ctx.config.scope.namespaces.join(",") || undefined,
  });
  const regions = new Map<string, string>();
  const took = new Map<string, number>();
  const result = await writeRun(
    store,
    {
      runId: ctx.runId,
      command: options.command,
      startedAt: started,
      windowStart: start,
      windowEnd: end,
      clusters: targets.map((c) => ({ name: c.name, region: c.region ?? "unknown" })),
      toolVersion: TOOL_VERSION,
      scope: runScope(ctx, bundle !== undefined, targets, options.contextsFlag),
    },
    async (writer) => {
      for (const target of targets) {
        const region = await collectCluster(ctx, store, writer, target, {
          bundle,
          window: { start, end },
          now: started,
          record: options.record,
          took,
        });
        if (region) regions.set(target.name, region);
      }
    },
    ctx.clock,
  );
  if (options.record !== undefined) {
    writeManifest(
      options.record,
      ctx.clock(),
      start,
      end,
      targets.map((t) => ({ name: t.name, region: regions.get(t.name) ?? t.region ?? "unknown" })),
    );
  }
  for (const s of result.sources) {
    const log = s.status === "ok" ? ctx.logger.info : ctx.logger.warn;
    log(`source ${s.source} ${s.status}`, {
      cluster: s.cluster,
      rows: s.rows,
      origin: s.origin,
      ms: took.get(`${s.cluster}/${s.source}`),
      error: s.error,
    });
  }
  return result;
}

/**
 * The clusters `--cluster` (scope.clusters) keeps; a name that is not among the targets is a
 * usage error naming the ones there are.
 */
function inScope(ctx: Context, targets: Target[]): Target[] {
  const wanted = ctx.config.scope.clusters;
  if (wanted.length === 0) return targets;
  const unknown = wanted.filter((name) => !targets.some((t) => t.name === name));
  if (unknown.length > 0) {
    throw new UsageError(
      `--cluster ${unknown.join(", ")}: no such cluster to collect`,
      `the clusters here are: ${targets.map((t) => t.name).join(", ")}`,
    );
  }
  return targets.filter((t) => wanted.includes(t.name));
}

/**
 * What the run's collection was limited to, kept with the run (runs.scope). Namespaces limit the
 * live Prometheus queries only (a bundle is replayed whole; the inventory is always listed whole,
 * so node cost and idle stay the cluster's). `--context`/`--all-contexts` chose the clusters by
 * their kube contexts: those of the targets collected.
 */
function runScope(
  ctx: Context,
  replay: boolean,
  targets: readonly Target[],
  contextsFlag: ContextsFlag | undefined,
): RunScope | undefined {
  const namespaces = replay ? [] : ctx.config.scope.namespaces;
  const clusters = ctx.config.scope.clusters;
  const contexts = contextsFlag ? targets.flatMap((t) => (t.context ? [t.context] : [])) : [];
  if (!namespaces.length && !clusters.length && !contexts.length) return undefined;
  return { namespaces, clusters, ...(contexts.length ? { contexts, contextsFlag } : {}) };
}

/** A window is two times, the start before the end: anything else would make negative hours and money. */
function checkWindow(file: string, start: Date, end: Date): void {
  for (const [field, at] of [
    ["window.start", start],
    ["window.end", end],
  ] as const) {
    if (Number.isNaN(at.getTime()))
      throw new UsageError(`${file}: ${field} is not an ISO 8601 time`, "write it as 2026-11-02T00:00:00Z");
  }
  if (start.getTime() >= end.getTime()) {
    throw new UsageError(
      `${file}: window.start (${start.toISOString()}) is not before window.end (${end.toISOString()})`,
      "the window is [start, end): put the earlier time in window.start",
    );
  }
}

const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);

function bundleTargets(ctx: Context, bundle: Bundle): Target[] {
  const inBundle = new Map(bundle.manifest.clusters.map((c) => [c.name, c.region]));
  if (ctx.config.clusters.length === 0) {
    return bundle.manifest.clusters.map((c) => ({ name: c.name, region: c.region, context: undefined }));
  }
  const absent = ctx.config.clusters.filter((c) => !inBundle.has(c.name)).map((c) => c.name);
  if (absent.length > 0) {
    throw new UsageError(
      `the bundle ${bundle.dir} holds no cluster named ${absent.join(", ")}`,
      `it holds: ${[...inBundle.keys()].join(", ")}`,
    );
  }
  return ctx.config.clusters.map((c) => ({ name: c.name, region: c.region, context: c.context, aws: c.aws }));
}

async function liveTargets(ctx: Context): Promise<Target[]> {
  if (ctx.config.clusters.length > 0)
    return ctx.config.clusters.map((c) => ({
      name: c.name,
      region: c.region,
      context: c.context,
      aws: c.aws,
    }));
  // No clusters configured: the kubeconfig's current context, named after it (an EKS ARN tells name and region).
  const { describeContext, loadKubeConfig } = await import("../collect/kubernetes/client.js");
  let kc: ReturnType<typeof loadKubeConfig>;
  try {
    kc = loadKubeConfig({ kubeconfigFile: ctx.config.kubernetes.kubeconfig });
  } catch (error) {
    if (error instanceof CapacityError) throw new UsageError(error.message, error.hint);
    throw error;
  }
  const current = kc.getCurrentContext();
  if (current === "inClusterContext") {
    throw new UsageError(
      "running in a pod with no cluster configured",
      "name it under clusters: (name and region) in capacity.yaml",
    );
  }
  if (!current || current === "loaded-context") {
    throw new UsageError(
      "no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a pod",
      "run `aws eks update-kubeconfig --name <cluster>`, set KUBECONFIG, or replay a bundle with --from DIR",
    );
  }
  const described = describeContext(current);
  return [{ name: described.name, region: described.region, context: current }];
}

function writeManifest(
  dir: string,
  createdAt: Date,
  start: Date,
  end: Date,
  clusters: Array<{ name: string; region: string }>,
): void {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    format: BUNDLE_FORMAT,
    createdAt: createdAt.toISOString(),
    window: { start: start.toISOString(), end: end.toISOString() },
    clusters,
  };
  writeFileSync(join(dir, "bundle.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Every source of one cluster, in the registry's order, each with what the ones before it learned
 * (Kubernetes: the region and the nodes' types and zones). A source that fails with a
 * CapacityError (a source, an input) is recorded as missing and the next one goes on; anything
 * else, or an abort, ends the run. Returns the cluster's region, if known.
 */
async function collectCluster(
  ctx: Context,
  store: Store,
  writer: RunWriter,
  target: Target,
  run: {
    bundle: Bundle | undefined;
    window: { start: Date; end: Date };
    now: Date;
    record: string | undefined;
    /** Milliseconds each source took, by `cluster/source`, for its log line. */
    took: Map<string, number>;
  },
): Promise<string | undefined> {
  const cluster = target.name;
  const origin = run.bundle ? "bundle" : "live";
  let facts: ClusterFacts = { region: target.region, instanceTypes: [], zones: [] };
  for (const source of SOURCES) {
    ctx.signal.throwIfAborted();
    if (source.needsRegion && facts.region === undefined) {
      writer.source({
        cluster,
        source: source.name,
        status: "missing",
        origin,
        rows: 0,
        error: "the cluster's region is unknown: set clusters[].region",
      });
      continue;
    }
    let rejected = 0;
    const out: RunSink = {
      runId: writer.runId,
      append: (table, rows) => writer.append(table, rows as Row[]),
      reject: (r) => {
        rejected++;
        ctx.logger.warn("object left out", { cluster, source: source.name, ...r });
        writer.reject({ cluster, source: source.name, ...r });
      },
    };
    const c: Collection = {
      cluster: target,
      window: run.window,
      now: run.now,
      clock: ctx.clock,
      config: ctx.config,
      logger: ctx.logger,
      signal: ctx.signal,
      facts,
      out,
      history: collectionHistory(store, writer, cluster, out),
      record: run.record,
      progress: ctx.progress,
    };
    const began = performance.now();
    try {
      const collected = run.bundle ? await source.replay(run.bundle, c) : await source.live(c);
      if ("skipped" in collected) {
        ctx.logger.info(`source ${source.name} skipped`, { cluster, reason: collected.skipped });
        continue;
      }
      const { facts: found, ...outcome } = collected;
      writer.source({ cluster, source: source.name, ...withRejections(outcome, rejected) });
      if (found) facts = { ...facts, ...found, region: facts.region ?? found.region };
    } catch (error) {
      ctx.signal.throwIfAborted();
      if (!(error instanceof CapacityError)) throw error;
      // All or nothing: what the source appended before it failed leaves the run with it.
      const taken = await writer.discard(cluster, source.name, Object.keys(source.tables));
      const message = error.hint ? `${errorMessage(error)} (fix: ${error.hint})` : errorMessage(error);
      ctx.logger.debug("source rows taken back", { cluster, source: source.name, rows: taken });
      writer.source({ cluster, source: source.name, status: "missing", origin, rows: 0, error: message });
    } finally {
      run.took.set(`${cluster}/${source.name}`, Math.round(performance.now() - began));
    }
  }
  ctx.signal.throwIfAborted();
  return facts.region;
}

/** A source that left objects out is partial, whatever it says, and the outcome says how many. */
function withRejections<T extends { status: "ok" | "partial" | "missing"; error?: string | undefined }>(
  outcome: T,
  rejected: number,
): T {
  if (rejected === 0) return outcome;
  const note = `${rejected} object${rejected === 1 ? "" : "s"} left out (see rejected objects)`;
  return {
    ...outcome,
    status: outcome.status === "missing" ? "missing" : "partial",
    error: outcome.error ? `${note}; ${outcome.error}` : note,
  };
}

/** The store's side of a cluster's collection, bound to the run's transaction. */
export function collectionHistory(store: Store, writer: RunWriter, cluster: string, out: RunSink): History {
  const runId = writer.runId;
  return {
    previousUsage: () => previousUsage(store, cluster),
    carryUsage: async (p) => {
      // The pending-pod hours of the same days are copied (a few rows); the usage is referred to,
      // not copied (prom_usage_reused): the run's stored usage rows do not grow.
      await writer.insert("prom_pending_pods_hourly", (s) =>
        carryPending(s, { toRun: runId, cluster, ...p }),
      );
      return writer.read((s) => carryUsage(s, { toRun: runId, cluster, ...p }));
    },
    loadUsage: async (files) => {
      // Values no container can have leave their container-hour out, listed (bad_prom_usage.sql).
      for (const bad of await badUsage(store, files.usage)) {
        const object = `container ${bad.namespace}/${bad.pod}/${bad.container} hour ${bad.hour.toISOString()}`;
        out.reject({
          location: `Prometheus query ${bad.column}`,
          object,
          field: bad.column,
          value: bad.value,
          rule: bad.rule,
          message: `${object}: ${bad.column}: ${bad.value ?? "null"} breaks the rule ${bad.rule}`,
        });
      }
      return writer.insert("prom_usage_hourly", (s) => loadUsageSpool(s, { runId, cluster, ...files }));
    },
    loadBundleUsage: async (p) => {
      let loaded = { rows: 0, rejected: 0 };
      await writer.insert("prom_usage_hourly", async (s) => {
        loaded = await loadBundleUsage(s, { runId, cluster, ...p });
        return loaded.rows;
      });
      return loaded;
    },
    exportUsage: (file) => writer.read((s) => exportUsage(s, runId, cluster, file)),
    exportPending: (file) => writer.read((s) => exportPending(s, runId, cluster, file)),
    previousCosts: () => previousCosts(store, cluster),
    carryCosts: (p) => carryCosts(store, { toRun: runId, cluster, ...p }),
    // fresh_prices.sql selects exactly the columns of aws_prices but run_id: a PriceRow each.
    freshPrices: async (region, since) =>
      (await freshPrices(store, cluster, region, since)) as unknown as PriceRow[],
    parquetColumns: (file) => parquetColumns(store, file),
    loadCurSplit: (p) =>
      writer.insert("aws_cur_split_lines", (s) => loadCurSplit(s, { runId, cluster, ...p })),
    exportCurSplit: (file) => writer.read((s) => exportCurSplit(s, runId, cluster, file)),
    loadBundleCurSplit: (file) =>
      writer.insert("aws_cur_split_lines", (s) => loadBundleCurSplit(s, { runId, cluster, file })),
  };
}
