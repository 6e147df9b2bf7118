/**
 * Writing one run: every table's rows and every source's outcome in one transaction, then the
 * `runs` row that makes the run visible. Readers select runs from `runs`, so a run is either
 * all there or not there at all.
 */
import type { Row, Store } from "./store.js";

export type SourceName = "kubernetes" | "prometheus" | "cost-explorer" | "pricing" | "spot-history";
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

export interface RunRecord {
  runId: string;
  command: string;
  startedAt: Date;
  windowStart: Date;
  windowEnd: Date;
  clusters: ReadonlyArray<{ name: string; region: string }>;
  toolVersion: string;
}

export interface RunWriter {
  readonly runId: string;
  append(table: string, rows: readonly Row[]): Promise<number>;
  /** Set-based SQL that inserts into `table` in the run's transaction (a load from files); counts its rows. */
  insert(table: string, run: (store: Store) => Promise<number>): Promise<number>;
  /** Reads the run as written so far (it is not committed yet), e.g. to export it. */
  read<T>(run: (store: Store) => Promise<T>): Promise<T>;
  source(outcome: SourceOutcome): void;
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
    };
    await fill(writer);
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
