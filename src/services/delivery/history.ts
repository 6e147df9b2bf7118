/**
 * The DuckDB history kept in S3 (`history.s3`): pulled before a command, pushed back after it,
 * and guarded by a lock object beside it (`<key>.lock`, created with a conditional put, so of two
 * runs exactly one gets it). The push is a conditional put on the version that was pulled: a run
 * that lost its lock, or finds that another run pushed meanwhile, pushes nothing, and a push that
 * fails leaves the previous history in S3 as it was (a PUT replaces an object whole or not at all).
 *
 * A lock older than `history.lockStaleHours` is left by a run that died without releasing it (a
 * pod OOM-killed or evicted): it is taken over, again conditionally on the stale lock's version,
 * and the log says so.
 */
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { pipeline } from "node:stream/promises";
import type { Context } from "../../core/context.js";
import {
  DeliveryError,
  isPreconditionFailed,
  type S3Location,
  type S3Store,
  s3Failure,
  s3Uri,
} from "./s3.js";

export interface LockBody {
  runId: string;
  host: string;
  acquiredAt: string;
}

export interface HistoryObjects {
  bucket: string;
  key: string;
  lockKey: string;
}

/** `s3://bucket/path/capacity.duckdb` → the history object and its lock beside it. */
export function historyObjects(location: S3Location): HistoryObjects {
  if (location.prefix === "") {
    throw new DeliveryError(
      `history.s3 must name an object (s3://${location.bucket}/path/capacity.duckdb), not a bucket`,
      "add the key of the DuckDB file to history.s3",
    );
  }
  return { bucket: location.bucket, key: location.prefix, lockKey: `${location.prefix}.lock` };
}

async function acquireLock(ctx: Context, s3: S3Store, objects: HistoryObjects): Promise<LockBody> {
  const lock: LockBody = { runId: ctx.runId, host: hostname(), acquiredAt: ctx.clock().toISOString() };
  const body = `${JSON.stringify(lock)}\n`;
  const lockUri = s3Uri(objects.bucket, objects.lockKey);
  try {
    await s3.putRaw(objects.bucket, objects.lockKey, body, {
      ifNoneMatch: "*",
      contentType: "application/json",
    });
    return lock;
  } catch (error) {
    if (!isPreconditionFailed(error)) throw s3Failure("PutObject", lockUri, error);
  }
  const held = await s3.get(objects.bucket, objects.lockKey);
  if (!held) {
    // Released between our put and our read: one more try, conditional as before.
    try {
      await s3.putRaw(objects.bucket, objects.lockKey, body, {
        ifNoneMatch: "*",
        contentType: "application/json",
      });
      return lock;
    } catch (error) {
      if (!isPreconditionFailed(error)) throw s3Failure("PutObject", lockUri, error);
      throw lockedError(lockUri, undefined, ctx.config.history.lockStaleHours);
    }
  }
  const holder = parseLock(held.body);
  const ageHours = holder ? (ctx.clock().getTime() - Date.parse(holder.acquiredAt)) / 3_600_000 : Number.NaN;
  if (!(ageHours >= ctx.config.history.lockStaleHours)) {
    throw lockedError(lockUri, holder, ctx.config.history.lockStaleHours);
  }
  try {
    await s3.putRaw(objects.bucket, objects.lockKey, body, {
      ifMatch: held.etag,
      contentType: "application/json",
    });
  } catch (error) {
    if (isPreconditionFailed(error)) throw lockedError(lockUri, undefined, ctx.config.history.lockStaleHours);
    throw s3Failure("PutObject", lockUri, error);
  }
  ctx.logger.warn("took over a stale history lock", {
    lock: lockUri,
    heldBy: holder?.runId ?? "unreadable",
    hours: Math.round(ageHours * 10) / 10,
  });
  return lock;
}

function parseLock(body: Uint8Array): LockBody | undefined {
  try {
    const value = JSON.parse(Buffer.from(body).toString("utf8")) as Partial<LockBody>;
    if (typeof value.runId === "string" && typeof value.acquiredAt === "string") {
      return { runId: value.runId, host: String(value.host ?? "?"), acquiredAt: value.acquiredAt };
    }
  } catch {
    // An unreadable lock counts as held, as of unknown age.
  }
  return undefined;
}

function lockedError(lockUri: string, holder: LockBody | undefined, staleHours: number): DeliveryError {
  const who = holder
    ? `run ${holder.runId} on ${holder.host} since ${holder.acquiredAt}`
    : "another run (its lock could not be read)";
  return new DeliveryError(
    `the history is locked by ${who}: another capacity run is writing it, so this one stops before changing anything`,
    `wait for that run to finish; if no run is alive (a pod killed before it released the lock), the lock is taken over once it is ${staleHours} hours old, or delete ${lockUri}`,
  );
}

/** Whether the lock is still this run's (another run may have taken it over as stale). */
async function stillHeld(
  s3: S3Store,
  objects: HistoryObjects,
  lock: LockBody,
  evenIfStopped = false,
): Promise<boolean> {
  const now = await s3.get(objects.bucket, objects.lockKey, evenIfStopped);
  return now !== undefined && parseLock(now.body)?.runId === lock.runId;
}

async function pull(
  ctx: Context,
  s3: S3Store,
  objects: HistoryObjects,
  localPath: string,
): Promise<string | undefined> {
  const uri = s3Uri(objects.bucket, objects.key);
  const found = await s3.getStream(objects.bucket, objects.key);
  if (!found) {
    ctx.logger.info(
      existsSync(localPath)
        ? "no history in S3 yet: this run starts from the local database and pushes it"
        : "no history in S3 yet: this run starts it",
      { history: uri },
    );
    return undefined;
  }
  const tmp = `${localPath}.pull-${process.pid}`;
  try {
    await pipeline(found.body, createWriteStream(tmp));
    rmSync(`${localPath}.wal`, { force: true });
    renameSync(tmp, localPath);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new DeliveryError(
      `pulling the history ${uri} to ${localPath} failed: ${String(error)}`,
      "check the free space of the database's folder",
      error,
    );
  }
  ctx.logger.info("history pulled from S3", { history: uri, bytes: statSync(localPath).size });
  return found.etag;
}

async function push(
  ctx: Context,
  s3: S3Store,
  objects: HistoryObjects,
  localPath: string,
  pulled: string | undefined,
  lock: LockBody,
): Promise<void> {
  const uri = s3Uri(objects.bucket, objects.key);
  if (existsSync(`${localPath}.wal`)) {
    throw new DeliveryError(
      `the database ${localPath} still has a write-ahead log after closing: the history was not pushed to ${uri}`,
      "run the command again; S3 keeps the previous history",
    );
  }
  if (!(await stillHeld(s3, objects, lock))) {
    throw new DeliveryError(
      `this run lost the history lock ${s3Uri(objects.bucket, objects.lockKey)} (taken over as stale): the history was not pushed, S3 keeps the previous one`,
      "lower how long a run takes, or raise history.lockStaleHours above the CronJob's activeDeadlineSeconds",
    );
  }
  try {
    await s3.putFile(
      objects.bucket,
      objects.key,
      localPath,
      pulled ? { ifMatch: pulled } : { ifNoneMatch: "*" },
    );
  } catch (error) {
    if (isPreconditionFailed(error)) {
      throw new DeliveryError(
        `the history ${uri} changed in S3 while this run held the lock: not overwritten, S3 keeps the other version`,
        "run the command again: it starts from the history now in S3",
      );
    }
    const failure = s3Failure("PutObject", uri, error);
    throw new DeliveryError(
      `${failure.message}: the history was not pushed, S3 keeps the previous one`,
      failure.hint ?? "",
      error,
    );
  }
  ctx.logger.info("history pushed to S3", { history: uri, bytes: statSync(localPath).size });
}

/**
 * Runs `work` (which opens and closes the local database) between a pull and a push of the
 * history, holding the lock throughout. `work` failing pushes nothing; the lock is released in
 * every case it is still ours.
 */
export async function withS3History<T>(
  ctx: Context,
  s3: S3Store,
  location: S3Location,
  localPath: string,
  work: () => Promise<T>,
  options: { write: boolean },
): Promise<T> {
  const objects = historyObjects(location);
  if (!options.write) {
    // Reading commands (report, forecast) take no lock: they read the last pushed history.
    await pull(ctx, s3, objects, localPath);
    return work();
  }
  const lock = await acquireLock(ctx, s3, objects);
  try {
    const pulled = await pull(ctx, s3, objects, localPath);
    const result = await work();
    await push(ctx, s3, objects, localPath, pulled, lock);
    return result;
  } finally {
    // Released even after SIGTERM (the run rolled back): the next run need not wait for it to go stale.
    if (await stillHeld(s3, objects, lock, true).catch(() => false)) {
      await s3.delete(objects.bucket, objects.lockKey, true).catch((error: unknown) =>
        ctx.logger.warn("could not release the history lock", {
          lock: s3Uri(objects.bucket, objects.lockKey),
          error: String(error),
          fix: "it is taken over once stale; or delete it",
        }),
      );
    }
  }
}
