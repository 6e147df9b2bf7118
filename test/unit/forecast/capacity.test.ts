import { describe, expect, it } from "vitest";
import { clusterCapacity } from "../../../src/forecast/capacity.js";
import { forecastDemand } from "../../../src/forecast/demand.js";
import { type WorkloadSpec, workloadReplicas } from "../../../src/forecast/replicas.js";
import { HOUR_MS } from "../../../src/forecast/series.js";
import type { EventSpec } from "../../../src/forecast/uplift.js";
import { catalogue, nodeGroup, nodePool, prices } from "../eks/packing-helpers.js";
import { points, seasonal, T0 } from "./synthetic.js";

// Three weeks of a purely weekly series: seasonal naive is exact and its errors are all zero, so
// the event's demand is last week's hours × the uplift, and its P90 bound is the point itself.
const WEEKS = 3;
const history = Array.from({ length: WEEKS * 168 }, (_, t) => seasonal(t, 2));
const start = T0 + WEEKS * 168 * HOUR_MS + 24 * HOUR_MS; // the Tuesday after, 00:00
const event: EventSpec = {
  name: "sale",
  window: { startMs: start, endMs: start + 24 * HOUR_MS },
  uplift: 3,
  growth: 1,
  overrides: { namespaces: {}, workloads: {} },
};
const demand = forecastDemand(
  [{ key: "shop/Deployment/web", namespace: "shop", points: points(history) }],
  event,
);
const web = demand.workloads[0]!;
// Tuesday's peak is at 14:00: 2 × 1.5 = 3 cores; × 3 = 9 cores
const peak = seasonal(168 + 24 + 14, 2) * 3;

const spec: WorkloadSpec = {
  key: "shop/Deployment/web",
  namespace: "shop",
  kind: "Deployment",
  name: "web",
  pool: "ng",
  cpuRequestCores: 1,
  memoryRequestBytes: 2 ** 30,
  hpa: { name: "web", minReplicas: 2, maxReplicas: 10, resource: "cpu", targetUtilizationPercent: 75 },
  pdb: { name: "web", minAvailable: "100%" },
};

describe("event demand", () => {
  it("is last week's hours times the uplift, the P90 bound equal to it on an error-free series", () => {
    expect(web.uplift).toMatchObject({ factor: 3, source: "given" });
    expect(web.cpuCores.peakPoint).toBeCloseTo(peak, 12);
    expect(web.cpuCores.peakPlan).toBeCloseTo(peak, 12);
    expect(web.cpuCores.point[14]).toBeCloseTo(peak, 12);
    expect(web.cpuCores.peakBaseline).toBeCloseTo(peak / 3, 12);
    expect(demand.accuracy.chosen.wape).toBe(0);
  });
});

describe("replicas for the event", () => {
  it("sizes minReplicas to the peak, flags a maxReplicas below it and a PDB that blocks the drain", () => {
    const r = workloadReplicas(spec, web);
    // 9 cores ÷ (1 core × 75 %) = 12 replicas; max 10: the plan raises it, and counts 12
    expect(r.minReplicas).toBe(12);
    expect(r.maxReplicas).toBe(12);
    expect(r.event).toBe(12);
    expect(r.flags.map((f) => f.kind)).toEqual(["max-replicas-too-low", "pdb-blocks-scale-down"]);
    expect(r.flags[0]).toMatchObject({ needed: 12, limit: 10 });
  });

  it("flags an HPA on a resource the pods do not request, and holds the replicas", () => {
    const r = workloadReplicas({ ...spec, cpuRequestCores: null, pdb: null }, { ...web, lastReplicas: 4 });
    expect(r.flags.map((f) => f.kind)).toEqual(["hpa-without-requests"]);
    expect(r.event).toBe(4);
    expect(r.minReplicas).toBeNull();
  });

  it("flags a workload without HPA whose peak outgrows its requests", () => {
    const r = workloadReplicas({ ...spec, hpa: null, pdb: null }, { ...web, lastReplicas: 4 });
    expect(r.event).toBe(4);
    expect(r.flags[0]).toMatchObject({ kind: "demand-over-requests", needed: peak, limit: 4 });
  });
});

describe("nodes for the event", () => {
  const replicas = new Map([["shop/Deployment/web", workloadReplicas({ ...spec, pdb: null }, web)]]);
  const base = { catalogue, prices, windowHours: 24 };

  it("packs the event's pods with room for losing one zone and flags the group's max size", () => {
    // m5.xlarge: 3.92 allocatable cores → 3 one-core pods per node ($0.192/h)
    const [ng] = clusterCapacity([spec], replicas, {
      ...base,
      pools: [nodeGroup("m5.xlarge", { maxSize: 4 })],
      zoneLossHeadroom: true,
    });
    // 12 pods → 4 nodes; with headroom ceil(12 × 3/2) = 18 pods → 6 nodes
    expect(ng!.event.totals.nodes).toBe(4);
    expect(ng!.headroomPods).toBe(6);
    expect(ng!.held.totals.nodes).toBe(6);
    expect(ng!.flags).toEqual([
      expect.objectContaining({ kind: "node-group-max-size", needed: 6, limit: 4 }),
    ]);
    // normal: the baseline's mean over Tuesday ÷ 0.75 cores per replica, clamped to min 2
    const normalReplicas = replicas.get("shop/Deployment/web")!.normal;
    const meanBaseline = web.cpuCores.baseline.reduce((a, b) => a + b, 0) / 24;
    expect(normalReplicas).toBe(Math.max(2, Math.ceil(meanBaseline / 0.75)));
    expect(ng!.normal.totals.nodes).toBe(Math.ceil(normalReplicas / 3));
    expect(ng!.eventWindowUsd).toBeCloseTo(6 * 0.192 * 24, 6);
    expect(ng!.deltaUsd).toBeCloseTo((6 - ng!.normal.totals.nodes) * 0.192 * 24, 6);
    expect(ng!.costs).toEqual([
      {
        capacityType: "on-demand",
        eventUsdPerHour: 1.152,
        normalUsdPerHour: ng!.normal.totals.nodes * 0.192,
      },
    ]);
  });

  it("flags NodePool limits the peak's nodes exceed, counted on capacity as Karpenter does", () => {
    const pool = nodePool({
      name: "ng",
      requirements: { instanceTypes: ["m5.xlarge"] },
      limits: { cpuCores: 8 },
    });
    const [np] = clusterCapacity([spec], replicas, { ...base, pools: [pool], zoneLossHeadroom: false });
    // 12 pods → 4 m5.xlarge → 16 vCPU against a limit of 8
    expect(np!.flags).toEqual([expect.objectContaining({ kind: "nodepool-limit", needed: 16, limit: 8 })]);
  });

  it("refuses a workload on a pool it was not given", () => {
    expect(() =>
      clusterCapacity([{ ...spec, pool: "gpu" }], replicas, {
        ...base,
        pools: [nodeGroup("m5.xlarge")],
        zoneLossHeadroom: false,
      }),
    ).toThrow(/shop\/Deployment\/web: pool: "gpu" is none of the pools given/);
  });
});
