/**
 * One saving counted once: which family carries a nearly idle node's saving, from its pool's
 * re-pack (nodes observed, before and after right-sizing).
 */
import { describe, expect, it } from "vitest";
import { type IdleNode, idleNodesCountedIn } from "../../src/analyze/rightsizing/overlap.js";

const idle = (nodeName: string, monthlyIdleUsd: number, capacityPool = "ng"): IdleNode => ({
  cluster: "c",
  nodeName,
  capacityPool,
  monthlyIdleUsd,
});
const pool = (
  nodesObserved: number,
  nodesBefore: number | null,
  nodesAfter: number | null,
  capacityPool = "ng",
) => ({
  cluster: "c",
  capacityPool,
  nodesObserved,
  nodesBefore,
  nodesAfter,
});
const counted = (nodes: IdleNode[], pools: ReturnType<typeof pool>[]) =>
  Object.fromEntries(
    [...idleNodesCountedIn(nodes, pools)].map(([k, v]) => [k.split("\u0000")[1], v.countedIn]),
  );

describe("nearly idle nodes against right-sizing's nodes saved", () => {
  it("counts a nearly idle node in idle when the pods as they are fit on fewer nodes than run (the demo's general-od: 18 → 13)", () => {
    expect(counted([idle("n17", 135.43)], [pool(18, 13, 10)])).toEqual({ n17: "idle" });
  });

  it("leaves to right-sizing a node only right-sized pods free: 3 nodes run, 3 needed as they are, 2 after", () => {
    const map = idleNodesCountedIn([idle("n3", 80)], [pool(3, 3, 2)]);
    expect(map.get("c\u0000n3")).toEqual({
      countedIn: "rightsizing",
      why: "counted in right-sizing's nodes saved, not again here: ng's pods need all 3 nodes as they are, 2 once right-sized",
    });
  });

  it("fills idle's slack with the most idle nodes first, then right-sizing's, and counts the rest nowhere", () => {
    // 5 run, 4 needed as they are (1 for idle), 3 after (1 for right-sizing), 4 nearly idle.
    expect(counted([idle("a", 10), idle("b", 40), idle("c", 30), idle("d", 20)], [pool(5, 4, 3)])).toEqual({
      b: "idle",
      c: "rightsizing",
      d: "none",
      a: "none",
    });
  });

  it("counts in idle a node of a pool the re-pack does not cover (no row, or Fargate's null nodes)", () => {
    expect(
      counted([idle("x", 5, "other"), idle("y", 5, "fargate")], [pool(1, null, null, "fargate")]),
    ).toEqual({
      x: "idle",
      y: "idle",
    });
  });
});
