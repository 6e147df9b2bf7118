/**
 * The rightsizing analyzer's compute step: what the recommendations are worth in nodes. Each EC2
 * capacity pool's running pods are packed by the node simulator (src/core/eks/) onto the types
 * the pool may launch, after its DaemonSets, with their current requests and again with the
 * recommended ones (ok and hpa_managed rows; a resource an HPA scales on keeps its request); the
 * node cost that goes away is the saving. Fargate bills each pod's size: its saving is the
 * billed-size change mart_rightsizing prices already. Writes mart_rightsizing_pools.
 */
import type { z } from "zod";
import { DEFAULT_NODE_SETTINGS } from "../../core/eks/instance-types.js";
import { compareRepack, type RepackComparison } from "../../core/eks/repack.js";
import type { ComputeInput } from "../analyzer.js";
import {
  acted,
  instancePricesOf,
  key,
  type PoolRow,
  poolOf,
  RECOMMENDATIONS,
  type Recommendation,
  readPoolInputs,
  rightsizedPods,
} from "./repack-input.js";
import { describeRepack } from "./repack-note.js";
import type { rightsizingSettings } from "./settings.js";

const byType = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([t, n]) => `${t}×${n}`)
    .join(", ");

export async function computeRepack({
  tables,
  settings,
}: ComputeInput<z.output<typeof rightsizingSettings>>): Promise<
  Record<string, ReadonlyArray<Record<string, unknown>>>
> {
  const nodeSettings = { ...DEFAULT_NODE_SETTINGS, ...settings.nodes };
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
    const c = compareRepack({ pool, catalogue, prices: instancePrices, nodeSettings }, pods, daemonSetsAfter);
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
    min_size: row.minSize,
    max_size: row.maxSize,
    nodes_held_by_min_size: c.after.heldByMinSize.nodes,
    min_size_savings_usd: c.after.heldByMinSize.usdPerHour * row.hoursPerMonth,
    price_source: priceSource || null,
    note: describeRepack(c, {
      cluster: row.cluster,
      nodesObserved: row.nodesObserved,
      minSize: row.minSize,
      maxSize: row.maxSize,
      hoursPerMonth: row.hoursPerMonth,
    }),
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
      min_size: null,
      max_size: null,
      nodes_held_by_min_size: 0,
      min_size_savings_usd: 0,
      price_source: "fargate",
      note: "Fargate bills each pod's size: the smaller billed sizes save at once",
    };
  });
}
