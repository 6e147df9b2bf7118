/**
 * Idle: what nodes cost beyond what their pods were charged, by capacity pool; nodes nearly idle
 * (below analyzers.idle.nodeUtilizationThreshold); things paid for that nothing uses.
 */
import type { z } from "zod";
import {
  type DailyValue,
  dailyTable,
  type PoolDay,
  poolCapacityChart,
  poolSummaries,
  stackedDailyChart,
  summarizeDaily,
} from "../../report/daily.js";
import { round, roundOrNull } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
import { idleNodesCountedIn } from "../rightsizing/overlap.js";
import { readPools } from "../rightsizing/pools-view.js";
import type { idleSettings } from "./settings.js";

const NODES = {
  cluster: "string",
  node_name: "string",
  instance_type: "string?",
  capacity_type: "string",
  capacity_pool: "string",
  zone: "string?",
  node_hours: "number",
  monthly_cost_usd: "number",
  monthly_idle_usd: "number",
  allocated_share: "number?",
  pods: "number",
  nearly_idle: "boolean?",
  price_sources: "string?",
} as const;

const POOLS = {
  cluster: "string",
  workload_kind: "string",
  workload_name: "string",
  monthly_cost_usd: "number",
  monthly_cpu_cost_usd: "number",
  monthly_memory_cost_usd: "number",
} as const;

const UNUSED = {
  cluster: "string",
  kind: "string",
  namespace: "string?",
  name: "string",
  monthly_cost_usd: "number?",
  reason: "string",
} as const;

const IDLE_DAILY = {
  cluster: "string",
  date: "date",
  capacity_pool: "string",
  idle_usd: "number",
} as const;

const POOL_DAYS = {
  cluster: "string",
  capacity_pool: "string",
  date: "date",
  cpu_allocatable_cores: "number",
  cpu_requested_cores: "number",
  cpu_used_cores: "number?",
} as const;

/** Pools named in the idle-per-day chart and table; the rest are summed as "other". */
const DAILY_POOLS = 6;

/** Kinds of unused objects whose cost is theirs alone (added to the savings). */
const COUNTED_KINDS = new Set(["pvc", "pv", "load-balancer", "cluster"]);

export async function idleSection({ marts }: SectionInput<z.output<typeof idleSettings>>): Promise<Section> {
  const nodes = (
    await marts.read("mart_node_costs", NODES, [
      { column: "allocated_share", round: 6 },
      { column: "monthly_cost_usd", round: 4, desc: true },
      "cluster",
      "node_name",
    ])
  ).map((n) => ({
    ...n,
    instanceType: n.instanceType ?? "unknown",
    zone: n.zone ?? "",
    allocatedShare: n.allocatedShare ?? 0,
    nearlyIdle: n.nearlyIdle ?? false,
  }));
  // A node right-sizing's re-pack removes already is its saving, not idle's (one saving, counted once).
  const countedIn = idleNodesCountedIn(
    nodes.filter((n) => n.nearlyIdle),
    await readPools(marts),
  );
  const nearlyIdle = nodes
    .filter((n) => n.nearlyIdle)
    .map((n) => ({ ...n, ...countedIn.get(`${n.cluster}\u0000${n.nodeName}`)! }));
  const notHere = nearlyIdle.filter((n) => n.countedIn !== "idle");
  const pools = (
    await marts.read("mart_cost_allocation", POOLS, [
      { column: "monthly_cost_usd", round: 4, desc: true },
      "cluster",
      "workload_name",
    ])
  ).filter((r) => r.workloadKind === "Idle");
  const unused = await marts.read("mart_unused_objects", UNUSED, ["cluster", "kind", "namespace", "name"]);
  // Counted: each object once. A namespace's and a scaled-to-zero workload's rows sum objects
  // listed on their own rows (or pods that already stopped); the EBS gap holds node root volumes.
  const counted = unused.filter((u) => COUNTED_KINDS.has(u.kind));
  const priced = counted.filter((u) => u.monthlyCostUsd !== null);
  const nodesUsd = nearlyIdle.filter((n) => n.countedIn === "idle").reduce((a, n) => a + n.monthlyIdleUsd, 0);
  const unusedUsd = priced.reduce((a, u) => a + (u.monthlyCostUsd ?? 0), 0);
  const idleDaily: DailyValue[] = (
    await marts.read("mart_idle_daily", IDLE_DAILY, ["cluster", "date", "capacity_pool"])
  ).map((d) => ({ cluster: d.cluster, date: d.date, series: d.capacityPool, usd: d.idleUsd }));
  const poolDays: PoolDay[] = await marts.read("mart_pool_capacity_daily", POOL_DAYS, [
    "cluster",
    "capacity_pool",
    "date",
  ]);
  const clusters = new Set(poolDays.map((d) => d.cluster)).size;
  const idleTable = dailyTable(idleDaily, DAILY_POOLS);
  const idleOn = new Map(idleDaily.map((d) => [`${d.cluster}\u0000${d.series}\u0000${d.date}`, d.usd]));
  return {
    view: {
      pools,
      nearlyIdleNodes: nearlyIdle,
      unused,
      daily: idleTable,
      dailySummary: summarizeDaily(idleTable),
      poolCapacity: poolSummaries(poolDays),
    },
    charts: {
      daily: stackedDailyChart(idleDaily, { n: DAILY_POOLS, title: "idle USD per day", legend: "pool" }),
      pools: poolCapacityChart(poolDays, clusters),
    },
    savings: {
      category: "idle",
      label: "nearly idle nodes and what nothing uses",
      confidence: "sure",
      monthlyUsd: nodesUsd + unusedUsd,
      reason: `${nearlyIdle.length - notHere.length} nearly idle node(s) the re-pack shows can go as the pods are ($${nodesUsd.toFixed(2)})${notHere.length ? ` (${notHere.length} of ${nearlyIdle.length} not counted here: right-sizing's nodes saved carries them, or the pods need them)` : ""} and ${priced.length} object(s) paid for and used by nothing ($${unusedUsd.toFixed(2)}: ${[...COUNTED_KINDS].join(", ")})${counted.length > priced.length ? `; ${counted.length - priced.length} unpriced, not counted` : ""}; namespaces, scaled-to-zero workloads and the EBS gap are listed, not added (they repeat those rows, or hold node root volumes)`,
    },
    actions: nearlyIdle.map((n) => ({
      monthlyUsd: n.monthlyIdleUsd,
      cluster: n.cluster,
      owner: n.capacityPool,
      target: `node ${n.nodeName} (${n.instanceType})`,
      fix: `drain it and let its pool shrink (${Math.round(n.allocatedShare * 100)}% used)`,
    })),
    csv: [
      {
        file: "idle.csv",
        columns: [
          { name: "cluster" },
          { name: "nodeName" },
          { name: "instanceType" },
          { name: "capacityType" },
          { name: "capacityPool" },
          { name: "zone" },
          { name: "nodeHours", digits: 2 },
          { name: "pods" },
          { name: "allocatedShare", digits: 4 },
          { name: "monthlyCostUsd", digits: 4 },
          { name: "monthlyIdleUsd", digits: 4 },
          { name: "nearlyIdle" },
        ],
        rows: nodes,
      },
      {
        // Per pool and day: its idle cost beside its CPU allocatable, requested and used (day averages).
        file: "idle-daily.csv",
        columns: [
          { name: "cluster" },
          { name: "capacityPool" },
          { name: "date" },
          { name: "idleUsd", digits: 4 },
          { name: "cpuAllocatableCores", digits: 3 },
          { name: "cpuRequestedCores", digits: 3 },
          { name: "cpuUsedCores", digits: 3 },
        ],
        rows: poolDays.map((d) => ({
          ...d,
          idleUsd: idleOn.get(`${d.cluster}\u0000${d.capacityPool}\u0000${d.date}`) ?? 0,
        })),
      },
    ],
    recommendations: {
      idle: [
        ...nearlyIdle.map((n) => ({
          cluster: n.cluster,
          kind: "node",
          namespace: null,
          name: n.nodeName,
          monthlyCostUsd: round(n.monthlyIdleUsd),
          reason: `pods were charged ${(n.allocatedShare * 100).toFixed(1)}% of the node's cost (${n.pods} pods on a ${n.instanceType} ${n.capacityType} node in ${n.capacityPool}); draining it and letting the autoscaler remove it saves the idle part; ${n.why}`,
        })),
        ...unused.map((u) => ({
          cluster: u.cluster,
          kind: u.kind,
          namespace: u.namespace,
          name: u.name,
          monthlyCostUsd: roundOrNull(u.monthlyCostUsd),
          reason: u.reason,
        })),
      ],
    },
    caveats: [
      "Load balancers are priced at their type's hourly charge and their public IPv4 addresses (one per zone of the cluster's nodes, an estimate), not their capacity units (traffic). Ingresses of the AWS Load Balancer Controller are not collected: an ALB whose target groups have no ready endpoint is not found.",
    ],
  };
}
