import { describe, expect, it } from "vitest";
import { cpuQuantity, memoryQuantity, resourcesLines } from "../../src/report/resources.js";

describe("resources block", () => {
  it("writes CPU as millicores, or whole cores when whole", () => {
    expect(cpuQuantity(0.425)).toBe("425m");
    expect(cpuQuantity(0.01)).toBe("10m");
    expect(cpuQuantity(2)).toBe("2");
    expect(cpuQuantity(1.5)).toBe("1500m");
  });

  it("writes memory in Gi when whole, else in Mi rounded up", () => {
    expect(memoryQuantity(8 * 1024 ** 3)).toBe("8Gi");
    expect(memoryQuantity(883 * 1024 ** 2)).toBe("883Mi");
    expect(memoryQuantity(883 * 1024 ** 2 + 1)).toBe("884Mi");
  });

  it("leaves out a CPU limit that is not recommended, and pastes as YAML", () => {
    expect(
      resourcesLines({
        cpuRequestCores: 0.425,
        cpuLimitCores: null,
        memoryRequestBytes: 883 * 1024 ** 2,
        memoryLimitBytes: 883 * 1024 ** 2,
      }),
    ).toEqual([
      "resources:",
      "  requests:",
      "    cpu: 425m",
      "    memory: 883Mi",
      "  limits:",
      "    memory: 883Mi",
    ]);
  });
});
