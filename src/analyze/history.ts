/**
 * History: every run's marts are kept. Each `mart_*` table in the file has a `run_id` column
 * (the marts already carry `cluster`); analysing a run replaces that run's rows, in one
 * transaction with the `analyses` record that says the run was analyzed and with the pruning of
 * runs beyond `history.keepRuns`. A column a newer version added to a mart is added to its
 * table (earlier runs read NULL there). A failed analysis never reaches this transaction, so
 * every earlier run's marts stay as they were.
 */
import type { Store } from "../store/store.js";
import type { Model } from "./runner.js";

export interface AnalysisRecord {
  runId: string;
  analyzedAt: Date;
  toolVersion: string;
  /** How many runs the database keeps (the newest by start time, and always this one). */
  keepRuns: number;
}

// Names below are model file names (checked against /[a-z0-9_]+/ by the runner) and column
// names from DuckDB's own catalog; values are bound.
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

interface CatalogColumn {
  table_name: string;
  column_name: string;
  data_type: string;
}

async function fileColumns(store: Store, db: string): Promise<Map<string, CatalogColumn[]>> {
  const rows = await store.all<CatalogColumn>(
    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_catalog = $1 AND table_schema = 'main' ORDER BY table_name, ordinal_position",
    [db],
  );
  const out = new Map<string, CatalogColumn[]>();
  for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r]);
  return out;
}

/** The marts of the plan, then those analyzers' compute steps wrote (by name). */
const martNames = (plan: readonly Model[], computed: readonly string[]): string[] => [
  ...plan.filter((m) => m.layer === "marts").map((m) => m.name),
  ...computed,
];

/**
 * Writes the marts built in the temp catalog (by runModels, and by analyzers' compute steps:
 * `computed`) into the file under the run's id, records the analysis and prunes old runs, all in
 * one transaction; then drops the temp marts, so that from here on `mart_x` is the file's table.
 */
export async function keepMarts(
  store: Store,
  plan: readonly Model[],
  record: AnalysisRecord,
  computed: readonly string[] = [],
): Promise<void> {
  const db = (await store.one<{ db: string }>("SELECT current_database() AS db"))?.db ?? "memory";
  const file = `${quote(db)}.main`;
  const marts = martNames(plan, computed).map((name) => ({ name }));
  const temp = await store.all<CatalogColumn>(
    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_catalog = 'temp' AND table_schema = 'main' ORDER BY table_name, ordinal_position",
  );
  const kept = await fileColumns(store, db);
  const views = new Set(
    (
      await store.all<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_catalog = $1 AND table_schema = 'main' AND table_type = 'VIEW'",
        [db],
      )
    ).map((v) => v.name),
  );
  await store.transaction(async () => {
    for (const model of plan.filter((m) => m.layer !== "marts" && kept.has(m.name))) {
      // Staging and intermediate models read the run's variables: an earlier version kept some.
      await store.run(`DROP ${views.has(model.name) ? "VIEW" : "TABLE"} ${file}.${model.name}`);
    }
    for (const mart of marts) {
      const table = `${file}.${mart.name}`;
      let columns = kept.get(mart.name);
      if (columns && !columns.some((c) => c.column_name === "run_id")) {
        // Written by a version that kept only the latest analysis, without its run: not history.
        await store.run(`DROP TABLE ${table}`);
        columns = undefined;
      }
      if (!columns) {
        await store.run(
          `CREATE TABLE ${table} AS SELECT CAST(NULL AS VARCHAR) AS run_id, * FROM temp.main.${mart.name} LIMIT 0`,
        );
      } else {
        const have = new Set(columns.map((c) => c.column_name));
        for (const c of temp.filter((t) => t.table_name === mart.name && !have.has(t.column_name))) {
          await store.run(`ALTER TABLE ${table} ADD COLUMN ${quote(c.column_name)} ${c.data_type}`);
        }
      }
      await store.run(`DELETE FROM ${table} WHERE run_id = $1`, [record.runId]);
      await store.run(`INSERT INTO ${table} BY NAME SELECT $1 AS run_id, * FROM temp.main.${mart.name}`, [
        record.runId,
      ]);
    }
    await store.run("DELETE FROM analyses WHERE run_id = $1", [record.runId]);
    await store.run("INSERT INTO analyses VALUES ($1, $2, $3, $4)", [
      record.runId,
      record.analyzedAt.toISOString(),
      record.toolVersion,
      marts.length,
    ]);
    await pruneRuns(store, db, record.runId, record.keepRuns);
  });
  for (const mart of [...marts].reverse())
    await store.run(`DROP TABLE IF EXISTS temp.main.${quote(mart.name)}`);
}

/** Drops the marts a failed analysis built in the temp catalog, so that they shadow nothing. */
export async function discardMarts(
  store: Store,
  plan: readonly Model[],
  computed: readonly string[] = [],
): Promise<void> {
  for (const name of martNames(plan, computed).reverse()) {
    await store.run(`DROP TABLE IF EXISTS temp.main.${quote(name)}`);
  }
}

/**
 * Deletes every row of the runs beyond the newest `keep` (by start time; never `current`) from
 * every table that has a `run_id` column (raw tables, run_sources, marts, analyses), then the
 * runs themselves; but the hours of usage a kept run refers to (prom_usage_reused) stay.
 */
export async function pruneRuns(store: Store, db: string, current: string, keep: number): Promise<string[]> {
  const old = (
    await store.all<{ run_id: string }>(
      "SELECT run_id FROM runs WHERE run_id <> $1 ORDER BY started_at DESC, run_id DESC OFFSET $2",
      [current, Math.max(0, keep - 1)],
    )
  ).map((r) => r.run_id);
  if (old.length === 0) return [];
  const tables = [...(await fileColumns(store, db)).entries()]
    .filter(([name, columns]) => name !== "runs" && columns.some((c) => c.column_name === "run_id"))
    .map(([name]) => name);
  for (const table of [...tables, "runs"]) {
    // Usage a kept run refers to (prom_usage_reused) is stored once, under the run that fetched
    // it: those rows stay when that run goes.
    const kept =
      table === "prom_usage_hourly"
        ? ` AND NOT EXISTS (SELECT 1 FROM ${quote(db)}.main.prom_usage_reused AS r WHERE r.from_run_id = $1 AND r.cluster = u.cluster AND u.hour >= r.hour_start AND u.hour < r.hour_end)`
        : "";
    for (const runId of old)
      await store.run(`DELETE FROM ${quote(db)}.main.${quote(table)} AS u WHERE run_id = $1${kept}`, [runId]);
  }
  return old;
}
