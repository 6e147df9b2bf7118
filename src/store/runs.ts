/**
 * Writing one run: every table's rows and every source's outcome in one transaction, then the
 * `runs` row that makes the run visible. Readers select runs from `runs`, so a run is either
 * all there or not there at all.
 */
import type { Row, Store } from "./store.js";

export type SourceName =
  | "kubernetes"
  | "eks"
  | "prometheus"
  | "cost-explorer"
  | "cur"
  | "pricing"
  | "spot-history";
export type SourceStatus = "ok" | "partial" | "missing";

export interface SourceOutcome {
  cluster: string;
  source: SourceName;
  status: SourceStatus;
  origin: "live" | "bundle" | "snapshot";
  rows: number;
  error?: string | undefined;
  detail?: Record<string, unknown> | undefined;
}

/** An object a source left out because a value broke a rule: a row of `rejected_objects`. */
export interface Rejection {
  cluster: string;
  source: SourceName;
  /** Where it came from: the bundle file and item, or the live request. */
  location: string;
  /** What was left out: kind namespace/name, or the row's key. */
  object: string;
  field: string | null;
  value: string | null;
  rule: string;
  message: string;
}

/** Longest value kept in `rejected_objects.value` (a 100 k character label says nothing more). */
const VALUE_CHARS = 200;

export interface RunRecord {
  runId: string;
  command: string;
  startedAt: Date;
  windowStart: Date;
  windowEnd: Date;
  clusters: ReadonlyArray<{ name: string; region: string }>;
  toolVersion: string;
  /** What collection was limited to (namespaces, clusters, kube contexts); undefined: everything. */
  scope?: RunScope | undefined;
}

/**
 * A run's scope as kept in runs.scope (JSON): `-n` namespaces, `--cluster` clusters, and the kube
 * contexts `--context` or `--all-contexts` (the flag, in `contextsFlag`) chose the clusters by.
 */
export interface RunScope {
  namespaces: readonly string[];
  clusters: readonly string[];
  contexts?: readonly string[] | undefined;
  contextsFlag?: ContextsFlag | undefined;
}

export type ContextsFlag = "--context" | "--all-contexts";

export interface RunWriter {
  readonly runId: string;
  append(table: string, rows: readonly Row[]): Promise<number>;
  /** Set-based SQL that inserts into `table` in the run's transaction (a load from files); counts its rows. */
  insert(table: string, run: (store: Store) => Promise<number>): Promise<number>;
  /** Reads the run as written so far (it is not committed yet), e.g. to export it. */
  read<T>(run: (store: Store) => Promise<T>): Promise<T>;
  source(outcome: SourceOutcome): void;
  /** Lists an object the source left out; kept only if the source's rows are (see `discard`). */
  reject(rejection: Rejection): void;
  /**
   * Takes back everything one source wrote into this run for one cluster (its tables' rows and
   * its rejections): a source's rows land entirely or not at all. DuckDB has no SAVEPOINT, so
   * this deletes them inside the run's transaction. `tables` are the source's own (its
   * tables.ts), never names from input. Returns the rows taken back.
   */
  discard(cluster: string, source: SourceName, tables: readonly string[]): Promise<number>;
}

export interface RunResult {
  runId: string;
  status: "ok" | "partial";
  sources: SourceOutcome[];
  rows: Record<string, number>;
}

export async function writeRun(
  store: Store,
  record: RunRecord,
  fill: (writer: RunWriter) => Promise<void>,
  now: () => Date,
): Promise<RunResult> {
  const sources: SourceOutcome[] = [];
  const rejections: Rejection[] = [];
  const rows: Record<string, number> = {};
  await store.transaction(async () => {
    const writer: RunWriter = {
      runId: record.runId,
      append: async (table, batch) => {
        const n = await store.append(table, batch, { run_id: record.runId });
        rows[table] = (rows[table] ?? 0) + n;
        return n;
      },
      insert: async (table, run) => {
        const n = await run(store);
        rows[table] = (rows[table] ?? 0) + n;
        return n;
      },
      read: (run) => run(store),
      source: (outcome) => {
        sources.push(outcome);
      },
      reject: (rejection) => {
        rejections.push({
          ...rejection,
          value: rejection.value === null ? null : rejection.value.slice(0, VALUE_CHARS),
        });
      },
      discard: async (cluster, source, tables) => {
        let taken = 0;
        for (const table of tables) {
          const n = await discardRows(store, table, record.runId, cluster);
          rows[table] = (rows[table] ?? 0) - n;
          taken += n;
        }
        for (let i = rejections.length - 1; i >= 0; i--)
          if (rejections[i]!.cluster === cluster && rejections[i]!.source === source) rejections.splice(i, 1);
        return taken;
      },
    };
    await fill(writer);
    await store.append(
      "rejected_objects",
      rejections.map((r) => ({ ...r })),
      { run_id: record.runId },
    );
    await store.append(
      "run_sources",
      sources.map((s) => ({
        cluster: s.cluster,
        source: s.source,
        status: s.status,
        origin: s.origin,
        rows: s.rows,
        error: s.error ?? null,
        detail: s.detail ?? null,
      })),
      { run_id: record.runId },
    );
    await store.append("runs", [
      {
        run_id: record.runId,
        command: record.command,
        status: sources.every((s) => s.status === "ok") ? "ok" : "partial",
        started_at: record.startedAt,
        finished_at: now(),
        window_start: record.windowStart,
        window_end: record.windowEnd,
        clusters: record.clusters,
        tool_version: record.toolVersion,
        scope: record.scope ? JSON.stringify(record.scope) : null,
      },
    ]);
  });
  return {
    runId: record.runId,
    status: sources.every((s) => s.status === "ok") ? "ok" : "partial",
    sources,
    rows,
  };
}

/** Deletes a table's rows of one run and cluster; how many there were. */
async function discardRows(store: Store, table: string, runId: string, cluster: string): Promise<number> {
  // The table is an identifier from a source's tables.ts (checked against the migrations by
  // test/unit/collect/tables.test.ts), quoted; the values are bound.
  const ident = `"${table.replaceAll('"', '""')}"`;
  const where = "WHERE run_id = $1 AND cluster = $2";
  const counted = await store.one<{ n: bigint }>(`SELECT count(*) AS n FROM ${ident} ${where}`, [
    runId,
    cluster,
  ]);
  const n = Number(counted?.n ?? 0);
  if (n > 0) await store.run(`DELETE FROM ${ident} ${where}`, [runId, cluster]);
  return n;
}

export interface StoredRun {
  run_id: string;
  status: string;
  started_at: Date;
  window_start: Date;
  window_end: Date;
  clusters: string;
}

export async function latestRun(store: Store): Promise<StoredRun | undefined> {
  return store.one<StoredRun>(
    "SELECT run_id, status, started_at, window_start, window_end, clusters FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1",
  );
}
