/**
 * A Fargate profile's "packing": every pod runs in a micro-VM of its own, of the size fargate.ts
 * computes, billed per vCPU-hour and GB-hour. There is nothing to pack, but the result has the
 * packer's shape so that a pool on Fargate and one on EC2 compare line by line.
 */
import { FARGATE_OVERHEAD_BYTES, fargateSize } from "./fargate.js";
import {
  describeNeed,
  type PackInput,
  type PackResult,
  type SimNode,
  totalsOf,
  type UnplacedPod,
} from "./packing-types.js";

const GIB = 1024 ** 3;
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function packOnFargate(input: PackInput): PackResult {
  const { pool, fargate } = input;
  const zones = pool.zones.length ? [...new Set(pool.zones)].sort(byName) : [""];
  const pods = [...input.pods].sort((a, b) => byName(a.name, b.name) || byName(a.group, b.group));
  const nodes: SimNode[] = [];
  const unplaced: UnplacedPod[] = [];
  /** Pods of each group so far: a group's pods go round the zones, as Fargate's subnets spread them. */
  const perGroup = new Map<string, number>();
  for (const pod of pods) {
    const need = describeNeed(pod.cpuCores, pod.memoryBytes);
    if (!fargate) {
      unplaced.push({
        pod: pod.name,
        group: pod.group,
        reason: "no-instance-type",
        detail: `needs ${need}; no Fargate prices given`,
      });
      continue;
    }
    const size = fargateSize(pod, fargate.configurations);
    if (!size) {
      unplaced.push({
        pod: pod.name,
        group: pod.group,
        reason: "too-large-for-any-type",
        detail: `needs ${need} plus Fargate's 256 MiB; no Fargate configuration holds it`,
      });
      continue;
    }
    const seen = perGroup.get(pod.group) ?? 0;
    perGroup.set(pod.group, seen + 1);
    nodes.push({
      name: `${pool.name}-${String(nodes.length + 1).padStart(4, "0")}`,
      instanceType: `fargate-${size.vcpu}vCPU-${size.memoryGib}GB`,
      zone: zones[seen % zones.length]!,
      capacityType: "fargate",
      usdPerHour: size.vcpu * fargate.usdPerVcpuHour + size.memoryGib * fargate.usdPerGbHour,
      pods: [pod.name],
      allocatable: {
        cpuCores: size.vcpu,
        memoryBytes: size.memoryGib * GIB - FARGATE_OVERHEAD_BYTES,
        pods: 1,
      },
      daemonSets: { cpuCores: 0, memoryBytes: 0, pods: 0 },
      requested: { cpuCores: pod.cpuCores, memoryBytes: pod.memoryBytes, pods: 1 },
    });
  }
  return {
    pool: pool.name,
    nodes,
    unplaced,
    excludedTypes: [],
    totals: totalsOf(nodes, unplaced),
    heldByMinSize: { nodes: 0, usdPerHour: 0 },
  };
}
