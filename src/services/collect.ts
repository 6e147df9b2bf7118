/**
 * Collect: every source of every cluster into one run, in one transaction. Sources are
 * collected independently; a source that fails is recorded as missing with its error and the
 * others go on (STYLE.md 14). Only errors that are not about a source (bugs, the store) abort the
 * run, and then nothing of it is kept.
 */
import { type Bundle, openBundle } from "../collect/bundle.js";
import { collectCostsFromBundle } from "../collect/cost-explorer/index.js";
import { collectKubernetesFromBundle } from "../collect/kubernetes/index.js";
import { collectSnapshotPrices } from "../collect/pricing/index.js";
import { collectUsageFromBundle } from "../collect/prometheus/index.js";
import { collectSpotFromBundle } from "../collect/spot-history/index.js";
import type { ClusterConfig } from "../config/schema.js";
import type { Context } from "../core/context.js";
import { CapacityError, errorMessage, UsageError } from "../core/errors.js";
import {
  type RunResult,
  type RunWriter,
  type SourceName,
  type SourceOutcome,
  writeRun,
} from "../store/runs.js";
import type { Store } from "../store/store.js";
import { TOOL_VERSION } from "./version.js";

export interface CollectOptions {
  /** Replay a recorded bundle instead of reaching live sources. */
  from?: string | undefined;
  command: string;
}

export async function collect(ctx: Context, store: Store, options: CollectOptions): Promise<RunResult> {
  if (options.from === undefined) {
    throw new UsageError(
      "live collection (Kubernetes API, Prometheus, AWS) is not implemented yet",
      "replay a recorded bundle with --from DIR, e.g. `capacity collect --from data/demo`",
    );
  }
  const bundle = openBundle(options.from);
  const clusters = resolveClusters(ctx.config.clusters, bundle);
  const windowStart = new Date(bundle.manifest.window.start);
  const windowEnd = new Date(bundle.manifest.window.end);
  const started = ctx.clock();
  ctx.logger.info("collecting", {
    run: ctx.runId,
    from: bundle.dir,
    clusters: clusters.map((c) => c.name).join(","),
  });
  const result = await writeRun(
    store,
    {
      runId: ctx.runId,
      command: options.command,
      startedAt: started,
      windowStart,
      windowEnd,
      clusters: clusters.map((c) => ({ name: c.name, region: c.region })),
      toolVersion: TOOL_VERSION,
    },
    async (writer) => {
      for (const cluster of clusters) await collectCluster(ctx, writer, bundle, cluster, started);
    },
    ctx.clock,
  );
  for (const s of result.sources) {
    const log = s.status === "ok" ? ctx.logger.info : ctx.logger.warn;
    log(`source ${s.source} ${s.status}`, {
      cluster: s.cluster,
      rows: s.rows,
      origin: s.origin,
      error: s.error,
    });
  }
  return result;
}

function resolveClusters(configured: readonly ClusterConfig[], bundle: Bundle): ClusterConfig[] {
  if (configured.length === 0)
    return bundle.manifest.clusters.map((c) => ({ name: c.name, region: c.region }));
  const inBundle = new Set(bundle.manifest.clusters.map((c) => c.name));
  const absent = configured.filter((c) => !inBundle.has(c.name)).map((c) => c.name);
  if (absent.length > 0) {
    throw new UsageError(
      `the bundle ${bundle.dir} holds no cluster named ${absent.join(", ")}`,
      `it holds: ${[...inBundle].join(", ")}`,
    );
  }
  return [...configured];
}

/** Runs one source; a CapacityError (source, input) becomes a 'missing' outcome, anything else aborts. */
async function source(
  writer: RunWriter,
  cluster: string,
  name: SourceName,
  fn: () => Promise<Omit<SourceOutcome, "cluster" | "source">>,
): Promise<void> {
  try {
    writer.source({ cluster, source: name, ...(await fn()) });
  } catch (error) {
    if (!(error instanceof CapacityError)) throw error;
    writer.source({
      cluster,
      source: name,
      status: "missing",
      origin: "bundle",
      rows: 0,
      error: errorMessage(error),
    });
  }
}

async function collectCluster(
  ctx: Context,
  writer: RunWriter,
  bundle: Bundle,
  cluster: ClusterConfig,
  now: Date,
) {
  const name = cluster.name;
  let instanceTypes: string[] = [];

  await source(writer, name, "kubernetes", async () => {
    const { rows, missingResources } = collectKubernetesFromBundle(bundle, name);
    let count = 0;
    count += await writer.append("k8s_nodes", rows.k8s_nodes);
    count += await writer.append("k8s_pods", rows.k8s_pods);
    count += await writer.append("k8s_containers", rows.k8s_containers);
    count += await writer.append("k8s_workloads", rows.k8s_workloads);
    instanceTypes = rows.k8s_nodes
      .filter((n) => n.compute_type !== "fargate" && typeof n.instance_type === "string")
      .map((n) => n.instance_type as string);
    for (const p of rows.problems)
      ctx.logger.warn("object left out", {
        cluster: name,
        object: p.object,
        field: p.field,
        problem: p.message,
      });
    const problems = [
      ...rows.problems.map((p) => p.message),
      ...(missingResources.length ? [`the bundle has no ${missingResources.join(", ")}`] : []),
    ];
    return {
      status: problems.length ? "partial" : "ok",
      origin: "bundle",
      rows: count,
      error: problems.length ? problems.slice(0, 20).join("; ") : undefined,
      detail: { objectsLeftOut: rows.problems.length, missingResources },
    };
  });

  await source(writer, name, "prometheus", async () => {
    const rows = collectUsageFromBundle(bundle, name);
    if (rows === undefined)
      return { status: "missing", origin: "bundle", rows: 0, error: "the bundle has no usage history" };
    return { status: "ok", origin: "bundle", rows: await writer.append("prom_usage_hourly", rows) };
  });

  await source(writer, name, "cost-explorer", async () => {
    const costs = collectCostsFromBundle(bundle, name);
    if (costs === undefined)
      return {
        status: "missing",
        origin: "bundle",
        rows: 0,
        error: "the bundle has no Cost Explorer responses",
      };
    return {
      status: "ok",
      origin: "bundle",
      rows: await writer.append("aws_costs", costs.rows),
      detail: { pages: costs.pages, paidRequests: 0 },
    };
  });

  await source(writer, name, "spot-history", async () => {
    const rows = collectSpotFromBundle(bundle, name, cluster.region);
    if (rows === undefined)
      return { status: "missing", origin: "bundle", rows: 0, error: "the bundle has no spot price history" };
    return { status: "ok", origin: "bundle", rows: await writer.append("aws_spot_prices", rows) };
  });

  await source(writer, name, "pricing", async () => {
    const { rows, unpriced } = collectSnapshotPrices(name, cluster.region, instanceTypes, now.toISOString());
    const count = await writer.append("aws_prices", rows);
    return {
      status: unpriced.length ? "partial" : "ok",
      origin: "snapshot",
      rows: count,
      error: unpriced.length
        ? `no snapshot price for ${unpriced.join(", ")} in ${cluster.region}`
        : undefined,
      detail: { unpriced },
    };
  });
}
