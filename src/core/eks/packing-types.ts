/** What the simulator takes and gives: pods to place, the nodes they land on, those that cannot. */
import type { FargateConfiguration } from "./fargate.js";
import type { CapacityType, InstancePrice, InstanceType, NodeSettings } from "./instance-types.js";
import type { ExcludedType } from "./node-shapes.js";
import type { Pool } from "./pools.js";

/** A pod to place: its scheduling requests and the constraints the packer honours. */
export interface SimPod {
  /** Unique among the pods of one packing. */
  name: string;
  /** Its workload (`namespace/Kind/name`): spread and anti-affinity count the group's pods. */
  group: string;
  /** The pod's effective requests (fargate.ts `podNeed`: init containers, sidecars). */
  cpuCores: number;
  memoryBytes: number;
  /** A `topologySpreadConstraints` entry on `topology.kubernetes.io/zone`, `DoNotSchedule`. */
  zoneSpread?: { maxSkew: number };
  /** Required pod anti-affinity against the group's own pods, on hostname or zone. */
  antiAffinity?: "hostname" | "zone";
}

/** Fargate's price and sizes, for a Fargate profile's pool. */
export interface FargatePricing {
  configurations: readonly FargateConfiguration[];
  usdPerVcpuHour: number;
  usdPerGbHour: number;
}

export interface PackInput {
  pool: Pool;
  catalogue: readonly InstanceType[];
  prices: readonly InstancePrice[];
  pods: readonly SimPod[];
  /** Defaults for the pool's nodes (the pool's own `nodeSettings` win). */
  nodeSettings?: NodeSettings;
  /** Needed for a Fargate pool only. */
  fargate?: FargatePricing;
}

export interface NodeResources {
  cpuCores: number;
  memoryBytes: number;
  pods: number;
}

export interface SimNode {
  /** `<pool>-0001`, in the order the packer opened them. */
  name: string;
  /** An instance type, or a Fargate size (`fargate-0.5vCPU-1GB`). */
  instanceType: string;
  zone: string;
  capacityType: CapacityType | "fargate";
  usdPerHour: number;
  /** The packed pods' names, in the order they were placed. */
  pods: string[];
  allocatable: NodeResources;
  /** What the pool's DaemonSets take on this node. */
  daemonSets: NodeResources;
  /** The packed pods' requests plus the DaemonSets'. */
  requested: NodeResources;
}

export type UnplacedReason =
  | "no-instance-type"
  | "too-large-for-any-type"
  | "max-size-reached"
  | "pool-limit-reached"
  | "spread-impossible";

export interface UnplacedPod {
  pod: string;
  group: string;
  reason: UnplacedReason;
  /** The reason in words, with the figures that decided it. */
  detail: string;
}

export interface PackTotals {
  nodes: number;
  usdPerHour: number;
  podsPlaced: number;
  podsUnplaced: number;
  allocatable: NodeResources;
  requested: NodeResources;
  /** Node count per instance type, by name. */
  nodesByType: Record<string, number>;
}

export interface PackResult {
  pool: string;
  nodes: SimNode[];
  unplaced: UnplacedPod[];
  /** Allowed types the packer could not use, and why. */
  excludedTypes: ExcludedType[];
  totals: PackTotals;
  /**
   * The nodes (in `nodes` and `totals`, the last ones) that only a managed node group's
   * `minSize` keeps: empty, the pods need them not. Lowering the minimum is what removes them.
   */
  heldByMinSize: { nodes: number; usdPerHour: number };
}

const sum = (nodes: readonly SimNode[], pick: (n: SimNode) => NodeResources): NodeResources => {
  const total = { cpuCores: 0, memoryBytes: 0, pods: 0 };
  for (const n of nodes) {
    const r = pick(n);
    total.cpuCores += r.cpuCores;
    total.memoryBytes += r.memoryBytes;
    total.pods += r.pods;
  }
  total.cpuCores = Math.round(total.cpuCores * 1000) / 1000;
  return total;
};

export function totalsOf(nodes: readonly SimNode[], unplaced: readonly UnplacedPod[]): PackTotals {
  const nodesByType: Record<string, number> = {};
  for (const t of nodes.map((n) => n.instanceType).sort()) nodesByType[t] = (nodesByType[t] ?? 0) + 1;
  return {
    nodes: nodes.length,
    usdPerHour: Math.round(nodes.reduce((s, n) => s + n.usdPerHour, 0) * 1e6) / 1e6,
    podsPlaced: nodes.reduce((s, n) => s + n.pods.length, 0),
    podsUnplaced: unplaced.length,
    allocatable: sum(nodes, (n) => n.allocatable),
    requested: sum(nodes, (n) => n.requested),
    nodesByType,
  };
}

/** `2.0 GiB` */
export const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** `1.5 cores and 2.0 GiB` */
export function describeNeed(cpuCores: number, memoryBytes: number): string {
  return `${Math.round(cpuCores * 1000) / 1000} cores and ${gib(memoryBytes)}`;
}
