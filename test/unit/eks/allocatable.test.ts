import { describe, expect, it } from "vitest";
import {
  allocatable,
  EVICTION_HARD_MEMORY_BYTES,
  estimatedMemoryCapacityBytes,
  kubeReservedCpuCores,
  kubeReservedMemoryBytes,
  maxPods,
  maxPodsCap,
} from "../../../src/core/eks/allocatable.js";
import { readReferenceCsv } from "../../../src/core/reference-csv.js";

const MIB = 1024 ** 2;
const types = readReferenceCsv("ec2-instance-types.csv").filter((r) => r.vcpu);
const spec = (name: string) => {
  const r = types.find((t) => t.instance_type === name)!;
  return {
    vcpu: Number(r.vcpu),
    memoryMib: Number(r.memory_gib) * 1024,
    arch: r.arch!,
    enis: Number(r.default_enis),
    ipv4PerEni: Number(r.ipv4_per_eni),
  };
};

describe("max pods", () => {
  it("is ENIs × (IPv4 per ENI − 1) + 2: m5.large 3 × 9 + 2 = 29, m5.4xlarge 8 × 29 + 2 = 234", () => {
    expect(maxPods(spec("m5.large"))).toBe(29);
    expect(maxPods(spec("m5.4xlarge"))).toBe(234);
    expect(maxPods(spec("t3.medium"))).toBe(17);
  });

  it("is capped at 110 below 30 vCPU and 250 from 30 on in managed node groups", () => {
    expect(maxPods(spec("m5.4xlarge"), { managedNodeGroup: true })).toBe(110);
    expect(maxPods(spec("m5.large"), { managedNodeGroup: true })).toBe(29);
    expect(maxPodsCap(29)).toBe(110);
    expect(maxPodsCap(30)).toBe(250);
  });

  it("with prefix delegation holds 16 addresses per slot, under the same caps", () => {
    expect(maxPods(spec("m5.large"), { prefixDelegation: true })).toBe(110); // 3 × 9 × 16 + 2 = 434
    expect(maxPods({ vcpu: 2, enis: 2, ipv4PerEni: 2 }, { prefixDelegation: true })).toBe(34); // 2 × 16 + 2
    expect(maxPods({ vcpu: 96, enis: 15, ipv4PerEni: 50 }, { prefixDelegation: true })).toBe(250);
  });

  it("agrees with max_pods_eni and max_pods_mng for every instance type of the reference data", () => {
    expect(types.length).toBeGreaterThan(100);
    for (const r of types) {
      // Types the ENI table does not list keep their published max pods; the cap still applies.
      expect(Math.min(Number(r.max_pods_eni), maxPodsCap(Number(r.vcpu))), r.instance_type).toBe(
        Number(r.max_pods_mng),
      );
      if (!r.default_enis) continue;
      const limits = {
        vcpu: Number(r.vcpu),
        enis: Number(r.default_enis),
        ipv4PerEni: Number(r.ipv4_per_eni),
      };
      expect(maxPods(limits), r.instance_type).toBe(Number(r.max_pods_eni));
      expect(maxPods(limits, { managedNodeGroup: true }), r.instance_type).toBe(Number(r.max_pods_mng));
    }
  });
});

describe("kube-reserved", () => {
  it.each([
    [1, 0.06],
    [2, 0.07],
    [3, 0.075],
    [4, 0.08],
    [5, 0.082],
    [6, 0.085],
    [8, 0.09],
    [16, 0.11],
    [48, 0.19],
    [96, 0.31],
  ])(
    "CPU on %i vCPU: %f cores (6 %% of core 1, 1 %% of core 2, 0.5 %% of cores 3–4, 0.25 %% above, whole millicores)",
    (vcpu, cores) => {
      expect(kubeReservedCpuCores(vcpu)).toBe(cores);
    },
  );

  it("memory is 11 MiB per pod + 255 MiB; eviction keeps another 100 MiB", () => {
    expect(kubeReservedMemoryBytes(29)).toBe(574 * MIB);
    expect(kubeReservedMemoryBytes(110)).toBe(1465 * MIB);
    expect(EVICTION_HARD_MEMORY_BYTES).toBe(100 * MIB);
    expect(allocatable({ vcpu: 4, memoryBytes: 16_000 * MIB, maxPods: 58 })).toEqual({
      cpuCores: 3.92,
      memoryBytes: (16_000 - 893 - 100) * MIB,
      pods: 58,
    });
  });
});

describe("allocatable, against Karpenter's published figures (v1.14 instance-types reference, AL2023)", () => {
  // Karpenter estimates the node's memory capacity from the instance's (less 64 MiB on Graviton,
  // less its 7.5 % VM overhead), and does not cap max pods as managed node groups do.
  it.each([
    ["m5.large", 1930, 6903, 29],
    ["m5.4xlarge", 15890, 57691, 234],
    ["c6i.2xlarge", 7910, 14162, 58],
    ["r6g.xlarge", 3920, 29258, 58],
    ["t3.medium", 1930, 3246, 17],
  ])("%s: %im CPU, %iMi memory, %i pods", (name, cpuMillicores, memoryMib, pods) => {
    const s = spec(name);
    const a = allocatable({
      vcpu: s.vcpu,
      memoryBytes: estimatedMemoryCapacityBytes(s.memoryMib, s.arch),
      maxPods: maxPods(s),
    });
    expect(a).toEqual({ cpuCores: cpuMillicores / 1000, memoryBytes: memoryMib * MIB, pods });
  });
});
