/**
 * Fargate's billed size of a pod, as EKS computes it (EKS User Guide, "Fargate pod
 * configuration"). The same rule as the macros of queries/macros/fargate.sql;
 * test/unit/eks/fargate-agreement.test.ts runs both on the same generated pods.
 */

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** What Fargate adds to the pod's memory for the kubelet, kube-proxy and containerd. */
export const FARGATE_OVERHEAD_BYTES = 256 * MIB;

/** `sidecar`: an init container with `restartPolicy: Always` (a native sidecar). */
export type ContainerType = "init" | "sidecar" | "regular";

export interface ContainerRequests {
  type: ContainerType;
  /** null when the container asks for none. */
  cpuCores: number | null;
  memoryBytes: number | null;
}

export interface PodNeed {
  cpuCores: number;
  memoryBytes: number;
}

export interface FargateConfiguration {
  vcpu: number;
  memoryGib: number;
}

/**
 * What the pod needs, per resource apart: the larger of its largest init container and the sum
 * of its long-running containers, native sidecars counted with the long-running ones.
 */
export function podNeed(containers: readonly ContainerRequests[]): PodNeed {
  const need = (value: (c: ContainerRequests) => number | null): number => {
    let longRunning = 0;
    let init = 0;
    for (const c of containers) {
      const v = value(c) ?? 0;
      if (c.type === "init") init = Math.max(init, v);
      else longRunning += v;
    }
    return Math.max(longRunning, init);
  };
  return { cpuCores: need((c) => c.cpuCores), memoryBytes: need((c) => c.memoryBytes) };
}

/**
 * The smallest configuration (fewest vCPU, then least memory) that holds the pod's need plus
 * Fargate's 256 MiB; null when none does (EKS does not run such a pod on Fargate).
 */
export function fargateSize(
  need: PodNeed,
  configurations: readonly FargateConfiguration[],
): FargateConfiguration | null {
  const memoryGib = (need.memoryBytes + FARGATE_OVERHEAD_BYTES) / GIB;
  let best: FargateConfiguration | null = null;
  for (const c of configurations) {
    if (c.vcpu < need.cpuCores || c.memoryGib < memoryGib) continue;
    if (!best || c.vcpu < best.vcpu || (c.vcpu === best.vcpu && c.memoryGib < best.memoryGib)) best = c;
  }
  return best;
}

/** The `CapacityProvisioned` annotation's text for a size: `0.25vCPU 0.5GB`. */
export function capacityProvisioned(size: FargateConfiguration): string {
  return `${size.vcpu}vCPU ${size.memoryGib}GB`;
}
