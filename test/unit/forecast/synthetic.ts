/** Synthetic hourly series for the forecast tests: seasonality, trend, noise and sales, all known. */
import { HOUR_MS, type HourlyPoint } from "../../../src/forecast/series.js";

/** Monday 2026-10-05 00:00 UTC. */
export const T0 = Date.parse("2026-10-05T00:00:00Z");

/** mulberry32: the same noise on every run. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A daily and weekly cycle around `level`: busy afternoons, quiet weekends. */
export function seasonal(t: number, level: number): number {
  const hour = t % 24;
  const day = Math.floor(t / 24) % 7;
  const daily = 1 + 0.5 * Math.sin((2 * Math.PI * (hour - 8)) / 24);
  const weekly = day >= 5 ? 0.7 : 1;
  return level * daily * weekly;
}

/** A sale: ramps linearly from 1 to `peak` over `rampHours`, holds, then ramps back down. */
export function saleFactor(t: number, start: number, hours: number, peak: number, rampHours: number): number {
  if (t < start || t >= start + hours) return 1;
  const into = t - start;
  const left = start + hours - 1 - t;
  const ramp = Math.min(1, (into + 1) / rampHours, (left + 1) / rampHours);
  return 1 + (peak - 1) * ramp;
}

export function points(values: readonly number[], startMs = T0, replicas = 4): HourlyPoint[] {
  return values.map((v, i) => ({
    hourMs: startMs + i * HOUR_MS,
    cpuCores: v,
    memoryBytes: v * 2 ** 30,
    replicas,
  }));
}
