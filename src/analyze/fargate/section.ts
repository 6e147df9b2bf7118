/**
 * Fargate: per pod, the billed size against the need and what the slack costs; the pods a small
 * cut or right-sizing drops a size; per workload, Fargate against the cluster's EC2 pools.
 */
import type { z } from "zod";
import { round, roundOrNull } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
import type { fargateSettings } from "./settings.js";

const PODS = {
  cluster: "string",
  namespace: "string",
  pod_name: "string",
  workload_kind: "string",
  workload_name: "string",
  cpu_request_cores: "number",
  memory_request_bytes: "number",
  computed_vcpu: "number",
  computed_memory_gib: "number",
  capacity_provisioned: "string?",
  annotation_status: "string",
  billed_vcpu: "number",
  billed_memory_gib: "number",
  billed_basis: "string",
  price_source: "string",
  monthly_cost_usd: "number",
  monthly_slack_usd: "number",
  status: "string",
  reason: "string",
  recommended_vcpu: "number?",
  recommended_memory_gib: "number?",
  recommended_cpu_request_cores: "number?",
  recommended_memory_request_bytes: "number?",
  monthly_savings_usd: "number",
  counted_savings_usd: "number",
} as const;

const PLACEMENT = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  runs_on: "string",
  status: "string",
  reason: "string",
  duty_cycle: "number",
  avg_replicas: "number",
  ec2_pool: "string?",
  fargate_monthly_usd: "number?",
  ec2_monthly_usd: "number?",
  current_monthly_usd: "number?",
  monthly_savings_usd: "number",
} as const;

const size = (vcpu: number | null, memoryGib: number | null) =>
  vcpu === null || memoryGib === null ? null : `${vcpu} vCPU / ${memoryGib} GB`;

export async function fargateSection({
  marts,
}: SectionInput<z.output<typeof fargateSettings>>): Promise<Section> {
  const pods = (
    await marts.read("mart_fargate_sizing", PODS, [
      { column: "monthly_savings_usd", round: 4, desc: true },
      { column: "monthly_slack_usd", round: 4, desc: true },
      "cluster",
      "namespace",
      "pod_name",
    ])
  ).map((p) => ({
    ...p,
    billedSize: size(p.billedVcpu, p.billedMemoryGib),
    computedSize: size(p.computedVcpu, p.computedMemoryGib),
    recommendedSize: size(p.recommendedVcpu, p.recommendedMemoryGib),
  }));
  const compared = await marts.read("mart_fargate_placement", PLACEMENT, [
    { column: "monthly_savings_usd", round: 4, desc: true },
    "cluster",
    "namespace",
    "workload_kind",
    "workload_name",
  ]);
  const placement = compared.filter((w) => w.runsOn === "fargate" || w.status === "move_to_fargate");
  const moves = placement.filter((w) => w.status === "move_to_ec2" || w.status === "move_to_fargate");
  const key = (w: { cluster: string; namespace: string; workloadKind: string; workloadName: string }) =>
    `${w.cluster}/${w.namespace}/${w.workloadKind}/${w.workloadName}`;
  // A workload moving to EC2 no longer has Fargate sizes to step down: its pods' step-downs are not counted.
  const moving = new Set(moves.map(key));
  const stepDown = pods.filter((p) => !moving.has(key(p))).reduce((a, p) => a + p.countedSavingsUsd, 0);
  // A move is priced at today's requests; right-sizing already counts what its Fargate pods save
  // by shrinking, so only what the move saves beyond that is counted here.
  const rightsized = new Map<string, number>();
  for (const p of pods.filter((p) => p.status === "rightsize_fits")) {
    rightsized.set(key(p), (rightsized.get(key(p)) ?? 0) + p.monthlySavingsUsd);
  }
  const countedMove = (w: (typeof moves)[number]) =>
    Math.max(0, w.monthlySavingsUsd - (rightsized.get(key(w)) ?? 0));
  const placementSavings = moves.reduce((a, w) => a + w.monthlySavingsUsd, 0);
  const placementCounted = moves.reduce((a, w) => a + countedMove(w), 0);
  // Nothing to compare: no Fargate pod, and no workload priced on both sides (no Fargate price, no EC2 pool).
  const ran = pods.length > 0 || compared.some((w) => w.status !== "unpriced");
  const reason = !ran
    ? "no Fargate pods, and no workload priced on both Fargate and EC2 (no Fargate price for the region, or no priced EC2 pool)"
    : pods.length === 0 && placement.length === 0
      ? "no Fargate pods in the run, and no bursty EC2 workload cheaper on Fargate"
      : `${pods.filter((p) => p.status === "step_down").length} pods a small cut moves a size down; ${moves.length} workloads to move between Fargate and EC2, counted beyond what right-sizing their Fargate pods already saves`;
  return {
    view: {
      pods,
      flagged: pods.filter((p) => p.status === "step_down" || p.status === "rightsize_fits"),
      slackUsd: pods.reduce((a, p) => a + p.monthlySlackUsd, 0),
      costUsd: pods.reduce((a, p) => a + p.monthlyCostUsd, 0),
      stepDownUsd: stepDown,
      // The pods grouped by workload, for the Markdown report (one row per workload, not per pod).
      podsByWorkload: byWorkload(pods),
      placement,
      placementSavingsUsd: placementSavings,
      placementCountedUsd: placementCounted,
    },
    savings: {
      category: "fargate",
      label: "Fargate sizes and placement",
      confidence: "sure",
      monthlyUsd: ran ? stepDown + placementCounted : null,
      reason,
    },
    actions: moves.map((w) => ({
      monthlyUsd: countedMove(w),
      cluster: w.cluster,
      owner: w.namespace,
      target: `${w.workloadKind} ${w.workloadName}`,
      fix: w.status === "move_to_ec2" ? "run it on EC2 nodes instead of Fargate" : "run it on Fargate",
    })),
    recommendations: {
      fargate: pods.map((p) => ({
        cluster: p.cluster,
        namespace: p.namespace,
        pod: p.podName,
        workloadKind: p.workloadKind,
        workloadName: p.workloadName,
        requested: { cpuCores: p.cpuRequestCores, memoryBytes: p.memoryRequestBytes },
        computed: { vcpu: p.computedVcpu, memoryGb: p.computedMemoryGib },
        billed: { vcpu: p.billedVcpu, memoryGb: p.billedMemoryGib, basis: p.billedBasis },
        annotation: p.capacityProvisioned,
        annotationStatus: p.annotationStatus,
        recommended:
          p.recommendedVcpu === null
            ? null
            : {
                cpuRequestCores: p.recommendedCpuRequestCores,
                memoryRequestBytes: p.recommendedMemoryRequestBytes,
                vcpu: p.recommendedVcpu,
                memoryGb: p.recommendedMemoryGib,
              },
        monthlyCostUsd: round(p.monthlyCostUsd),
        monthlySlackUsd: round(p.monthlySlackUsd),
        monthlySavingsUsd: round(p.monthlySavingsUsd),
        priceSource: p.priceSource,
        status: p.status,
        reason: p.reason,
      })),
      fargatePlacement: placement.map((w) => ({
        cluster: w.cluster,
        namespace: w.namespace,
        workloadKind: w.workloadKind,
        workloadName: w.workloadName,
        runsOn: w.runsOn,
        dutyCycle: round(w.dutyCycle),
        averageReplicas: round(w.avgReplicas),
        ec2Pool: w.ec2Pool,
        fargateMonthlyUsd: roundOrNull(w.fargateMonthlyUsd),
        ec2MonthlyUsd: roundOrNull(w.ec2MonthlyUsd),
        monthlySavingsUsd: round(w.monthlySavingsUsd),
        status: w.status,
        reason: w.reason,
      })),
    },
    csv: {
      file: "fargate.csv",
      columns: [
        { name: "cluster" },
        { name: "namespace" },
        { name: "podName" },
        { name: "workloadKind" },
        { name: "workloadName" },
        { name: "cpuRequestCores", digits: 3 },
        { name: "memoryRequestBytes" },
        { name: "billedSize" },
        { name: "annotationStatus" },
        { name: "monthlyCostUsd", digits: 2 },
        { name: "monthlySlackUsd", digits: 2 },
        { name: "status" },
        { name: "recommendedSize" },
        { name: "recommendedCpuRequestCores", digits: 3 },
        { name: "recommendedMemoryRequestBytes" },
        { name: "monthlySavingsUsd", digits: 2 },
        { name: "reason" },
      ],
      rows: pods,
    },
    caveats: placement.length
      ? [
          "Fargate ↔ EC2 placement prices a workload's requests at its cluster's largest on-demand pool's per-core and per-GiB rates plus that pool's DaemonSet overhead per node; it does not re-pack nodes.",
        ]
      : [],
  };
}

/** Fargate pods by workload: how many, the sizes they are billed, what they cost and waste. */
function byWorkload(
  pods: ReadonlyArray<{
    cluster: string;
    namespace: string;
    workloadKind: string;
    workloadName: string;
    billedSize: string | null;
    annotationStatus: string;
    monthlyCostUsd: number;
    monthlySlackUsd: number;
  }>,
) {
  const groups = new Map<string, { billed: Set<string>; rows: Array<(typeof pods)[number]> }>();
  for (const p of pods) {
    const key = [p.cluster, p.namespace, p.workloadKind, p.workloadName].join("\u0000");
    const g = groups.get(key) ?? { billed: new Set<string>(), rows: [] };
    if (p.billedSize) g.billed.add(p.billedSize);
    g.rows.push(p);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map(({ billed, rows }) => ({
      cluster: rows[0]!.cluster,
      namespace: rows[0]!.namespace,
      workloadKind: rows[0]!.workloadKind,
      workloadName: rows[0]!.workloadName,
      pods: rows.length,
      billedSizes: [...billed].sort().join(", "),
      // The pods' CapacityProvisioned annotations that differ from the size or cannot be read.
      annotations: [...new Set(rows.map((p) => p.annotationStatus))]
        .filter((a) => a === "differs" || a === "unparseable")
        .sort()
        .join(", "),
      monthlyCostUsd: rows.reduce((a, p) => a + p.monthlyCostUsd, 0),
      monthlySlackUsd: rows.reduce((a, p) => a + p.monthlySlackUsd, 0),
    }))
    .sort(
      (a, b) =>
        Math.round(b.monthlyCostUsd * 100) - Math.round(a.monthlyCostUsd * 100) ||
        [a.namespace, a.workloadName].join("/").localeCompare([b.namespace, b.workloadName].join("/")),
    );
}
