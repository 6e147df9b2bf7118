/**
 * The node shapes a pool can launch: each allowed instance type with what its nodes offer pods
 * once kube-reserved, the eviction threshold and the pool's DaemonSets are taken out, and the
 * price of the capacity type the pool would launch it as. Shared by the packer and its bounds.
 */
import { estimatedMemoryCapacityBytes } from "./allocatable.js";
import {
  allocatableOf,
  type CapacityType,
  DEFAULT_NODE_SETTINGS,
  type InstancePrice,
  type InstanceType,
  type NodeSettings,
} from "./instance-types.js";
import { allowedInstanceTypes, capacityTypesOf, nodeSettingsOf, type Pool } from "./pools.js";

/** Resources in the units the packer counts: whole millicores, bytes, pod slots. */
export interface Resources {
  cpuMillicores: number;
  memoryBytes: number;
  pods: number;
}

export interface NodeShape {
  instanceType: string;
  vcpu: number;
  /** The node's memory capacity (estimated as Karpenter does): what NodePool `limits` count. */
  memoryBytes: number;
  /** Allocatable of an empty node, before DaemonSets. */
  allocatable: Resources;
  /** What the pool's DaemonSets take on every node. */
  daemonSets: Resources;
  /** Allocatable less the DaemonSets: what is left for the pods being packed. */
  free: Resources;
  capacityType: CapacityType;
  usdPerHour: number;
}

export interface ExcludedType {
  instanceType: string;
  reason: "no-price" | "daemonsets-do-not-fit";
}

export interface PoolShapes {
  /** Cheapest first (preferred capacity type, then USD per hour, then name). */
  shapes: NodeShape[];
  excluded: ExcludedType[];
}

/** Kubernetes counts CPU in whole millicores; so does the packer, to add without rounding drift. */
export const toMillicores = (cores: number): number => Math.round(cores * 1000);

export const fits = (used: Resources, add: Resources, room: Resources): boolean =>
  used.cpuMillicores + add.cpuMillicores <= room.cpuMillicores &&
  used.memoryBytes + add.memoryBytes <= room.memoryBytes &&
  used.pods + add.pods <= room.pods;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The shapes of the pool's allowed types. A type is priced as the first capacity type the pool
 * prefers that has a price for it (Karpenter launches spot when the NodePool allows it and spot
 * is offered); a type with no price for any allowed capacity type cannot be costed and is left
 * out, as is a type whose DaemonSets alone overflow it.
 */
export function poolShapes(
  pool: Pool,
  catalogue: readonly InstanceType[],
  prices: readonly InstancePrice[],
  defaults: NodeSettings = DEFAULT_NODE_SETTINGS,
): PoolShapes {
  const settings = nodeSettingsOf(pool, defaults);
  const priceOf = new Map<string, number>();
  for (const p of prices) priceOf.set(`${p.capacityType}/${p.instanceType}`, p.usdPerHour);
  const daemonSets: Resources = { cpuMillicores: 0, memoryBytes: 0, pods: 0 };
  for (const d of pool.daemonSets) {
    daemonSets.cpuMillicores += toMillicores(d.cpuCores);
    daemonSets.memoryBytes += Math.ceil(d.memoryBytes);
    daemonSets.pods += 1;
  }
  const capacityTypes = capacityTypesOf(pool);
  const shapes: Array<NodeShape & { preference: number }> = [];
  const excluded: ExcludedType[] = [];
  for (const type of allowedInstanceTypes(pool, catalogue)) {
    const preference = capacityTypes.findIndex((c) => priceOf.has(`${c}/${type.name}`));
    if (preference < 0) {
      excluded.push({ instanceType: type.name, reason: "no-price" });
      continue;
    }
    const a = allocatableOf(type, settings);
    const allocatable: Resources = {
      cpuMillicores: toMillicores(a.cpuCores),
      memoryBytes: a.memoryBytes,
      pods: a.pods,
    };
    const free: Resources = {
      cpuMillicores: allocatable.cpuMillicores - daemonSets.cpuMillicores,
      memoryBytes: allocatable.memoryBytes - daemonSets.memoryBytes,
      pods: allocatable.pods - daemonSets.pods,
    };
    if (free.cpuMillicores < 0 || free.memoryBytes < 0 || free.pods < 0) {
      excluded.push({ instanceType: type.name, reason: "daemonsets-do-not-fit" });
      continue;
    }
    const capacityType = capacityTypes[preference]!;
    shapes.push({
      instanceType: type.name,
      vcpu: type.vcpu,
      memoryBytes: estimatedMemoryCapacityBytes(type.memoryMib, type.arch, settings.vmMemoryOverheadPercent),
      allocatable,
      daemonSets,
      free,
      capacityType,
      usdPerHour: priceOf.get(`${capacityType}/${type.name}`)!,
      preference,
    });
  }
  shapes.sort(
    (a, b) =>
      a.preference - b.preference || a.usdPerHour - b.usdPerHour || byName(a.instanceType, b.instanceType),
  );
  return { shapes: shapes.map(({ preference: _, ...s }) => s), excluded };
}
