/**
 * What an EC2 node offers pods, as EKS computes it: max pods from the VPC CNI's ENIs and IPs, the
 * EKS AMI's kube-reserved CPU and memory, and the kubelet's hard eviction threshold
 * (/work/shared/REFERENCE.md "Node allocatable"; Karpenter computes the same figures).
 */

const MIB = 1024 ** 2;

/** The kubelet's default `evictionHard` for memory on the EKS AMIs. */
export const EVICTION_HARD_MEMORY_BYTES = 100 * MIB;

export interface EniLimits {
  vcpu: number;
  /** The instance type's default network interfaces. */
  enis: number;
  ipv4PerEni: number;
}

export interface MaxPodsOptions {
  /** Managed node groups cap max pods at 110 below 30 vCPU and 250 from 30 on. */
  managedNodeGroup?: boolean;
  /** VPC CNI prefix delegation: each secondary IP slot holds a /28 prefix (16 addresses). */
  prefixDelegation?: boolean;
}

/** The cap managed node groups (and prefix delegation) apply: 110 below 30 vCPU, else 250. */
export function maxPodsCap(vcpu: number): number {
  return vcpu < 30 ? 110 : 250;
}

/** ENIs × (IPv4 per ENI − 1) + 2, each ENI's first address being its own; 16× with prefixes. */
export function maxPods(limits: EniLimits, options: MaxPodsOptions = {}): number {
  const perEni = (limits.ipv4PerEni - 1) * (options.prefixDelegation ? 16 : 1);
  const eni = limits.enis * perEni + 2;
  return options.managedNodeGroup || options.prefixDelegation ? Math.min(eni, maxPodsCap(limits.vcpu)) : eni;
}

/**
 * Kube-reserved CPU: 6 % of the first core, 1 % of the second, 0.5 % of the third and fourth,
 * 0.25 % of the cores above; in whole millicores, rounded down as the EKS AMI's bootstrap and
 * Karpenter do (5 vCPU: 60 + 10 + 10 + 2 = 82m).
 */
export function kubeReservedCpuCores(vcpu: number): number {
  const bands: Array<[from: number, to: number, share: number]> = [
    [0, 1, 0.06],
    [1, 2, 0.01],
    [2, 4, 0.005],
    [4, Number.POSITIVE_INFINITY, 0.0025],
  ];
  let millicores = 0;
  for (const [from, to, share] of bands)
    millicores += Math.floor(Math.round(Math.max(0, Math.min(vcpu, to) - from) * 1000 * share * 1000) / 1000);
  return millicores / 1000;
}

/** Kube-reserved memory: 11 MiB per pod the node may run + 255 MiB. */
export function kubeReservedMemoryBytes(maxPods: number): number {
  return (11 * maxPods + 255) * MIB;
}

export interface NodeCapacity {
  vcpu: number;
  /** The memory the node reports as its capacity. */
  memoryBytes: number;
  maxPods: number;
}

export interface Allocatable {
  cpuCores: number;
  memoryBytes: number;
  pods: number;
}

/** Capacity minus kube-reserved, and for memory the eviction threshold too. */
export function allocatable(node: NodeCapacity): Allocatable {
  return {
    cpuCores: Math.round((node.vcpu - kubeReservedCpuCores(node.vcpu)) * 1000) / 1000,
    memoryBytes: node.memoryBytes - kubeReservedMemoryBytes(node.maxPods) - EVICTION_HARD_MEMORY_BYTES,
    pods: node.maxPods,
  };
}

/**
 * The memory capacity a node of an instance type will report, estimated before it exists as
 * Karpenter does: the instance's memory less 64 MiB on Graviton (reserved for the contiguous
 * memory allocator), less a share the hypervisor and kernel keep (Karpenter's
 * `VM_MEMORY_OVERHEAD_PERCENT`, 7.5 % by default), rounded up to the MiB.
 */
export function estimatedMemoryCapacityBytes(
  memoryMib: number,
  arch: string,
  vmMemoryOverheadPercent = 0.075,
): number {
  const mib = memoryMib - (arch === "arm64" ? 64 : 0);
  return (mib - Math.ceil(mib * vmMemoryOverheadPercent)) * MIB;
}
