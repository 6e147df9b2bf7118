/** A pool's re-pack in words: what the recommendations free, in nodes, and who removes them. */
import type { UnplacedPod } from "../../core/eks/packing-types.js";
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

/** What the note says about the pool beyond the re-pack. */
export interface PoolFacts {
  cluster: string;
  nodesObserved: number;
  /** A managed node group's scalingConfig, as the EKS API gave it (null: unknown or not a group). */
  minSize: number | null;
  maxSize: number | null;
  hoursPerMonth: number;
}

/** Pods left out, by why: a node group's maxSize, a NodePool's limits, or no type that fits. */
function unplacedText(unplaced: readonly UnplacedPod[], facts: PoolFacts): string[] {
  const count = (reason: UnplacedPod["reason"]) => unplaced.filter((u) => u.reason === reason).length;
  const atMax = count("max-size-reached");
  const atLimit = count("pool-limit-reached");
  const other = unplaced.length - atMax - atLimit;
  return [
    ...(atMax
      ? [`${plural(atMax, "pod")} do not fit within the node group's maxSize (${facts.maxSize})`]
      : []),
    ...(atLimit ? [`${plural(atLimit, "pod")} do not fit within the NodePool's limits`] : []),
    ...(other ? [`${plural(other, "pod")} fit no type the pool allows and are left out`] : []),
  ];
}

/**
 * The pool's note: nodes before and after, or why none goes away; the nodes only a node group's
 * minSize keeps, with the setting to change and what it saves; unplaced pods; the observed count.
 */
export function describeRepack(c: RepackComparison, facts: PoolFacts): string {
  const before = c.before.totals.nodes;
  const after = c.after.totals.nodes;
  const held = c.after.heldByMinSize;
  const needed = after - held.nodes;
  const freed = freedText(c.freedCpuCores, c.freedMemoryBytes);
  const parts: string[] = [];
  if (after < before) {
    parts.push(
      `${freed}: the pods fit on ${plural(after, "node")} instead of ${before}; ${WHO[c.autoscaler](after)}`,
    );
  } else if (after > before) {
    parts.push(`${freed}: the pods need ${plural(after, "node")} instead of ${before}`);
  } else if (c.usdPerHourSaved > 0) {
    parts.push(`${freed}: as many nodes (${before}), of cheaper types; ${WHO[c.autoscaler](after)}`);
  } else if (held.nodes > 0 && needed < before) {
    parts.push(`${freed}: the pods fit on ${plural(needed, "node")}, but the node group keeps ${before}`);
  } else {
    parts.push(`${freed}, not enough to remove a node (${plural(before, "node")} either way)`);
  }
  if (held.nodes > 0) {
    const usd = (held.usdPerHour * facts.hoursPerMonth).toFixed(2);
    parts.push(
      `its minSize (${facts.minSize}) keeps ${plural(held.nodes, "node")} the pods do not need: lowering it to ${needed} saves $${usd} a month more (aws eks update-nodegroup-config --cluster-name ${facts.cluster} --nodegroup-name ${c.pool} --scaling-config minSize=${needed})`,
    );
  }
  if (facts.nodesObserved > before) {
    parts.push(`it runs ${plural(facts.nodesObserved, "node")} now: its pods as they are fit on ${before}`);
  }
  const worst = c.after.totals.podsUnplaced > c.before.totals.podsUnplaced ? c.after : c.before;
  parts.push(...unplacedText(worst.unplaced, facts));
  return parts.join("; ");
}
