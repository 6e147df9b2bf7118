import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InstancePrice, InstanceType } from "../../../src/core/eks/instance-types.js";
import { pack } from "../../../src/core/eks/packing.js";
import type { PackInput, PackResult, SimPod } from "../../../src/core/eks/packing-types.js";
import type { LabelledNodesPool, Pool } from "../../../src/core/eks/pools.js";
import { lowerBound } from "../../../src/core/eks/repack.js";
import { catalogue, input, MIB, nodeGroup, nodePool, prices, ZONES } from "./packing-helpers.js";

const TYPES = ["t3.medium", "m5.large", "m5.xlarge", "c5.large", "c5.xlarge", "r5.large", "m5.2xlarge"];
const REASONS = [
  "no-instance-type",
  "too-large-for-any-type",
  "max-size-reached",
  "pool-limit-reached",
  "spread-impossible",
];

const daemonSets = fc.array(
  fc.record({
    name: fc.constantFrom("aws-node", "kube-proxy", "agent"),
    cpuCores: fc.integer({ min: 0, max: 300 }).map((m) => m / 1000),
    memoryBytes: fc.integer({ min: 0, max: 300 }).map((m) => m * MIB),
  }),
  { maxLength: 3 },
);
const zones = fc.integer({ min: 1, max: 3 }).map((n) => ZONES.slice(0, n));

const pools: fc.Arbitrary<Pool> = fc.oneof(
  fc
    .record({
      instanceType: fc.constantFrom(...TYPES),
      minSize: fc.integer({ min: 0, max: 3 }),
      extra: fc.integer({ min: 0, max: 40 }),
      zones,
      daemonSets,
    })
    .map(({ extra, minSize, ...r }) =>
      nodeGroup(r.instanceType, { ...r, minSize, maxSize: minSize + extra }),
    ),
  fc
    .record({
      instanceTypes: fc.subarray(TYPES, { minLength: 1 }),
      capacityTypes: fc.subarray(["on-demand", "spot"] as const, { minLength: 1 }),
      cpuLimit: fc.option(fc.integer({ min: 2, max: 200 }), { nil: undefined }),
      zones,
      daemonSets,
    })
    .map(({ instanceTypes, capacityTypes, cpuLimit, ...r }) =>
      nodePool({ ...r, requirements: { instanceTypes, capacityTypes }, limits: { cpuCores: cpuLimit } }),
    ),
);

/** Spot prices for half the types, so that a NodePool mixes spot and on-demand offerings. */
const spotPrices: InstancePrice[] = TYPES.filter((_, i) => i % 2 === 0).map((t) => ({
  instanceType: t,
  capacityType: "spot",
  usdPerHour: prices.find((p) => p.instanceType === t)!.usdPerHour * 0.4,
}));

/** Half the workloads without constraints, so that nodes fill up; the others spread or repel. */
const groupSpec: fc.Arbitrary<Pick<SimPod, "zoneSpread" | "antiAffinity">> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({}) },
  { weight: 2, arbitrary: fc.record({ zoneSpread: fc.record({ maxSkew: fc.integer({ min: 1, max: 3 }) }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ antiAffinity: fc.constantFrom("hostname" as const, "zone" as const) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      zoneSpread: fc.record({ maxSkew: fc.integer({ min: 1, max: 3 }) }),
      antiAffinity: fc.constant("hostname" as const),
    }),
  },
);
const podShapes = fc.array(
  fc.record({
    group: fc.integer({ min: 0, max: 4 }),
    cpuMillicores: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 50 }) },
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 2000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 2000, max: 10000 }) },
    ),
    memoryMib: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 64 }) },
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 4096 }) },
      { weight: 1, arbitrary: fc.integer({ min: 4096, max: 40000 }) },
    ),
  }),
  { maxLength: 120, size: "max" },
);
/** The pool and pods only (the catalogue and prices are added in the property: shorter counterexamples). */
const cases: fc.Arbitrary<{ pool: Pool; pods: SimPod[] }> = fc
  .record({
    pool: pools,
    groups: fc.array(groupSpec, { minLength: 5, maxLength: 5 }),
    shapes: podShapes,
    // One case in three has small pods only, so that pod slots bind.
    scale: fc.constantFrom(1, 1, 50),
  })
  .map(({ pool, groups, shapes, scale }) => {
    const pods: SimPod[] = shapes.map((s, i) => ({
      name: `pod-${i}`,
      group: `g${s.group}`,
      cpuCores: Math.ceil(s.cpuMillicores / scale) / 1000,
      memoryBytes: Math.ceil(s.memoryMib / scale) * MIB,
      ...groups[s.group],
    }));
    return { pool, pods };
  });
const withCatalogue = (c: { pool: Pool; pods: SimPod[] }): PackInput =>
  input(c.pool, c.pods, { prices: [...prices, ...spotPrices] });

const ms = (cores: number) => Math.round(cores * 1000);

function checkInvariants(given: PackInput, r: PackResult): void {
  // Every pod once: on a node, or unplaced with a reason.
  const placed = r.nodes.flatMap((n) => n.pods);
  expect([...placed, ...r.unplaced.map((u) => u.pod)].sort()).toEqual(given.pods.map((p) => p.name).sort());
  for (const u of r.unplaced) {
    expect(REASONS).toContain(u.reason);
    expect(u.detail).toMatch(/^needs .+; .+/);
  }
  const byName = new Map(given.pods.map((p) => [p.name, p]));
  const perZone = new Map<string, number>();
  for (const n of r.nodes) {
    // Never over allocatable, on any resource; requested is what its pods and DaemonSets ask.
    const pods = n.pods.map((p) => byName.get(p)!);
    expect(ms(n.requested.cpuCores)).toBe(
      pods.reduce((s, p) => s + ms(p.cpuCores), ms(n.daemonSets.cpuCores)),
    );
    expect(n.requested.pods).toBe(pods.length + n.daemonSets.pods);
    expect(ms(n.requested.cpuCores)).toBeLessThanOrEqual(ms(n.allocatable.cpuCores));
    expect(n.requested.memoryBytes).toBeLessThanOrEqual(n.allocatable.memoryBytes);
    expect(n.requested.pods).toBeLessThanOrEqual(n.allocatable.pods);
    // Anti-affinity and zone spread.
    const hostname = pods.filter((p) => p.antiAffinity === "hostname").map((p) => p.group);
    expect(new Set(hostname).size).toBe(hostname.length);
    for (const p of pods) {
      const key = `${p.group}/${n.zone}`;
      perZone.set(key, (perZone.get(key) ?? 0) + 1);
    }
  }
  for (const p of given.pods) {
    const counts = given.pool.zones.map((z) => perZone.get(`${p.group}/${z}`) ?? 0);
    if (p.antiAffinity === "zone") expect(Math.max(...counts)).toBeLessThanOrEqual(1);
    if (p.zoneSpread)
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(p.zoneSpread.maxSkew);
  }
  // The pool's limits.
  const { pool } = given;
  if (pool.kind === "managed-node-group") {
    expect(r.totals.nodes).toBeLessThanOrEqual(pool.maxSize);
    // Never below the minimum; the nodes only the minimum keeps are the last ones, and empty.
    if (r.nodes.length) expect(r.totals.nodes).toBeGreaterThanOrEqual(pool.minSize);
    const held = r.nodes.slice(r.nodes.length - r.heldByMinSize.nodes);
    expect(held.every((n) => n.pods.length === 0)).toBe(true);
    expect(r.heldByMinSize.nodes).toBeLessThanOrEqual(Math.max(0, pool.minSize - (placed.length ? 1 : 0)));
  } else expect(r.heldByMinSize).toEqual({ nodes: 0, usdPerHour: 0 });
  if (pool.kind === "karpenter" && pool.limits.cpuCores !== undefined) {
    const vcpu = r.nodes.reduce((s, n) => s + catalogue.find((t) => t.name === n.instanceType)!.vcpu, 0);
    expect(vcpu).toBeLessThanOrEqual(pool.limits.cpuCores);
  }
  // No packing of the placed pods beats the lower bound, in nodes or in dollars.
  const bound = lowerBound({ ...given, pods: given.pods.filter((p) => placed.includes(p.name)) });
  expect(r.totals.nodes).toBeGreaterThanOrEqual(bound.nodes);
  expect(r.totals.usdPerHour).toBeGreaterThanOrEqual(bound.usdPerHour - 1e-9);
}

describe("packing, on generated pools and pods", () => {
  it("places every pod or says why, never over allocatable, within spread, limits and the lower bound", () => {
    fc.assert(
      fc.property(cases, (c) => {
        const given = withCatalogue(c);
        checkInvariants(given, pack(given));
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic: the same input, or the same pods in another order, give the same result", () => {
    fc.assert(
      fc.property(cases, fc.array(fc.nat(), { minLength: 120, maxLength: 120 }), (c, keys) => {
        const given = withCatalogue(c);
        const once = pack(given);
        expect(pack(given)).toEqual(once);
        const shuffled = given.pods
          .map((p, i) => ({ p, k: keys[i]! }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.p);
        const again = pack({ ...given, pods: shuffled });
        expect(again.totals.nodes).toBe(once.totals.nodes);
        expect(again).toEqual(once);
      }),
      { numRuns: 150 },
    );
  });
});

describe("first-fit decreasing's bound (CPU only, one type, no DaemonSets nor constraints)", () => {
  // A made-up type with room for 737 pods, so that only CPU binds: 4 vCPU, 3.92 cores allocatable.
  const x1: InstanceType = {
    name: "x1.test",
    family: "x1",
    category: "x",
    generation: 1,
    size: "test",
    vcpu: 4,
    memoryMib: 65536,
    arch: "amd64",
    gpuCount: 0,
    maxPodsEni: 737,
    enis: 15,
    ipv4PerEni: 50,
  };
  const pool: LabelledNodesPool = {
    kind: "nodes",
    name: "x1",
    labels: {},
    instanceTypes: ["x1.test"],
    capacityType: "on-demand",
    maxSize: null,
    zones: ["us-east-1a"],
    daemonSets: [],
  };
  const cpuOnly = (millicores: number[]): PackInput => ({
    pool,
    catalogue: [x1],
    prices: [{ instanceType: "x1.test", capacityType: "on-demand", usdPerHour: 1 }],
    pods: millicores.map((m, i) => ({ name: `p${i}`, group: "g", cpuCores: m / 1000, memoryBytes: 0 })),
  });
  const CAPACITY = 3920;

  it("uses at most 11/9 OPT + 6/9 nodes (Dósa 2007) on pods cut from k full nodes, where OPT = k", () => {
    // The bound holds against the optimum, not against the ceil(total / capacity) bound in
    // general (pods of 0.51 of a node need one node each); cutting k full nodes into pieces makes
    // the optimum k, equal to that bound.
    const cut = fc.uniqueArray(fc.integer({ min: 1, max: CAPACITY - 1 }), { maxLength: 7 }).map((points) => {
      const edges = [0, ...points.sort((a, b) => a - b), CAPACITY];
      return edges.slice(1).map((e, i) => e - edges[i]!);
    });
    fc.assert(
      fc.property(fc.array(cut, { minLength: 1, maxLength: 30 }), (nodes) => {
        const k = nodes.length;
        const r = pack(cpuOnly(nodes.flat()));
        expect(r.unplaced).toEqual([]);
        expect(lowerBound(cpuOnly(nodes.flat())).nodes).toBe(k);
        expect(r.totals.nodes).toBeGreaterThanOrEqual(k);
        expect(r.totals.nodes).toBeLessThanOrEqual((11 / 9) * k + 6 / 9);
      }),
      { numRuns: 300 },
    );
  });

  it("uses at most twice the lower bound on any pods (no two nodes at most half full)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: CAPACITY }), { minLength: 1, maxLength: 200 }),
        (pods) => {
          const bound = lowerBound(cpuOnly(pods)).nodes;
          const r = pack(cpuOnly(pods));
          expect(bound).toBe(Math.ceil(pods.reduce((s, m) => s + m, 0) / CAPACITY));
          expect(r.totals.nodes).toBeGreaterThanOrEqual(bound);
          expect(r.totals.nodes).toBeLessThanOrEqual(2 * bound);
        },
      ),
      { numRuns: 300 },
    );
  });
});
