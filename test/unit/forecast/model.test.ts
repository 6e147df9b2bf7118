import { describe, expect, it } from "vitest";
import { loadMstl } from "../../../src/forecast/augurs.js";
import { backtest, DEFAULT_FORECAST, forecastSeries } from "../../../src/forecast/model.js";
import { seasonalNaive } from "../../../src/forecast/naive.js";
import { HOUR_MS, toGrid } from "../../../src/forecast/series.js";
import { points, random, seasonal, T0 } from "./synthetic.js";

describe("seasonal naive", () => {
  it("repeats last week hour for hour, across a horizon longer than a week", () => {
    const week = Array.from({ length: 168 }, (_, t) => seasonal(t, 2));
    const values = [...week.map((v) => v * 0.5), ...week];
    const f = seasonalNaive(values, 200, 0.8);
    for (let h = 0; h < 200; h++) expect(f.point[h]).toBe(week[h % 168]);
    expect(f.fromYesterday).toBe(0);
    expect(f.missing).toBe(0);
  });

  it("falls back to the same hour yesterday where last week's hour is a gap, and counts it", () => {
    const values = Array.from({ length: 336 }, (_, t) => t);
    values[336 - 168 + 5] = Number.NaN;
    const f = seasonalNaive(values, 24, 0.8);
    expect(f.point[4]).toBe(336 - 168 + 4);
    expect(f.point[5]).toBe(336 - 24 + 5);
    expect(f.fromYesterday).toBe(1);
  });

  it("uses yesterday when less than a week is known", () => {
    const values = Array.from({ length: 48 }, (_, t) => (t % 24) * 3);
    const f = seasonalNaive(values, 30, 0.8);
    expect(f.point).toEqual(Array.from({ length: 30 }, (_, h) => (h % 24) * 3));
    expect(f.fromYesterday).toBe(30);
  });

  it("takes its interval from the quantiles of its own week-on-week errors", () => {
    // week-on-week errors: +0.5 (week 2 over 1) and -1 (week 3 over 2), 168 each; the first
    // week's day-on-day errors are 0: the 10th and 90th percentiles are exactly -1 and +0.5
    const values = Array.from(
      { length: 504 },
      (_, t) => 10 + (t >= 168 ? (Math.floor(t / 168) % 2 ? 1 : -1) * 0.5 : 0),
    );
    const f = seasonalNaive(values, 24, 0.8);
    const errors = [];
    for (let t = 168; t < 504; t++) errors.push(values[t]! - values[t - 168]!);
    expect(new Set(errors)).toEqual(new Set([0.5, -1]));
    expect(f.lower[0]).toBeCloseTo(f.point[0]! - 1, 9);
    expect(f.upper[0]).toBeCloseTo(f.point[0]! + 0.5, 9);
  });
});

describe("the demand model", () => {
  it("is exact on a purely weekly series and says seasonal naive when MSTL is not asked for", () => {
    const values = Array.from({ length: 4 * 168 }, (_, t) => seasonal(t, 3));
    const grid = toGrid("w", points(values), (p) => p.cpuCores);
    const f = forecastSeries(grid, T0 + (4 * 168 + 48) * HOUR_MS);
    expect(f.model).toBe("seasonal-naive");
    expect(f.forecast.point).toHaveLength(48);
    for (let h = 0; h < 48; h++) expect(f.forecast.point[h]).toBe(values[3 * 168 + h]);
    expect(f.backtest!.naive.wape).toBe(0);
    expect(f.backtest!.naive.mape).toBe(0);
    expect(f.reason).toContain("MSTL not requested");
  });

  it("chooses MSTL over seasonal naive on a noisy seasonal series with a trend, as its backtest reports", async () => {
    const mstl = await loadMstl();
    const noise = random(7);
    const values = Array.from(
      { length: 5 * 168 },
      (_, t) => seasonal(t, 4) * (1 + t / 840) + (noise() - 0.5) * 3,
    );
    const grid = toGrid("w", points(values.map((v) => Math.max(0, v))), (p) => p.cpuCores);
    const bt = backtest(grid, 0.8, DEFAULT_FORECAST, mstl)!;
    expect(bt.mstl).not.toBeNull();
    expect(bt.mstl!.wape!).toBeLessThan(bt.naive.wape!);
    const f = forecastSeries(grid, grid.startMs + (5 * 168 + 24) * HOUR_MS, DEFAULT_FORECAST, mstl);
    expect(f.model).toBe("mstl");
    expect(f.backtest!.improvement).toBeCloseTo(1 - bt.mstl!.wape! / bt.naive.wape!, 12);
    expect(f.reason).toMatch(/^MSTL: WAPE on peak hours/);
    // the planning bound sits above the point forecast
    for (const [i, p] of f.forecast.point.entries()) expect(f.forecast.upper[i]!).toBeGreaterThanOrEqual(p);
  });

  it("says insufficient data below a day of history", () => {
    const grid = toGrid("w", points([1, 2, 3]), (p) => p.cpuCores);
    const f = forecastSeries(grid, T0 + 10 * HOUR_MS);
    expect(f.status).toBe("insufficient_data");
    expect(f.reason).toContain("3 observed hours");
  });
});
