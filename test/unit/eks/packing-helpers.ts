/** Shared inputs of the packing tests: the reference catalogue and prices, and pool builders. */
import {
  type InstancePrice,
  instanceTypesFromRows,
  onDemandPricesFromRows,
} from "../../../src/core/eks/instance-types.js";
import type { PackInput, SimPod } from "../../../src/core/eks/packing-types.js";
import type { KarpenterPool, ManagedNodeGroupPool } from "../../../src/core/eks/pools.js";
import { readReferenceCsv } from "../../../src/core/reference-csv.js";

export const MIB = 1024 ** 2;
export const GIB = 1024 ** 3;
export const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

export const catalogue = instanceTypesFromRows(readReferenceCsv("ec2-instance-types.csv"));
export const prices: InstancePrice[] = onDemandPricesFromRows(
  readReferenceCsv("ec2-ondemand-prices.csv"),
  "us-east-1",
);

export function nodeGroup(
  instanceType: string,
  over: Partial<ManagedNodeGroupPool> = {},
): ManagedNodeGroupPool {
  return {
    kind: "managed-node-group",
    name: "ng",
    instanceType,
    capacityType: "on-demand",
    minSize: 0,
    maxSize: 1000,
    autoscaler: "cluster-autoscaler",
    zones: ZONES,
    daemonSets: [],
    ...over,
  };
}

export function nodePool(over: Partial<KarpenterPool> = {}): KarpenterPool {
  return {
    kind: "karpenter",
    name: "np",
    requirements: {},
    limits: {},
    consolidationPolicy: "WhenEmptyOrUnderutilized",
    zones: ZONES,
    daemonSets: [],
    ...over,
  };
}

/** `count` pods of one workload, `<group>-0` … */
export function replicas(
  group: string,
  count: number,
  cpuCores: number,
  memoryBytes: number,
  over: Partial<SimPod> = {},
): SimPod[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${group}-${i}`,
    group,
    cpuCores,
    memoryBytes,
    ...over,
  }));
}

export const input = (pool: PackInput["pool"], pods: SimPod[], over: Partial<PackInput> = {}): PackInput => ({
  pool,
  catalogue,
  prices,
  pods,
  ...over,
});
