/**
 * The rightsizing analyzer's compute step: what the recommendations are worth in nodes. Each EC2
 * capacity pool's running pods are packed by the node simulator (src/core/eks/) onto the types
 * the pool may launch, after its DaemonSets, with their current requests and again with the
 * recommended ones (ok and hpa_managed rows; a resource an HPA scales on keeps its request); the
 * node cost that goes away is the saving. Fargate bills each pod's size: its saving is the
 * billed-size change mart_rightsizing prices already. Writes mart_rightsizing_pools.
 */
import { type ContainerRequests, podNeed } from "../../core/eks/fargate.js";
import {
  type CapacityType,
  type InstancePrice,
  instanceTypesFromRows,
} from "../../core/eks/instance-types.js";
import { nodePoolSpec } from "../../core/eks/nodepool.js";
import type { Pool } from "../../core/eks/pools.js";
import { compareRepack, type RepackComparison, type RightsizedPod } from "../../core/eks/repack.js";
import type { ComputeInput } from "../analyzer.js";
import type { RowOf } from "../marts.js";
import { describeRepack } from "./repack-note.js";

const POOLS = {
  cluster: "string",
  capacity_pool: "string",
  pool_kind: "string",
  instance_types: "string",
  capacity_types: "string",
  zones: "string?",
  capacity_type: "string",
  nodes_observed: "number",
  nodepool_requirements: "string?",
  nodepool_limits: "string?",
  nodepool_disruption: "string?",
  cluster_autoscaler: "boolean",
  hours_per_month: "number",
} as const;

const POD_CONTAINERS = {
  cluster: "string",
  capacity_pool: "string",
  namespace: "string",
  pod_name: "string",
  workload_kind: "string",
  workload_name: "string",
  container_name: "string",
  container_type: "string",
  cpu_request_cores: "number?",
  memory_request_bytes: "number?",
} as const;

const DAEMONSETS = {
  cluster: "string",
  capacity_pool: "string",
  namespace: "string",
  workload_name: "string",
  container_name: "string",
  container_type: "string",
  cpu_request_cores: "number?",
  memory_request_bytes: "number?",
} as const;

const INSTANCE_TYPES = {
  instance_type: "string",
  family: "string?",
  vcpu: "number",
  memory_gib: "number",
  arch: "string?",
  gpu_count: "number?",
  max_pods_eni: "number?",
  default_enis: "number?",
  ipv4_per_eni: "number?",
} as const;

const PRICES = {
  cluster: "string",
  instance_type: "string",
  capacity_type: "string",
  usd_per_hour: "number",
  price_source: "string",
} as const;

const RECOMMENDATIONS = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  container_name: "string",
  status: "string",
  runs_on: "string?",
  capacity_pool: "string?",
  current_pods: "number",
  cpu_request_cores: "number?",
  memory_request_bytes: "number?",
  rec_cpu_request_cores: "number?",
  rec_memory_request_bytes: "number?",
  hpa_cpu_target_percent: "number?",
  hpa_memory_target_percent: "number?",
  request_savings_usd: "number",
} as const;

type Recommendation = RowOf<typeof RECOMMENDATIONS>;
type PoolRow = RowOf<typeof POOLS>;

/** Rows worth acting on (at_risk rows are reliability fixes, counted apart). */
export const acted = (r: { status: string }) => r.status === "ok" || r.status === "hpa_managed";

const key = (...parts: string[]) => parts.join("\u0000");
const list = (text: string | null) => (text ? text.split(",").filter(Boolean) : []);
const json = (text: string | null): unknown => (text ? JSON.parse(text) : null);
const asCapacity = (value: string): CapacityType => (value === "spot" ? "spot" : "on-demand");

/** The simulator's pool for a row of int_rightsizing_pools, and where its requirements came from. */
export function poolOf(
  row: PoolRow,
  daemonSets: Pool["daemonSets"],
): { pool: Pool; requirementsSource: string } {
  const base = { name: row.capacityPool, zones: list(row.zones), daemonSets };
  const types = list(row.instanceTypes);
  if (row.poolKind === "managed-node-group" && types.length === 1) {
    return {
      pool: {
        ...base,
        kind: "managed-node-group",
        instanceType: types[0]!,
        capacityType: asCapacity(row.capacityType),
        minSize: 0,
        maxSize: Infinity,
        autoscaler: row.clusterAutoscaler ? "cluster-autoscaler" : "none",
      },
      requirementsSource: "node-group",
    };
  }
  if (row.poolKind === "karpenter") {
    const spec = row.nodepoolRequirements
      ? nodePoolSpec(json(row.nodepoolRequirements), json(row.nodepoolLimits), json(row.nodepoolDisruption))
      : null;
    return {
      pool: {
        ...base,
        kind: "karpenter",
        // Without the NodePool's spec, what its nodes are is what it launched.
        requirements: spec?.requirements ?? {
          instanceTypes: types,
          capacityTypes: list(row.capacityTypes).map(asCapacity),
          architectures: ["amd64", "arm64"],
        },
        limits: spec?.limits ?? {},
        consolidationPolicy: spec?.consolidationPolicy ?? "WhenEmptyOrUnderutilized",
      },
      requirementsSource: spec ? "nodepool" : "observed-nodes",
    };
  }
  return {
    pool: {
      ...base,
      kind: "nodes",
      labels: {},
      instanceTypes: types,
      capacityType: asCapacity(row.capacityType),
      maxSize: null,
    },
    requirementsSource: "observed-nodes",
  };
}

/** The pool's pods, each with its need now and with the recommendations applied. */
export function rightsizedPods(
  containers: ReadonlyArray<RowOf<typeof POD_CONTAINERS>>,
  recommendations: ReadonlyMap<string, Recommendation>,
): RightsizedPod[] {
  const byPod = new Map<string, Array<RowOf<typeof POD_CONTAINERS>>>();
  for (const c of containers) {
    const k = key(c.namespace, c.podName);
    byPod.set(k, [...(byPod.get(k) ?? []), c]);
  }
  return [...byPod.values()].map((cs) => {
    const first = cs[0]!;
    const now: ContainerRequests[] = [];
    const after: ContainerRequests[] = [];
    for (const c of cs) {
      const type = c.containerType === "init" || c.containerType === "sidecar" ? c.containerType : "regular";
      const current = { type, cpuCores: c.cpuRequestCores, memoryBytes: c.memoryRequestBytes } as const;
      now.push(current);
      const r =
        type === "init"
          ? undefined
          : recommendations.get(key(c.cluster, c.namespace, c.workloadKind, c.workloadName, c.containerName));
      after.push(
        r && acted(r)
          ? {
              type,
              cpuCores: r.hpaCpuTargetPercent === null ? r.recCpuRequestCores : c.cpuRequestCores,
              memoryBytes: r.hpaMemoryTargetPercent === null ? r.recMemoryRequestBytes : c.memoryRequestBytes,
            }
          : current,
      );
    }
    const need = podNeed(now);
    const recommended = podNeed(after);
    return {
      name: `${first.namespace}/${first.podName}`,
      group: `${first.namespace}/${first.workloadKind}/${first.workloadName}`,
      cpuCores: need.cpuCores,
      memoryBytes: need.memoryBytes,
      recommendedCpuCores: recommended.cpuCores,
      recommendedMemoryBytes: recommended.memoryBytes,
    };
  });
}

const byType = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([t, n]) => `${t}×${n}`)
    .join(", ");

/** What every re-pack of the run's EC2 pools reads: the pools, their pods and DaemonSets, the catalogue and prices. */
export async function readPoolInputs(tables: ComputeInput<unknown>["tables"]) {
  const pools = await tables.read("int_rightsizing_pools", POOLS, ["cluster", "capacity_pool"]);
  const containers = await tables.read("int_rightsizing_pool_pods", POD_CONTAINERS, [
    "cluster",
    "capacity_pool",
    "namespace",
    "pod_name",
    "container_name",
  ]);
  const daemonSets = await tables.read("int_rightsizing_pool_daemonsets", DAEMONSETS, [
    "cluster",
    "capacity_pool",
    "namespace",
    "workload_name",
    "container_name",
  ]);
  const typeRows = await tables.read("stg_reference__instance_types", INSTANCE_TYPES, ["instance_type"]);
  const prices = await tables.read("int_rightsizing_instance_prices", PRICES, [
    "cluster",
    "instance_type",
    "capacity_type",
  ]);
  const catalogue = instanceTypesFromRows(
    typeRows.map((t) =>
      Object.fromEntries(
        Object.entries({
          instance_type: t.instanceType,
          family: t.family,
          vcpu: t.vcpu,
          memory_gib: t.memoryGib,
          arch: t.arch,
          gpu_count: t.gpuCount,
          max_pods_eni: t.maxPodsEni,
          default_enis: t.defaultEnis,
          ipv4_per_eni: t.ipv4PerEni,
        }).map(([k, v]) => [k, v === null ? "" : String(v)]),
      ),
    ),
  );
  return { pools, containers, daemonSets, catalogue, prices };
}

/** A cluster's instance prices as the simulator takes them. */
export const instancePricesOf = (
  prices: ReadonlyArray<RowOf<typeof PRICES>>,
  cluster: string,
): InstancePrice[] =>
  prices
    .filter((p) => p.cluster === cluster)
    .map((p) => ({
      instanceType: p.instanceType,
      capacityType: asCapacity(p.capacityType),
      usdPerHour: p.usdPerHour,
    }));

export async function computeRepack({
  tables,
}: ComputeInput<unknown>): Promise<Record<string, ReadonlyArray<Record<string, unknown>>>> {
  const { pools, containers, daemonSets, catalogue, prices } = await readPoolInputs(tables);
  const recs = await tables.read("mart_rightsizing", RECOMMENDATIONS);
  const recommendations = new Map(
    recs.map((r) => [key(r.cluster, r.namespace, r.workloadKind, r.workloadName, r.containerName), r]),
  );
  const out: Array<Record<string, unknown>> = [];
  for (const row of pools) {
    const mine = <T extends { cluster: string; capacityPool: string }>(rows: readonly T[]) =>
      rows.filter((r) => r.cluster === row.cluster && r.capacityPool === row.capacityPool);
    // A DaemonSet is one pod per node: its containers, right-sized like any pod's.
    const ds = rightsizedPods(
      mine(daemonSets).map((d) => ({ ...d, podName: d.workloadName, workloadKind: "DaemonSet" })),
      recommendations,
    );
    const { pool, requirementsSource } = poolOf(
      row,
      ds.map((d) => ({ name: d.group, cpuCores: d.cpuCores, memoryBytes: d.memoryBytes })),
    );
    const daemonSetsAfter = ds.map((d) => ({
      name: d.group,
      cpuCores: d.recommendedCpuCores,
      memoryBytes: d.recommendedMemoryBytes,
    }));
    const clusterPrices = prices.filter((p) => p.cluster === row.cluster);
    const instancePrices = instancePricesOf(prices, row.cluster);
    const pods = rightsizedPods(mine(containers), recommendations);
    const c = compareRepack({ pool, catalogue, prices: instancePrices }, pods, daemonSetsAfter);
    const requestSavings = recs
      .filter(
        (r) =>
          acted(r) && r.runsOn === "ec2" && r.cluster === row.cluster && r.capacityPool === row.capacityPool,
      )
      .reduce((a, r) => a + r.requestSavingsUsd, 0);
    const usedTypes = new Set([
      ...Object.keys(c.before.totals.nodesByType),
      ...Object.keys(c.after.totals.nodesByType),
    ]);
    const sources = [
      ...new Set(clusterPrices.filter((p) => usedTypes.has(p.instanceType)).map((p) => p.priceSource)),
    ];
    out.push(poolRow(row, requirementsSource, pods.length, c, requestSavings, sources.sort().join(",")));
  }
  out.push(...fargateRows(recs));
  return { mart_rightsizing_pools: out };
}

function poolRow(
  row: PoolRow,
  requirementsSource: string,
  pods: number,
  c: RepackComparison,
  requestSavingsUsd: number,
  priceSource: string,
): Record<string, unknown> {
  return {
    cluster: row.cluster,
    capacity_pool: row.capacityPool,
    pool_kind: row.poolKind,
    autoscaler: c.autoscaler,
    instance_types: row.instanceTypes,
    requirements_source: requirementsSource,
    nodes_observed: row.nodesObserved,
    pods,
    nodes_before: c.before.totals.nodes,
    nodes_after: c.after.totals.nodes,
    lower_bound_before: c.lowerBoundBefore.nodes,
    lower_bound_after: c.lowerBoundAfter.nodes,
    unplaced_before: c.before.totals.podsUnplaced,
    unplaced_after: c.after.totals.podsUnplaced,
    nodes_before_by_type: byType(c.before.totals.nodesByType),
    nodes_after_by_type: byType(c.after.totals.nodesByType),
    usd_per_hour_before: c.before.totals.usdPerHour,
    usd_per_hour_after: c.after.totals.usdPerHour,
    freed_cpu_cores: c.freedCpuCores,
    freed_memory_bytes: c.freedMemoryBytes,
    request_savings_usd: requestSavingsUsd,
    nodes_saved_usd: c.usdPerHourSaved * row.hoursPerMonth,
    fargate_savings_usd: 0,
    price_source: priceSource || null,
    note: describeRepack(c, row.nodesObserved),
  };
}

/** Per cluster, Fargate's billed-size change: money at once, priced in mart_rightsizing already. */
function fargateRows(recs: readonly Recommendation[]): Array<Record<string, unknown>> {
  const clusters = [...new Set(recs.filter((r) => r.runsOn === "fargate").map((r) => r.cluster))].sort();
  return clusters.map((cluster) => {
    const rows = recs.filter((r) => r.runsOn === "fargate" && r.cluster === cluster);
    const pods = new Map<string, number>();
    for (const r of rows) pods.set(key(r.namespace, r.workloadKind, r.workloadName), r.currentPods);
    const podCount = [...pods.values()].reduce((a, n) => a + n, 0);
    const saved = rows.filter(acted).reduce((a, r) => a + r.requestSavingsUsd, 0);
    let freedCpu = 0;
    let freedMemory = 0;
    for (const r of rows.filter(acted)) {
      if (r.hpaCpuTargetPercent === null)
        freedCpu += ((r.cpuRequestCores ?? 0) - (r.recCpuRequestCores ?? 0)) * r.currentPods;
      if (r.hpaMemoryTargetPercent === null)
        freedMemory += ((r.memoryRequestBytes ?? 0) - (r.recMemoryRequestBytes ?? 0)) * r.currentPods;
    }
    return {
      cluster,
      capacity_pool: "fargate",
      pool_kind: "fargate",
      autoscaler: "fargate",
      instance_types: "",
      requirements_source: "fargate",
      nodes_observed: podCount,
      pods: podCount,
      nodes_before: null,
      nodes_after: null,
      lower_bound_before: null,
      lower_bound_after: null,
      unplaced_before: 0,
      unplaced_after: 0,
      nodes_before_by_type: null,
      nodes_after_by_type: null,
      usd_per_hour_before: null,
      usd_per_hour_after: null,
      freed_cpu_cores: Math.round(freedCpu * 1000) / 1000,
      freed_memory_bytes: freedMemory,
      request_savings_usd: saved,
      nodes_saved_usd: 0,
      fargate_savings_usd: saved,
      price_source: "fargate",
      note: "Fargate bills each pod's size: the smaller billed sizes save at once",
    };
  });
}
