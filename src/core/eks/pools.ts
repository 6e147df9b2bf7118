/**
 * Capacity pools: where the pods of a cluster can land, described from what the collector reads
 * (managed node groups, Karpenter NodePools, Fargate profiles, and nodes of neither grouped by
 * their labels), and which instance types each allows.
 */
import type { CapacityType, InstanceType, NodeSettings } from "./instance-types.js";

/** Requests of one DaemonSet's pod, which every node of the pool runs. */
export interface DaemonSetPod {
  name: string;
  cpuCores: number;
  memoryBytes: number;
}

interface PoolBase {
  name: string;
  /** Availability zones the pool launches nodes in (`topology.kubernetes.io/zone`). */
  zones: readonly string[];
  /** The DaemonSet pods each node of the pool carries (those that tolerate and select it). */
  daemonSets: readonly DaemonSetPod[];
  /** Node settings beyond the kind's defaults (prefix delegation, VM memory overhead). */
  nodeSettings?: Partial<NodeSettings>;
}

/** An EKS managed node group: one instance type, one capacity type, an Auto Scaling group's sizes. */
export interface ManagedNodeGroupPool extends PoolBase {
  kind: "managed-node-group";
  instanceType: string;
  capacityType: CapacityType;
  minSize: number;
  maxSize: number;
  /** Who removes nodes freed by smaller requests: Cluster Autoscaler, or nobody. */
  autoscaler: "cluster-autoscaler" | "none";
}

/**
 * A Karpenter NodePool's requirements, one field per well-known label; an absent field allows
 * every value (as a missing requirement does).
 */
export interface KarpenterRequirements {
  /** `karpenter.k8s.aws/instance-family` In */
  families?: readonly string[];
  /** `karpenter.k8s.aws/instance-category` In */
  categories?: readonly string[];
  /** `karpenter.k8s.aws/instance-size` In */
  sizes?: readonly string[];
  /** `karpenter.k8s.aws/instance-size` NotIn */
  excludedSizes?: readonly string[];
  /** `node.kubernetes.io/instance-type` In */
  instanceTypes?: readonly string[];
  /** `karpenter.k8s.aws/instance-generation` Gt */
  generationGreaterThan?: number;
  /** `karpenter.k8s.aws/instance-cpu` Gt / Lt */
  cpuGreaterThan?: number;
  cpuLessThan?: number;
  /** `kubernetes.io/arch` In (amd64, arm64); Karpenter's default is amd64. */
  architectures?: readonly ("amd64" | "arm64")[];
  /** `karpenter.sh/capacity-type` In; Karpenter's default is on-demand. */
  capacityTypes?: readonly CapacityType[];
  /** GPU instance types are left out unless the pool asks for them (as our pods never do). */
  allowGpu?: boolean;
}

export interface KarpenterPool extends PoolBase {
  kind: "karpenter";
  requirements: KarpenterRequirements;
  /** The NodePool's `limits`: the capacity (not allocatable) of all its nodes together. */
  limits: { cpuCores?: number; memoryBytes?: number };
  consolidationPolicy: "WhenEmptyOrUnderutilized" | "WhenEmpty";
}

/** A Fargate profile: every pod gets a micro-VM of its own, sized by fargate.ts. */
export interface FargatePool extends PoolBase {
  kind: "fargate";
}

/** Nodes of no node group nor NodePool, grouped by their labels; the types they have. */
export interface LabelledNodesPool extends PoolBase {
  kind: "nodes";
  labels: Readonly<Record<string, string>>;
  instanceTypes: readonly string[];
  capacityType: CapacityType;
  /** How many nodes the group may have at most (null: as many as the pods need). */
  maxSize: number | null;
}

export type Pool = ManagedNodeGroupPool | KarpenterPool | FargatePool | LabelledNodesPool;

/** The capacity types a pool may launch, in the order it prefers them (Karpenter: spot first). */
export function capacityTypesOf(pool: Pool): CapacityType[] {
  switch (pool.kind) {
    case "managed-node-group":
    case "nodes":
      return [pool.capacityType];
    case "karpenter": {
      const allowed = pool.requirements.capacityTypes ?? ["on-demand"];
      return (["spot", "on-demand"] as const).filter((c) => allowed.includes(c));
    }
    case "fargate":
      return ["on-demand"];
  }
}

function matchesKarpenter(type: InstanceType, r: KarpenterRequirements): boolean {
  const inList = (list: readonly string[] | undefined, value: string) => !list || list.includes(value);
  return (
    inList(r.families, type.family) &&
    inList(r.categories, type.category) &&
    inList(r.sizes, type.size) &&
    !(r.excludedSizes ?? []).includes(type.size) &&
    inList(r.instanceTypes, type.name) &&
    (r.generationGreaterThan === undefined || type.generation > r.generationGreaterThan) &&
    (r.cpuGreaterThan === undefined || type.vcpu > r.cpuGreaterThan) &&
    (r.cpuLessThan === undefined || type.vcpu < r.cpuLessThan) &&
    (r.architectures ?? ["amd64"]).includes(type.arch) &&
    (r.allowGpu || type.gpuCount === 0)
  );
}

/** The instance types of the catalogue a pool may launch, by name; none for Fargate. */
export function allowedInstanceTypes(pool: Pool, catalogue: readonly InstanceType[]): InstanceType[] {
  const sorted = [...catalogue].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  switch (pool.kind) {
    case "managed-node-group":
      return sorted.filter((t) => t.name === pool.instanceType);
    case "nodes":
      return sorted.filter((t) => pool.instanceTypes.includes(t.name));
    case "karpenter":
      return sorted.filter((t) => matchesKarpenter(t, pool.requirements));
    case "fargate":
      return [];
  }
}

/** The pool's node settings: its kind's defaults, then what the pool says. */
export function nodeSettingsOf(pool: Pool, defaults: NodeSettings): NodeSettings {
  return {
    ...defaults,
    managedNodeGroup: pool.kind === "managed-node-group",
    ...pool.nodeSettings,
  };
}
