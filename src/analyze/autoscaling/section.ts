/**
 * Autoscaler health: HPAs that cannot or do not scale (no request for the resource, no
 * metrics-server, min = max, capped at max, never moving, limits so close to requests that
 * throttling caps the signal) and nodes idle for long stretches that their pool's autoscaler
 * never removed, with what kept them.
 */
import type { z } from "zod";
import { nodegroupScalingCommand } from "../../core/eks/nodegroup-command.js";
import { round, roundOrNull } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
import { nodePoolFindings } from "./nodepools.js";
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
  hours_at_max_pending: "number",
  pending_pod_hours_at_max: "number",
  peak_pending_pods_at_max: "number",
  suggested_max_size: "number?",
  finding: "string",
  reason: "string",
} as const;

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
  const nodegroups = (
    await marts.read("mart_autoscaler_nodegroups", NODEGROUPS, ["cluster", "nodegroup"])
  ).map((g) => ({
    ...g,
    paste:
      g.suggestedMaxSize === null
        ? null
        : nodegroupScalingCommand(g.cluster, g.nodegroup, { maxSize: g.suggestedMaxSize }),
  }));
  const nodepools = await nodePoolFindings(marts);
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
      nodegroups: nodegroups.map((g) => ({ ...g, pasteLines: g.paste ? [g.paste] : [] })),
      nodepools: nodepools.filter((p) => p.reached),
    },
    savings: {
      category: "autoscaling",
      label: "idle nodes the autoscaler never removed",
      confidence: "sure",
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
          hoursAtMaxPending: g.hoursAtMaxPending,
          pendingPodHoursAtMax: round(g.pendingPodHoursAtMax),
          peakPendingPodsAtMax: g.peakPendingPodsAtMax,
          suggestedMaxSize: g.suggestedMaxSize,
          finding: g.finding,
          reason: g.reason,
          paste: g.paste,
        })),
        nodePools: nodepools.map((p) => ({
          cluster: p.cluster,
          nodepool: p.nodepool,
          nodes: p.nodes,
          cpuCapacityCores: round(p.cpuCapacityCores),
          memoryCapacityBytes: p.memoryCapacityBytes,
          cpuLimitCores: p.cpuLimitCores,
          memoryLimitBytes: p.memoryLimitBytes,
          pendingHours: p.pendingHours,
          pendingPodHours: round(p.pendingPodHours),
          limitReachedWhilePending: p.limitReachedWhilePending,
          hoursAtLimitPending: p.hoursAtLimitPending,
          pendingPodHoursAtLimit: round(p.pendingPodHoursAtLimit),
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
    caveats:
      hpas.length || nodegroups.length
        ? [
            "HPA status conditions are the snapshot's: an HPA that could not read its metrics earlier in the window and can now shows no finding. A Pending pod is put on the pool its workload's other pods ran on (a pod whose workload never ran is counted for no pool), and node groups are judged against today's max size. Nodes removed during the window are not in the inventory, so nodes idle before they went do not count, and hours at max size are counted on the nodes still there.",
          ]
        : [],
  };
}
