import type { Config } from "../config/schema.js";
import type { Logger } from "./logger.js";

/** Everything a service needs from the outside world, passed explicitly (STYLE.md 4). */
export interface Context {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly runId: string;
  readonly signal: AbortSignal;
  /** Where long work reports how far it is (a bar on a terminal, JSON lines in the CronJob); optional. */
  readonly progress?: Progress;
}

/** Progress of long work: a task's count so far, of a total when one is known, with counters (bytes). */
export interface Progress {
  update(task: string, done: number, total?: number, counters?: Record<string, number>): void;
  /** The task is over (its bar stops, its last line is written). */
  end(task: string): void;
}

/** Sortable, unique enough for one database: 20261122T093000Z-3f9a. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const suffix = Math.floor(random() * 0xffff)
    .toString(16)
    .padStart(4, "0");
  return `${stamp}-${suffix}`;
}
