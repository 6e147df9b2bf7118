import { describe, expect, it } from "vitest";
import { peakHours } from "../../../src/forecast/accuracy.js";
import { loadMstl } from "../../../src/forecast/augurs.js";
import { calibrated, calibration } from "../../../src/forecast/calibrate.js";
import { DEFAULT_FORECAST, forecastSeries } from "../../../src/forecast/model.js";
import { HOUR_MS } from "../../../src/forecast/series.js";
import { random, seasonal, T0 } from "./synthetic.js";

describe("split conformal calibration", () => {
  it("takes the interval from the finite-sample ranks of the relative errors", () => {
    // 39 errors of -19 % … +19 %: at 80 %, ranks ⌊40 × 0.1⌋ = 4 and ⌈40 × 0.9⌉ = 36 of the sorted scores.
    const point = Array.from({ length: 39 }, () => 10);
    const actual = point.map((p, i) => p * (1 + (i - 19) / 100));
    const c = calibration(actual, point, 0.8)!;
    expect(c.scores).toBe(39);
    expect(c.lower).toBeCloseTo(-0.16, 12);
    expect(c.upper).toBeCloseTo(0.16, 12);
    const f = calibrated({ point: [5, 0], lower: [5, 0], upper: [5, 0], level: 0.8 }, c);
    expect(f.lower[0]).toBeCloseTo(4.2, 12);
    expect(f.upper[0]).toBeCloseTo(5.8, 12);
    expect(f.lower[1]).toBe(0);
  });

  it("keeps the model's interval below 24 observed errors, and skips gaps and zero points", () => {
    const point = Array.from({ length: 30 }, (_, i) => (i < 7 ? 0 : 1));
    const actual = point.map((_, i) => (i % 5 === 0 ? Number.NaN : 1.1));
    expect(calibration(actual, point, 0.8)).toBeNull();
  });

  it("covers about its level of a later week's peak hours, where MSTL's own interval covers far less", async () => {
    const fitter = await loadMstl();
    const level = 0.8;
    const tally = { calibrated: 0, raw: 0, hours: 0 };
    for (let seed = 1; seed <= 12; seed++) {
      const noise = random(seed);
      // Noisy demand: 15 % multiplicative noise on a daily and weekly cycle, six weeks.
      const values = Array.from(
        { length: 6 * 168 },
        (_, t) => seasonal(t, 2 + seed / 4) * (1 + 0.15 * (noise() + noise() + noise() - 1.5)),
      );
      const history = { startMs: T0, values: values.slice(0, 5 * 168) };
      const actual = values.slice(5 * 168);
      const until = T0 + 6 * 168 * HOUR_MS;
      const run = (calibrate: boolean) =>
        forecastSeries(history, until, { ...DEFAULT_FORECAST, calibrate }, fitter);
      const [withCalibration, without] = [run(true), run(false)];
      expect(withCalibration.calibratedFrom).toBe(168);
      expect(without.calibratedFrom).toBeNull();
      for (const i of peakHours(actual, 0.1)) {
        const inside = (f: typeof without) =>
          actual[i]! >= f.forecast.lower[i]! && actual[i]! <= f.forecast.upper[i]!;
        tally.hours++;
        if (inside(withCalibration)) tally.calibrated++;
        if (inside(without)) tally.raw++;
      }
    }
    const coverage = tally.calibrated / tally.hours;
    expect(coverage).toBeGreaterThan(level - 0.12);
    expect(coverage).toBeLessThan(0.97);
    // Measured here: 79 % calibrated, 44 % with the models' own intervals (204 peak hours).
    expect(tally.raw / tally.hours).toBeLessThan(level - 0.15);
  }, 600_000);
});
