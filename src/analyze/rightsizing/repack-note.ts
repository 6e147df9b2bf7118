/** A pool's re-pack in words: what the recommendations free, in nodes, and who removes them. */
import type { RepackComparison } from "../../core/eks/repack.js";

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** `freed 3.2 vCPU and 1.5 GiB of requests`; a resource that grows reads "added". */
export function freedText(cpuCores: number, memoryBytes: number): string {
  const cpu = Math.round(cpuCores * 10) / 10;
  const gib = Math.round((memoryBytes / 1024 ** 3) * 10) / 10;
  const part = (n: number, unit: string) => `${n < 0 ? "added" : "freed"} ${Math.abs(n)} ${unit}`;
  return cpu < 0 === gib < 0
    ? `${cpu < 0 ? "added" : "freed"} ${Math.abs(cpu)} vCPU and ${Math.abs(gib)} GiB of requests`
    : `${part(cpu, "vCPU")} and ${part(gib, "GiB")} of requests`;
}

const WHO: Record<RepackComparison["autoscaler"], (after: number) => string> = {
  karpenter: () => "Karpenter consolidates under-used nodes: it gets there by itself",
  "karpenter-empty-only": () =>
    "the NodePool consolidates WhenEmpty only: a node goes once its pods have left it (a rollout, a drain)",
  "cluster-autoscaler": () =>
    "Cluster Autoscaler removes nodes under its utilisation threshold whose pods fit elsewhere: this is the most it reaches",
  none: (after) =>
    `no autoscaler scales this group: nothing is saved until someone sets it to ${plural(after, "node")}`,
  fargate: () => "Fargate bills each pod's size",
};

/** The pool's note: nodes before and after, or why none goes away; unplaced pods; the observed count. */
export function describeRepack(c: RepackComparison, nodesObserved: number): string {
  const before = c.before.totals.nodes;
  const after = c.after.totals.nodes;
  const parts: string[] = [];
  if (after < before) {
    parts.push(
      `${freedText(c.freedCpuCores, c.freedMemoryBytes)}: the pods fit on ${plural(after, "node")} instead of ${before}; ${WHO[c.autoscaler](after)}`,
    );
  } else if (after > before) {
    parts.push(
      `${freedText(c.freedCpuCores, c.freedMemoryBytes)}: the pods need ${plural(after, "node")} instead of ${before}`,
    );
  } else if (c.usdPerHourSaved > 0) {
    parts.push(
      `${freedText(c.freedCpuCores, c.freedMemoryBytes)}: as many nodes (${before}), of cheaper types; ${WHO[c.autoscaler](after)}`,
    );
  } else {
    parts.push(
      `${freedText(c.freedCpuCores, c.freedMemoryBytes)}, not enough to remove a node (${plural(before, "node")} either way)`,
    );
  }
  if (nodesObserved > before) {
    parts.push(`it runs ${plural(nodesObserved, "node")} now: its pods as they are fit on ${before}`);
  }
  const unplaced = Math.max(c.before.totals.podsUnplaced, c.after.totals.podsUnplaced);
  if (unplaced > 0) parts.push(`${plural(unplaced, "pod")} fit no type the pool allows and are left out`);
  return parts.join("; ");
}
