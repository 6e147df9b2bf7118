/**
 * Graviton: per EC2 pool of x86 nodes, the Arm equivalents of its types and what moving the
 * workloads known to run on arm64 saves (the simulator's re-pack, real prices only); per workload,
 * the evidence that its images run on arm64, or what to check.
 */
import type { z } from "zod";
import { round, roundOrNull } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
import type { gravitonSettings } from "./settings.js";

const WORKLOADS = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  capacity_pool: "string?",
  pods: "number",
  images: "number",
  images_seen_on_arm: "number",
  status: "string",
  reason: "string",
} as const;

const POOLS = {
  cluster: "string",
  capacity_pool: "string",
  capacity_type: "string",
  instance_types: "string",
  arm_instance_types: "string",
  pods: "number",
  ready_pods: "number",
  ready_workloads: "number",
  unknown_workloads: "number",
  pinned_workloads: "number",
  daemonsets_not_ready: "string?",
  nodes_before: "number?",
  nodes_after_x86: "number?",
  nodes_after_arm: "number?",
  usd_per_hour_before: "number?",
  usd_per_hour_after: "number?",
  usd_per_hour_all_arm: "number?",
  arm_price_source: "string?",
  monthly_savings_usd: "number",
  monthly_all_arm_savings_usd: "number?",
  status: "string",
  reason: "string",
} as const;

export async function gravitonSection({
  marts,
  settings,
}: SectionInput<z.output<typeof gravitonSettings>>): Promise<Section> {
  const workloads = (
    await marts.read("mart_graviton_workloads", WORKLOADS, [
      "cluster",
      "namespace",
      "workload_kind",
      "workload_name",
    ])
  ).filter(() => settings.enabled);
  const pools = (
    await marts.read("mart_graviton_pools", POOLS, [
      { column: "monthly_savings_usd", round: 4, desc: true },
      "cluster",
      "capacity_pool",
    ])
  ).filter(() => settings.enabled);
  const savingsUsd = pools.reduce((a, p) => a + p.monthlySavingsUsd, 0);
  const moving = pools.filter((p) => p.status === "move_ready");
  const count = (s: string) => workloads.filter((w) => w.status === s).length;
  const x86Pools = pools.filter((p) => p.status !== "on_arm");
  return {
    view: {
      pools,
      ready: workloads.filter((w) => w.status === "arm_ready"),
      pinned: workloads.filter((w) => w.status === "pinned_amd64"),
      counts: {
        ready: count("arm_ready"),
        unknown: count("unknown"),
        pinned: count("pinned_amd64"),
        fargate: count("fargate"),
        onArm: count("on_arm"),
      },
      savingsUsd,
    },
    savings: {
      category: "graviton",
      label: "Graviton for the arm64-ready workloads",
      confidence: "fairly sure",
      monthlyUsd: !settings.enabled || x86Pools.length === 0 ? null : savingsUsd,
      reason: !settings.enabled
        ? "analyzers.graviton.enabled is false"
        : x86Pools.length === 0
          ? "no EC2 pool of x86 nodes in the run"
          : `${moving.length} of ${x86Pools.length} x86 pools with workloads whose images already run on arm64 (sure for those: seen running; ${count("unknown")} workloads unknown until their images' manifest lists are checked, not counted); Arm prices from the run or the dated snapshot, never estimated; an Arm vCPU is taken to do an x86 vCPU's work`,
    },
    recommendations: {
      graviton: {
        workloads: workloads.map((w) => ({
          cluster: w.cluster,
          namespace: w.namespace,
          workloadKind: w.workloadKind,
          workloadName: w.workloadName,
          capacityPool: w.capacityPool,
          pods: w.pods,
          images: w.images,
          imagesSeenOnArm: w.imagesSeenOnArm,
          status: w.status,
          reason: w.reason,
        })),
        pools: pools.map((p) => ({
          cluster: p.cluster,
          pool: p.capacityPool,
          capacityType: p.capacityType,
          instanceTypes: p.instanceTypes ? p.instanceTypes.split(",") : [],
          armEquivalents: p.armInstanceTypes ? p.armInstanceTypes.split(", ") : [],
          pods: p.pods,
          readyPods: p.readyPods,
          readyWorkloads: p.readyWorkloads,
          unknownWorkloads: p.unknownWorkloads,
          pinnedWorkloads: p.pinnedWorkloads,
          daemonSetsNotReady: p.daemonsetsNotReady ? p.daemonsetsNotReady.split(", ") : [],
          nodesBefore: p.nodesBefore,
          nodesAfterX86: p.nodesAfterX86,
          nodesAfterArm: p.nodesAfterArm,
          usdPerHourBefore: roundOrNull(p.usdPerHourBefore),
          usdPerHourAfter: roundOrNull(p.usdPerHourAfter),
          armPriceSource: p.armPriceSource,
          monthlySavingsUsd: round(p.monthlySavingsUsd),
          monthlyAllArmSavingsUsd: roundOrNull(p.monthlyAllArmSavingsUsd),
          status: p.status,
          reason: p.reason,
        })),
        monthlySavingsUsd: round(savingsUsd),
      },
    },
    csv: {
      file: "graviton.csv",
      columns: [
        { name: "cluster" },
        { name: "namespace" },
        { name: "workloadKind" },
        { name: "workloadName" },
        { name: "capacityPool" },
        { name: "pods" },
        { name: "images" },
        { name: "imagesSeenOnArm" },
        { name: "status" },
        { name: "reason" },
      ],
      rows: workloads,
    },
    caveats: workloads.length
      ? [
          "Graviton readiness is evidence only: an image counts as arm64 when a pod with it runs on an arm64 node of a collected cluster; other images are unknown until their manifest lists are checked. Pods keep their requests on Arm; performance per vCPU differs by workload. EKS Fargate runs x86 only.",
        ]
      : [],
  };
}
