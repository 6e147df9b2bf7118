/**
 * The event's pods on the cluster's pools, through the node simulator (`src/core/eks/`): per pool,
 * the pods at normal replicas and at the event's, the latter with room for losing one zone
 * (each workload's pods × Z ÷ (Z − 1) on a pool of Z ≥ 2 zones, so that the other zones still hold
 * them all). Packed without the pool's limits, to see what the peak needs, then compared with them:
 * node group max sizes and NodePool `limits` the peak exceeds are flagged. Priced per capacity
 * type over the window, against the same window at normal replicas.
 */
import type { CapacityType, InstancePrice, InstanceType, NodeSettings } from "../core/eks/instance-types.js";
import { poolShapes } from "../core/eks/node-shapes.js";
import { pack } from "../core/eks/packing.js";
import type { FargatePricing, PackResult, SimPod } from "../core/eks/packing-types.js";
import type { Pool } from "../core/eks/pools.js";
import { InputError } from "../core/errors.js";
import type { Flag, WorkloadReplicas, WorkloadSpec } from "./replicas.js";

export interface CapacityInput {
  pools: readonly Pool[];
  catalogue: readonly InstanceType[];
  /** Hourly node prices (on-demand, and spot where a pool may launch it). */
  prices: readonly InstancePrice[];
  fargate?: FargatePricing;
  nodeSettings?: NodeSettings;
  /** Hold room for losing one zone. */
  zoneLossHeadroom: boolean;
  windowHours: number;
}

export interface CapacityTypeCost {
  capacityType: CapacityType | "fargate";
  eventUsdPerHour: number;
  normalUsdPerHour: number;
}

export interface PoolCapacity {
  pool: string;
  kind: Pool["kind"];
  normal: PackResult;
  /** The event's pods without zone headroom. */
  event: PackResult;
  /** The event's pods with zone headroom: what to hold through the window. */
  held: PackResult;
  /** Pods added for zone headroom. */
  headroomPods: number;
  costs: CapacityTypeCost[];
  eventWindowUsd: number;
  normalWindowUsd: number;
  deltaUsd: number;
  normalWeekUsd: number;
  flags: Flag[];
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The pool without its size and NodePool limits, to see what the pods need. */
export function unlimited(pool: Pool): Pool {
  switch (pool.kind) {
    case "managed-node-group":
      return { ...pool, maxSize: Number.MAX_SAFE_INTEGER };
    case "nodes":
      return { ...pool, maxSize: null };
    case "karpenter":
      return { ...pool, limits: {} };
    case "fargate":
      return pool;
  }
}

function podsOf(specs: readonly WorkloadSpec[], replicas: ReadonlyMap<string, number>): SimPod[] {
  const pods: SimPod[] = [];
  for (const s of specs) {
    const n = replicas.get(s.key) ?? 0;
    for (let i = 0; i < n; i++)
      pods.push({
        name: `${s.key}-${i}`,
        group: s.key,
        cpuCores: s.cpuRequestCores ?? 0,
        memoryBytes: s.memoryRequestBytes ?? 0,
        ...(s.zoneSpread ? { zoneSpread: s.zoneSpread } : {}),
        ...(s.antiAffinity ? { antiAffinity: s.antiAffinity } : {}),
      });
  }
  return pods;
}

function byCapacityType(r: PackResult): Map<CapacityTypeCost["capacityType"], number> {
  const m = new Map<CapacityTypeCost["capacityType"], number>();
  for (const n of r.nodes) m.set(n.capacityType, (m.get(n.capacityType) ?? 0) + n.usdPerHour);
  return m;
}

function limitFlags(pool: Pool, held: PackResult, input: CapacityInput): Flag[] {
  const flags: Flag[] = [];
  const maxSize =
    pool.kind === "managed-node-group" ? pool.maxSize : pool.kind === "nodes" ? pool.maxSize : null;
  if (maxSize !== null && held.totals.nodes > maxSize)
    flags.push({
      kind: "node-group-max-size",
      subject: pool.name,
      detail: `the event needs ${held.totals.nodes} nodes (zone headroom included), the group's max size is ${maxSize}`,
      needed: held.totals.nodes,
      limit: maxSize,
    });
  if (pool.kind === "karpenter") {
    const shapes = new Map(
      poolShapes(pool, input.catalogue, input.prices, input.nodeSettings).shapes.map((s) => [
        s.instanceType,
        s,
      ]),
    );
    const vcpu = held.nodes.reduce((s, n) => s + (shapes.get(n.instanceType)?.vcpu ?? 0), 0);
    const memory = held.nodes.reduce((s, n) => s + (shapes.get(n.instanceType)?.memoryBytes ?? 0), 0);
    if (pool.limits.cpuCores !== undefined && vcpu > pool.limits.cpuCores)
      flags.push({
        kind: "nodepool-limit",
        subject: pool.name,
        detail: `the event's nodes have ${vcpu} vCPU, the NodePool's limits.cpu is ${pool.limits.cpuCores}`,
        needed: vcpu,
        limit: pool.limits.cpuCores,
        resource: "cpu",
      });
    if (pool.limits.memoryBytes !== undefined && memory > pool.limits.memoryBytes)
      flags.push({
        kind: "nodepool-limit",
        subject: pool.name,
        detail: `the event's nodes have ${(memory / 2 ** 30).toFixed(0)} GiB, the NodePool's limits.memory is ${(pool.limits.memoryBytes / 2 ** 30).toFixed(0)} GiB`,
        needed: memory,
        limit: pool.limits.memoryBytes,
        resource: "memory",
      });
  }
  if (held.unplaced.length)
    flags.push({
      kind: "pods-unplaced",
      subject: pool.name,
      detail: `${held.unplaced.length} pods fit on no node the pool may launch (first: ${held.unplaced[0]!.pod}: ${held.unplaced[0]!.detail})`,
      needed: held.unplaced.length,
    });
  return flags;
}

export function poolCapacity(
  pool: Pool,
  specs: readonly WorkloadSpec[],
  replicas: ReadonlyMap<string, WorkloadReplicas>,
  input: CapacityInput,
): PoolCapacity {
  const open = unlimited(pool);
  const packWith = (counts: Map<string, number>) =>
    pack({
      pool: open,
      catalogue: input.catalogue,
      prices: input.prices,
      pods: podsOf(specs, counts),
      ...(input.nodeSettings ? { nodeSettings: input.nodeSettings } : {}),
      ...(input.fargate ? { fargate: input.fargate } : {}),
    });
  const zones = new Set(pool.zones).size;
  const spare = input.zoneLossHeadroom && pool.kind !== "fargate" && zones >= 2 ? zones / (zones - 1) : 1;
  const normalCounts = new Map(specs.map((s) => [s.key, replicas.get(s.key)?.normal ?? 0]));
  const eventCounts = new Map(specs.map((s) => [s.key, replicas.get(s.key)?.event ?? 0]));
  const heldCounts = new Map([...eventCounts].map(([k, n]) => [k, Math.ceil(n * spare - 1e-9)]));
  const normal = packWith(normalCounts);
  const event = packWith(eventCounts);
  const held = spare === 1 ? event : packWith(heldCounts);
  const eventBy = byCapacityType(held);
  const normalBy = byCapacityType(normal);
  const costs = [...new Set([...eventBy.keys(), ...normalBy.keys()])].sort().map((capacityType) => ({
    capacityType,
    eventUsdPerHour: round6(eventBy.get(capacityType) ?? 0),
    normalUsdPerHour: round6(normalBy.get(capacityType) ?? 0),
  }));
  const eventWindowUsd = round6(held.totals.usdPerHour * input.windowHours);
  const normalWindowUsd = round6(normal.totals.usdPerHour * input.windowHours);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return {
    pool: pool.name,
    kind: pool.kind,
    normal,
    event,
    held,
    headroomPods: sum(heldCounts) - sum(eventCounts),
    costs,
    eventWindowUsd,
    normalWindowUsd,
    deltaUsd: round6(eventWindowUsd - normalWindowUsd),
    normalWeekUsd: round6(normal.totals.usdPerHour * 168),
    flags: limitFlags(pool, held, input),
  };
}

/** Every pool that has workloads of the forecast, in the order of `input.pools`. */
export function clusterCapacity(
  specs: readonly WorkloadSpec[],
  replicas: ReadonlyMap<string, WorkloadReplicas>,
  input: CapacityInput,
): PoolCapacity[] {
  const names = new Set(input.pools.map((p) => p.name));
  for (const s of specs)
    if (!names.has(s.pool)) throw new InputError(s.key, "pool", `"${s.pool}" is none of the pools given`);
  return input.pools
    .filter((p) => specs.some((s) => s.pool === p.name))
    .map((p) =>
      poolCapacity(
        p,
        specs.filter((s) => s.pool === p.name),
        replicas,
        input,
      ),
    );
}
