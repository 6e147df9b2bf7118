/**
 * Delivering a run's reports to S3: every file the report wrote goes to
 * `<prefix>/<cluster>/<yyyy-mm-dd>/…` (the run's start day, UTC), then the same set to
 * `<prefix>/<cluster>/latest/…`, whose `manifest.json` is written last and names the run and the
 * dated folder. A reader of `latest/` therefore sees either the previous complete set or the new
 * one; files of an earlier run that this one did not write are removed from `latest/` after the
 * manifest moved.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Logger } from "../../core/logger.js";
import { contentTypeOf, keyUnder, type S3Location, type S3Store, s3Uri } from "./s3.js";

export interface DeliveredReports {
  /** `s3://bucket/prefix/<cluster>/<date>/` */
  dated: string;
  latest: string;
  files: number;
}

/** A cluster segment of a key: the run's cluster, or its clusters joined by `+` (names are DNS-like). */
export function clusterSegment(clusters: readonly string[]): string {
  const safe = [...clusters].sort().map((c) => c.replace(/[^A-Za-z0-9._-]/g, "_"));
  return safe.length === 0 ? "unknown-cluster" : safe.join("+");
}

/** Every file under the written paths (a path may be a folder such as `patches/`), relative to `outDir`. */
export function filesToDeliver(outDir: string, written: readonly string[]): string[] {
  const out = new Set<string>();
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else {
      out.add(relative(outDir, path).split(sep).join("/"));
    }
  };
  for (const path of written) walk(path);
  return [...out].sort();
}

export async function deliverReports(
  s3: S3Store,
  location: S3Location,
  run: { runId: string; clusters: readonly string[]; startedAt: Date },
  outDir: string,
  written: readonly string[],
  logger: Logger,
): Promise<DeliveredReports> {
  const cluster = clusterSegment(run.clusters);
  const day = run.startedAt.toISOString().slice(0, 10);
  const files = filesToDeliver(outDir, written);
  const datedKey = (file: string) => keyUnder(location, cluster, day, file);
  const latestKey = (file: string) => keyUnder(location, cluster, "latest", file);

  for (const file of files) {
    await s3.put(location.bucket, datedKey(file), readFileSync(join(outDir, file)), {
      contentType: contentTypeOf(file),
    });
  }
  const latestPrefix = `${keyUnder(location, cluster, "latest")}/`;
  const before = await s3.list(location.bucket, latestPrefix);
  for (const file of files) {
    await s3.put(location.bucket, latestKey(file), readFileSync(join(outDir, file)), {
      contentType: contentTypeOf(file),
    });
  }
  const manifest = {
    runId: run.runId,
    startedAt: run.startedAt.toISOString(),
    dated: s3Uri(location.bucket, `${keyUnder(location, cluster, day)}/`),
    files,
  };
  await s3.put(location.bucket, latestKey("manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`, {
    contentType: "application/json",
  });
  const keep = new Set([...files.map(latestKey), latestKey("manifest.json")]);
  for (const key of before) if (!keep.has(key)) await s3.delete(location.bucket, key);

  const delivered = {
    dated: manifest.dated,
    latest: s3Uri(location.bucket, latestPrefix),
    files: files.length,
  };
  logger.info("reports delivered to S3", delivered);
  return delivered;
}
