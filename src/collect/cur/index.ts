/**
 * The CUR 2.0 collector: the months of the window of a Data Exports export (aws.cur.s3Uri) are
 * listed, each data object is streamed to a temporary directory, checked for the columns it must
 * have, and only its EKS split lines of the cluster and the window are loaded into the run by
 * DuckDB's Parquet reader (History.loadCurSplit). A bundle keeps those lines (not the export) as
 * aws/<cluster>/cur-split.parquet.
 */
import { closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SourceError } from "../../core/errors.js";
import { type Bundle, bundlePath } from "../bundle.js";
import type { Collected, Collection } from "../source.js";
import type { CurBucket } from "./client.js";
import { billingPeriods, missingColumns, objectsOfWindow, periodOfKey, REQUIRED_COLUMNS } from "./map.js";
import { CUR_TABLES } from "./tables.js";

export const CUR_FILE = "cur-split.parquet";

const CONFIGURE =
  "point aws.cur.s3Uri at the export's folder, s3://<bucket>/<prefix>/<export-name>/ (Billing and Cost Management → Data Exports: a CUR 2.0 export in Parquet with split cost allocation data included)";

/** Fails naming the source, the object and the columns it lacks: never a figure read from a partial object. */
export function checkColumns(present: readonly string[], required: readonly string[], object: string): void {
  const missing = missingColumns(present, required);
  if (missing.length === 0) return;
  throw new SourceError(
    "cur",
    `${object} has no column ${missing.join(", ")}: its split cost allocation lines cannot be read`,
    {
      hint: "include split cost allocation data in the export (INCLUDE_SPLIT_COST_ALLOCATION_DATA and INCLUDE_RESOURCES) and select the split_line_item_* columns, or point aws.cur.s3Uri at such an export",
    },
  );
}

/**
 * A file DuckDB may read as Parquet: `PAR1` at both ends. Checked before DuckDB opens it, since a
 * read error inside the run's transaction would abort the whole run, not this source.
 */
export function checkParquet(file: string, object: string): void {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    if (size >= 12) {
      readSync(fd, head, 0, 4, 0);
      readSync(fd, tail, 0, 4, size - 4);
    }
    if (head.toString("latin1") !== "PAR1" || tail.toString("latin1") !== "PAR1")
      throw new SourceError(
        "cur",
        `${object} is not a Parquet file (${size} bytes, no PAR1 magic at both ends)`,
        {
          hint: "the export must be delivered as Parquet (Data Exports: format Parquet); a bundle's cur-split.parquet is written by `capacity collect --record`",
        },
      );
  } finally {
    closeSync(fd);
  }
}

export async function collectCurLive(
  c: Collection,
  bucket: CurBucket,
  location: { bucket: string; prefix: string },
): Promise<Collected> {
  const periods = billingPeriods(c.window.start, c.window.end);
  const keys = await bucket.keys(location.bucket, location.prefix);
  const objects = objectsOfWindow(keys, periods);
  const found = new Set(objects.map((k) => periodOfKey(k)));
  const absent = periods.filter((p) => !found.has(p));
  const where = `s3://${location.bucket}/${location.prefix}`;
  if (objects.length === 0) {
    return {
      status: "missing",
      origin: "live",
      rows: 0,
      error: `${where} holds no data object of ${periods.join(", ")} (…/data/BILLING_PERIOD=YYYY-MM/*.parquet) (fix: ${CONFIGURE})`,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `capacity-cur-${process.pid}-`));
  let rows = 0;
  try {
    for (const [i, key] of objects.entries()) {
      const file = join(dir, `${i}.parquet`);
      await bucket.download(location.bucket, key, file);
      const object = `s3://${location.bucket}/${key}`;
      checkParquet(file, object);
      checkColumns(await c.history.parquetColumns(file), REQUIRED_COLUMNS, object);
      rows += await c.history.loadCurSplit({ file, key, ...c.window });
      rmSync(file, { force: true });
    }
    if (c.record) {
      const out = join(c.record, "aws", c.cluster.name);
      mkdirSync(out, { recursive: true });
      await c.history.exportCurSplit(join(out, CUR_FILE));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  c.logger.info("CUR split lines read", { cluster: c.cluster.name, objects: objects.length, rows });
  const notes = [
    ...(absent.length
      ? [`no data object of ${absent.join(", ")} under ${where}: those days are not cross-checked`]
      : []),
    ...(rows === 0
      ? [
          `the export has no EKS split cost allocation line of cluster ${c.cluster.name} in the window: turn on split cost allocation data for EKS (Billing preferences) and include it in the export; lines appear from the day it is on`,
        ]
      : []),
  ];
  return {
    status: notes.length ? "partial" : "ok",
    origin: "live",
    rows,
    ...(notes.length ? { error: notes.join("; ") } : {}),
    detail: { objects: objects.length, bytes: bucket.bytes, requests: bucket.requests },
  };
}

export async function collectCurFromBundle(bundle: Bundle, c: Collection): Promise<Collected | undefined> {
  const name = join("aws", c.cluster.name, CUR_FILE);
  const file = bundlePath(bundle, name);
  if (file === undefined) return undefined;
  checkParquet(file, name);
  checkColumns(await c.history.parquetColumns(file), CUR_TABLES.aws_cur_split_lines, name);
  const rows = await c.history.loadBundleCurSplit(file);
  return { status: "ok", origin: "bundle", rows };
}
