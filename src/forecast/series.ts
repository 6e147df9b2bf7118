/**
 * Hourly series as the forecast reads them: observations on a grid of whole UTC hours, gaps kept
 * as gaps (NaN), never filled with zeros.
 */
import { InputError } from "../core/errors.js";

export const HOUR_MS = 3_600_000;
export const DAY_HOURS = 24;
export const WEEK_HOURS = 168;

/** One hour of a workload: what it used (summed over its pods) and how many pods it ran. */
export interface HourlyPoint {
  /** Start of the hour, epoch milliseconds (UTC). */
  hourMs: number;
  cpuCores: number;
  memoryBytes: number;
  replicas: number;
}

/** Values on a regular hourly grid from `startMs`; NaN where the hour has no observation. */
export interface Grid {
  startMs: number;
  values: number[];
}

/** A window of time `[startMs, endMs)`. */
export interface Window {
  startMs: number;
  endMs: number;
}

/**
 * The points of one field on an hourly grid from the first to the last hour observed. Hours
 * missing from the input are NaN; a point not on a whole hour, or a repeated hour, is an error.
 */
export function toGrid(
  object: string,
  points: readonly HourlyPoint[],
  pick: (p: HourlyPoint) => number,
): Grid {
  if (!points.length) return { startMs: 0, values: [] };
  const sorted = [...points].sort((a, b) => a.hourMs - b.hourMs);
  const startMs = sorted[0]!.hourMs;
  const length = (sorted.at(-1)!.hourMs - startMs) / HOUR_MS + 1;
  const values = new Array<number>(length).fill(Number.NaN);
  for (const p of sorted) {
    if (p.hourMs % HOUR_MS !== 0) throw new InputError(object, "hourMs", `${p.hourMs} is not a whole hour`);
    const i = (p.hourMs - startMs) / HOUR_MS;
    if (!Number.isNaN(values[i]!))
      throw new InputError(object, "hourMs", `hour ${iso(p.hourMs)} appears twice`);
    const v = pick(p);
    if (!Number.isFinite(v) || v < 0) throw new InputError(object, "value", `${v} at ${iso(p.hourMs)}`);
    values[i] = v;
  }
  return { startMs, values };
}

/** The grid's hours inside the window, as indices `[from, to)` clamped to the grid. */
export function indicesOf(grid: Grid, window: Window): { from: number; to: number } {
  const at = (ms: number) => Math.ceil((ms - grid.startMs) / HOUR_MS);
  return {
    from: Math.min(grid.values.length, Math.max(0, at(window.startMs))),
    to: Math.min(grid.values.length, Math.max(0, at(window.endMs))),
  };
}

/** The grid with the hours of the windows blanked (NaN): known events left out of a fit. */
export function maskWindows(grid: Grid, windows: readonly Window[]): Grid {
  const values = [...grid.values];
  for (const w of windows) {
    const { from, to } = indicesOf(grid, w);
    for (let i = from; i < to; i++) values[i] = Number.NaN;
  }
  return { startMs: grid.startMs, values };
}

/** The grid's hours before `endMs`. */
export function before(grid: Grid, endMs: number): Grid {
  const { to } = indicesOf(grid, { startMs: grid.startMs, endMs });
  return { startMs: grid.startMs, values: grid.values.slice(0, to) };
}

/** Hour-by-hour sum of grids (a namespace of workloads); an hour no grid observed stays NaN. */
export function sumGrids(grids: readonly Grid[]): Grid {
  const withData = grids.filter((g) => g.values.length);
  if (!withData.length) return { startMs: 0, values: [] };
  const startMs = Math.min(...withData.map((g) => g.startMs));
  const endMs = Math.max(...withData.map((g) => g.startMs + g.values.length * HOUR_MS));
  const values = new Array<number>((endMs - startMs) / HOUR_MS).fill(Number.NaN);
  for (const g of withData) {
    const offset = (g.startMs - startMs) / HOUR_MS;
    g.values.forEach((v, i) => {
      if (Number.isNaN(v)) return;
      const at = offset + i;
      values[at] = Number.isNaN(values[at]!) ? v : values[at]! + v;
    });
  }
  return { startMs, values };
}

export const observed = (values: readonly number[]): number => values.filter((v) => !Number.isNaN(v)).length;

/** `2026-11-27T09:00:00Z` */
export const iso = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/**
 * A time with its zone (`2026-11-27T09:00:00Z`, `…+01:00`) as epoch milliseconds. A time without
 * a zone is refused: an event window must not depend on the machine's time zone.
 */
export function parseZonedTime(object: string, field: string, text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text))
    throw new InputError(object, field, `"${text}" needs a date, a time and a zone (Z or ±hh:mm)`);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new InputError(object, field, `"${text}" is not a valid time`);
  return ms;
}
