/**
 * Right-sizing settings (`analyzers.rightsizing.*`): every parameter of every strategy, with its
 * documented default. The models read them as `rightsizing_*` variables (modelVariables).
 */
import { z } from "zod";

const MIB = 1024 * 1024;
const share = z.number().gt(0).max(1);

/** Right-sizing settings: every parameter of every strategy, with its documented default. */
export const rightsizingSettings = z
  .strictObject({
    strategy: z
      .enum(["simple", "vpa", "target-utilization"])
      .default("simple")
      .describe(
        "simple: KRR's default (CPU at a percentile of usage, memory at the peak plus a margin); vpa: the VPA recommender's decaying histograms; target-utilization: Kubecost-style peak ÷ target utilisation.",
      ),
    cpuPercentile: share
      .default(0.95)
      .describe("simple: CPU request = this percentile of the hourly CPU p95s of all the workload's pods."),
    memoryMargin: z
      .number()
      .min(0)
      .max(2)
      .default(0.15)
      .describe("simple: memory request = limit = peak working set × (1 + this)."),
    minCpuCores: z.number().min(0).default(0.01).describe("No CPU request below this (cores)."),
    minMemoryBytes: z
      .number()
      .int()
      .min(0)
      .default(32 * MIB)
      .describe("No memory request below this (bytes)."),
    oomBumpBytes: z
      .number()
      .int()
      .min(0)
      .default(100 * MIB)
      .describe("After an OOM kill, memory ≥ the peak plus this (bytes)."),
    oomBumpRatio: z
      .number()
      .min(1)
      .default(1.2)
      .describe("After an OOM kill, memory ≥ the current limit (or request) × this."),
    minHours: z
      .number()
      .min(0)
      .default(24)
      .describe("Fewer hours of usage than this: insufficient_data, no recommendation."),
    minPoints: z
      .number()
      .int()
      .min(0)
      .default(100)
      .describe("Fewer usage samples than this: insufficient_data, no recommendation."),
    throttlingThreshold: share
      .default(0.25)
      .describe("Throttled in more than this share of CFS periods: at_risk."),
    noChangeTolerance: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe("A recommendation within this share of the current value keeps the current value."),
    targetUtilization: share
      .default(0.65)
      .describe(
        "target-utilization: request = peak usage ÷ this (0.8 dev, 0.65 production, 0.5 high availability).",
      ),
    vpa: z
      .strictObject({
        halfLifeHours: z.number().positive().default(24).describe("Half-life of a sample's weight."),
        cpuPercentile: share.default(0.9).describe("CPU target percentile."),
        memoryPercentile: share.default(0.9).describe("Memory target percentile (of daily peaks)."),
        margin: z.number().min(0).max(2).default(0.15).describe("Safety margin added to both targets."),
        memoryWindows: z.number().int().min(1).default(8).describe("Daily memory peaks kept (24 h windows)."),
        podMinCpuCores: z
          .number()
          .min(0)
          .default(0.025)
          .describe("Minimum CPU per pod, split evenly across its containers."),
        podMinMemoryBytes: z
          .number()
          .int()
          .min(0)
          .default(250 * MIB)
          .describe("Minimum memory per pod, split evenly across its containers."),
        bucketGrowth: z
          .number()
          .min(0)
          .default(0.05)
          .describe("Each histogram bucket is this much wider than the one before (0: equal buckets)."),
        cpuFirstBucketCores: z.number().positive().default(0.01).describe("Width of the first CPU bucket."),
        memoryFirstBucketBytes: z
          .number()
          .positive()
          .default(1e7)
          .describe("Width of the first memory bucket."),
      })
      .prefault({})
      .describe("The VPA recommender's settings (kubernetes/autoscaler defaults)."),
    nodes: z
      .strictObject({
        prefixDelegation: z
          .boolean()
          .default(false)
          .describe(
            "The VPC CNI assigns /28 prefixes (ENABLE_PREFIX_DELEGATION on aws-node): the re-pack's max pods per node come from prefixes, capped at 110 (250 from 30 vCPU).",
          ),
        vmMemoryOverheadPercent: z
          .number()
          .min(0)
          .max(0.5)
          .default(0.075)
          .describe(
            "Share of an instance's memory its node does not report (Karpenter's VM_MEMORY_OVERHEAD_PERCENT); 0: the memory the type lists.",
          ),
      })
      .prefault({})
      .describe("What the right-sizing re-pack assumes of the nodes (docs/simulation.md)."),
  })
  .prefault({});
