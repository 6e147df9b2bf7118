/**
 * Spot during the event: the event window's cost by capacity type (every pool's held capacity),
 * and the workloads that should not run on spot through it. Which workloads tolerate an
 * interruption is the spot analyzer's verdict (mart_spot_readiness: its rules, read as they are);
 * here only where the event puts them: a workload that is not spot-ready, in a pool whose held
 * capacity has spot nodes, is listed with the analyzer's reason.
 */
import type { PoolCapacity } from "./capacity.js";
import type { WorkloadSpec } from "./replicas.js";

/** A row of mart_spot_readiness, as the forecast reads it. */
export interface SpotVerdict {
  workloadKey: string;
  spotReady: boolean;
  status: string;
  reason: string;
}

export interface EventSpot {
  byCapacityType: {
    capacityType: string;
    eventWindowUsd: number;
    normalWindowUsd: number;
    eventShare: number;
  }[];
  keepOffSpot: { workload: string; pool: string; status: string; reason: string }[];
  caveat: string | null;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

export function eventSpot(
  specs: readonly Pick<WorkloadSpec, "key" | "pool">[],
  pools: readonly PoolCapacity[],
  verdicts: readonly SpotVerdict[],
  windowHours: number,
): EventSpot {
  const cost = new Map<string, { event: number; normal: number }>();
  for (const p of pools)
    for (const c of p.costs) {
      const t = cost.get(c.capacityType) ?? { event: 0, normal: 0 };
      t.event += c.eventUsdPerHour * windowHours;
      t.normal += c.normalUsdPerHour * windowHours;
      cost.set(c.capacityType, t);
    }
  const total = [...cost.values()].reduce((s, t) => s + t.event, 0);
  const byCapacityType = [...cost]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([capacityType, t]) => ({
      capacityType,
      eventWindowUsd: r2(t.event),
      normalWindowUsd: r2(t.normal),
      eventShare: total > 0 ? Math.round((t.event / total) * 1e4) / 1e4 : 0,
    }));
  const spotPools = new Set(
    pools.filter((p) => p.held.nodes.some((n) => n.capacityType === "spot")).map((p) => p.pool),
  );
  const verdictOf = new Map(verdicts.map((v) => [v.workloadKey, v]));
  const keepOffSpot = specs
    .filter((s) => spotPools.has(s.pool))
    .flatMap((s) => {
      const v = verdictOf.get(s.key);
      return v && !v.spotReady && v.status !== "not_eligible"
        ? [{ workload: s.key, pool: s.pool, status: v.status, reason: v.reason }]
        : [];
    })
    .sort((a, b) => (a.workload < b.workload ? -1 : 1));
  const spot = byCapacityType.find((c) => c.capacityType === "spot");
  return {
    byCapacityType,
    keepOffSpot,
    caveat: spot
      ? `${(spot.eventShare * 100).toFixed(1)} % of the event window's cost is spot, at the spot prices given: spot capacity can be reclaimed with two minutes' notice during the event (a sale raises everyone's demand for the same types) and its price moves`
      : null,
  };
}
