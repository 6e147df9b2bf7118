import { describe, expect, it } from "vitest";
import { nodePoolUsage } from "../../../src/analyze/autoscaling/nodepools.js";

describe("a NodePool's limits against its nodes' capacity", () => {
  it("is reached when the capacity of its nodes meets the CPU limit, read as a quantity", () => {
    expect(nodePoolUsage('{"cpu":"16"}', 16, 64 * 1024 ** 3)).toEqual({
      cpuLimitCores: 16,
      memoryLimitBytes: null,
      reachedLimits: ["16 vCPU up, cpu limit 16 vCPU"],
      reached: true,
    });
    expect(nodePoolUsage('{"cpu":"16000m"}', 12, 0).reached).toBe(false);
  });

  it("is reached on memory alone", () => {
    expect(nodePoolUsage('{"cpu":"100","memory":"64Gi"}', 16, 64 * 1024 ** 3)).toMatchObject({
      memoryLimitBytes: 64 * 1024 ** 3,
      reachedLimits: ["64 GiB up, memory limit 64 GiB"],
      reached: true,
    });
  });

  it("is never reached without limits", () => {
    expect(nodePoolUsage(null, 1000, 1e15)).toEqual({
      cpuLimitCores: null,
      memoryLimitBytes: null,
      reachedLimits: [],
      reached: false,
    });
  });
});
