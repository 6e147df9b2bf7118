/**
 * What smaller requests are worth in nodes: a pool's pods packed with their current requests and
 * again with the recommended ones, and the lower bound no packing can beat, so that the packer's
 * figures can be checked against it.
 */
import { packOnFargate } from "./fargate-packing.js";
import { poolShapes, toMillicores } from "./node-shapes.js";
import { pack } from "./packing.js";
import type { PackInput, PackResult, SimPod } from "./packing-types.js";
import type { DaemonSetPod } from "./pools.js";

export interface LowerBound {
  /**
   * No packing of these pods uses fewer nodes: per resource, the pods' total over the most any
   * allowed type offers after DaemonSets (rounded up), the largest of the three.
   */
  nodes: number;
  /**
   * No packing costs less per hour: per resource, the pods' total times the lowest price per unit
   * of it any allowed type offers, the largest of the three. On a pool of one type it is the
   * node bound times the type's price.
   */
  usdPerHour: number;
  /** The resource that gives the node bound: ties go to CPU, then memory. */
  binding: "cpu" | "memory" | "pods";
}

/** The lower bound of the pods on the pool (Fargate: one micro-VM per pod, exactly). */
export function lowerBound(input: PackInput): LowerBound {
  if (input.pool.kind === "fargate") {
    const r = packOnFargate(input);
    return { nodes: r.totals.nodes, usdPerHour: r.totals.usdPerHour, binding: "pods" };
  }
  const { shapes } = poolShapes(input.pool, input.catalogue, input.prices, input.nodeSettings);
  if (!shapes.length) return { nodes: 0, usdPerHour: 0, binding: "cpu" };
  const totals = { cpu: 0, memory: 0, pods: input.pods.length };
  for (const p of input.pods) {
    totals.cpu += toMillicores(p.cpuCores);
    totals.memory += Math.ceil(p.memoryBytes);
  }
  const free = {
    cpu: shapes.map((s) => s.free.cpuMillicores),
    memory: shapes.map((s) => s.free.memoryBytes),
    pods: shapes.map((s) => s.free.pods),
  };
  let best = { nodes: 0, usdPerHour: 0, binding: "cpu" as LowerBound["binding"] };
  for (const resource of ["cpu", "memory", "pods"] as const) {
    const most = Math.max(...free[resource]);
    const nodes = totals[resource] === 0 ? 0 : most <= 0 ? Infinity : Math.ceil(totals[resource] / most);
    const perUnit = Math.min(
      ...shapes.map((s, i) => (free[resource][i]! > 0 ? s.usdPerHour / free[resource][i]! : Infinity)),
    );
    const usd = totals[resource] === 0 ? 0 : totals[resource] * perUnit;
    if (nodes > best.nodes) best = { ...best, nodes, binding: resource };
    if (usd > best.usdPerHour) best.usdPerHour = usd;
  }
  return best;
}

/** A pod with the requests a right-sizing recommends for it. */
export interface RightsizedPod extends SimPod {
  recommendedCpuCores: number;
  recommendedMemoryBytes: number;
}

export interface RepackComparison {
  pool: string;
  /**
   * Who turns freed requests into fewer nodes: Karpenter consolidates under-used nodes
   * (`karpenter-empty-only`: the NodePool's `WhenEmpty` removes only nodes left empty), Cluster
   * Autoscaler removes nodes under its utilisation threshold whose pods fit elsewhere, nobody
   * removes nodes of a fixed group; Fargate bills the new size at once. The re-pack is what each
   * reaches at best.
   */
  autoscaler: "karpenter" | "karpenter-empty-only" | "cluster-autoscaler" | "none" | "fargate";
  before: PackResult;
  after: PackResult;
  lowerBoundBefore: LowerBound;
  lowerBoundAfter: LowerBound;
  /** Requests freed, summed over the pods and the DaemonSets of the nodes before (negative where recommendations grow). */
  freedCpuCores: number;
  freedMemoryBytes: number;
  nodesSaved: number;
  usdPerHourSaved: number;
}

/**
 * The pool packed with the pods' current requests and with the recommended ones; with
 * `daemonSetsAfter` (the pool's DaemonSets right-sized too), the second packing's nodes carry
 * those, and what they free on each node before counts in the freed figures.
 */
export function compareRepack(
  input: Omit<PackInput, "pods">,
  pods: readonly RightsizedPod[],
  daemonSetsAfter: readonly DaemonSetPod[] = input.pool.daemonSets,
): RepackComparison {
  const inputAfter = { ...input, pool: { ...input.pool, daemonSets: daemonSetsAfter } };
  const current: SimPod[] = pods.map(({ recommendedCpuCores: _, recommendedMemoryBytes: __, ...p }) => p);
  const recommended: SimPod[] = pods.map(({ recommendedCpuCores, recommendedMemoryBytes, ...p }) => ({
    ...p,
    cpuCores: recommendedCpuCores,
    memoryBytes: recommendedMemoryBytes,
  }));
  const before = pack({ ...input, pods: current });
  const after = pack({ ...inputAfter, pods: recommended });
  let freedMillicores = 0;
  let freedMemoryBytes = 0;
  const perNode = (list: readonly DaemonSetPod[]) =>
    list.reduce((t, d) => ({ cpu: t.cpu + toMillicores(d.cpuCores), memory: t.memory + d.memoryBytes }), {
      cpu: 0,
      memory: 0,
    });
  const dsBefore = perNode(input.pool.daemonSets);
  const dsAfter = perNode(daemonSetsAfter);
  freedMillicores += (dsBefore.cpu - dsAfter.cpu) * before.totals.nodes;
  freedMemoryBytes += (dsBefore.memory - dsAfter.memory) * before.totals.nodes;
  for (const p of pods) {
    freedMillicores += toMillicores(p.cpuCores) - toMillicores(p.recommendedCpuCores);
    freedMemoryBytes += p.memoryBytes - p.recommendedMemoryBytes;
  }
  const { pool } = input;
  return {
    pool: pool.name,
    autoscaler:
      pool.kind === "karpenter"
        ? pool.consolidationPolicy === "WhenEmpty"
          ? "karpenter-empty-only"
          : "karpenter"
        : pool.kind === "managed-node-group"
          ? pool.autoscaler
          : pool.kind === "fargate"
            ? "fargate"
            : "none",
    before,
    after,
    lowerBoundBefore: lowerBound({ ...input, pods: current }),
    lowerBoundAfter: lowerBound({ ...inputAfter, pods: recommended }),
    freedCpuCores: freedMillicores / 1000,
    freedMemoryBytes,
    nodesSaved: before.totals.nodes - after.totals.nodes,
    usdPerHourSaved: Math.round((before.totals.usdPerHour - after.totals.usdPerHour) * 1e6) / 1e6,
  };
}
