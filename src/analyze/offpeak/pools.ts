/**
 * The offpeak analyzer's compute step: per EC2 capacity pool and hour of the day, the pool's pods
 * at the replicas each workload held then and at the replicas the off-peak recommendation leaves
 * (flat_offpeak workloads in their off-peak hours), each packed by the node simulator
 * (src/core/eks/); the node-hours between the two, floored by what keeps nodes up, priced.
 * Writes mart_offpeak_pools and mart_offpeak_pool_hours.
 */
import { pack } from "../../core/eks/packing.js";
import type { PackResult, SimPod } from "../../core/eks/packing-types.js";
import type { ComputeInput } from "../analyzer.js";
import { instancePricesOf, poolOf, readPoolInputs, rightsizedPods } from "../rightsizing/repack-input.js";

const PROFILE = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  hour_of_day: "number",
  replicas_held: "number",
} as const;

const WORKLOADS = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  status: "string",
  recommended_offpeak_replicas: "number",
  offpeak_hours_of_day: "string",
} as const;

const POOL_HOURS = {
  cluster: "string",
  capacity_pool: "string",
  hour_of_day: "number",
  nodes_held: "number",
} as const;

const BLOCKERS = {
  cluster: "string",
  capacity_pool: "string",
  pinned_nodes: "number",
  local_storage_pods: "number",
  min_size: "number?",
} as const;

const key = (...parts: Array<string | number>) => parts.join("\u0000");
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** USD per hour of `nodes` nodes when the packing opened fewer: the extra ones at its average node price. */
function usdAt(result: PackResult, nodes: number): number {
  const { nodes: packed, usdPerHour } = result.totals;
  if (nodes <= packed || packed === 0) return packed === 0 && nodes > 0 ? 0 : usdPerHour;
  return usdPerHour + (nodes - packed) * (usdPerHour / packed);
}

/** Karpenter's `consolidateAfter: Never` turns consolidation off. */
function consolidationDisabled(disruption: string | null): boolean {
  if (!disruption) return false;
  const d = JSON.parse(disruption) as { consolidateAfter?: unknown };
  return d.consolidateAfter === "Never";
}

export async function computeOffpeakPools({
  tables,
}: ComputeInput<unknown>): Promise<Record<string, ReadonlyArray<Record<string, unknown>>>> {
  const { pools, containers, daemonSets, catalogue, prices } = await readPoolInputs(tables);
  const profile = await tables.read("int_offpeak_profile", PROFILE);
  const workloads = await tables.read("mart_offpeak_workloads", WORKLOADS);
  const poolHours = await tables.read("int_offpeak_pool_hours", POOL_HOURS);
  const blockers = await tables.read("int_offpeak_pool_blockers", BLOCKERS);

  const heldAt = new Map(
    profile.map((p) => [
      key(p.cluster, p.namespace, p.workloadKind, p.workloadName, p.hourOfDay),
      p.replicasHeld,
    ]),
  );
  const flat = new Map(
    workloads
      .filter((w) => w.status === "flat_offpeak")
      .map((w) => [
        key(w.cluster, w.namespace, w.workloadKind, w.workloadName),
        {
          replicas: w.recommendedOffpeakReplicas,
          hours: new Set(w.offpeakHoursOfDay.split(",").filter(Boolean).map(Number)),
        },
      ]),
  );
  // Each workload's running pods over every pool, so that a workload split over pools is scaled in proportion.
  const podsOf = new Map<string, Set<string>>();
  for (const c of containers) {
    const k = key(c.cluster, c.namespace, c.workloadKind, c.workloadName);
    podsOf.set(k, (podsOf.get(k) ?? new Set()).add(c.podName));
  }

  const poolRows: Array<Record<string, unknown>> = [];
  const hourRows: Array<Record<string, unknown>> = [];
  for (const row of pools) {
    const mine = <T extends { cluster: string; capacityPool: string }>(rows: readonly T[]) =>
      rows.filter((r) => r.cluster === row.cluster && r.capacityPool === row.capacityPool);
    const ds = rightsizedPods(
      mine(daemonSets).map((d) => ({ ...d, podName: d.workloadName, workloadKind: "DaemonSet" })),
      new Map(),
    );
    // The nodes each hour needs, unbounded: the node group's min size is applied below, as a
    // floor whose nodes are reported as held by it (blocked_min_size), not packed into.
    const { pool } = poolOf(
      { ...row, minSize: null, maxSize: null },
      ds.map((d) => ({ name: d.group, cpuCores: d.cpuCores, memoryBytes: d.memoryBytes })),
    );
    const instancePrices = instancePricesOf(prices, row.cluster);
    // One template pod per workload of the pool, and how many of its pods run here.
    const groups = new Map<string, { template: SimPod; here: number; workload: string }>();
    const poolContainers = mine(containers);
    const byPod = new Map(poolContainers.map((c) => [`${c.namespace}/${c.podName}`, c]));
    for (const p of rightsizedPods(poolContainers, new Map())) {
      const c = byPod.get(p.name)!;
      const workload = key(c.cluster, c.namespace, c.workloadKind, c.workloadName);
      const g = groups.get(p.group);
      if (g) g.here++;
      else groups.set(p.group, { template: p, here: 1, workload });
    }
    const b = mine(blockers)[0];
    const pinned = b?.pinnedNodes ?? 0;
    const minSize = row.poolKind === "managed-node-group" ? (b?.minSize ?? null) : null;
    const held = new Map(mine(poolHours).map((h) => [h.hourOfDay, h.nodesHeld]));
    const podsAt = (h: number, offpeak: boolean): SimPod[] => {
      const out: SimPod[] = [];
      for (const [group, g] of groups) {
        const share = g.here / (podsOf.get(g.workload)?.size ?? g.here);
        const [cluster, namespace, kind, name] = g.workload.split("\u0000") as [
          string,
          string,
          string,
          string,
        ];
        const heldReplicas = heldAt.get(key(cluster, namespace, kind, name, h));
        let n = heldReplicas === undefined ? g.here : Math.max(1, Math.round(heldReplicas * share));
        const f = flat.get(g.workload);
        if (offpeak && f?.hours.has(h)) n = Math.min(n, Math.max(1, Math.round(f.replicas * share)));
        for (let i = 0; i < n; i++) out.push({ ...g.template, name: `${group}#${i}` });
      }
      return out;
    };
    // Hours with the same pods (most of them, outside HPAs) are packed once.
    const packings = new Map<string, PackResult>();
    const packed = (pods: SimPod[]): PackResult => {
      const signature = pods.map((p) => p.name).join("\n");
      let result = packings.get(signature);
      if (!result) {
        result = pack({ pool, catalogue, prices: instancePrices, pods });
        packings.set(signature, result);
      }
      return result;
    };
    let heldNodeHours = 0;
    let neededNodeHours = 0;
    let potentialNodeHours = 0;
    let savedUsdPerDay = 0;
    let potentialUsdPerDay = 0;
    let fewest = Number.POSITIVE_INFINITY;
    const offpeakHours: number[] = [];
    const touched = [...groups.values()].filter((g) => flat.has(g.workload)).length;
    for (const h of HOURS) {
      const heldPods = podsAt(h, false);
      const neededPods = podsAt(h, true);
      const before = packed(heldPods);
      // The off-peak pods are the held ones less some: as many means the same pods.
      const after = neededPods.length === heldPods.length ? before : packed(neededPods);
      const floorAll = Math.max(pinned, minSize ?? 0);
      const heldNodes = Math.max(before.totals.nodes, floorAll);
      const neededNodes = Math.max(after.totals.nodes, floorAll);
      const heldNoMin = Math.max(before.totals.nodes, pinned);
      const neededNoMin = Math.max(after.totals.nodes, pinned);
      heldNodeHours += heldNodes;
      neededNodeHours += neededNodes;
      potentialNodeHours += heldNoMin - neededNoMin;
      savedUsdPerDay += usdAt(before, heldNodes) - usdAt(after, neededNodes);
      potentialUsdPerDay += usdAt(before, heldNoMin) - usdAt(after, neededNoMin);
      fewest = Math.min(fewest, neededNoMin);
      if (neededNoMin < heldNoMin) offpeakHours.push(h);
      hourRows.push({
        cluster: row.cluster,
        capacity_pool: row.capacityPool,
        hour_of_day: h,
        nodes_held: held.get(h) ?? 0,
        pods_held: heldPods.length,
        pods_needed: neededPods.length,
        nodes_packed_held: before.totals.nodes,
        nodes_packed_needed: after.totals.nodes,
        nodes_floor: floorAll,
        usd_per_hour_held: usdAt(before, heldNodes),
        usd_per_hour_needed: usdAt(after, neededNodes),
      });
    }
    const perMonth = row.hoursPerMonth / 24;
    const savedNodeHours = heldNodeHours - neededNodeHours;
    const autoscaler =
      row.poolKind === "karpenter"
        ? pool.kind === "karpenter" && pool.consolidationPolicy === "WhenEmpty"
          ? "karpenter-empty-only"
          : "karpenter"
        : row.poolKind === "managed-node-group" && row.clusterAutoscaler
          ? "cluster-autoscaler"
          : "none";
    const disabled = row.poolKind === "karpenter" && consolidationDisabled(row.nodepoolDisruption);
    const status =
      potentialNodeHours <= 0
        ? "nothing_offpeak"
        : autoscaler === "none"
          ? "no_autoscaler"
          : disabled
            ? "consolidation_disabled"
            : savedNodeHours <= 0
              ? "blocked_min_size"
              : "scale_down";
    const counted = status === "scale_down";
    const savedUsd = counted ? savedUsdPerDay * perMonth : 0;
    const blockedUsd =
      status === "nothing_offpeak" ? 0 : Math.max(0, potentialUsdPerDay * perMonth - savedUsd);
    poolRows.push({
      cluster: row.cluster,
      capacity_pool: row.capacityPool,
      pool_kind: row.poolKind,
      autoscaler,
      instance_types: row.instanceTypes,
      nodes_observed: row.nodesObserved,
      min_size: minSize,
      pinned_nodes: pinned,
      local_storage_pods: b?.localStoragePods ?? 0,
      offpeak_workloads: touched,
      offpeak_hours_of_day: offpeakHours.join(","),
      node_hours_held_per_day: heldNodeHours,
      node_hours_needed_per_day: neededNodeHours,
      node_hours_saved_per_day: counted ? savedNodeHours : 0,
      node_hours_blocked_per_day: counted ? potentialNodeHours - savedNodeHours : potentialNodeHours,
      fewest_nodes_needed: Number.isFinite(fewest) ? fewest : 0,
      monthly_savings_usd: savedUsd,
      monthly_blocked_usd: blockedUsd,
      status,
      reason: poolReason(status, {
        touched,
        potentialNodeHours,
        savedNodeHours,
        pinned,
        minSize,
        autoscaler,
        localStoragePods: autoscaler === "cluster-autoscaler" ? (b?.localStoragePods ?? 0) : 0,
        minSizeKnown: row.poolKind !== "managed-node-group" || minSize !== null,
      }),
    });
  }
  return { mart_offpeak_pools: poolRows, mart_offpeak_pool_hours: hourRows };
}

function poolReason(
  status: string,
  f: {
    touched: number;
    potentialNodeHours: number;
    savedNodeHours: number;
    pinned: number;
    minSize: number | null;
    autoscaler: string;
    localStoragePods: number;
    minSizeKnown: boolean;
  },
): string {
  const pinned = f.pinned
    ? `; ${f.pinned} node${f.pinned === 1 ? "" : "s"} stay for pods that must not be evicted (do-not-disrupt or safe-to-evict "false")`
    : "";
  const local = f.localStoragePods
    ? `; ${f.localStoragePods} pod${f.localStoragePods === 1 ? "" : "s"} with emptyDir (Cluster Autoscaler with --skip-nodes-with-local-storage keeps their nodes)`
    : "";
  const minSize = f.minSizeKnown ? "" : "; the node group's min size is not collected";
  switch (status) {
    case "nothing_offpeak":
      return f.touched
        ? `${f.touched} workload${f.touched === 1 ? "" : "s"} held flat off-peak, but fewer replicas free no node${pinned}`
        : "no workload of the pool is held flat off-peak";
    case "no_autoscaler":
      return `${f.potentialNodeHours} node-hours a day could go off-peak, but nothing scales this group (no Cluster Autoscaler found): install it, or add scheduled scaling to the group's Auto Scaling group${pinned}`;
    case "consolidation_disabled":
      return `${f.potentialNodeHours} node-hours a day could go off-peak, but the NodePool's consolidateAfter is Never: Karpenter removes no node`;
    case "blocked_min_size":
      return `${f.potentialNodeHours} node-hours a day could go off-peak, but the node group's min size (${f.minSize}) keeps them${pinned}`;
    default:
      return `${f.savedNodeHours} node-hours a day go off-peak when ${f.touched} workload${f.touched === 1 ? "" : "s"} scale down${f.autoscaler === "karpenter-empty-only" ? " (WhenEmpty: only nodes emptied completely go, so this is an upper bound)" : ""}${f.potentialNodeHours > f.savedNodeHours ? `; ${f.potentialNodeHours - f.savedNodeHours} more are kept by the min size (${f.minSize})` : ""}${pinned}${local}${minSize}`;
  }
}
