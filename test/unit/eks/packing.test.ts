import { describe, expect, it } from "vitest";
import { instanceTypesFromRows } from "../../../src/core/eks/instance-types.js";
import { pack } from "../../../src/core/eks/packing.js";
import { allowedInstanceTypes } from "../../../src/core/eks/pools.js";
import { compareRepack, lowerBound } from "../../../src/core/eks/repack.js";
import {
  catalogue,
  GIB,
  input,
  MIB,
  nodeGroup,
  nodePool,
  prices,
  replicas,
  ZONES,
} from "./packing-helpers.js";

// Allocatable used below (allocatable.ts, Karpenter's 7.5 % VM overhead, managed-node-group cap):
// m5.large 1.93 cores, 6.74 GiB, 29 pods ($0.096/h); m5.xlarge 3.92 cores, 13.8 GiB, 58 pods
// ($0.192/h); t3.medium 1.93 cores, 3.17 GiB, 17 pods ($0.0416/h).

describe("the instance catalogue", () => {
  it("reads types with Karpenter's category, generation and size, and leaves out those without specs", () => {
    const m6gd = catalogue.find((t) => t.name === "m6gd.large")!;
    expect(m6gd).toMatchObject({
      family: "m6gd",
      category: "m",
      generation: 6,
      size: "large",
      arch: "arm64",
    });
    expect(m6gd).toMatchObject({ vcpu: 2, memoryMib: 8192, maxPodsEni: 29, enis: 3, ipv4PerEni: 10 });
    expect(catalogue.find((t) => t.name === "cc2.8xlarge")).toBeUndefined();
    const rows = [
      {
        instance_type: "x9.large",
        family: "x9",
        vcpu: "2",
        memory_gib: "4",
        arch: "x86_64",
        max_pods_eni: "29",
      },
      { instance_type: "g2.2xlarge", family: "g2", vcpu: "", memory_gib: "", arch: "", max_pods_eni: "" },
    ];
    expect(instanceTypesFromRows(rows).map((t) => [t.name, t.arch, t.enis])).toEqual([
      ["x9.large", "amd64", null],
    ]);
  });
});

describe("the instance types a pool allows", () => {
  it("is the managed node group's one type, none for Fargate", () => {
    expect(allowedInstanceTypes(nodeGroup("m5.large"), catalogue).map((t) => t.name)).toEqual(["m5.large"]);
    const fargate = { kind: "fargate", name: "fp", zones: ZONES, daemonSets: [] } as const;
    expect(allowedInstanceTypes(fargate, catalogue)).toEqual([]);
  });

  it("follows a NodePool's requirements: categories, generation, sizes, arch (amd64 by default), no GPU", () => {
    const pool = nodePool({
      requirements: { categories: ["c", "m"], generationGreaterThan: 5, sizes: ["large", "xlarge"] },
    });
    const names = allowedInstanceTypes(pool, catalogue).map((t) => t.name);
    expect(names).toContain("m6i.large");
    expect(names).toContain("c7i.xlarge");
    expect(names.every((n) => /^[cm]([6-9])/.test(n) && /\.(x?large)$/.test(n))).toBe(true);
    expect(names).not.toContain("m6g.large"); // arm64
    expect(names).not.toContain("m5.large"); // generation 5
    const arm = nodePool({ requirements: { families: ["m6g"], architectures: ["arm64"] } });
    expect(allowedInstanceTypes(arm, catalogue).map((t) => t.name)).toContain("m6g.medium");
    const gpu = nodePool({ requirements: { families: ["g5"] } });
    expect(allowedInstanceTypes(gpu, catalogue)).toEqual([]);
  });
});

describe("first-fit decreasing on one type", () => {
  it("with a zone spread constraint keeps one node per zone for three small replicas", () => {
    const spread = pack(
      input(nodeGroup("m5.large"), replicas("web", 3, 0.1, 100 * MIB, { zoneSpread: { maxSkew: 1 } })),
    );
    expect(spread.nodes.map((n) => [n.zone, n.pods])).toEqual([
      ["us-east-1a", ["web-0"]],
      ["us-east-1b", ["web-1"]],
      ["us-east-1c", ["web-2"]],
    ]);
    const free = pack(input(nodeGroup("m5.large"), replicas("web", 3, 0.1, 100 * MIB)));
    expect(free.totals.nodes).toBe(1);
  });

  it("with maxSkew 2 lets two replicas share a zone before the others get one", () => {
    const r = pack(
      input(nodeGroup("m5.large"), replicas("web", 4, 0.1, 100 * MIB, { zoneSpread: { maxSkew: 2 } })),
    );
    // web-0 opens a node in a; web-1 joins it (skew 2); web-2 opens b; web-3 joins a? a has 2, min 0 → 3 > 2: goes to b.
    expect(r.nodes.map((n) => [n.zone, n.pods.length])).toEqual([
      ["us-east-1a", 2],
      ["us-east-1b", 2],
    ]);
  });

  it("fits fewer pods per node once every node carries the DaemonSets", () => {
    // 1.93 cores: three pods of 0.5 core per node; with a 0.5-core DaemonSet, two.
    const pods = replicas("api", 6, 0.5, 256 * MIB);
    expect(pack(input(nodeGroup("m5.large"), pods)).totals.nodes).toBe(2);
    const ds = nodeGroup("m5.large", {
      daemonSets: [{ name: "agent", cpuCores: 0.5, memoryBytes: 200 * MIB }],
    });
    const r = pack(input(ds, pods));
    expect(r.totals.nodes).toBe(3);
    expect(r.nodes[0]!.requested).toEqual({ cpuCores: 1.5, memoryBytes: 712 * MIB, pods: 3 });
    expect(r.nodes[0]!.daemonSets).toEqual({ cpuCores: 0.5, memoryBytes: 200 * MIB, pods: 1 });
  });

  it("is bound by pod slots on t3.medium: 17 max pods, 15 left after aws-node and kube-proxy", () => {
    const daemonSets = [
      { name: "aws-node", cpuCores: 0.025, memoryBytes: 0 },
      { name: "kube-proxy", cpuCores: 0.1, memoryBytes: 0 },
    ];
    const pods = replicas("tiny", 34, 0.01, 10 * MIB);
    expect(pack(input(nodeGroup("t3.medium"), pods)).totals.nodes).toBe(2); // 17 + 17
    const r = pack(input(nodeGroup("t3.medium", { daemonSets }), pods));
    expect(r.nodes.map((n) => n.pods.length)).toEqual([15, 15, 4]);
    expect(r.nodes.map((n) => n.requested.pods)).toEqual([17, 17, 6]);
    expect(lowerBound(input(nodeGroup("t3.medium", { daemonSets }), pods))).toMatchObject({
      nodes: 3,
      binding: "pods",
    });
  });

  it("puts at most one replica per node under hostname anti-affinity", () => {
    const r = pack(
      input(nodeGroup("m5.large"), replicas("db", 4, 0.1, 100 * MIB, { antiAffinity: "hostname" })),
    );
    expect(r.nodes.map((n) => n.pods)).toEqual([["db-0"], ["db-1"], ["db-2"], ["db-3"]]);
    expect(r.nodes.map((n) => n.zone)).toEqual([...ZONES, "us-east-1a"]);
  });

  it("reports the fourth replica under zone anti-affinity in three zones as spread-impossible", () => {
    const r = pack(input(nodeGroup("m5.large"), replicas("zk", 4, 0.1, 100 * MIB, { antiAffinity: "zone" })));
    expect(r.totals.nodes).toBe(3);
    expect(r.unplaced).toEqual([
      expect.objectContaining({
        pod: "zk-3",
        reason: "spread-impossible",
        detail: expect.stringContaining("all 3 zones"),
      }),
    ]);
  });

  it("stops at the node group's max size and reports the rest", () => {
    const r = pack(input(nodeGroup("m5.large", { maxSize: 2 }), replicas("api", 5, 0.9, 100 * MIB)));
    expect(r.totals.nodes).toBe(2);
    expect(r.unplaced.map((u) => [u.pod, u.reason])).toEqual([["api-4", "max-size-reached"]]);
  });

  it("keeps the node group's min size, empty nodes spread over the zones, and says which nodes only the minimum holds", () => {
    const r = pack(input(nodeGroup("m5.large", { minSize: 3 }), replicas("api", 1, 0.1, 100 * MIB)));
    expect(r.nodes.map((n) => [n.zone, n.pods.length])).toEqual([
      ["us-east-1a", 1],
      ["us-east-1b", 0],
      ["us-east-1c", 0],
    ]);
    expect(r.totals.usdPerHour).toBeCloseTo(3 * 0.096, 10);
    expect(r.heldByMinSize).toEqual({ nodes: 2, usdPerHour: 0.192 });
  });

  it("holds no node by the min size when the pods need at least that many", () => {
    const r = pack(input(nodeGroup("m5.large", { minSize: 2 }), replicas("api", 3, 1.5, 100 * MIB)));
    expect(r.totals.nodes).toBe(3);
    expect(r.heldByMinSize).toEqual({ nodes: 0, usdPerHour: 0 });
  });

  it("reports a pod larger than any allowed type, with what the largest offers", () => {
    const r = pack(input(nodeGroup("m5.large"), replicas("big", 1, 3, GIB)));
    expect(r.nodes).toEqual([]);
    expect(r.unplaced[0]).toMatchObject({ reason: "too-large-for-any-type" });
    expect(r.unplaced[0]!.detail).toBe(
      "needs 3 cores and 1.0 GiB; the largest allowed type (m5.large) offers 1.93 cores and 6.7 GiB and 29 pod slots after DaemonSets",
    );
  });

  it("reports every pod of a pool whose type has no price as no-instance-type", () => {
    const r = pack(input(nodeGroup("m5.large"), replicas("api", 2, 0.1, MIB), { prices: [] }));
    expect(r.excludedTypes).toEqual([{ instanceType: "m5.large", reason: "no-price" }]);
    expect(r.unplaced.map((u) => u.reason)).toEqual(["no-instance-type", "no-instance-type"]);
  });
});

describe("Karpenter's choice of instance type", () => {
  const twoTypes = (usdA: number, usdB: number) => [
    { instanceType: "m5.large", capacityType: "on-demand" as const, usdPerHour: usdA },
    { instanceType: "m6i.large", capacityType: "on-demand" as const, usdPerHour: usdB },
  ];
  const pool = nodePool({ requirements: { instanceTypes: ["m5.large", "m6i.large"] } });

  it("launches the cheaper of two types that both fit", () => {
    const pods = replicas("api", 2, 0.5, GIB);
    expect(
      pack(input(pool, pods, { prices: twoTypes(0.096, 0.09) })).nodes.map((n) => n.instanceType),
    ).toEqual(["m6i.large"]);
    expect(
      pack(input(pool, pods, { prices: twoTypes(0.08, 0.09) })).nodes.map((n) => n.instanceType),
    ).toEqual(["m5.large"]);
  });

  it("launches the pricier type when only it holds the pod", () => {
    const r = pack(
      input(
        nodePool({ requirements: { instanceTypes: ["c5.large", "m5.large"] } }),
        replicas("cache", 1, 0.5, 4 * GIB),
      ),
    );
    // c5.large ($0.085) offers 3.0 GiB; m5.large ($0.096) 6.7 GiB.
    expect(r.nodes.map((n) => n.instanceType)).toEqual(["m5.large"]);
  });

  it("fills one node with what the larger type holds and launches the cheapest type holding it all", () => {
    const types = nodePool({ requirements: { families: ["m5"], sizes: ["large", "xlarge", "2xlarge"] } });
    // Three pods of 1 core: one m5.xlarge (3.92 cores, $0.192) rather than three m5.large ($0.288).
    const r = pack(input(types, replicas("api", 3, 1, GIB)));
    expect(r.nodes.map((n) => [n.instanceType, n.pods.length])).toEqual([["m5.xlarge", 3]]);
    expect(r.totals.usdPerHour).toBe(0.192);
  });

  it("prefers spot when the NodePool allows it and a spot price is known", () => {
    const spot = nodePool({
      requirements: { instanceTypes: ["m5.large"], capacityTypes: ["on-demand", "spot"] },
    });
    const withSpot = [
      ...twoTypes(0.096, 0.096),
      { instanceType: "m5.large", capacityType: "spot" as const, usdPerHour: 0.035 },
    ];
    const r = pack(input(spot, replicas("api", 1, 0.5, GIB), { prices: withSpot }));
    expect(r.nodes.map((n) => [n.capacityType, n.usdPerHour])).toEqual([["spot", 0.035]]);
  });

  it("stops launching at the NodePool's CPU limit, counting capacity not allocatable", () => {
    const limited = nodePool({ requirements: { instanceTypes: ["m5.large"] }, limits: { cpuCores: 4 } });
    const r = pack(input(limited, replicas("api", 3, 1.5, GIB)));
    expect(r.totals.nodes).toBe(2);
    expect(r.unplaced.map((u) => [u.pod, u.reason])).toEqual([["api-2", "pool-limit-reached"]]);
    expect(r.unplaced[0]!.detail).toContain("past its limits (4 of 4 vCPU in use)");
  });
});

describe("Karpenter's memory limit", () => {
  it("counts each node's estimated memory capacity (m5.large: 8 GiB less 7.5 %, 7,577 MiB)", () => {
    // 15 GiB holds two such nodes (14.8 GiB) where the listed 8 GiB would allow one.
    const limited = nodePool({
      requirements: { instanceTypes: ["m5.large"] },
      limits: { memoryBytes: 15 * GIB },
    });
    const r = pack(input(limited, replicas("api", 3, 1.5, GIB)));
    expect(r.totals.nodes).toBe(2);
    expect(r.unplaced[0]!.detail).toContain("past its limits (14.8 GiB of 15.0 GiB in use)");
  });
});

describe("Fargate", () => {
  it("gives each pod the size EKS bills and prices it per vCPU-hour and GB-hour", () => {
    const fargate = {
      configurations: [
        { vcpu: 0.25, memoryGib: 0.5 },
        { vcpu: 0.5, memoryGib: 1 },
        { vcpu: 0.5, memoryGib: 2 },
      ],
      usdPerVcpuHour: 0.04048,
      usdPerGbHour: 0.004445,
    };
    const pool = { kind: "fargate", name: "fp", zones: ZONES, daemonSets: [] } as const;
    const r = pack(
      input(pool, [...replicas("api", 1, 0.3, GIB), ...replicas("big", 1, 4, GIB)], { fargate }),
    );
    // 1 GiB + 256 MiB needs the 2 GB size at 0.5 vCPU.
    expect(r.nodes.map((n) => [n.instanceType, n.usdPerHour])).toEqual([
      ["fargate-0.5vCPU-2GB", 0.5 * 0.04048 + 2 * 0.004445],
    ]);
    expect(r.unplaced.map((u) => [u.pod, u.reason])).toEqual([["big-0", "too-large-for-any-type"]]);
  });
});

describe("the re-pack comparison for right-sizing", () => {
  it("counts the nodes and dollars that smaller requests free, against the lower bound", () => {
    // 0.9 core: two per m5.large (1.93) → 3 nodes; 0.6 core: three per node → 2 nodes.
    const pods = replicas("api", 6, 0.9, GIB).map((p) => ({
      ...p,
      recommendedCpuCores: 0.6,
      recommendedMemoryBytes: GIB,
    }));
    const c = compareRepack({ pool: nodeGroup("m5.large"), catalogue, prices }, pods);
    expect(c).toMatchObject({
      autoscaler: "cluster-autoscaler",
      nodesSaved: 1,
      usdPerHourSaved: 0.096,
      freedCpuCores: 1.8,
      freedMemoryBytes: 0,
    });
    expect([c.before.totals.nodes, c.after.totals.nodes]).toEqual([3, 2]);
    expect([c.lowerBoundBefore.nodes, c.lowerBoundAfter.nodes]).toEqual([3, 2]); // ceil(5.4 / 1.93), ceil(3.6 / 1.93)
  });

  it("packs the second time with the right-sized DaemonSets, and counts what they free on every node before", () => {
    // m5.large offers 1.93 cores; a 900m DaemonSet leaves 1.03: one pod of 1 core, or of 900m, per
    // node, 3 nodes. With the DaemonSet at 100m, 1.83 cores are free: two 900m pods a node, 2 nodes.
    const pool = nodeGroup("m5.large", { daemonSets: [{ name: "agent", cpuCores: 0.9, memoryBytes: 0 }] });
    const pods = replicas("api", 3, 1, GIB).map((p) => ({
      ...p,
      recommendedCpuCores: 0.9,
      recommendedMemoryBytes: GIB,
    }));
    const same = compareRepack({ pool, catalogue, prices }, pods);
    expect([same.before.totals.nodes, same.after.totals.nodes]).toEqual([3, 3]);
    const c = compareRepack({ pool, catalogue, prices }, pods, [
      { name: "agent", cpuCores: 0.1, memoryBytes: 0 },
    ]);
    expect([c.before.totals.nodes, c.after.totals.nodes]).toEqual([3, 2]);
    expect(c.after.nodes[0]!.daemonSets.cpuCores).toBe(0.1);
    // 3 × 100m from the pods, 800m on each of the 3 nodes before.
    expect(c.freedCpuCores).toBeCloseTo(0.3 + 2.4, 9);
  });

  it("says when freed requests are not enough to remove a node", () => {
    const pods = replicas("api", 4, 0.9, GIB).map((p) => ({
      ...p,
      recommendedCpuCores: 0.8,
      recommendedMemoryBytes: GIB,
    }));
    const c = compareRepack({ pool: nodeGroup("m5.large"), catalogue, prices }, pods);
    expect(c).toMatchObject({ nodesSaved: 0, usdPerHourSaved: 0, freedCpuCores: 0.4 });
    const whenEmpty = nodePool({
      requirements: { instanceTypes: ["m5.large"] },
      consolidationPolicy: "WhenEmpty",
    });
    expect(compareRepack({ pool: whenEmpty, catalogue, prices }, pods).autoscaler).toBe(
      "karpenter-empty-only",
    );
  });

  it("bounds the cost of a multi-type pool by the cheapest price per unit of the binding resource", () => {
    const types = nodePool({ requirements: { families: ["m5"], sizes: ["large", "xlarge"] } });
    const b = lowerBound(input(types, replicas("api", 4, 1, GIB)));
    expect(b.nodes).toBe(2); // 4 cores over m5.xlarge's 3.92
    expect(b.usdPerHour).toBeCloseTo(4000 * (0.192 / 3920), 10);
  });
});
