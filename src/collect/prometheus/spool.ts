/**
 * The answers of a collection on their way to the store, as NDJSON files: the hourly usage
 * answers as the JSON text Prometheus sent (never parsed here), the facts of each pod and
 * container, and each pod's workload. They are handed to the store in pieces of about `maxBytes`,
 * which DuckDB reads, joins and inserts itself (queries/store/load_prom_usage.sql): millions of
 * hourly points never become JS objects. A piece loads while the next one is written.
 */
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FactRow } from "./rows.js";

export type LoadSpool = (files: { usage: string; facts: string; pods: string }) => Promise<number>;

const SPOOL_PREFIX = "capacity-spool-";

/** Whether a process with this id still runs (signal 0 checks without sending anything). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the spool directories of collections whose process is gone (killed with SIGKILL, or
 * out of memory, before it could clean up): each directory carries its process id in its name.
 * Another collection's directory is left alone while its process runs. Returns what it removed.
 */
export function sweepStaleSpools(
  dir: string = tmpdir(),
  alive: (pid: number) => boolean = running,
): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of entries) {
    const pid = /^capacity-spool-(\d+)-/.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || alive(Number(pid))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export class Spool {
  /** A temporary directory of its own (named with this process's id), removed when the spool is finished or discarded. */
  private readonly dir: string;
  private piece = 0;
  private usage = -1;
  private facts = -1;
  private bytes = 0;
  private loading: Promise<void> = Promise.resolve();
  private loaded = 0;
  private failure: unknown;
  private readonly maxBytes: number;

  constructor(
    private readonly load: LoadSpool,
    options: { maxBytes?: number | undefined; tempDir?: string | undefined } = {},
  ) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    const temp = options.tempDir ?? tmpdir();
    sweepStaleSpools(temp);
    this.dir = mkdtempSync(join(temp, `${SPOOL_PREFIX}${process.pid}-`));
  }

  private path(kind: "usage" | "facts") {
    return join(this.dir, `${kind}-${this.piece}.ndjson`);
  }

  /** Every pod's workload, written once: every piece is joined to it. */
  pods(
    rows: ReadonlyArray<{ namespace: string; pod: string; workload_kind: string; workload_name: string }>,
  ): void {
    const fd = openSync(join(this.dir, "pods.ndjson"), "w");
    writeSync(fd, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
    closeSync(fd);
  }

  /**
   * One scope and day: its usage answers (each the text of a Prometheus matrix answer) and its
   * facts, written together.
   */
  add(
    dayEnd: number,
    answers: ReadonlyArray<readonly [column: string, text: string]>,
    facts: readonly FactRow[],
  ): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.usage < 0) {
      this.usage = openSync(this.path("usage"), "w");
      this.facts = openSync(this.path("facts"), "w");
    }
    for (const [column, answer] of answers) {
      // One answer per line: JSON has no line break outside whitespace, so spaces do as well.
      const text = answer.includes("\n") || answer.includes("\r") ? answer.replace(/[\r\n]/g, " ") : answer;
      // Written in three parts: the answer (up to a few MB) is not copied into a longer string.
      this.bytes += writeSync(
        this.usage,
        `{"day_end":${dayEnd},"column":${JSON.stringify(column)},"answer":`,
      );
      this.bytes += writeSync(this.usage, text);
      this.bytes += writeSync(this.usage, "}\n");
    }
    if (facts.length) writeSync(this.facts, `${facts.map((f) => JSON.stringify(f)).join("\n")}\n`);
    if (this.bytes >= this.maxBytes) this.hand();
  }

  /** Closes the current piece and queues its load after the ones before it. */
  private hand(): void {
    if (this.usage < 0) return;
    closeSync(this.usage);
    closeSync(this.facts);
    this.usage = this.facts = -1;
    this.bytes = 0;
    const files = {
      usage: this.path("usage"),
      facts: this.path("facts"),
      pods: join(this.dir, "pods.ndjson"),
    };
    this.piece++;
    this.loading = this.loading.then(async () => {
      this.loaded += await this.load(files);
      rmSync(files.usage, { force: true });
      rmSync(files.facts, { force: true });
    });
    // A failed load stops the collection at its next answer (add throws) and in finish(); nothing
    // after it is loaded.
    this.loading.catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** Loads what is left and waits for every piece; the rows loaded. */
  async finish(): Promise<number> {
    this.hand();
    try {
      await this.loading;
      return this.loaded;
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** Drops what was not loaded (after a failure elsewhere). */
  async discard(): Promise<void> {
    if (this.usage >= 0) {
      closeSync(this.usage);
      closeSync(this.facts);
      this.usage = this.facts = -1;
    }
    await this.loading.catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}
