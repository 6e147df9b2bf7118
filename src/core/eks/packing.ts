/**
 * Bin packing of pods onto a pool's nodes, as the scheduler and the pool's autoscaler would
 * place them from scratch: first-fit decreasing on CPU, memory and pod slots, after the
 * DaemonSets every node runs, with zone spread and anti-affinity, within the pool's limits.
 *
 * Where a pool allows several instance types (Karpenter, or labelled nodes of several types), a
 * new node starts with every type that fits its first pod as a candidate, keeps taking pods in
 * first-fit order while some candidate still holds them all, and is launched as the cheapest
 * candidate that holds what it took: the lowest cost per pod for the pods it takes. This is
 * Karpenter's scheduling simulation (pods onto in-flight NodeClaims whose instance types narrow
 * as pods are added, then the cheapest offering). What it approximates: EC2 Fleet may launch
 * another of the NodeClaim's cheapest types (price-capacity-optimized for spot), Karpenter sorts
 * pods by CPU then memory where we sort by their dominant share, and consolidation's later
 * replacements of nodes by cheaper ones are not simulated.
 */
import { packOnFargate } from "./fargate-packing.js";
import { fits, type NodeShape, poolShapes, type Resources, toMillicores } from "./node-shapes.js";
import {
  describeNeed,
  gib,
  type PackInput,
  type PackResult,
  type SimNode,
  type SimPod,
  totalsOf,
  type UnplacedPod,
  type UnplacedReason,
} from "./packing-types.js";

interface Pending {
  pod: SimPod;
  need: Resources;
  share: number;
}

interface OpenNode {
  zone: number;
  /** Indices of the shapes that still hold every pod placed here, cheapest first. */
  candidates: number[];
  /** The largest free room over the candidates, per resource: a quick reject. */
  bound: Resources;
  used: Resources;
  pods: string[];
  /** Groups with hostname anti-affinity that have a pod here. */
  exclusive: Set<string> | null;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Decreasing by dominant share (the larger of the pod's CPU and memory over the most any shape
 * offers), then CPU, memory, name and group: a total order, so the input's order never matters.
 */
function sortPending(pods: readonly SimPod[], shapes: readonly NodeShape[]): Pending[] {
  const refCpu = Math.max(1, ...shapes.map((s) => s.free.cpuMillicores));
  const refMemory = Math.max(1, ...shapes.map((s) => s.free.memoryBytes));
  return pods
    .map((pod) => {
      const need = {
        cpuMillicores: toMillicores(pod.cpuCores),
        memoryBytes: Math.ceil(pod.memoryBytes),
        pods: 1,
      };
      return { pod, need, share: Math.max(need.cpuMillicores / refCpu, need.memoryBytes / refMemory) };
    })
    .sort(
      (a, b) =>
        b.share - a.share ||
        b.need.cpuMillicores - a.need.cpuMillicores ||
        b.need.memoryBytes - a.need.memoryBytes ||
        byName(a.pod.name, b.pod.name) ||
        byName(a.pod.group, b.pod.group),
    );
}

export function pack(input: PackInput): PackResult {
  const { pool } = input;
  if (pool.kind === "fargate") return packOnFargate(input);
  const { shapes, excluded } = poolShapes(pool, input.catalogue, input.prices, input.nodeSettings);
  const zones = pool.zones.length ? [...new Set(pool.zones)].sort(byName) : [""];
  const maxNodes =
    pool.kind === "managed-node-group"
      ? pool.maxSize
      : pool.kind === "nodes"
        ? (pool.maxSize ?? Infinity)
        : Infinity;
  const limitCpu = pool.kind === "karpenter" ? (pool.limits.cpuCores ?? Infinity) : Infinity;
  const limitMemory = pool.kind === "karpenter" ? (pool.limits.memoryBytes ?? Infinity) : Infinity;

  const nodes: OpenNode[] = [];
  const nodesInZone = zones.map(() => 0);
  /** Per group with a zone constraint, its pods per zone. */
  const groupZones = new Map<string, number[]>();
  /** The capacity of every node as launched now (its cheapest candidate), for NodePool limits. */
  const committed = { vcpu: 0, memoryBytes: 0 };
  const unplaced: UnplacedPod[] = [];
  const largest = shapes.length
    ? shapes.reduce((a, b) => (b.free.cpuMillicores > a.free.cpuMillicores ? b : a))
    : null;

  const fail = (p: Pending, reason: UnplacedReason, why: string) =>
    unplaced.push({
      pod: p.pod.name,
      group: p.pod.group,
      reason,
      detail: `needs ${describeNeed(p.pod.cpuCores, p.pod.memoryBytes)}; ${why}`,
    });

  /** The zones the pod may go to now, as its spread and zone anti-affinity allow. */
  const allowedZones = (pod: SimPod): boolean[] => {
    if (!pod.zoneSpread && pod.antiAffinity !== "zone") return zones.map(() => true);
    const counts = groupZones.get(pod.group) ?? zones.map(() => 0);
    const min = Math.min(...counts);
    return counts.map(
      (c) =>
        (pod.antiAffinity !== "zone" || c === 0) &&
        (!pod.zoneSpread || c + 1 - min <= pod.zoneSpread.maxSkew),
    );
  };

  /** The candidates that would hold the node's pods and this one within the limits, or null. */
  const narrow = (node: OpenNode, need: Resources): number[] | null => {
    const { used, bound } = node;
    if (
      used.cpuMillicores + need.cpuMillicores > bound.cpuMillicores ||
      used.memoryBytes + need.memoryBytes > bound.memoryBytes ||
      used.pods + need.pods > bound.pods
    )
      return null;
    let kept = node.candidates.filter((c) => fits(used, need, shapes[c]!.free));
    if (kept.length === node.candidates.length) return node.candidates;
    if (kept[0] !== node.candidates[0]) {
      const current = shapes[node.candidates[0]!]!;
      kept = kept.filter(
        (c) =>
          committed.vcpu - current.vcpu + shapes[c]!.vcpu <= limitCpu &&
          committed.memoryBytes - current.memoryBytes + shapes[c]!.memoryBytes <= limitMemory,
      );
    }
    return kept.length ? kept : null;
  };

  const setCandidates = (node: OpenNode, candidates: number[]) => {
    if (node.candidates.length) {
      const before = shapes[node.candidates[0]!]!;
      committed.vcpu -= before.vcpu;
      committed.memoryBytes -= before.memoryBytes;
    }
    const after = shapes[candidates[0]!]!;
    committed.vcpu += after.vcpu;
    committed.memoryBytes += after.memoryBytes;
    node.candidates = candidates;
    node.bound = { cpuMillicores: 0, memoryBytes: 0, pods: 0 };
    for (const c of candidates) {
      const free = shapes[c]!.free;
      node.bound.cpuMillicores = Math.max(node.bound.cpuMillicores, free.cpuMillicores);
      node.bound.memoryBytes = Math.max(node.bound.memoryBytes, free.memoryBytes);
      node.bound.pods = Math.max(node.bound.pods, free.pods);
    }
  };

  const place = (node: OpenNode, p: Pending, candidates: number[]) => {
    if (candidates !== node.candidates) setCandidates(node, candidates);
    node.used.cpuMillicores += p.need.cpuMillicores;
    node.used.memoryBytes += p.need.memoryBytes;
    node.used.pods += 1;
    node.pods.push(p.pod.name);
    if (p.pod.antiAffinity === "hostname") {
      node.exclusive ??= new Set();
      node.exclusive.add(p.pod.group);
    }
    if (p.pod.zoneSpread || p.pod.antiAffinity === "zone") {
      const counts = groupZones.get(p.pod.group) ?? zones.map(() => 0);
      counts[node.zone]! += 1;
      groupZones.set(p.pod.group, counts);
    }
  };

  const open = (zone: number, candidates: number[]): OpenNode => {
    const node: OpenNode = {
      zone,
      candidates: [],
      bound: { cpuMillicores: 0, memoryBytes: 0, pods: 0 },
      used: { cpuMillicores: 0, memoryBytes: 0, pods: 0 },
      pods: [],
      exclusive: null,
    };
    setCandidates(node, candidates);
    nodes.push(node);
    nodesInZone[zone]! += 1;
    return node;
  };

  const empty: Resources = { cpuMillicores: 0, memoryBytes: 0, pods: 0 };
  for (const p of sortPending(input.pods, shapes)) {
    if (!largest) {
      fail(
        p,
        "no-instance-type",
        `the pool allows no instance type that can be priced and hold its DaemonSets`,
      );
      continue;
    }
    const fitting = shapes.flatMap((s, i) => (fits(empty, p.need, s.free) ? [i] : []));
    if (!fitting.length) {
      const f = largest.free;
      fail(
        p,
        "too-large-for-any-type",
        `the largest allowed type (${largest.instanceType}) offers ${describeNeed(f.cpuMillicores / 1000, f.memoryBytes)} and ${f.pods} pod slots after DaemonSets`,
      );
      continue;
    }
    const zoneOk = allowedZones(p.pod);
    let placed = false;
    for (const node of nodes) {
      if (!zoneOk[node.zone] || node.exclusive?.has(p.pod.group)) continue;
      const candidates = narrow(node, p.need);
      if (candidates) {
        place(node, p, candidates);
        placed = true;
        break;
      }
    }
    if (placed) continue;
    if (nodes.length >= maxNodes) {
      fail(p, "max-size-reached", `no node has room and the pool is at its maximum of ${maxNodes} nodes`);
      continue;
    }
    // A new node goes to the allowed zone with fewest of the group's pods, then fewest nodes.
    const counts = groupZones.get(p.pod.group);
    let zone = -1;
    for (let z = 0; z < zones.length; z++) {
      if (!zoneOk[z]) continue;
      if (
        zone < 0 ||
        (counts?.[z] ?? 0) < (counts?.[zone] ?? 0) ||
        ((counts?.[z] ?? 0) === (counts?.[zone] ?? 0) && nodesInZone[z]! < nodesInZone[zone]!)
      )
        zone = z;
    }
    if (zone < 0) {
      fail(
        p,
        "spread-impossible",
        `zone anti-affinity allows one pod of ${p.pod.group} per zone and all ${zones.length} zones have one`,
      );
      continue;
    }
    const withinLimits = fitting.filter(
      (i) =>
        committed.vcpu + shapes[i]!.vcpu <= limitCpu &&
        committed.memoryBytes + shapes[i]!.memoryBytes <= limitMemory,
    );
    if (!withinLimits.length) {
      fail(
        p,
        "pool-limit-reached",
        `a new node would take the pool past its limits (${[
          ...(limitCpu < Infinity ? [`${committed.vcpu} of ${limitCpu} vCPU`] : []),
          ...(limitMemory < Infinity ? [`${gib(committed.memoryBytes)} of ${gib(limitMemory)}`] : []),
        ].join(", ")} in use)`,
      );
      continue;
    }
    place(open(zone, withinLimits), p, withinLimits);
  }

  // A managed node group never shrinks below its minimum size: its empty nodes cost too.
  const needed = nodes.length;
  if (pool.kind === "managed-node-group" && shapes.length)
    while (nodes.length < pool.minSize) {
      let zone = 0;
      for (let z = 1; z < zones.length; z++) if (nodesInZone[z]! < nodesInZone[zone]!) zone = z;
      open(zone, [0]);
    }

  const width = Math.max(4, String(nodes.length).length);
  const simNodes: SimNode[] = nodes.map((node, i) => {
    const shape = shapes[node.candidates[0]!]!;
    const ds = shape.daemonSets;
    return {
      name: `${pool.name}-${String(i + 1).padStart(width, "0")}`,
      instanceType: shape.instanceType,
      zone: zones[node.zone]!,
      capacityType: shape.capacityType,
      usdPerHour: shape.usdPerHour,
      pods: node.pods,
      allocatable: {
        cpuCores: shape.allocatable.cpuMillicores / 1000,
        memoryBytes: shape.allocatable.memoryBytes,
        pods: shape.allocatable.pods,
      },
      daemonSets: { cpuCores: ds.cpuMillicores / 1000, memoryBytes: ds.memoryBytes, pods: ds.pods },
      requested: {
        cpuCores: (node.used.cpuMillicores + ds.cpuMillicores) / 1000,
        memoryBytes: node.used.memoryBytes + ds.memoryBytes,
        pods: node.used.pods + ds.pods,
      },
    };
  });
  const held = simNodes.slice(needed);
  return {
    pool: pool.name,
    nodes: simNodes,
    unplaced,
    excludedTypes: excluded,
    totals: totalsOf(simNodes, unplaced),
    heldByMinSize: {
      nodes: held.length,
      usdPerHour: Math.round(held.reduce((a, n) => a + n.usdPerHour, 0) * 1e6) / 1e6,
    },
  };
}
