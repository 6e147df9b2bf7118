/**
 * What can be wrong with a database file before a run is written to it, each said with the path
 * and what to do: not a DuckDB file (checked on the file's own header, before DuckDB opens it),
 * held by another process (DuckDB's lock), unreadable or corrupt (a block that fails its checksum
 * when every table is read). A file that fails any of these is left as it was.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { CapacityError, errorMessage } from "../core/errors.js";

export class StoreError extends CapacityError {}

/** DuckDB's files carry "DUCK" at byte 8 (after the header's checksum). */
const MAGIC = "DUCK";
const MAGIC_OFFSET = 8;

/** A DuckDB file header, or nothing (a new file): anything else is refused before DuckDB opens it. */
export function checkHeader(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // not there yet: DuckDB creates it
  }
  if (size === 0) return;
  const header = Buffer.alloc(MAGIC_OFFSET + MAGIC.length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.subarray(MAGIC_OFFSET).toString("latin1") !== MAGIC) {
    throw new StoreError(`${path} is not a DuckDB database file`, {
      hint: "point --database (or `database:` in the config) at capacity's file, or at a new path to start a new one; the file was not changed",
    });
  }
}

/** DuckDB's refusal to open a file, said as what it means. */
export function openError(path: string, error: unknown): StoreError {
  const text = errorMessage(error);
  // DuckDB has no error code for these: its IO errors are told apart by their fixed wording.
  if (/Could not set lock on file/.test(text)) {
    const holder = /\(PID (\d+)\)/.exec(text)?.[1];
    return new StoreError(
      `${path} is in use by another process${holder ? ` (PID ${holder})` : ""}: DuckDB allows one writer at a time`,
      {
        hint: "wait for that process to finish (another capacity run, or a DuckDB shell left open), then run again",
        cause: error,
      },
    );
  }
  if (/not a valid DuckDB database file/.test(text)) {
    return new StoreError(`${path} is not a DuckDB database file`, {
      hint: "point --database at capacity's file, or at a new path to start a new one",
      cause: error,
    });
  }
  if (/Permission denied|Read-only file system/i.test(text)) {
    return new StoreError(`${path} cannot be opened for writing: ${text}`, {
      hint: "give the user running capacity write access to the file and its folder, or point --database elsewhere",
      cause: error,
    });
  }
  return corrupt(path, error);
}

/** A file DuckDB could not read whole: restore it or start anew; never append to it. */
export function corrupt(path: string, error: unknown): StoreError {
  return new StoreError(`${path} is damaged and was not changed: ${errorMessage(error)}`, {
    hint: `restore it from a backup, or start a new file (move ${path} aside, or point --database at a new path); capacity never appends a run to a damaged file`,
    cause: error,
  });
}
