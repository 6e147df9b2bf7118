/**
 * Autoscaler health: HPAs that cannot or do not scale (no request for the resource, no
 * metrics-server, min = max, capped at max, never moving, limits so close to requests that
 * throttling caps the signal) and nodes idle for long stretches that their pool's autoscaler
 * never removed, with what kept them.
 */
import type { z } from "zod";
import { nodePoolSpec } from "../../core/eks/nodepool.js";
import { round, roundOrNull } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
import type { autoscalingSettings } from "./settings.js";

const HPAS = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  hpa_name: "string",
  hpa_min_replicas: "number?",
  hpa_max_replicas: "number?",
  cpu_target_percent: "number?",
  finding: "string",
  reason: "string",
  monthly_usd: "number?",
} as const;

const NODES = {
  cluster: "string",
  node_name: "string",
  capacity_pool: "string?",
  instance_type: "string?",
  hours: "number",
  idle_hours: "number",
  idle_share: "number",
  nearly_idle: "boolean",
  blockers: "string",
  monthly_idle_usd: "number",
} as const;

const NODEGROUPS = {
  cluster: "string",
  nodegroup: "string",
  min_size: "number",
  max_size: "number",
  desired_size: "number",
  nodes: "number",
  pending_pods: "number",
  finding: "string",
  reason: "string",
} as const;

const NODEPOOLS = {
  cluster: "string",
  nodepool: "string",
  limits: "string?",
  nodes: "number",
  cpu_capacity_cores: "number",
  memory_capacity_bytes: "number",
} as const;

/** Share of a NodePool's limits its nodes' capacity takes (null: no limit on that resource). */
export function nodePoolUsage(
  limitsJson: string | null,
  cpuCores: number,
  memoryBytes: number,
): { cpuLimitCores: number | null; memoryLimitBytes: number | null; reached: boolean } {
  const { limits } = nodePoolSpec([], limitsJson ? JSON.parse(limitsJson) : null, null);
  const cpu = limits.cpuCores ?? null;
  const memory = limits.memoryBytes ?? null;
  return {
    cpuLimitCores: cpu,
    memoryLimitBytes: memory,
    reached: (cpu !== null && cpuCores >= cpu) || (memory !== null && memoryBytes >= memory),
  };
}

export async function autoscalingSection({
  marts,
}: SectionInput<z.output<typeof autoscalingSettings>>): Promise<Section> {
  const hpas = await marts.read("mart_autoscaler_hpas", HPAS, [
    "cluster",
    "namespace",
    "workload_kind",
    "workload_name",
    "finding",
  ]);
  const nodes = await marts.read("mart_autoscaler_nodes", NODES, [
    { column: "monthly_idle_usd", round: 4, desc: true },
    "cluster",
    "node_name",
  ]);
  const nodegroups = await marts.read("mart_autoscaler_nodegroups", NODEGROUPS, ["cluster", "nodegroup"]);
  const nodepools = (await marts.read("mart_autoscaler_nodepools", NODEPOOLS, ["cluster", "nodepool"])).map(
    (p) => {
      const u = nodePoolUsage(p.limits, p.cpuCapacityCores, p.memoryCapacityBytes);
      return {
        ...p,
        ...u,
        finding: u.reached ? "limit_reached" : "ok",
        reason: u.reached
          ? `its ${p.nodes} nodes' capacity (${round(p.cpuCapacityCores, 3)} vCPU) has reached its limits: Karpenter launches no more nodes and pods that need one wait`
          : u.cpuLimitCores === null && u.memoryLimitBytes === null
            ? "no limits"
            : "below its limits",
      };
    },
  );
  const findings = hpas.filter((h) => h.finding !== "ok");
  const unservedUsd = findings.reduce((a, h) => a + (h.finding === "at_max" ? (h.monthlyUsd ?? 0) : 0), 0);
  const counted = nodes.filter((n) => !n.nearlyIdle);
  const idleUsd = counted.reduce((a, n) => a + n.monthlyIdleUsd, 0);
  const hpaCount = new Set(hpas.map((h) => `${h.cluster}/${h.namespace}/${h.hpaName}`)).size;
  return {
    view: {
      findings,
      hpaCount,
      nodes: nodes.map((n) => ({ ...n, blockers: n.blockers || "none found in the collected data" })),
      unservedUsd,
      idleUsd,
      nodegroups,
      nodepools: nodepools.filter((p) => p.reached),
    },
    savings: {
      category: "autoscaling",
      label: "idle nodes the autoscaler never removed",
      monthlyUsd: nodes.length || hpas.length ? idleUsd : null,
      reason: nodes.length
        ? `${nodes.length} nodes idle for long stretches and still up (their idle hours priced; sure: measured hour by hour); ${nodes.length - counted.length} of them are counted under idle (nearly idle nodes) and left out here; HPAs capped at their max leave demand unserved worth ${round(unservedUsd, 2)} USD a month (a reliability cost, not counted)`
        : hpas.length
          ? `no node idle for long stretches; HPAs capped at their max leave demand unserved worth ${round(unservedUsd, 2)} USD a month (a reliability cost, not counted)`
          : "no HPA and no EC2 node history in the run",
    },
    recommendations: {
      autoscaling: {
        hpas: hpas.map((h) => ({
          cluster: h.cluster,
          namespace: h.namespace,
          workloadKind: h.workloadKind,
          workloadName: h.workloadName,
          hpa: h.hpaName,
          minReplicas: h.hpaMinReplicas,
          maxReplicas: h.hpaMaxReplicas,
          cpuTargetPercent: h.cpuTargetPercent,
          finding: h.finding,
          reason: h.reason,
          monthlyUsd: roundOrNull(h.monthlyUsd),
        })),
        idleNodes: nodes.map((n) => ({
          cluster: n.cluster,
          node: n.nodeName,
          pool: n.capacityPool,
          instanceType: n.instanceType,
          hours: n.hours,
          idleHours: n.idleHours,
          idleShare: round(n.idleShare),
          countedUnderIdle: n.nearlyIdle,
          blockers: n.blockers ? n.blockers.split("; ") : [],
          monthlyIdleUsd: round(n.monthlyIdleUsd),
        })),
        nodeGroups: nodegroups.map((g) => ({
          cluster: g.cluster,
          nodegroup: g.nodegroup,
          minSize: g.minSize,
          maxSize: g.maxSize,
          desiredSize: g.desiredSize,
          nodes: g.nodes,
          pendingPods: g.pendingPods,
          finding: g.finding,
          reason: g.reason,
        })),
        nodePools: nodepools.map((p) => ({
          cluster: p.cluster,
          nodepool: p.nodepool,
          nodes: p.nodes,
          cpuCapacityCores: round(p.cpuCapacityCores),
          memoryCapacityBytes: p.memoryCapacityBytes,
          cpuLimitCores: p.cpuLimitCores,
          memoryLimitBytes: p.memoryLimitBytes,
          finding: p.finding,
          reason: p.reason,
        })),
        monthlyUnservedUsd: round(unservedUsd),
      },
    },
    csv: {
      file: "autoscaling.csv",
      columns: [
        { name: "cluster" },
        { name: "namespace" },
        { name: "workloadKind" },
        { name: "workloadName" },
        { name: "hpaName" },
        { name: "hpaMinReplicas" },
        { name: "hpaMaxReplicas" },
        { name: "finding" },
        { name: "monthlyUsd", digits: 2 },
        { name: "reason" },
      ],
      rows: hpas,
    },
    caveats: hpas.length
      ? [
          "HPA status conditions (ScalingActive, AbleToScale) and the history of pending pods are not collected: an HPA that cannot read its metrics is found from its missing requests or a missing metrics-server, and node groups at their max size are judged on the snapshot's pending pods only. Nodes removed during the window are not in the inventory, so nodes idle before they went do not count.",
        ]
      : [],
  };
}
