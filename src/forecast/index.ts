/**
 * The forecast of one event, end to end over plain data: demand per workload (backtested model ×
 * uplift), replicas through each HPA, nodes and dollars per pool through the simulator, and the
 * pre-scale plan. The caller (a service) reads the history, the workloads and the pools from the
 * store and hands them in; nothing here reads a file but augurs' WebAssembly, loaded on first use.
 */
import { loadMstl, type MstlFitter } from "./augurs.js";
import { type CapacityInput, clusterCapacity, type PoolCapacity } from "./capacity.js";
import {
  DEFAULT_DEMAND,
  type DemandOptions,
  type DemandResult,
  forecastDemand,
  type WorkloadFit,
  type WorkloadHistory,
} from "./demand.js";
import { type EventBacktestResult, eventBacktest } from "./event-backtest.js";
import { IP_ASSUMPTION, ipCheck, type ZoneIps, type ZoneSubnets } from "./ips.js";
import { type PlanInput, type PrescalePlan, prescalePlan } from "./plan.js";
import { type Flag, type WorkloadReplicas, type WorkloadSpec, workloadReplicas } from "./replicas.js";
import { HOUR_MS } from "./series.js";
import { type EventSpot, eventSpot, type SpotVerdict } from "./spot.js";
import type { EventSpec } from "./uplift.js";

export interface ForecastInput {
  event: EventSpec;
  history: readonly WorkloadHistory[];
  workloads: readonly WorkloadSpec[];
  capacity: Omit<CapacityInput, "windowHours">;
  plan: Pick<PlanInput, "marginMinutes" | "clusterName" | "samples" | "manifests" | "nodeClassRefs">;
  demand?: Partial<Omit<DemandOptions, "memoryModelled">>;
  /** Free IPv4 addresses of the cluster's subnets per zone; null when they were not read (why: `subnetsNote`). */
  subnets?: readonly ZoneSubnets[] | null;
  subnetsNote?: string;
  /** The spot analyzer's verdict per workload (mart_spot_readiness). */
  spotVerdicts?: readonly SpotVerdict[];
}

/** Fits every workload elsewhere (worker threads: `pool.ts`); without one they are fit in turn here. */
export type FitMany = (
  history: readonly WorkloadHistory[],
  event: EventSpec,
  options: DemandOptions,
) => Promise<WorkloadFit[]>;

export interface ForecastEngine {
  fitter?: MstlFitter;
  fitMany?: FitMany;
}

export interface ForecastResult {
  demand: DemandResult;
  /** The forecast checked on the past event without seeing it. */
  eventBacktest: EventBacktestResult;
  replicas: WorkloadReplicas[];
  pools: PoolCapacity[];
  plan: PrescalePlan;
  /** Every flag, workloads' then pools'. */
  flags: Flag[];
  totals: { eventWindowUsd: number; normalWindowUsd: number; deltaUsd: number };
  /** The event's addresses against each zone's free ones (empty when the subnets were not read). */
  ips: { zones: ZoneIps[]; assumption: string; note: string | null };
  /** The window's cost by capacity type, and the workloads to keep off spot through it. */
  spot: EventSpot;
  /** What the figures rest on, in words. */
  caveats: string[];
}

export async function runForecast(
  input: ForecastInput,
  engine: ForecastEngine | MstlFitter = {},
): Promise<ForecastResult> {
  const { fitter, fitMany }: ForecastEngine = "forecast" in engine ? { fitter: engine } : engine;
  const mstl = fitter ?? (await loadMstl());
  const { event } = input;
  const memoryModelled = new Set(
    input.workloads.filter((w) => w.hpa?.resource === "memory").map((w) => w.key),
  );
  const options: DemandOptions = { ...DEFAULT_DEMAND, ...input.demand, memoryModelled };
  const fits = fitMany ? await fitMany(input.history, event, options) : undefined;
  const demand = forecastDemand(input.history, event, options, mstl, fits);
  const byKey = new Map(demand.workloads.map((d) => [d.key, d]));
  const caveats: string[] = [];
  const specs = input.workloads.filter((w) => byKey.get(w.key)?.cpu.status === "ok");
  const missing = input.workloads.length - specs.length;
  if (missing)
    caveats.push(`${missing} workloads have too little history to forecast; their pods are not counted`);
  const replicas = specs.map((s) => workloadReplicas(s, byKey.get(s.key)!));
  const replicasByKey = new Map(replicas.map((r) => [r.key, r]));
  const windowHours = (event.window.endMs - event.window.startMs) / HOUR_MS;
  const pools = clusterCapacity(specs, replicasByKey, { ...input.capacity, windowHours });
  const poolByName = new Map(input.capacity.pools.map((p) => [p.name, p]));
  const plan = prescalePlan({
    ...input.plan,
    event: { name: event.name, window: event.window },
    workloads: specs.map((spec) => ({ spec, replicas: replicasByKey.get(spec.key)! })),
    pools: pools.map((capacity) => ({ pool: poolByName.get(capacity.pool)!, capacity })),
  });
  const ips = ipCheck(pools, input.subnets ?? [], input.capacity.catalogue);
  for (const f of ips.flags)
    plan.steps.unshift({ atMs: null, phase: "before", action: `${f.subject}: ${f.detail}` });
  const ipsNote = input.subnets?.length
    ? null
    : `free IP addresses not checked: ${input.subnetsNote ?? "the cluster's subnets were not read"}`;
  if (ipsNote) caveats.push(ipsNote);
  const spot = eventSpot(specs, pools, input.spotVerdicts ?? [], windowHours);
  for (const w of spot.keepOffSpot)
    plan.steps.push({
      atMs: null,
      phase: "before",
      action: `${w.workload}: keep off spot through the event (pool ${w.pool} holds spot nodes): ${w.reason}`,
    });
  if (spot.caveat) caveats.push(spot.caveat);
  const sum = (pick: (p: PoolCapacity) => number) =>
    Math.round(pools.reduce((s, p) => s + pick(p), 0) * 1e6) / 1e6;
  return {
    demand,
    eventBacktest: eventBacktest(input.history, event, options, mstl),
    replicas,
    pools,
    plan,
    flags: [...replicas.flatMap((r) => r.flags), ...pools.flatMap((p) => p.flags), ...ips.flags],
    totals: {
      eventWindowUsd: sum((p) => p.eventWindowUsd),
      normalWindowUsd: sum((p) => p.normalWindowUsd),
      deltaUsd: sum((p) => p.deltaUsd),
    },
    ips: { zones: ips.zones, assumption: IP_ASSUMPTION, note: ipsNote },
    spot,
    caveats,
  };
}
