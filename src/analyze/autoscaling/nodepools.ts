/**
 * Karpenter NodePools against their `limits`: Karpenter launches no node that would take the
 * capacity of a NodePool's nodes past a limit, so a NodePool at a limit leaves the pods that need
 * a node Pending. The limits are quantities read exactly (core/eks/nodepool.ts); each hour pods
 * that land on the NodePool were Pending is compared with them, and only the hours at a limit
 * count for `limit_reached_pending`.
 */
import { nodePoolSpec } from "../../core/eks/nodepool.js";
import { round } from "../../report/format.js";
import type { MartReader } from "../marts.js";

const NODEPOOLS = {
  cluster: "string",
  nodepool: "string",
  limits: "string?",
  nodes: "number",
  cpu_capacity_cores: "number",
  memory_capacity_bytes: "number",
  pending_hours: "number",
  pending_pod_hours: "number",
} as const;

const HOURS = {
  cluster: "string",
  nodepool: "string",
  hour: "timestamp",
  cpu_capacity_cores: "number",
  memory_capacity_bytes: "number",
  pending_pod_hours: "number",
} as const;

const GIB = 1024 ** 3;

interface Usage {
  cpuLimitCores: number | null;
  memoryLimitBytes: number | null;
  /** The limits the capacity is at or above, said with their figures ("16 vCPU up, cpu limit 16 vCPU"). */
  reachedLimits: string[];
  reached: boolean;
}

/** A NodePool's limits against its nodes' capacity (a limit null: none on that resource). */
export function nodePoolUsage(limitsJson: string | null, cpuCores: number, memoryBytes: number): Usage {
  const { limits } = nodePoolSpec([], limitsJson ? JSON.parse(limitsJson) : null, null);
  const cpu = limits.cpuCores ?? null;
  const memory = limits.memoryBytes ?? null;
  const reachedLimits = [
    ...(cpu !== null && cpuCores >= cpu
      ? [`${round(cpuCores, 3)} vCPU up, cpu limit ${round(cpu, 3)} vCPU`]
      : []),
    ...(memory !== null && memoryBytes >= memory
      ? [`${round(memoryBytes / GIB, 2)} GiB up, memory limit ${round(memory / GIB, 2)} GiB`]
      : []),
  ];
  return { cpuLimitCores: cpu, memoryLimitBytes: memory, reachedLimits, reached: reachedLimits.length > 0 };
}

/** Its limits on other resources (`nvidia.com/gpu`, …): the node inventory has no capacity for them to compare. */
function uncomparedLimits(limitsJson: string | null): string[] {
  const limits = ((limitsJson ? JSON.parse(limitsJson) : null) ?? {}) as Record<string, unknown>;
  return Object.keys(limits)
    .filter((k) => k !== "cpu" && k !== "memory")
    .sort();
}

const hourText = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00`;

/** Each NodePool with its finding: limit_reached_pending, limit_reached (now) or ok. */
export async function nodePoolFindings(marts: MartReader) {
  const pools = await marts.read("mart_autoscaler_nodepools", NODEPOOLS, ["cluster", "nodepool"]);
  const hours = await marts.read("mart_autoscaler_nodepool_hours", HOURS, ["cluster", "nodepool", "hour"]);
  return pools.map((p) => {
    const now = nodePoolUsage(p.limits, p.cpuCapacityCores, p.memoryCapacityBytes);
    // The hours pods that land on it waited while its nodes' capacity was at a limit.
    const atLimit = hours
      .filter((h) => h.cluster === p.cluster && h.nodepool === p.nodepool)
      .map((h) => ({ ...h, usage: nodePoolUsage(p.limits, h.cpuCapacityCores, h.memoryCapacityBytes) }))
      .filter((h) => h.usage.reached);
    const hoursAtLimitPending = atLimit.length;
    const pendingPodHoursAtLimit = atLimit.reduce((a, h) => a + h.pendingPodHours, 0);
    // The most capacity its nodes had in those hours, against the limits it reached.
    const peak = atLimit.length
      ? nodePoolUsage(
          p.limits,
          Math.max(...atLimit.map((h) => h.cpuCapacityCores)),
          Math.max(...atLimit.map((h) => h.memoryCapacityBytes)),
        )
      : undefined;
    const whilePending = peak !== undefined;
    const others = uncomparedLimits(p.limits);
    const notCompared = others.length
      ? `its limits on ${others.join(", ")} are not compared (the node inventory has no capacity for them)`
      : "";
    const none = now.cpuLimitCores === null && now.memoryLimitBytes === null;
    return {
      ...p,
      cpuLimitCores: now.cpuLimitCores,
      memoryLimitBytes: now.memoryLimitBytes,
      reached: now.reached || whilePending,
      limitReachedWhilePending: whilePending,
      hoursAtLimitPending,
      pendingPodHoursAtLimit,
      finding: whilePending ? "limit_reached_pending" : now.reached ? "limit_reached" : "ok",
      reason: whilePending
        ? `its nodes' capacity was at its limits (${peak.reachedLimits.join(" and ")}) for ${hoursAtLimitPending} of the ${p.pendingHours} hours pods that land on it were Pending (${round(pendingPodHoursAtLimit, 2)} pod-hours then, ${hourText(atLimit[0]!.hour)} to ${hourText(atLimit[atLimit.length - 1]!.hour)}): Karpenter launched no node for them; raise spec.limits`
        : now.reached
          ? `its ${p.nodes} nodes' capacity has reached its limits (${now.reachedLimits.join(" and ")}): Karpenter launches no more nodes and pods that need one wait`
          : none && notCompared
            ? `no cpu or memory limits; ${notCompared}`
            : none
              ? "no limits"
              : ["below its limits", notCompared].filter(Boolean).join("; "),
    };
  });
}
