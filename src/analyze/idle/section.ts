/**
 * Idle: what nodes cost beyond what their pods were charged, by capacity pool; nodes nearly idle
 * (below analyzers.idle.nodeUtilizationThreshold); things paid for that nothing uses.
 */
import type { z } from "zod";
import { round, roundOrNull } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
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
  namespace: "string",
  name: "string",
  monthly_cost_usd: "number?",
  reason: "string",
} as const;

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
  const nearlyIdle = nodes.filter((n) => n.nearlyIdle);
  const pools = (
    await marts.read("mart_cost_allocation", POOLS, [
      { column: "monthly_cost_usd", round: 4, desc: true },
      "cluster",
      "workload_name",
    ])
  ).filter((r) => r.workloadKind === "Idle");
  const unused = await marts.read("mart_unused_objects", UNUSED, ["cluster", "kind", "namespace", "name"]);
  return {
    view: { pools, nearlyIdleNodes: nearlyIdle, unused },
    savings: {
      category: "idle",
      label: "nearly idle nodes",
      monthlyUsd: nearlyIdle.reduce((a, n) => a + n.monthlyIdleUsd, 0),
    },
    actions: nearlyIdle.map((n) => ({
      monthlyUsd: n.monthlyIdleUsd,
      cluster: n.cluster,
      owner: n.capacityPool,
      target: `node ${n.nodeName} (${n.instanceType})`,
      fix: `drain it and let its pool shrink (${Math.round(n.allocatedShare * 100)}% used)`,
    })),
    csv: {
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
    recommendations: {
      idle: [
        ...nearlyIdle.map((n) => ({
          cluster: n.cluster,
          kind: "node",
          namespace: null,
          name: n.nodeName,
          monthlyCostUsd: round(n.monthlyIdleUsd),
          reason: `pods were charged ${(n.allocatedShare * 100).toFixed(1)}% of the node's cost (${n.pods} pods on a ${n.instanceType} ${n.capacityType} node in ${n.capacityPool}); draining it and letting the autoscaler remove it saves the idle part`,
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
      "The cluster's Kubernetes version is not collected: a cluster in extended support ($0.60 instead of $0.10 per cluster-hour) is not flagged. Load balancers are not priced: no ELB hourly price is in data/reference with its source.",
    ],
  };
}
