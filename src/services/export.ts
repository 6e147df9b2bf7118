/**
 * `capacity export --parquet DIR|s3://bucket/prefix`: each run's raw tables and kept marts as
 * Parquet, one folder per table, partitioned hive-style by cluster and day
 * (`<table>/cluster=<name>/run_date=<yyyy-mm-dd>/run-<run id>.parquet`), with `runs` once per cluster.
 * DuckDB writes the files (COPY … PARTITION_BY) into a scratch folder; each file is then named
 * after its run and moved (or uploaded) into place, so exporting a run again replaces its files
 * and two runs of one day never overwrite each other. docs/export.md documents the layout;
 * deploy/athena/ holds the matching Athena tables.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import type { Context } from "../core/context.js";
import { UsageError } from "../core/errors.js";
import { projectPath } from "../core/paths.js";
import type { Store } from "../store/store.js";
import { DeliveryError, keyUnder, parseS3Uri, S3Store } from "./delivery/s3.js";

const sql = (name: string): string => readFileSync(projectPath("queries", "export", `${name}.sql`), "utf8");

export interface ExportResult {
  runs: string[];
  tables: string[];
  files: number;
  target: string;
}

function filesUnder(dir: string): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** `<table>/[cluster=x/]/run_date=d/data_0.parquet` → `<table>/cluster=x/run_date=d/run-<id>.parquet` (`-1`… if DuckDB split it). */
function finalName(scratchFile: string, runId: string): string {
  const parts = scratchFile.split(sep);
  const file = parts.pop() ?? "";
  const index = /^data_(\d+)\.parquet$/.exec(file)?.[1];
  return [...parts, `run-${runId}${index && index !== "0" ? `-${index}` : ""}.parquet`].join("/");
}

export async function exportParquet(
  ctx: Context,
  store: Store,
  target: string,
  options: { run?: string | undefined } = {},
): Promise<ExportResult> {
  const s3Target = target.startsWith("s3://") ? parseS3Uri(target) : undefined;
  if (target.startsWith("s3://") && !s3Target) {
    throw new UsageError(`--parquet ${target} is not an S3 location`, "write it as s3://bucket/prefix");
  }
  const runs = await store.all<{ run_id: string; day: string }>(sql("runs_to_export"), [options.run ?? null]);
  if (runs.length === 0) {
    throw new UsageError(
      options.run ? `no run ${options.run} in ${store.path}` : `${store.path} holds no run yet`,
      "`capacity run` (or `collect` and `analyze`) first",
    );
  }
  await store.run(sql("runs_by_cluster"));
  const exportable = [
    ...(await store.all<{ table_name: string; has_cluster: boolean }>(sql("exportable_tables"))),
    { table_name: "runs_by_cluster", has_cluster: true },
  ];
  /** The folder a table goes to: its name, and `runs` for the runs (one row per cluster). */
  const folder = (table: string) => (table === "runs_by_cluster" ? "runs" : table);
  const tables = exportable.map((t) => folder(t.table_name));
  const scratch = mkdtempSync(join(tmpdir(), "capacity-export-"));
  const s3 = s3Target
    ? new S3Store(process.env.AWS_REGION ?? ctx.config.clusters[0]?.region ?? "us-east-1", ctx.signal)
    : undefined;
  let files = 0;
  /** Moves a written file to its name under the target folder, or uploads it there. */
  const place = async (from: string, name: string): Promise<void> => {
    if (s3 && s3Target) {
      await s3.put(s3Target.bucket, keyUnder(s3Target, name), readFileSync(from), {
        contentType: "application/vnd.apache.parquet",
      });
      return;
    }
    const to = join(target, ...name.split("/"));
    mkdirSync(dirname(to), { recursive: true });
    renameOrCopy(from, to);
  };
  try {
    const schemaDir = join(scratch, "_schema");
    mkdirSync(schemaDir, { recursive: true });
    for (const { table_name } of exportable) {
      await store.run(sql("export_schema"), [table_name, join(schemaDir, `${folder(table_name)}.parquet`)]);
    }
    for (const file of filesUnder(schemaDir)) {
      await place(join(schemaDir, file), `_schema/${file}`);
      files += 1;
    }
    for (const run of runs) {
      const runDir = join(scratch, run.run_id);
      mkdirSync(runDir, { recursive: true });
      for (const table of exportable) {
        await store.run(sql(table.has_cluster ? "export_table" : "export_run_table"), [
          table.table_name,
          run.run_id,
          run.day,
          join(runDir, folder(table.table_name)),
        ]);
      }
      for (const file of filesUnder(runDir)) {
        await place(join(runDir, file), finalName(file, run.run_id));
        files += 1;
      }
      rmSync(runDir, { recursive: true, force: true });
      ctx.logger.info("run exported as Parquet", { run: run.run_id, target });
    }
  } catch (error) {
    if (error instanceof DeliveryError || error instanceof UsageError) throw error;
    throw new DeliveryError(
      `exporting to ${target} failed: ${String(error)}`,
      "check the folder's free space and permissions",
      error,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    s3?.close();
  }
  return { runs: runs.map((r) => r.run_id), tables: [...tables].sort(), files, target };
}

/** A rename, or a copy when the scratch folder is on another filesystem. */
function renameOrCopy(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    // Written whole, then renamed: a reader never sees half a file.
    const tmp = `${to}.tmp-${process.pid}`;
    writeFileSync(tmp, readFileSync(from));
    renameSync(tmp, to);
  }
}
