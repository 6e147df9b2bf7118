/**
 * The EC2 instance catalogue as the simulator uses it: rows of data/reference/ec2-instance-types.csv
 * and of a price list turned into typed objects (the caller reads the files), and what a node of
 * a type offers pods once EKS has reserved its share (allocatable.ts).
 */
import {
  type Allocatable,
  allocatable,
  estimatedMemoryCapacityBytes,
  maxPods,
  maxPodsCap,
} from "./allocatable.js";

export interface InstanceType {
  /** `m5.large` */
  name: string;
  /** `m5` */
  family: string;
  /** Karpenter's `instance-category`: the family's leading letters (`m`, `c`, `r`, `t`, `inf`). */
  category: string;
  /** Karpenter's `instance-generation`: the number after the category (`m6gd` → 6); 0 if none. */
  generation: number;
  /** `large`, `2xlarge`, `metal` */
  size: string;
  vcpu: number;
  memoryMib: number;
  arch: "amd64" | "arm64";
  gpuCount: number;
  /** Max pods from the ENIs without any cap (the `max_pods_eni` column). */
  maxPodsEni: number;
  /** Default network interfaces and IPv4 per interface, when the ENI table lists the type. */
  enis: number | null;
  ipv4PerEni: number | null;
}

/** What a capacity type costs for one instance type, in USD per hour. */
export interface InstancePrice {
  instanceType: string;
  capacityType: CapacityType;
  usdPerHour: number;
}

export type CapacityType = "on-demand" | "spot";

const num = (value: string | undefined): number | null =>
  value === undefined || value.trim() === "" ? null : Number(value);

/**
 * Instance types from the rows of data/reference/ec2-instance-types.csv (as `readReferenceCsv`
 * returns them). Rows without vCPU or memory (types the specs source no longer lists) are left
 * out: nothing can be packed on them. Sorted by name.
 */
export function instanceTypesFromRows(rows: ReadonlyArray<Record<string, string>>): InstanceType[] {
  const types: InstanceType[] = [];
  for (const r of rows) {
    const vcpu = num(r.vcpu);
    const memoryGib = num(r.memory_gib);
    const maxPodsEni = num(r.max_pods_eni);
    if (!r.instance_type || !vcpu || !memoryGib || !maxPodsEni) continue;
    const family = r.family || r.instance_type.split(".")[0]!;
    const m = /^([a-z]+)(\d+)/.exec(family);
    types.push({
      name: r.instance_type,
      family,
      category: m ? m[1]! : family,
      generation: m ? Number(m[2]) : 0,
      size: r.instance_type.slice(r.instance_type.indexOf(".") + 1),
      vcpu,
      memoryMib: memoryGib * 1024,
      arch: r.arch === "arm64" ? "arm64" : "amd64",
      gpuCount: num(r.gpu_count) ?? 0,
      maxPodsEni,
      enis: num(r.default_enis),
      ipv4PerEni: num(r.ipv4_per_eni),
    });
  }
  return types.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** On-demand prices of one region from the rows of data/reference/ec2-ondemand-prices.csv. */
export function onDemandPricesFromRows(
  rows: ReadonlyArray<Record<string, string>>,
  region: string,
): InstancePrice[] {
  return rows
    .filter((r) => r.region === region && r.instance_type && num(r.usd_per_hour) !== null)
    .map((r) => ({
      instanceType: r.instance_type!,
      capacityType: "on-demand",
      usdPerHour: Number(r.usd_per_hour),
    }));
}

/** How the nodes of a pool are set up, as far as what they offer pods goes. */
export interface NodeSettings {
  /** Managed node groups cap max pods at 110 below 30 vCPU and 250 from 30 on. */
  managedNodeGroup: boolean;
  /** VPC CNI prefix delegation (`ENABLE_PREFIX_DELEGATION`). */
  prefixDelegation: boolean;
  /**
   * The share of the instance's memory the node will not report as capacity (hypervisor,
   * kernel). Karpenter's `VM_MEMORY_OVERHEAD_PERCENT`, 0.075 by default, is also the best
   * estimate for nodes of managed node groups; 0 takes the instance's memory as it is listed.
   */
  vmMemoryOverheadPercent: number;
}

export const DEFAULT_NODE_SETTINGS: NodeSettings = {
  managedNodeGroup: false,
  prefixDelegation: false,
  vmMemoryOverheadPercent: 0.075,
};

/** Max pods of a type under the pool's settings; the published figure when the ENIs are unknown. */
export function maxPodsOf(type: InstanceType, settings: NodeSettings): number {
  if (type.enis !== null && type.ipv4PerEni !== null)
    return maxPods(
      { vcpu: type.vcpu, enis: type.enis, ipv4PerEni: type.ipv4PerEni },
      { managedNodeGroup: settings.managedNodeGroup, prefixDelegation: settings.prefixDelegation },
    );
  return settings.managedNodeGroup || settings.prefixDelegation
    ? Math.min(type.maxPodsEni, maxPodsCap(type.vcpu))
    : type.maxPodsEni;
}

/** What a node of the type offers pods: capacity less kube-reserved and the eviction threshold. */
export function allocatableOf(type: InstanceType, settings: NodeSettings): Allocatable {
  return allocatable({
    vcpu: type.vcpu,
    memoryBytes: estimatedMemoryCapacityBytes(type.memoryMib, type.arch, settings.vmMemoryOverheadPercent),
    maxPods: maxPodsOf(type, settings),
  });
}
