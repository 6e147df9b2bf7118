import { describe, expect, it } from "vitest";
import { loadMstl } from "../../../src/forecast/augurs.js";
import { DEFAULT_DEMAND, fitWorkload } from "../../../src/forecast/demand.js";
import { fitPool } from "../../../src/forecast/pool.js";
import { HOUR_MS } from "../../../src/forecast/series.js";
import type { EventSpec } from "../../../src/forecast/uplift.js";
import { points, random, seasonal, T0 } from "./synthetic.js";

const HOURS = 4 * 168;
const history = Array.from({ length: 7 }, (_, i) => {
  const noise = random(i + 1);
  return {
    key: `shop/Deployment/w${i}`,
    namespace: "shop",
    points: points(Array.from({ length: HOURS }, (_, t) => seasonal(t, 1 + i) * (1 + (noise() - 0.5) * 0.1))),
  };
});
const event: EventSpec = {
  name: "sale",
  window: { startMs: T0 + (HOURS + 8) * HOUR_MS, endMs: T0 + (HOURS + 20) * HOUR_MS },
  uplift: 2,
  growth: 1,
  overrides: { namespaces: {}, workloads: {} },
};

describe("fitting on worker threads", () => {
  it("gives exactly the fits one thread gives, in the workloads' order", async () => {
    const fitter = await loadMstl();
    const inTurn = history.map((w) => fitWorkload(w, event, DEFAULT_DEMAND, fitter));
    const pool = fitPool(2);
    try {
      const threaded = await pool.fitMany(history, event, DEFAULT_DEMAND);
      expect(threaded.map((f) => f.key)).toEqual(history.map((w) => w.key));
      expect(threaded).toEqual(inTurn);
      expect(threaded.some((f) => f.cpu.model === "mstl")).toBe(true);
    } finally {
      await pool.close();
    }
  }, 600_000);

  it("labels a workload outside the MSTL set as small, with no MSTL fit in its backtest", async () => {
    const fitter = await loadMstl();
    const options = { ...DEFAULT_DEMAND, mstlKeys: new Set([history[6]!.key]) };
    const small = fitWorkload(history[0]!, event, options, fitter);
    expect(small.cpu.model).toBe("seasonal-naive");
    expect(small.cpu.reason).toBe("seasonal naive (small: MSTL not tried)");
    expect(small.cpu.backtest?.mstl).toBeNull();
    const large = fitWorkload(history[6]!, event, options, fitter);
    expect(large.cpu.backtest?.mstl).not.toBeNull();
  }, 600_000);
});
