/**
 * `capacity report --from-parquet DIR|s3://…`: the organisation roll-up. The exported tables
 * (capacity export --parquet, from any number of clusters and accounts) are loaded into a scratch
 * DuckDB file; each cluster's latest analyzed run is summarised by the same view model and rules
 * as its own report (buildReportModel → recommendations.json), and the summaries are added up
 * (src/report/rollup.ts). So the roll-up of two clusters equals the sum of their reports.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { martReader } from "../analyze/marts.js";
import { ANALYZERS } from "../analyze/registry.js";
import type { Context } from "../core/context.js";
import { OutputError, UsageError } from "../core/errors.js";
import { projectPath } from "../core/paths.js";
import { buildReportModel } from "../report/model.js";
import { buildRecommendations } from "../report/recommendations.js";
import {
  buildRollup,
  type Rollup,
  type RunSummary,
  renderRollupHtml,
  renderRollupMarkdown,
} from "../report/rollup.js";
import type { StoredRun } from "../store/runs.js";
import { Store } from "../store/store.js";
import { keyUnder, parseS3Uri, S3Store } from "./delivery/s3.js";

const sql = (name: string): string => readFileSync(projectPath("queries", "export", `${name}.sql`), "utf8");

/** A table folder of an export: lower-case words joined by `_` (anything else is not ours and is skipped). */
const TABLE = /^[a-z][a-z0-9_]{0,62}$/;
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** An s3:// source is downloaded to a scratch folder first (DuckDB reads local files only here). */
async function localCopy(ctx: Context, source: string, scratch: string): Promise<string> {
  if (!source.startsWith("s3://")) {
    if (!existsSync(source))
      throw new UsageError(
        `--from-parquet ${source} does not exist`,
        "give the folder `capacity export --parquet` wrote",
      );
    return source;
  }
  const location = parseS3Uri(source);
  if (!location)
    throw new UsageError(`--from-parquet ${source} is not an S3 location`, "write it as s3://bucket/prefix");
  const s3 = new S3Store(process.env.AWS_REGION ?? ctx.config.clusters[0]?.region ?? "us-east-1", ctx.signal);
  const dir = join(scratch, "parquet");
  try {
    const prefix = location.prefix === "" ? "" : `${location.prefix}/`;
    for (const key of await s3.list(location.bucket, prefix)) {
      const relative = key.slice(prefix.length);
      if (!relative.endsWith(".parquet") || relative.split("/").some((p) => p === ".." || p === "")) continue;
      const object = await s3.get(location.bucket, keyUnder(location, relative));
      if (!object) continue;
      const to = join(dir, ...relative.split("/"));
      mkdirSync(join(to, ".."), { recursive: true });
      writeFileSync(to, object.body);
    }
  } finally {
    s3.close();
  }
  return dir;
}

/**
 * Loads every exported table into the scratch store: each table named in `_schema/` (created from
 * its empty schema file when the migrations did not create it), then its rows if any run had some.
 */
async function load(store: Store, dir: string): Promise<void> {
  const existing = new Set(
    (
      await store.all<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'",
      )
    ).map((t) => t.table_name),
  );
  const schemaDir = join(dir, "_schema");
  const tables = existsSync(schemaDir)
    ? readdirSync(schemaDir)
        .filter((f) => f.endsWith(".parquet"))
        .map((f) => f.slice(0, -".parquet".length))
        .filter((t) => TABLE.test(t))
        .sort()
    : [];
  if (tables.length === 0 || !existsSync(join(dir, "runs"))) {
    throw new UsageError(
      `${dir} holds no _schema/ or runs/ folder: it is not a capacity export`,
      "give the folder `capacity export --parquet` wrote",
    );
  }
  await store.run(sql("import_runs"), [join(dir, "runs", "**", "*.parquet")]);
  for (const table of tables.filter((t) => t !== "runs")) {
    // Identifiers from the file names (checked against TABLE above); the paths are bound.
    if (!existing.has(table)) {
      await store.run(`CREATE TABLE ${quote(table)} AS SELECT * EXCLUDE (run_date) FROM read_parquet($1)`, [
        join(schemaDir, `${table}.parquet`),
      ]);
    }
    if (!existsSync(join(dir, table))) continue;
    // Partitioned by cluster and day, or by day alone for the tables without a cluster column.
    const byCluster = readdirSync(join(dir, table)).some((d) => d.startsWith("cluster="));
    const types = byCluster ? "{'cluster': varchar, 'run_date': date}" : "{'run_date': date}";
    await store.run(
      `INSERT INTO ${quote(table)} BY NAME SELECT * EXCLUDE (run_date) FROM read_parquet($1, hive_partitioning = true, union_by_name = true, hive_types = ${types})`,
      [join(dir, table, "**", "*.parquet")],
    );
  }
}

export interface RollupOutput {
  rollup: Rollup;
  files: string[];
}

export async function rollupReport(ctx: Context, source: string, outDir: string): Promise<RollupOutput> {
  const scratch = mkdtempSync(join(tmpdir(), "capacity-rollup-"));
  let store: Store | undefined;
  try {
    const dir = await localCopy(ctx, source, scratch);
    store = await Store.open(join(scratch, "rollup.duckdb"), ctx.logger, {
      signal: ctx.signal,
      memoryLimit: ctx.config.databaseMemoryLimit,
      threads: ctx.config.databaseThreads,
    });
    await load(store, dir);
    const hasMarts = await store.one(
      "SELECT 1 AS found FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'mart_cost_summary'",
    );
    if (!hasMarts) {
      throw new UsageError(
        `${source} holds no analyzed run (no mart_cost_summary/)`,
        "export after `capacity run` or `capacity analyze`",
      );
    }
    const picked = await store.all<{ cluster: string; run_id: string }>(sql("rollup_runs"));
    const summaries: RunSummary[] = [];
    for (const runId of [...new Set(picked.map((p) => p.run_id))]) {
      const run = await store.one<StoredRun>(
        "SELECT run_id, status, started_at, window_start, window_end, clusters FROM runs WHERE run_id = $1",
        [runId],
      );
      if (!run) continue;
      const model = await buildReportModel(martReader(store, runId), run, ctx.config, ANALYZERS, ctx.clock());
      summaries.push({ ...(buildRecommendations(model) as unknown as RunSummary), runId });
    }
    const rollup = buildRollup(summaries, source, ctx.clock());
    const files: string[] = [];
    try {
      mkdirSync(outDir, { recursive: true });
      for (const [file, content] of [
        ["rollup.json", `${JSON.stringify(rollup, null, 2)}\n`],
        ["rollup.md", renderRollupMarkdown(rollup)],
        ["rollup.html", renderRollupHtml(rollup)],
      ] as const) {
        writeFileSync(join(outDir, file), content);
        files.push(join(outDir, file));
      }
    } catch (error) {
      throw new OutputError("(roll-up)", outDir, error);
    }
    ctx.logger.info("roll-up written", {
      clusters: rollup.totals.clusters,
      runs: summaries.length,
      files: files.join(","),
    });
    return { rollup, files };
  } finally {
    store?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
