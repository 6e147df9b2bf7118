/**
 * A Karpenter NodePool's spec as the collector stores it (requirements, limits and disruption as
 * JSON) turned into what pools.ts describes: the requirements on the well-known labels the
 * simulator knows, the limits in cores and bytes, the consolidation policy. A requirement on a
 * label it does not know is listed in `ignored`, so that the caller can say so.
 */
import { parseBytes, parseCores } from "../quantity.js";
import type { CapacityType } from "./instance-types.js";
import type { KarpenterPool, KarpenterRequirements } from "./pools.js";

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[];
}

export interface NodePoolSpec {
  requirements: KarpenterRequirements;
  limits: KarpenterPool["limits"];
  consolidationPolicy: KarpenterPool["consolidationPolicy"];
  /** Requirements the simulator does not model (`key operator`). */
  ignored: string[];
}

const IN: Record<string, keyof KarpenterRequirements> = {
  "karpenter.k8s.aws/instance-family": "families",
  "karpenter.k8s.aws/instance-category": "categories",
  "karpenter.k8s.aws/instance-size": "sizes",
  "node.kubernetes.io/instance-type": "instanceTypes",
  "kubernetes.io/arch": "architectures",
  "karpenter.sh/capacity-type": "capacityTypes",
};

const CAPACITY_TYPES: readonly string[] = ["spot", "on-demand"];

/** The requirements the simulator honours; the others named in `ignored`. */
export function karpenterRequirements(requirements: readonly NodeSelectorRequirement[]): {
  requirements: KarpenterRequirements;
  ignored: string[];
} {
  const out: { -readonly [K in keyof KarpenterRequirements]: KarpenterRequirements[K] } = {};
  const ignored: string[] = [];
  for (const r of requirements) {
    const values = r.values ?? [];
    const first = Number(values[0]);
    if (r.operator === "In" && IN[r.key]) {
      const field = IN[r.key]!;
      if (field === "architectures") out.architectures = values.filter((v) => v === "amd64" || v === "arm64");
      else if (field === "capacityTypes")
        out.capacityTypes = values.filter((v): v is CapacityType => CAPACITY_TYPES.includes(v));
      else (out as Record<string, readonly string[]>)[field] = [...values];
    } else if (r.operator === "NotIn" && r.key === "karpenter.k8s.aws/instance-size") {
      out.excludedSizes = [...values];
    } else if (
      r.operator === "Gt" &&
      r.key === "karpenter.k8s.aws/instance-generation" &&
      Number.isFinite(first)
    ) {
      out.generationGreaterThan = first;
    } else if (r.operator === "Gt" && r.key === "karpenter.k8s.aws/instance-cpu" && Number.isFinite(first)) {
      out.cpuGreaterThan = first;
    } else if (r.operator === "Lt" && r.key === "karpenter.k8s.aws/instance-cpu" && Number.isFinite(first)) {
      out.cpuLessThan = first;
    } else if (!(r.operator === "Exists" && r.key === "karpenter.k8s.aws/instance-category")) {
      ignored.push(`${r.key} ${r.operator}`);
    }
  }
  return { requirements: out, ignored };
}

/**
 * The NodePool's spec from the collector's JSON: `requirements` an array of node selector
 * requirements, `limits` `{cpu, memory}` as quantities, `disruption` `{consolidationPolicy}`
 * (Karpenter's default is WhenEmptyOrUnderutilized).
 */
export function nodePoolSpec(requirements: unknown, limits: unknown, disruption: unknown): NodePoolSpec {
  const list = Array.isArray(requirements) ? (requirements as NodeSelectorRequirement[]) : [];
  const parsed = karpenterRequirements(list);
  const l = (limits ?? {}) as { cpu?: unknown; memory?: unknown };
  const where = (field: string) => ({ object: "NodePool", field: `spec.limits.${field}` });
  const policy = (disruption as { consolidationPolicy?: unknown } | null)?.consolidationPolicy;
  return {
    ...parsed,
    limits: {
      ...(l.cpu === undefined ? {} : { cpuCores: parseCores(String(l.cpu), where("cpu")) }),
      ...(l.memory === undefined
        ? {}
        : { memoryBytes: Number(parseBytes(String(l.memory), where("memory"))) }),
    },
    consolidationPolicy: policy === "WhenEmpty" ? "WhenEmpty" : "WhenEmptyOrUnderutilized",
  };
}
