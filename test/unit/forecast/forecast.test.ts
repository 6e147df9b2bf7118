import { describe, expect, it } from "vitest";
import { runForecast } from "../../../src/forecast/index.js";
import type { WorkloadSpec } from "../../../src/forecast/replicas.js";
import { HOUR_MS } from "../../../src/forecast/series.js";
import { catalogue, nodeGroup, nodePool, prices } from "../eks/packing-helpers.js";
import { points, random, saleFactor, seasonal, T0 } from "./synthetic.js";

// Five weeks of history with a 3× Friday sale in week 3; the event is the Friday after the history.
const SALE = 2 * 168 + 4 * 24 + 8;
const HOURS = 5 * 168;
const EVENT = HOURS + 4 * 24 + 8;
const at = (h: number) => T0 + h * HOUR_MS;

function series(seed: number, level: number): number[] {
  const noise = random(seed);
  return Array.from(
    { length: HOURS },
    (_, t) => seasonal(t, level) * saleFactor(t, SALE, 12, 3, 4) * (1 + (noise() - 0.5) * 0.04),
  );
}

const spec = (name: string, pool: string, over: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  key: `shop/Deployment/${name}`,
  namespace: "shop",
  kind: "Deployment",
  name,
  pool,
  cpuRequestCores: 0.5,
  memoryRequestBytes: 2 ** 30,
  hpa: { name, minReplicas: 2, maxReplicas: 40, resource: "cpu", targetUtilizationPercent: 70 },
  pdb: null,
  ...over,
});

describe("a forecast end to end", () => {
  it("measures the sale, flags the planted limits and plans the pre-scale, every figure from the data", async () => {
    const history = [
      { key: "shop/Deployment/checkout", namespace: "shop", points: points(series(1, 4)) },
      { key: "shop/Deployment/search", namespace: "shop", points: points(series(2, 2)) },
    ];
    const workloads = [
      spec("checkout", "general", {
        hpa: {
          name: "checkout",
          minReplicas: 2,
          maxReplicas: 10,
          resource: "cpu",
          targetUtilizationPercent: 70,
        },
      }),
      spec("search", "ng"),
    ];
    const result = await runForecast({
      event: {
        name: "sale",
        window: { startMs: at(EVENT), endMs: at(EVENT + 12) },
        pastEvent: { startMs: at(SALE), endMs: at(SALE + 12) },
        growth: 1,
        overrides: { namespaces: {}, workloads: {} },
      },
      history,
      workloads,
      capacity: {
        pools: [
          nodePool({ name: "general", requirements: { instanceTypes: ["m5.xlarge"] } }),
          nodeGroup("m5.xlarge", { maxSize: 2 }),
        ],
        catalogue,
        prices,
        zoneLossHeadroom: true,
      },
      plan: { marginMinutes: 15, clusterName: "prod" },
    });
    const checkout = result.demand.workloads[0]!;
    expect(checkout.uplift.source).toBe("measured-workload");
    expect(Math.abs(checkout.uplift.factor - 3) / 3).toBeLessThan(0.1);
    // checkout's Friday peak ≈ 4 × 1.5 × 3 = 18 cores: ÷ (0.5 × 70 %) ≈ 52 replicas, max 10
    const flagged = result.flags.map((f) => `${f.kind} ${f.subject}`);
    expect(flagged).toContain("max-replicas-too-low shop/Deployment/checkout");
    expect(flagged).toContain("node-group-max-size ng");
    const r = result.replicas[0]!;
    expect(r.minReplicas).toBe(Math.ceil(checkout.cpuCores.peakPlan / 0.35 - 1e-9));
    expect(result.totals.eventWindowUsd).toBeCloseTo(
      result.pools.reduce((s, p) => s + p.held.totals.usdPerHour * 12, 0),
      6,
    );
    expect(result.totals.deltaUsd).toBeGreaterThan(0);
    expect(result.plan.yaml.cronJobs).toContain("prescale-sale-raise");
    expect(result.plan.commands.prescale.some((c) => c.includes("--nodegroup-name ng"))).toBe(true);
    expect(result.demand.accuracy.workloads).toBe(2);
  });
});
