import type { Config } from "../config/schema.js";
import type { Logger } from "./logger.js";

/** Everything a service needs from the outside world, passed explicitly (STYLE.md 4). */
export interface Context {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly runId: string;
  readonly signal: AbortSignal;
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
