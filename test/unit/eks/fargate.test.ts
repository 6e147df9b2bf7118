import { describe, expect, it } from "vitest";
import {
  type ContainerRequests,
  capacityProvisioned,
  type FargateConfiguration,
  fargateSize,
  podNeed,
} from "../../../src/core/eks/fargate.js";
import { readReferenceCsv } from "../../../src/core/reference-csv.js";

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const configurations: FargateConfiguration[] = readReferenceCsv("fargate-configurations.csv").map((r) => ({
  vcpu: Number(r.vcpu),
  memoryGib: Number(r.memory_gib),
}));
const c = (type: ContainerRequests["type"], cpuCores: number | null, memoryBytes: number | null) => ({
  type,
  cpuCores,
  memoryBytes,
});
const sizeOf = (containers: ContainerRequests[]) => {
  const size = fargateSize(podNeed(containers), configurations);
  return size && capacityProvisioned(size);
};

describe("a pod's need", () => {
  it("sums the long-running containers and native sidecars", () => {
    expect(podNeed([c("regular", 1, GIB), c("regular", 0.5, 2 * GIB), c("sidecar", 0.25, GIB)])).toEqual({
      cpuCores: 1.75,
      memoryBytes: 4 * GIB,
    });
  });

  it("takes the largest init container when it needs more, per resource apart", () => {
    const need = podNeed([c("regular", 1, GIB), c("init", 2, 512 * MIB), c("init", 0.5, 3 * GIB)]);
    expect(need).toEqual({ cpuCores: 2, memoryBytes: 3 * GIB });
  });

  it("counts a container without a request as nothing, and a pod without containers as needing nothing", () => {
    expect(podNeed([c("regular", null, null), c("init", null, GIB)])).toEqual({
      cpuCores: 0,
      memoryBytes: GIB,
    });
    expect(podNeed([])).toEqual({ cpuCores: 0, memoryBytes: 0 });
  });
});

describe("Fargate's billed size", () => {
  it.each([
    ["no requests: the smallest size", [], "0.25vCPU 0.5GB"],
    ["256 MiB exactly fills 0.5 GB with the 256 MiB added", [c("regular", 0.1, 256 * MIB)], "0.25vCPU 0.5GB"],
    ["one byte more needs 1 GB", [c("regular", 0.1, 256 * MIB + 1)], "0.25vCPU 1GB"],
    ["1 vCPU + 8 GiB needs 8.25 GiB: 2 vCPU / 9 GB", [c("regular", 1, 8 * GIB)], "2vCPU 9GB"],
    ["more than 0.25 vCPU needs 0.5 vCPU and at least 1 GB", [c("regular", 0.3, 0)], "0.5vCPU 1GB"],
    [
      "an init container of 2 vCPU holds the pod at 2 vCPU",
      [c("regular", 0.3, GIB), c("init", 2, GIB)],
      "2vCPU 4GB",
    ],
    ["a native sidecar adds to the app", [c("regular", 0.5, GIB), c("sidecar", 0.5, GIB)], "1vCPU 3GB"],
    ["4 vCPU + 30 GiB: 4 vCPU / 30 GB is too small by 256 MiB", [c("regular", 4, 30 * GIB)], "8vCPU 32GB"],
    ["16 vCPU / 120 GB is the largest", [c("regular", 16, 120 * GIB - 256 * MIB)], "16vCPU 120GB"],
  ])("%s", (_, containers, expected) => {
    expect(sizeOf(containers as ContainerRequests[])).toBe(expected);
  });

  it("is null when no configuration holds the pod", () => {
    expect(sizeOf([c("regular", 17, GIB)])).toBeNull();
    expect(sizeOf([c("regular", 1, 120 * GIB)])).toBeNull();
  });

  it("gives a pod needing exactly a size of the reference table that size, for every size", () => {
    for (const cfg of configurations) {
      const exact = fargateSize(
        { cpuCores: cfg.vcpu, memoryBytes: cfg.memoryGib * GIB - 256 * MIB },
        configurations,
      );
      expect(exact).toEqual(cfg);
    }
  });
});
