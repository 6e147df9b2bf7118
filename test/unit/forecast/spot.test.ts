/**
 * Spot during the event (spot.ts): the window's cost by capacity type summed over pools by hand,
 * and the workloads listed to keep off spot: not spot-ready by the spot analyzer's verdict, and in
 * a pool whose held capacity has spot nodes.
 */
import { describe, expect, it } from "vitest";
import type { PoolCapacity } from "../../../src/forecast/capacity.js";
import { eventSpot } from "../../../src/forecast/spot.js";

const pool = (name: string, capacityTypes: string[], costs: [string, number, number][]) =>
  ({
    pool: name,
    held: { nodes: capacityTypes.map((capacityType) => ({ capacityType })) },
    costs: costs.map(([capacityType, eventUsdPerHour, normalUsdPerHour]) => ({
      capacityType,
      eventUsdPerHour,
      normalUsdPerHour,
    })),
  }) as unknown as PoolCapacity;

const pools = [
  pool(
    "mixed",
    ["on-demand", "spot"],
    [
      ["on-demand", 2, 1],
      ["spot", 0.5, 0.25],
    ],
  ),
  pool("od", ["on-demand"], [["on-demand", 1.5, 1.5]]),
];
const specs = [
  { key: "shop/Deployment/web", pool: "mixed" },
  { key: "shop/StatefulSet/db", pool: "mixed" },
  { key: "shop/Deployment/api", pool: "od" },
  { key: "ops/DaemonSet/agent", pool: "mixed" },
];
const verdicts = [
  { workloadKey: "shop/Deployment/web", spotReady: true, status: "ready", reason: "every check passes" },
  { workloadKey: "shop/StatefulSet/db", spotReady: false, status: "at_risk", reason: "a StatefulSet" },
  { workloadKey: "shop/Deployment/api", spotReady: false, status: "not_ready", reason: "1 replica(s)" },
  { workloadKey: "ops/DaemonSet/agent", spotReady: false, status: "not_eligible", reason: "a DaemonSet" },
];

describe("spot during the event", () => {
  const spot = eventSpot(specs, pools, verdicts, 10);

  it("splits the window's cost by capacity type over the pools", () => {
    // on-demand: (2 + 1.5) × 10 = 35 (normally (1 + 1.5) × 10 = 25); spot: 0.5 × 10 = 5 (2.5); 5 of 40 = 12.5 %
    expect(spot.byCapacityType).toEqual([
      { capacityType: "on-demand", eventWindowUsd: 35, normalWindowUsd: 25, eventShare: 0.875 },
      { capacityType: "spot", eventWindowUsd: 5, normalWindowUsd: 2.5, eventShare: 0.125 },
    ]);
    expect(spot.caveat).toMatch(/^12\.5 % of the event window's cost is spot/);
  });

  it("lists the not-ready workloads of pools holding spot nodes, with the analyzer's reason, and no other", () => {
    // api is not ready but its pool holds no spot; the DaemonSet is not eligible: it follows its nodes
    expect(spot.keepOffSpot).toEqual([
      { workload: "shop/StatefulSet/db", pool: "mixed", status: "at_risk", reason: "a StatefulSet" },
    ]);
  });

  it("has no caveat without spot capacity", () => {
    expect(eventSpot(specs, [pools[1]!], verdicts, 10).caveat).toBeNull();
  });
});
