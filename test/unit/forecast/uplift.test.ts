import { describe, expect, it } from "vitest";
import { loadMstl } from "../../../src/forecast/augurs.js";
import { DEFAULT_FORECAST } from "../../../src/forecast/model.js";
import { HOUR_MS, sumGrids, toGrid } from "../../../src/forecast/series.js";
import {
  backtestEvent,
  DEFAULT_MEASURE,
  type EventSpec,
  measureUplift,
  resolveUplift,
} from "../../../src/forecast/uplift.js";
import { points, random, saleFactor, seasonal, T0 } from "./synthetic.js";

// Two Friday sales, 08:00–20:00 UTC, ramping over 4 hours to 3× and holding through the daily peak
// (14:00): sale A in week 3, sale B (held out) in week 5, on a noisy weekly series with a trend.
const SALE_A = 2 * 168 + 4 * 24 + 8;
const SALE_B = 4 * 168 + 4 * 24 + 8;
const window = (start: number) => ({ startMs: T0 + start * HOUR_MS, endMs: T0 + (start + 12) * HOUR_MS });

function history(seed: number, level = 5, hours = 6 * 168): number[] {
  const noise = random(seed);
  return Array.from(
    { length: hours },
    (_, t) =>
      seasonal(t, level) *
      (1 + t / 5000) *
      saleFactor(t, SALE_A, 12, 3, 4) *
      saleFactor(t, SALE_B, 12, 3, 4) *
      (1 + (noise() - 0.5) * 0.06),
  );
}

describe("uplift measured from a past event", () => {
  it("measures a 3× sale within 10 % from a baseline fit on the weeks before it", async () => {
    const mstl = await loadMstl();
    const grid = toGrid("shop/Deployment/checkout", points(history(1)), (p) => p.cpuCores);
    const m = measureUplift(grid, window(SALE_A), DEFAULT_MEASURE, mstl);
    expect(m.status).toBe("ok");
    expect(Math.abs(m.uplift! - 3) / 3).toBeLessThan(0.1);
    expect(m.uplift).toBeCloseTo(m.observedPeak! / m.baselinePeak!, 12);
  });

  it("reproduces a held-out sale's peak within 10 % from the uplift of an earlier one", async () => {
    const mstl = await loadMstl();
    const grid = toGrid("shop/Deployment/checkout", points(history(2)), (p) => p.cpuCores);
    const a = measureUplift(grid, window(SALE_A), DEFAULT_MEASURE, mstl);
    const options = { ...DEFAULT_MEASURE, forecast: { ...DEFAULT_FORECAST, exclude: [window(SALE_A)] } };
    const b = backtestEvent(grid, window(SALE_B), a.uplift!, options, mstl);
    expect(b.status).toBe("ok");
    expect(Math.abs(b.error!)).toBeLessThan(0.1);
    expect(b.error).toBeCloseTo(b.predictedPeak! / b.observedPeak! - 1, 12);
    // the observed peak is the sale's: about 3 × the seasonal peak of that Friday
    expect(b.observedPeak! / (seasonal(SALE_B + 6, 5) * (1 + (SALE_B + 6) / 5000))).toBeGreaterThan(2.7);
  });

  it("says why it cannot measure a workload with too little history before the event", () => {
    const young = history(3).slice(SALE_A - 72);
    const grid = toGrid(
      "shop/Deployment/new",
      points(young, T0 + (SALE_A - 72) * HOUR_MS),
      (p) => p.cpuCores,
    );
    const m = measureUplift(grid, window(SALE_A));
    expect(m.status).toBe("insufficient_data");
    expect(m.reason).toBe("72 observed hours before the event; measuring needs 168");
  });

  it("measures the namespace's summed demand where a workload cannot be measured", () => {
    const young = history(3, 2).slice(SALE_A - 72);
    const grids = [
      toGrid("a", points(history(4, 5)), (p) => p.cpuCores),
      toGrid("b", points(young, T0 + (SALE_A - 72) * HOUR_MS), (p) => p.cpuCores),
    ];
    const ns = measureUplift(sumGrids(grids), window(SALE_A));
    expect(ns.status).toBe("ok");
    // seasonal naive on the sum: the week before has only workload a (b started 3 days before)
    expect(ns.uplift!).toBeGreaterThan(3);
    const event: EventSpec = {
      name: "sale",
      window: window(SALE_B),
      pastEvent: window(SALE_A),
      growth: 1.2,
      overrides: { namespaces: { batch: 1 }, workloads: { "shop/Deployment/checkout": 5 } },
    };
    const own = measureUplift(grids[1]!, window(SALE_A));
    const r = resolveUplift(event, { key: "shop/Deployment/new", namespace: "shop" }, own, ns);
    expect(r.source).toBe("measured-namespace");
    expect(r.factor).toBeCloseTo(ns.uplift! * 1.2, 12);
    expect(r.reason).toContain("72 observed hours before the event");
  });
});

describe("resolving a workload's factor", () => {
  const event: EventSpec = {
    name: "sale",
    window: window(SALE_B),
    uplift: 2,
    growth: 1.1,
    overrides: { namespaces: { batch: 1 }, workloads: { "shop/Deployment/checkout": 5 } },
  };
  const measured = {
    status: "ok" as const,
    uplift: 3,
    observedPeak: 30,
    baselinePeak: 10,
    model: "mstl" as const,
    reason: "r",
  };
  it("takes a workload override whole, before anything measured", () => {
    expect(
      resolveUplift(event, { key: "shop/Deployment/checkout", namespace: "shop" }, measured, measured),
    ).toMatchObject({ factor: 5, source: "workload-override" });
  });
  it("takes a namespace override whole: batch ×1 stays at its baseline, growth or not", () => {
    expect(resolveUplift(event, { key: "batch/Job/etl", namespace: "batch" }, measured, null)).toMatchObject({
      factor: 1,
      source: "namespace-override",
    });
  });
  it("multiplies a measured uplift by the growth, and falls back to the given uplift", () => {
    expect(
      resolveUplift(event, { key: "shop/Deployment/cart", namespace: "shop" }, measured, null).factor,
    ).toBeCloseTo(3.3, 12);
    expect(
      resolveUplift(event, { key: "shop/Deployment/cart", namespace: "shop" }, null, null),
    ).toMatchObject({ factor: 2.2, source: "given" });
    expect(
      resolveUplift({ ...event, uplift: undefined }, { key: "x/Deployment/y", namespace: "x" }, null, null),
    ).toMatchObject({ source: "none" });
  });
});
