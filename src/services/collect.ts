/**
 * Collect: every source of every cluster into one run, in one transaction. Sources are
 * collected independently; a source that fails is recorded as missing with its error and the
 * others go on (STYLE.md 14). Only errors that are not about a source (bugs, the store) abort the
 * run, and then nothing of it is kept.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { awsClientSettings } from "../collect/aws.js";
import { BUNDLE_FORMAT, type Bundle, openBundle } from "../collect/bundle.js";
import {
  type CostCollection,
  collectCostsFromBundle,
  collectCostsLive,
} from "../collect/cost-explorer/index.js";
import {
  collectKubernetesFromBundle,
  collectKubernetesLive,
  type KubernetesCollection,
} from "../collect/kubernetes/index.js";
import {
  collectPricesFromBundle,
  collectPricesLive,
  collectSnapshotPrices,
  type PriceCollection,
} from "../collect/pricing/index.js";
import { planUsage } from "../collect/prometheus/incremental.js";
import { collectUsageFromBundle, collectUsageLive } from "../collect/prometheus/index.js";
import { collectSpotFromBundle, collectSpotLive } from "../collect/spot-history/index.js";
import type { Context } from "../core/context.js";
import { CapacityError, errorMessage, SourceError, UsageError } from "../core/errors.js";
import {
  carryCosts,
  carryUsage,
  exportUsage,
  freshPrices,
  loadUsageSpool,
  previousCosts,
  previousUsage,
} from "../store/queries.js";
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
  /** Also write what live collection fetched as a bundle. */
  record?: string | undefined;
  command: string;
}

interface Target {
  name: string;
  region: string | undefined;
  context: string | undefined;
}

type Origin = SourceOutcome["origin"];

export async function collect(ctx: Context, store: Store, options: CollectOptions): Promise<RunResult> {
  if (options.from !== undefined && options.record !== undefined)
    throw new UsageError("--record and --from do not go together");
  const bundle = options.from === undefined ? undefined : openBundle(options.from);
  const targets = bundle ? bundleTargets(ctx, bundle) : await liveTargets(ctx);
  const end = bundle ? new Date(bundle.manifest.window.end) : floorHour(ctx.clock());
  const start = bundle
    ? new Date(bundle.manifest.window.start)
    : new Date(end.getTime() - ctx.config.historyDays * 86_400_000);
  const started = ctx.clock();
  ctx.logger.info("collecting", {
    run: ctx.runId,
    from: bundle ? bundle.dir : "live",
    clusters: targets.map((c) => c.name).join(","),
    record: options.record,
  });
  const regions = new Map<string, string>();
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
    },
    async (writer) => {
      for (const target of targets) {
        const region = bundle
          ? await collectFromBundle(ctx, writer, bundle, target, started)
          : await collectLive(ctx, store, writer, target, { start, end, now: started }, options.record);
        if (region) regions.set(target.name, region);
      }
    },
    ctx.clock,
  );
  if (options.record !== undefined) {
    writeManifest(
      options.record,
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
      error: s.error,
    });
  }
  return result;
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
  return ctx.config.clusters.map((c) => ({ name: c.name, region: c.region, context: c.context }));
}

async function liveTargets(ctx: Context): Promise<Target[]> {
  if (ctx.config.clusters.length > 0)
    return ctx.config.clusters.map((c) => ({ name: c.name, region: c.region, context: c.context }));
  // No clusters configured: the kubeconfig's current context, named after it (an EKS ARN tells name and region).
  const { describeContext, loadKubeConfig } = await import("../collect/kubernetes/client.js");
  let kc: ReturnType<typeof loadKubeConfig>;
  try {
    kc = loadKubeConfig({});
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
  start: Date,
  end: Date,
  clusters: Array<{ name: string; region: string }>,
): void {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    format: BUNDLE_FORMAT,
    createdAt: new Date().toISOString(),
    window: { start: start.toISOString(), end: end.toISOString() },
    clusters,
  };
  writeFileSync(join(dir, "bundle.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Runs one source; a CapacityError (source, input) becomes a 'missing' outcome, anything else aborts. */
async function source(
  writer: RunWriter,
  cluster: string,
  name: SourceName,
  origin: Origin,
  fn: () => Promise<Omit<SourceOutcome, "cluster" | "source">>,
): Promise<void> {
  try {
    writer.source({ cluster, source: name, ...(await fn()) });
  } catch (error) {
    if (!(error instanceof CapacityError)) throw error;
    const message = error.hint ? `${errorMessage(error)} (fix: ${error.hint})` : errorMessage(error);
    writer.source({ cluster, source: name, status: "missing", origin, rows: 0, error: message });
  }
}

async function storeKubernetes(
  ctx: Context,
  writer: RunWriter,
  cluster: string,
  k: KubernetesCollection,
  origin: Origin,
) {
  let rows = 0;
  for (const [table, batch] of Object.entries(k.tables)) rows += await writer.append(table, batch);
  for (const p of k.problems)
    ctx.logger.warn("object left out", { cluster, object: p.object, field: p.field, problem: p.message });
  const notes = [...k.missing.map((m) => `${m.resource}: ${m.reason}`), ...k.problems.map((p) => p.message)];
  return {
    status: (notes.length ? "partial" : "ok") as SourceOutcome["status"],
    origin,
    rows,
    error: notes.length ? notes.slice(0, 20).join("; ") : undefined,
    detail: { objectsLeftOut: k.problems.length, missing: k.missing.map((m) => m.resource), ...k.stats },
  };
}

/** The region a cluster's nodes say they are in (the most common one). */
function regionOfNodes(k: KubernetesCollection | undefined): string | undefined {
  const counts = new Map<string, number>();
  for (const n of k?.tables.k8s_nodes ?? []) {
    if (typeof n.region === "string") counts.set(n.region, (counts.get(n.region) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function ec2Types(k: KubernetesCollection | undefined): string[] {
  return (k?.tables.k8s_nodes ?? [])
    .filter((n) => n.compute_type !== "fargate" && typeof n.instance_type === "string")
    .map((n) => n.instance_type as string);
}

/** Prices from the dated snapshot for the types the API (or bundle) could not price, or all of them. */
async function snapshotOutcome(
  writer: RunWriter,
  cluster: string,
  region: string | undefined,
  types: string[],
  now: Date,
  why?: string,
): Promise<Omit<SourceOutcome, "cluster" | "source">> {
  if (region === undefined) {
    return {
      status: "missing",
      origin: "snapshot",
      rows: 0,
      error: "the cluster's region is unknown: set clusters[].region",
    };
  }
  const { rows, unpriced } = collectSnapshotPrices(cluster, region, types, now.toISOString());
  const notes = [
    ...(why ? [why] : []),
    ...(unpriced.length ? [`no snapshot price for ${unpriced.join(", ")} in ${region}`] : []),
  ];
  return {
    status: notes.length ? "partial" : "ok",
    origin: "snapshot",
    rows: await writer.append("aws_prices", rows),
    error: notes.length ? notes.join("; ") : undefined,
    detail: { unpriced },
  };
}

/** Stores API prices; types the API had no price for fall back to the snapshot, flagged. */
async function storePrices(
  writer: RunWriter,
  cluster: string,
  region: string,
  prices: PriceCollection,
  origin: Origin,
  now: Date,
): Promise<Omit<SourceOutcome, "cluster" | "source">> {
  let rows = await writer.append("aws_prices", prices.rows);
  // Products the API answered are never mixed with the snapshot's; EC2 types it lacked are.
  const answered = new Set(prices.rows.map((r) => r.product));
  const fallback = collectSnapshotPrices(cluster, region, prices.unpriced, now.toISOString());
  const fallbackRows = fallback.rows.filter((r) => r.product === "ec2" || !answered.has(r.product));
  rows += await writer.append("aws_prices", fallbackRows);
  const stillUnpriced = fallback.unpriced;
  const fromSnapshot = fallbackRows.filter((r) => r.product === "ec2").length;
  const notes = [
    ...(prices.unpriced.length
      ? [
          `the Price List API had no price for ${prices.unpriced.join(", ")}; the snapshot priced ${fromSnapshot} of them`,
        ]
      : []),
    ...(stillUnpriced.length ? [`unpriced: ${stillUnpriced.join(", ")}`] : []),
  ];
  return {
    status: stillUnpriced.length ? "partial" : "ok",
    origin,
    rows,
    error: notes.length ? notes.join("; ") : undefined,
    detail: { requests: prices.requests, unpriced: stillUnpriced },
  };
}

async function storeCosts(
  writer: RunWriter,
  costs: CostCollection,
  origin: Origin,
): Promise<Omit<SourceOutcome, "cluster" | "source">> {
  const rows =
    (await writer.append("aws_costs", costs.rows)) +
    (await writer.append("aws_cost_forecast", costs.forecast));
  return {
    status: "ok",
    origin,
    rows,
    detail: {
      tag: costs.tag,
      tried: costs.tried,
      purchaseTypes: costs.purchaseTypes,
      paidRequests: costs.paidRequests,
      pages: costs.pages,
      fetched: costs.fetched,
    },
  };
}

async function collectFromBundle(
  ctx: Context,
  writer: RunWriter,
  bundle: Bundle,
  target: Target,
  now: Date,
): Promise<string | undefined> {
  const name = target.name;
  let kubernetes: KubernetesCollection | undefined;
  await source(writer, name, "kubernetes", "bundle", async () => {
    kubernetes = collectKubernetesFromBundle(bundle, name);
    return storeKubernetes(ctx, writer, name, kubernetes, "bundle");
  });
  await source(writer, name, "prometheus", "bundle", async () => {
    const rows = collectUsageFromBundle(bundle, name);
    if (rows === undefined)
      return { status: "missing", origin: "bundle", rows: 0, error: "the bundle has no usage history" };
    return { status: "ok", origin: "bundle", rows: await writer.append("prom_usage_hourly", rows) };
  });
  await source(writer, name, "cost-explorer", "bundle", async () => {
    const costs = collectCostsFromBundle(bundle, name);
    if (costs === undefined)
      return {
        status: "missing",
        origin: "bundle",
        rows: 0,
        error: "the bundle has no Cost Explorer responses",
      };
    return storeCosts(writer, costs, "bundle");
  });
  const region = target.region ?? regionOfNodes(kubernetes);
  await source(writer, name, "spot-history", "bundle", async () => {
    const rows = collectSpotFromBundle(bundle, name, region ?? "unknown");
    if (rows === undefined)
      return { status: "missing", origin: "bundle", rows: 0, error: "the bundle has no spot price history" };
    return { status: "ok", origin: "bundle", rows: await writer.append("aws_spot_prices", rows) };
  });
  await source(writer, name, "pricing", "bundle", async () => {
    const types = ec2Types(kubernetes);
    const recorded = region
      ? collectPricesFromBundle(bundle, {
          cluster: name,
          region,
          instanceTypes: types,
          fetchedAt: now.toISOString(),
        })
      : undefined;
    if (recorded === undefined) return snapshotOutcome(writer, name, region, types, now);
    return storePrices(writer, name, region!, recorded, "bundle", now);
  });
  return region;
}

/** A secret from a file named in the config: the error names the key, never the content. */
function secretFile(key: string, path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    throw new SourceError(
      "prometheus",
      `cannot read ${key} (${path}): ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

async function collectPrometheus(
  ctx: Context,
  store: Store,
  writer: RunWriter,
  cluster: string,
  window: { start: Date; end: Date },
  record: string | undefined,
): Promise<Omit<SourceOutcome, "cluster" | "source">> {
  const p = ctx.config.prometheus;
  if (!p.url) {
    return {
      status: "missing",
      origin: "live",
      rows: 0,
      error: "no prometheus.url configured: without usage history pods are charged their requests",
    };
  }
  const { PrometheusApi } = await import("../collect/prometheus/client.js");
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
      timeoutSeconds: p.timeoutSeconds,
      compression: p.compression,
      retries: p.retries,
    },
    ctx.logger,
  );
  const started = performance.now();
  const plan = planUsage(window, p.incremental ? await previousUsage(store, cluster) : undefined);
  const reused = plan.reuse
    ? await writer.insert("prom_usage_hourly", (s) =>
        carryUsage(s, { toRun: writer.runId, cluster, ...plan.reuse! }),
      )
    : 0;
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
      load: (files) =>
        writer.insert("prom_usage_hourly", (store) =>
          loadUsageSpool(store, { runId: writer.runId, cluster, ...files }),
        ),
      signal: ctx.signal,
    },
    ctx.logger,
  );
  if (record !== undefined) {
    const dir = join(record, "prometheus", cluster);
    mkdirSync(dir, { recursive: true });
    await writer.read((store) => exportUsage(store, writer.runId, cluster, join(dir, "usage_hourly.csv.gz")));
  }
  const stats = { ...api.stats, seconds: Math.round((performance.now() - started) / 100) / 10 };
  ctx.logger.info("prometheus collected", {
    cluster,
    endpoint: usage.endpoint,
    rows: usage.rows + reused,
    daysReused: plan.reusedDays,
    daysFetched: plan.fetchedDays,
    reusedFrom: plan.reuse?.fromRun,
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
    rows: usage.rows + reused,
    error: notes.length ? notes.join("; ") : undefined,
    detail: {
      endpoint: usage.endpoint,
      daysReused: plan.reusedDays,
      daysFetched: plan.fetchedDays,
      reusedFrom: plan.reuse?.fromRun,
      rowsReused: reused,
      namespaces: usage.namespaces,
      scopes: usage.scopes,
      days: usage.days,
      gaps: usage.gaps,
      recordedNamespaceDays: usage.recordedDays,
      hourlyPodDays: usage.hourlyPodDays,
      ...stats,
    },
  };
}
const day = (d: Date) => d.toISOString().slice(0, 10);

async function collectLive(
  ctx: Context,
  store: Store,
  writer: RunWriter,
  target: Target,
  window: { start: Date; end: Date; now: Date },
  record: string | undefined,
): Promise<string | undefined> {
  const name = target.name;
  // The live clients are loaded only when a live run needs them: a replay never pays for them.
  const [{ KubernetesClient, loadKubeConfig }, { CostExplorer }, { SpotHistory }, { PriceList }] =
    await Promise.all([
      import("../collect/kubernetes/client.js"),
      import("../collect/cost-explorer/client.js"),
      import("../collect/spot-history/client.js"),
      import("../collect/pricing/client.js"),
    ]);
  let kubernetes: KubernetesCollection | undefined;
  await source(writer, name, "kubernetes", "live", async () => {
    const client = new KubernetesClient(loadKubeConfig({ context: target.context }), name, ctx.logger, {
      pageSize: ctx.config.kubernetes.pageSize,
      retries: ctx.config.kubernetes.retries,
    });
    const started = Date.now();
    kubernetes = await collectKubernetesLive(client, ctx.logger, { recordDir: record, signal: ctx.signal });
    ctx.logger.info("kubernetes collected", {
      cluster: name,
      server: client.server,
      ms: Date.now() - started,
      ...kubernetes.stats,
    });
    return storeKubernetes(ctx, writer, name, kubernetes, "live");
  });
  await source(writer, name, "prometheus", "live", () =>
    collectPrometheus(ctx, store, writer, name, window, record),
  );

  const region = target.region ?? regionOfNodes(kubernetes);
  if (region === undefined) {
    for (const s of ["cost-explorer", "spot-history", "pricing"] as const) {
      writer.source({
        cluster: name,
        source: s,
        status: "missing",
        origin: "live",
        rows: 0,
        error: "the cluster's region is unknown: set clusters[].region",
      });
    }
    return undefined;
  }
  const settings = awsClientSettings(region, ctx.config.aws.maxAttempts);
  const costWindow = { start: day(window.start), end: day(window.end) };

  await source(writer, name, "cost-explorer", "live", async () => {
    const previous = await previousCosts(store, name);
    const [key, ...rest] = previous?.tagFilter?.split("=") ?? [];
    const knownTag = key && rest.length ? { key, value: rest.join("=") } : undefined;
    const ce = new CostExplorer(settings, ctx.logger);
    const costs = await collectCostsLive(ce, {
      cluster: name,
      window: costWindow,
      configuredTag: ctx.config.aws.costAllocationTag,
      configuredTagValue: ctx.config.aws.costAllocationTagValue,
      knownTag,
      storedThrough: previous?.storedThrough ?? null,
      today: day(window.now),
      recordDir: record,
    });
    // Days not asked for again come from the previous run (same tag), so the run holds the whole window.
    if (
      previous &&
      costs.tag === previous.tagFilter &&
      costs.fetched &&
      costs.fetched.start > costWindow.start
    ) {
      await carryCosts(store, {
        toRun: writer.runId,
        fromRun: previous.runId,
        cluster: name,
        start: costWindow.start,
        end: costs.fetched.start,
      });
    }
    ctx.logger.info("cost explorer collected", {
      cluster: name,
      tag: costs.tag,
      paidRequests: costs.paidRequests,
      fetchedFrom: costs.fetched?.start ?? "nothing new",
    });
    return storeCosts(writer, costs, "live");
  });

  await source(writer, name, "spot-history", "live", async () => {
    const nodes = kubernetes?.tables.k8s_nodes ?? [];
    const { rows, requests } = await collectSpotLive(new SpotHistory(settings, ctx.logger), {
      cluster: name,
      region,
      instanceTypes: [...new Set(ec2Types(kubernetes))].sort(),
      zones: [...new Set(nodes.map((n) => n.zone).filter((z): z is string => typeof z === "string"))],
      window: { start: window.start, end: window.end },
      recordDir: record,
    });
    return {
      status: "ok",
      origin: "live",
      rows: await writer.append("aws_spot_prices", rows),
      detail: { requests },
    };
  });

  await source(writer, name, "pricing", "live", async () => {
    const types = ec2Types(kubernetes);
    const since = new Date(window.now.getTime() - ctx.config.aws.priceMaxAgeDays * 86_400_000);
    const cached = await freshPrices(store, name, region, since);
    const cachedTypes = new Set(cached.filter((r) => r.product === "ec2").map((r) => r.instance_type));
    if (cached.length > 0 && types.every((t) => cachedTypes.has(t)) && record === undefined) {
      return {
        status: "ok",
        origin: "live",
        rows: await writer.append("aws_prices", cached),
        detail: { requests: 0, cached: true },
      };
    }
    try {
      const prices = await collectPricesLive(
        new PriceList(settings, ctx.config.aws.pricingRegion, ctx.logger),
        {
          cluster: name,
          region,
          instanceTypes: types,
          fetchedAt: window.now.toISOString(),
          recordDir: record,
        },
      );
      return storePrices(writer, name, region, prices, "live", window.now);
    } catch (error) {
      if (!(error instanceof CapacityError)) throw error;
      // Offline or denied: the dated snapshot, and the report says so.
      const why = `${errorMessage(error)}${error.hint ? ` (fix: ${error.hint})` : ""}; priced from the dated snapshot instead`;
      ctx.logger.warn(why, { cluster: name });
      return snapshotOutcome(writer, name, region, types, window.now, why);
    }
  });
  return region;
}
