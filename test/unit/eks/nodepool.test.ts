/** A NodePool's spec as the collector stores it, read into the simulator's requirements and limits. */
import { describe, expect, it } from "vitest";
import { nodePoolSpec } from "../../../src/core/eks/nodepool.js";
import { allowedInstanceTypes } from "../../../src/core/eks/pools.js";
import { catalogue, GIB, nodePool } from "./packing-helpers.js";

describe("a NodePool's spec", () => {
  it("reads the well-known requirements, limits as quantities and the consolidation policy", () => {
    const spec = nodePoolSpec(
      [
        { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m"] },
        { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
        { key: "karpenter.k8s.aws/instance-size", operator: "NotIn", values: ["metal", "24xlarge"] },
        { key: "karpenter.k8s.aws/instance-cpu", operator: "Lt", values: ["17"] },
        { key: "kubernetes.io/arch", operator: "In", values: ["arm64", "s390x"] },
        { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand", "reserved"] },
        { key: "topology.kubernetes.io/zone", operator: "In", values: ["us-east-1a"] },
      ],
      { cpu: "1k", memory: "4000Gi" },
      { consolidationPolicy: "WhenEmpty", consolidateAfter: "1m" },
    );
    expect(spec).toEqual({
      requirements: {
        categories: ["c", "m"],
        generationGreaterThan: 5,
        excludedSizes: ["metal", "24xlarge"],
        cpuLessThan: 17,
        architectures: ["arm64"],
        capacityTypes: ["spot", "on-demand"],
      },
      ignored: ["topology.kubernetes.io/zone In"],
      limits: { cpuCores: 1000, memoryBytes: 4000 * GIB },
      consolidationPolicy: "WhenEmpty",
    });
    const types = allowedInstanceTypes(nodePool({ requirements: spec.requirements }), catalogue);
    expect(types.length).toBeGreaterThan(0);
    for (const t of types) {
      expect(["c", "m"]).toContain(t.category);
      expect(t.generation).toBeGreaterThan(5);
      expect(t.vcpu).toBeLessThan(17);
      expect(t.arch).toBe("arm64");
    }
    expect(types.map((t) => t.name)).toContain("m7g.xlarge");
  });

  it("takes Karpenter's defaults where the spec says nothing: no limits, WhenEmptyOrUnderutilized", () => {
    expect(nodePoolSpec([], null, null)).toEqual({
      requirements: {},
      ignored: [],
      limits: {},
      consolidationPolicy: "WhenEmptyOrUnderutilized",
    });
  });
});
