import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema.js";
import { resolveEvent } from "../../../src/forecast/event.js";
import { hpaOf, largestByCpu, workloadSpecs } from "../../../src/forecast/inputs.js";

const events = (yaml: Record<string, unknown>) => configSchema.parse({ events: yaml }).events;

describe("events from the config and the command line", () => {
  const config = events({
    sale: {
      start: "2026-11-27T07:00+01:00",
      end: "2026-11-28",
      pastEvent: { start: "2026-11-13T08:00Z", end: "2026-11-13T22:00Z" },
      earlierEvents: [{ start: "2026-10-30T08:00Z", end: "2026-10-30T22:00Z" }],
      growth: 1.2,
      overrides: { namespaces: { batch: 1 }, workloads: { "checkout/Deployment/checkout-api": 5 } },
    },
    launch: { start: "2026-12-01", end: "2026-12-02", uplift: 2 },
  });

  it("reads times in UTC or with their zone (a date alone is midnight UTC)", () => {
    const e = resolveEvent(config, "sale");
    expect(e.window).toEqual({
      startMs: Date.parse("2026-11-27T06:00:00Z"),
      endMs: Date.parse("2026-11-28T00:00:00Z"),
    });
    expect(e.pastEvent).toEqual({
      startMs: Date.parse("2026-11-13T08:00:00Z"),
      endMs: Date.parse("2026-11-13T22:00:00Z"),
    });
    expect(e.earlierEvents).toHaveLength(1);
    expect(e.growth).toBe(1.2);
    expect(e.overrides.workloads["checkout/Deployment/checkout-api"]).toBe(5);
  });

  it("refuses a time without a zone, in the config and on the command line", () => {
    expect(() => events({ x: { start: "2026-11-27T06:00", end: "2026-11-28", uplift: 2 } })).toThrow(
      /with its zone/,
    );
    expect(() => resolveEvent(config, "sale", { start: "2026-11-27T06:00" })).toThrow(
      /--start "2026-11-27T06:00"/,
    );
    expect(() => events({ x: { start: "2026-11-28", end: "2026-11-27", uplift: 2 } })).toThrow(
      /start must be before end/,
    );
  });

  it("lets --uplift, --start and --end win; a given uplift leaves the past event out of the fits but does not measure it", () => {
    const e = resolveEvent(config, "sale", {
      uplift: "4",
      start: "2026-11-27T10:00Z",
      end: "2026-11-27T20:00-02:00",
    });
    expect(e.uplift).toBe(4);
    expect(e.pastEvent).toBeUndefined();
    expect(e.earlierEvents!.map((w) => new Date(w.startMs).toISOString())).toEqual([
      "2026-11-13T08:00:00.000Z",
      "2026-10-30T08:00:00.000Z",
    ]);
    expect(e.window).toEqual({
      startMs: Date.parse("2026-11-27T10:00:00Z"),
      endMs: Date.parse("2026-11-27T22:00:00Z"),
    });
    expect(() => resolveEvent(config, "sale", { uplift: "0" })).toThrow(/--uplift "0"/);
  });

  it("names the events defined when the one asked for is not", () => {
    expect(() => resolveEvent(config, "black-friday")).toThrow(
      "no event named black-friday in the configuration",
    );
    try {
      resolveEvent(config, "black-friday");
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe("events defined: sale, launch");
    }
  });
});

describe("the store's rows as the forecast's inputs", () => {
  const row = {
    namespace: "shop",
    workloadKind: "Deployment",
    workloadName: "cart",
    hpaName: "cart",
    hpaMinReplicas: 3,
    hpaMaxReplicas: 5,
    hpaMetrics: JSON.stringify([
      { type: "External", name: "queue", targetType: "AverageValue", target: 30 },
      { type: "Resource", name: "cpu", targetType: "Utilization", target: 70 },
    ]),
    pdbName: null,
    pdbMinAvailable: null,
    pdbMaxUnavailable: null,
  };

  it("follows an HPA's first CPU or memory utilisation target, and says why when it has none", () => {
    expect(hpaOf(row).hpa).toEqual({
      name: "cart",
      minReplicas: 3,
      maxReplicas: 5,
      resource: "cpu",
      targetUtilizationPercent: 70,
    });
    const external = hpaOf({
      ...row,
      hpaMetrics: JSON.stringify([
        { type: "External", name: "queue", targetType: "AverageValue", target: 30 },
      ]),
    });
    expect(external.hpa).toBeNull();
    expect(external.note).toContain("scales on no CPU or memory utilisation target");
  });

  it("takes a workload's pool from most of its pods and its requests as EKS sums a pod's containers", () => {
    const c = (pod: string, pool: string, type: string, cpu: number | null, memory: number | null) => ({
      capacityPool: pool,
      namespace: "shop",
      podName: pod,
      workloadKind: "Deployment",
      workloadName: "cart",
      containerType: type,
      cpuRequestCores: cpu,
      memoryRequestBytes: memory,
    });
    const { specs } = workloadSpecs(
      [row],
      [
        c("cart-a", "spot", "regular", 0.25, 512),
        c("cart-a", "spot", "regular", 0.05, 64),
        c("cart-a", "spot", "init", 1, 16),
        c("cart-b", "spot", "regular", 0.25, 512),
        c("cart-c", "od", "regular", 0.25, 512),
      ],
    );
    expect(specs).toHaveLength(1);
    expect(specs[0]).toMatchObject({
      key: "shop/Deployment/cart",
      pool: "spot",
      cpuRequestCores: 1,
      memoryRequestBytes: 576,
    });
  });

  it("fits MSTL for the largest workloads making the share asked, every one at 1", () => {
    const h = (key: string, cpu: number) => ({
      key,
      namespace: "ns",
      points: [{ hourMs: 0, cpuCores: cpu, memoryBytes: 0, replicas: 1 }],
    });
    const history = [h("a", 1), h("b", 6), h("c", 3)];
    expect(largestByCpu(history, 1)).toBeNull();
    expect([...largestByCpu(history, 0.6)!]).toEqual(["b"]);
    expect([...largestByCpu(history, 0.61)!]).toEqual(["b", "c"]);
  });

  it("caps the workloads MSTL is tried on at the largest N, whatever the share", () => {
    const h = (key: string, cpu: number) => ({
      key,
      namespace: "ns",
      points: [{ hourMs: 0, cpuCores: cpu, memoryBytes: 0, replicas: 1 }],
    });
    const history = [h("a", 1), h("b", 6), h("c", 3), h("d", 2)];
    expect(largestByCpu(history, 1, 4)).toBeNull();
    expect([...largestByCpu(history, 1, 2)!]).toEqual(["b", "c"]);
    expect([...largestByCpu(history, 0.5, 2)!]).toEqual(["b"]);
    expect([...largestByCpu(history, 1, 0)!]).toEqual([]);
  });
});
