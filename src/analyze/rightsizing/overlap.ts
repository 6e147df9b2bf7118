/**
 * One saving counted once: a nearly idle node (the idle analyzer) and right-sizing's nodes saved
 * may be the same node. Per pool, the re-pack says how many nodes can go with the pods as they
 * are (nodes observed − nodes before: the idle family's to count) and how many more go once the
 * pods are right-sized (nodes before − after: right-sizing's). Nearly idle nodes, most idle first,
 * fill the first, then the second; beyond both, the pool's pods need the node and it saves nothing.
 */
import type { PoolRow } from "./pools-view.js";

export type CountedIn = "idle" | "rightsizing" | "none";

export interface IdleNode {
  cluster: string;
  nodeName: string;
  capacityPool: string;
  monthlyIdleUsd: number;
}

export interface Counted {
  countedIn: CountedIn;
  /** Which family carries the node's saving, in words. */
  why: string;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** For each nearly idle node (by cluster and name), which family counts its saving. */
export function idleNodesCountedIn(
  nodes: readonly IdleNode[],
  pools: readonly Pick<
    PoolRow,
    "cluster" | "capacityPool" | "nodesObserved" | "nodesBefore" | "nodesAfter"
  >[],
): Map<string, Counted> {
  const out = new Map<string, Counted>();
  const key = (cluster: string, name: string) => `${cluster}\u0000${name}`;
  const byPool = new Map<string, IdleNode[]>();
  for (const n of nodes)
    byPool.set(key(n.cluster, n.capacityPool), [...(byPool.get(key(n.cluster, n.capacityPool)) ?? []), n]);
  for (const [poolKey, list] of byPool) {
    const pool = pools.find((p) => key(p.cluster, p.capacityPool) === poolKey && p.nodesBefore !== null);
    const sorted = [...list].sort(
      (a, b) =>
        b.monthlyIdleUsd - a.monthlyIdleUsd ||
        (a.nodeName < b.nodeName ? -1 : a.nodeName > b.nodeName ? 1 : 0),
    );
    if (!pool) {
      for (const n of sorted)
        out.set(key(n.cluster, n.nodeName), {
          countedIn: "idle",
          why: "counted here (the pool is not re-packed)",
        });
      continue;
    }
    const before = pool.nodesBefore!;
    const after = pool.nodesAfter ?? before;
    const asTheyAre = Math.max(0, pool.nodesObserved - before);
    const rightsized = Math.max(0, before - after);
    for (const [i, n] of sorted.entries()) {
      const counted: Counted =
        i < asTheyAre
          ? {
              countedIn: "idle",
              why: `counted here: ${pool.capacityPool}'s pods as they are fit on ${plural(before, "node")} of the ${pool.nodesObserved} it runs`,
            }
          : i < asTheyAre + rightsized
            ? {
                countedIn: "rightsizing",
                why: `counted in right-sizing's nodes saved, not again here: ${pool.capacityPool}'s pods need all ${plural(before, "node")} as they are, ${after} once right-sized`,
              }
            : {
                countedIn: "none",
                why: `not counted: ${pool.capacityPool}'s pods need all its ${plural(before, "node")}, right-sized or not`,
              };
      out.set(key(n.cluster, n.nodeName), counted);
    }
  }
  return out;
}
