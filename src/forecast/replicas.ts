/**
 * From each workload's event demand to the replicas it runs: its HPA followed hour by hour through
 * the window (at the planning quantile), the `minReplicas` that would hold the peak without the
 * HPA having to react, and what stands in the way: a `maxReplicas` below the peak, an HPA whose
 * pods have no request for its resource (it cannot compute a utilisation), a PDB that blocks the
 * evictions the scale-down after needs, a workload without HPA whose demand outgrows its requests.
 */
import type { WorkloadDemand } from "./demand.js";
import { disruptionsAllowed, followDemand, type Hpa, type Pdb, replicasFor } from "./hpa.js";

export interface WorkloadSpec {
  /** `namespace/Kind/name` */
  key: string;
  namespace: string;
  kind: string;
  name: string;
  /** The capacity pool its pods land on. */
  pool: string;
  /** Per pod; null when the pod template requests none. */
  cpuRequestCores: number | null;
  memoryRequestBytes: number | null;
  hpa: Hpa | null;
  pdb: Pdb | null;
  zoneSpread?: { maxSkew: number };
  antiAffinity?: "hostname" | "zone";
}

export type FlagKind =
  | "max-replicas-too-low"
  | "hpa-without-requests"
  | "pdb-blocks-scale-down"
  | "demand-over-requests"
  | "node-group-max-size"
  | "nodepool-limit"
  | "pods-unplaced"
  | "subnet-ips";

export interface Flag {
  kind: FlagKind;
  /** The workload key or the pool name. */
  subject: string;
  detail: string;
  needed?: number;
  limit?: number;
  /** For NodePool limits: which one. */
  resource?: "cpu" | "memory";
}

export interface WorkloadReplicas {
  key: string;
  /** Replicas now (the last hour observed). */
  current: number;
  /** Replicas hour by hour through the window, as the HPA would follow the demand. */
  hourly: number[];
  /** Replicas without the event: the HPA on the baseline's mean over the window. */
  normal: number;
  /**
   * Replicas at the peak: what the pre-scale holds and the simulation packs. Not capped by
   * `maxReplicas`: the plan raises a maximum that is too low (and flags it).
   */
  event: number;
  /** `minReplicas` for the window (null: no HPA to set it on). */
  minReplicas: number | null;
  /** `maxReplicas` for the window: the HPA's own, or the peak's need where that is higher. */
  maxReplicas: number | null;
  flags: Flag[];
}

const mean = (values: readonly number[]) => {
  const seen = values.filter((v) => !Number.isNaN(v));
  return seen.length ? seen.reduce((a, b) => a + b, 0) / seen.length : 0;
};

export function workloadReplicas(spec: WorkloadSpec, demand: WorkloadDemand): WorkloadReplicas {
  const current = Math.max(demand.lastReplicas, 0);
  const flags: Flag[] = [];
  const { hpa } = spec;
  if (!hpa) {
    const event = Math.max(current, 1);
    const request = spec.cpuRequestCores;
    if (request && demand.cpuCores.peakPlan > event * request)
      flags.push({
        kind: "demand-over-requests",
        subject: spec.key,
        detail: `no HPA: ${event} pods request ${(event * request).toFixed(2)} cores, the event's P${Math.round(demand.cpu.planQuantile * 100)} peak uses ${demand.cpuCores.peakPlan.toFixed(2)}`,
        needed: demand.cpuCores.peakPlan,
        limit: event * request,
      });
    return {
      key: spec.key,
      current,
      hourly: demand.cpuCores.plan.map(() => event),
      normal: event,
      event,
      minReplicas: null,
      maxReplicas: null,
      flags,
    };
  }
  const byCpu = hpa.resource === "cpu";
  const request = byCpu ? spec.cpuRequestCores : spec.memoryRequestBytes;
  const window = byCpu ? demand.cpuCores : demand.memoryBytes;
  if (!request) {
    flags.push({
      kind: "hpa-without-requests",
      subject: spec.key,
      detail: `HPA ${hpa.name} targets ${hpa.resource} utilisation but the pods request no ${hpa.resource}: it cannot compute a utilisation and will not scale`,
    });
    const held = Math.min(hpa.maxReplicas, Math.max(hpa.minReplicas, current));
    return {
      key: spec.key,
      current,
      hourly: window.plan.map(() => held),
      normal: held,
      event: held,
      minReplicas: null,
      maxReplicas: null,
      flags,
    };
  }
  const clamp = (n: number) => Math.min(hpa.maxReplicas, Math.max(hpa.minReplicas, n));
  const needed = replicasFor(window.peakPlan, request, hpa.targetUtilizationPercent);
  const maxReplicas = Math.max(hpa.maxReplicas, needed);
  const hourly = followDemand({ ...hpa, maxReplicas }, current, window.plan, request).map((s) => s.replicas);
  const minReplicas = Math.max(hpa.minReplicas, needed);
  const event = Math.max(minReplicas, ...hourly);
  const normal = clamp(replicasFor(mean(window.baseline), request, hpa.targetUtilizationPercent));
  if (needed > hpa.maxReplicas)
    flags.push({
      kind: "max-replicas-too-low",
      subject: spec.key,
      detail: `HPA ${hpa.name}: the event's P${Math.round(demand.cpu.planQuantile * 100)} peak needs ${needed} replicas at ${hpa.targetUtilizationPercent} % of the request, maxReplicas is ${hpa.maxReplicas}`,
      needed,
      limit: hpa.maxReplicas,
    });
  if (spec.pdb && disruptionsAllowed(spec.pdb, event) === 0)
    flags.push({
      kind: "pdb-blocks-scale-down",
      subject: spec.key,
      detail: `PDB ${spec.pdb.name} allows no eviction at ${event} replicas: nodes holding its pods cannot be drained after the event until it is relaxed`,
    });
  return { key: spec.key, current, hourly, normal, event, minReplicas, maxReplicas, flags };
}
