/** Operational SQL the services run against the store, kept in queries/store/ (parameters are bound). */
import { readFileSync } from "node:fs";
import { LIMITS } from "../core/limits.js";
import { projectPath } from "../core/paths.js";
import type { RunScope } from "./runs.js";
import type { Row, Store } from "./store.js";

const cache = new Map<string, string>();
function sql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(projectPath("queries", "store", `${name}.sql`), "utf8");
    cache.set(name, text);
  }
  return text;
}

export async function previousCosts(
  store: Store,
  cluster: string,
): Promise<{ runId: string; tagFilter: string | null; storedThrough: string } | undefined> {
  const row = await store.one<{ run_id: string; tag_filter: string | null; stored_through: string }>(
    sql("previous_costs"),
    [cluster],
  );
  return row
    ? { runId: row.run_id, tagFilter: row.tag_filter, storedThrough: row.stored_through }
    : undefined;
}

export async function carryCosts(
  store: Store,
  p: { toRun: string; fromRun: string; cluster: string; start: string; end: string },
): Promise<void> {
  await store.run(sql("carry_costs"), [p.toRun, p.fromRun, p.cluster, p.start, p.end]);
}

export async function freshPrices(
  store: Store,
  cluster: string,
  region: string,
  since: Date,
): Promise<Row[]> {
  const rows = await store.all<Row>(sql("fresh_prices"), [cluster, region, since.toISOString()]);
  return rows.map((r) => ({
    ...r,
    fetched_at: r.fetched_at instanceof Date ? r.fetched_at.toISOString() : r.fetched_at,
  }));
}

/**
 * Loads one spool of Prometheus answers (see queries/store/load_prom_usage.sql); the rows loaded.
 * On one thread: a load runs beside the collection's requests, and one thread keeps up with them
 * (on the benchmark's 2 cores, two threads used about a quarter more CPU for the same loads, taken from
 * Prometheus).
 */
/** The bounds of core/limits.ts, as the variables the usage queries (load_ and bad_prom_usage.sql) read. */
export const USAGE_LIMIT_VARIABLES = {
  max_cpu_cores: Number(LIMITS.containerCpu.max),
  max_cpu_says: LIMITS.containerCpu.says,
  max_memory_bytes: Number(LIMITS.containerMemory.max),
  max_memory_says: LIMITS.containerMemory.says,
};

const usageLimits = (store: Store) => store.setVariables(USAGE_LIMIT_VARIABLES);

export interface BadUsage {
  namespace: string;
  pod: string;
  container: string;
  column: string;
  hour: Date;
  value: string | null;
  rule: string;
}

/** The usage values of a spool no container can have (queries/store/bad_prom_usage.sql). */
export async function badUsage(store: Store, usage: string): Promise<BadUsage[]> {
  await usageLimits(store);
  return store.all<BadUsage>(sql("bad_prom_usage"), [usage]);
}

export async function loadUsageSpool(
  store: Store,
  p: { runId: string; cluster: string; usage: string; facts: string; pods: string },
): Promise<number> {
  await usageLimits(store);
  const threads = await store.one<{ n: bigint | number }>("SELECT current_setting('threads') AS n");
  await store.run("SET threads = 1");
  let failed = false;
  try {
    const row = await store.one<{ Count: bigint | number }>(sql("load_prom_usage"), [
      p.runId,
      p.cluster,
      p.usage,
      p.facts,
      p.pods,
    ]);
    return Number(row?.Count ?? 0);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // Back to the setting the store was opened with (RESET would give DuckDB's default). After a
    // failed load the transaction is aborted and this fails too: the load's own error is the one
    // that says what went wrong (a cut-off answer), so it is the one that propagates.
    await store.run("SET threads = $1", [Number(threads?.n ?? 1)]).catch((error: unknown) => {
      if (!failed) throw error;
    });
  }
}

/** The latest live run whose usage of `cluster` can be reused (queries/store/previous_usage.sql). */
export async function previousUsage(
  store: Store,
  cluster: string,
): Promise<{ runId: string; window: { start: Date; end: Date } } | undefined> {
  const row = await store.one<{
    run_id: string;
    window_start_ms: bigint | number;
    window_end_ms: bigint | number;
  }>(sql("previous_usage"), [cluster]);
  return row
    ? {
        runId: row.run_id,
        window: { start: new Date(Number(row.window_start_ms)), end: new Date(Number(row.window_end_ms)) },
      }
    : undefined;
}

/** Refers this run to a previous run's hourly usage of [start, end) (stored once); the rows referred to. */
export async function carryUsage(
  store: Store,
  p: { toRun: string; fromRun: string; cluster: string; start: Date; end: Date },
): Promise<number> {
  await store.run(sql("carry_usage"), [
    p.toRun,
    p.fromRun,
    p.cluster,
    p.start.toISOString(),
    p.end.toISOString(),
  ]);
  const row = await store.one<{ rows: bigint | number }>(sql("reused_usage_rows"), [p.toRun, p.cluster]);
  return Number(row?.rows ?? 0);
}

/** Copies a previous run's pending-pod hours of [start, end) into this run (with carryUsage's days). */
export async function carryPending(
  store: Store,
  p: { toRun: string; fromRun: string; cluster: string; start: Date; end: Date },
): Promise<number> {
  const row = await store.one<{ Count: bigint | number }>(sql("carry_pending"), [
    p.toRun,
    p.fromRun,
    p.cluster,
    p.start.toISOString(),
    p.end.toISOString(),
  ]);
  return Number(row?.Count ?? 0);
}

/** Writes a run's pending-pod hours of one cluster to `file` as the bundle's CSV. */
export async function exportPending(
  store: Store,
  runId: string,
  cluster: string,
  file: string,
): Promise<void> {
  await store.run(sql("export_prom_pending"), [runId, cluster, file]);
}

/** Writes a run's hourly usage of one cluster to `file` as the bundle's gzipped CSV. */
export async function exportUsage(store: Store, runId: string, cluster: string, file: string): Promise<void> {
  await store.run(sql("export_prom_usage"), [runId, cluster, file]);
}

/**
 * Loads a bundle's usage CSV into the run, read by DuckDB as a stream (queries/store/
 * bundle_usage_macros.sql). Read typed first; when fewer rows loaded than the file has records,
 * those rows are taken out and the file is read again cell by cell: the sound rows loaded, the
 * rest listed in rejected_objects (a row per broken cell, with its line). Returns the rows
 * loaded and the rejected_objects rows written.
 */
export async function loadBundleUsage(
  store: Store,
  p: {
    runId: string;
    cluster: string;
    file: string;
    name: string;
    records: number;
    start: Date;
    end: Date;
  },
): Promise<{ rows: number; rejected: number }> {
  await store.run(sql("bundle_usage_macros"));
  const args = [p.runId, p.cluster, p.file, p.start.toISOString(), p.end.toISOString()];
  const count = (row: { Count: bigint | number } | undefined) => Number(row?.Count ?? 0);
  const fast = count(await store.one(sql("load_bundle_usage"), args));
  if (fast >= p.records) return { rows: fast, rejected: 0 };
  await store.run(sql("unload_bundle_usage"), [p.runId, p.cluster]);
  const rows = count(await store.one(sql("load_checked_bundle_usage"), args));
  const rejected = count(await store.one(sql("reject_bundle_usage"), [...args, p.name]));
  return { rows, rejected };
}

/** Every workload's and pod's labels in a run, keyed `cluster/namespace/kind/name` (queries/store/workload_labels.sql). */
export async function workloadLabels(
  store: Store,
  runId: string,
): Promise<Map<string, Record<string, string>>> {
  const rows = await store.all<{
    cluster: string;
    namespace: string;
    workload_kind: string;
    workload_name: string;
    labels: string | null;
  }>(sql("workload_labels"), [runId]);
  return new Map(
    rows.map((r) => [
      `${r.cluster}/${r.namespace}/${r.workload_kind}/${r.workload_name}`,
      r.labels ? (JSON.parse(r.labels) as Record<string, string>) : {},
    ]),
  );
}

/** What a run's collection was limited to (runs.scope), undefined for the whole cluster. */
export async function runScope(store: Store, runId: string): Promise<RunScope | undefined> {
  const row = await store.one<{ scope: string | null }>(sql("run_scope"), [runId]);
  return row?.scope ? (JSON.parse(row.scope) as RunScope) : undefined;
}

/** The top-level column names of a Parquet file (queries/store/cur_parquet_columns.sql). */
export async function parquetColumns(store: Store, file: string): Promise<string[]> {
  return (await store.all<{ name: string }>(sql("cur_parquet_columns"), [file])).map((r) => r.name);
}

/**
 * Loads the EKS split lines of one downloaded CUR 2.0 object into the run (queries/store/
 * load_cur_split.sql), read by DuckDB's Parquet reader beside an empty file of the optional
 * columns (written next to it); the rows loaded.
 */
export async function loadCurSplit(
  store: Store,
  p: { runId: string; cluster: string; file: string; key: string; start: Date; end: Date },
): Promise<number> {
  const optional = `${p.file}.optional.parquet`;
  await store.run(sql("cur_optional_columns"), [optional]);
  const row = await store.one<{ Count: bigint | number }>(sql("load_cur_split"), [
    p.runId,
    p.cluster,
    p.file,
    optional,
    p.key,
    p.start.toISOString(),
    p.end.toISOString(),
  ]);
  return Number(row?.Count ?? 0);
}

/** Writes a run's CUR split lines of one cluster as the bundle's Parquet file. */
export async function exportCurSplit(
  store: Store,
  runId: string,
  cluster: string,
  file: string,
): Promise<void> {
  await store.run(sql("export_cur_split"), [runId, cluster, file]);
}

/** Loads a bundle's CUR split lines (columns checked by the caller); the rows loaded. */
export async function loadBundleCurSplit(
  store: Store,
  p: { runId: string; cluster: string; file: string },
): Promise<number> {
  const row = await store.one<{ Count: bigint | number }>(sql("load_bundle_cur_split"), [
    p.runId,
    p.cluster,
    p.file,
  ]);
  return Number(row?.Count ?? 0);
}
