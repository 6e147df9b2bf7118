/**
 * What the re-pack reads (repack.ts): the models' columns, and the simulator's pool and pods built
 * from their rows, the recommendations applied to each pod.
 */
import { type ContainerRequests, podNeed } from "../../core/eks/fargate.js";
import {
  type CapacityType,
  type InstancePrice,
  instanceTypesFromRows,
} from "../../core/eks/instance-types.js";
import { nodePoolSpec } from "../../core/eks/nodepool.js";
import type { Pool } from "../../core/eks/pools.js";
import type { RightsizedPod } from "../../core/eks/repack.js";
import type { ComputeInput } from "../analyzer.js";
import type { RowOf } from "../marts.js";

export const POOLS = {
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
  min_size: "number?",
  max_size: "number?",
  cluster_autoscaler: "boolean",
  hours_per_month: "number",
} as const;

export const POD_CONTAINERS = {
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

export const DAEMONSETS = {
  cluster: "string",
  capacity_pool: "string",
  namespace: "string",
  workload_name: "string",
  container_name: "string",
  container_type: "string",
  cpu_request_cores: "number?",
  memory_request_bytes: "number?",
} as const;

export const INSTANCE_TYPES = {
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

export const PRICES = {
  cluster: "string",
  instance_type: "string",
  capacity_type: "string",
  usd_per_hour: "number",
  price_source: "string",
} as const;

export const RECOMMENDATIONS = {
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

export type Recommendation = RowOf<typeof RECOMMENDATIONS>;
export type PoolRow = RowOf<typeof POOLS>;

/** Rows worth acting on (at_risk rows are reliability fixes, counted apart). */
export const acted = (r: { status: string }) => r.status === "ok" || r.status === "hpa_managed";

export const key = (...parts: string[]) => parts.join("\u0000");
const list = (text: string | null) => (text ? text.split(",").filter(Boolean) : []);
const json = (text: string | null): unknown => (text ? JSON.parse(text) : null);
export const asCapacity = (value: string): CapacityType => (value === "spot" ? "spot" : "on-demand");

/** The simulator's instance catalogue from rows of stg_reference__instance_types. */
export function catalogueOf(typeRows: ReadonlyArray<RowOf<typeof INSTANCE_TYPES>>) {
  return instanceTypesFromRows(
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
}

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
        // The EKS API's sizes; without them (eks:DescribeNodegroup refused) the group is unbounded.
        minSize: row.minSize ?? 0,
        maxSize: row.maxSize ?? Infinity,
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
  const catalogue = catalogueOf(typeRows);
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
