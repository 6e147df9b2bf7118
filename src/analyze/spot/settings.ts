/** Spot settings (`analyzers.spot.*`); the models read them as `spot_*` variables (modelVariables). */
import { z } from "zod";

export const spotSettings = z
  .strictObject({
    minReplicas: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe(
        "A Deployment or Rollout with fewer replicas (and an HPA minimum below this) is not spot-ready.",
      ),
    maxPdbMinAvailableShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe(
        "A PDB whose minAvailable ÷ replicas is above this (and maxUnavailable below 1) is too strict for spot.",
      ),
    maxTerminationGraceSeconds: z
      .number()
      .int()
      .min(0)
      .default(120)
      .describe(
        "A pod that needs longer than this to stop does not fit in the two-minute interruption notice.",
      ),
    baselinePercentile: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe(
        "The pool's baseline is this percentile of its hourly requested vCPU: kept on on-demand (Savings Plans); the spot-ready burst above it goes to spot.",
      ),
    minInstanceTypes: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe(
        "A spot pool allowing fewer instance types than this is a risk: its nodes are interrupted together.",
      ),
    consolidationInstanceTypes: z
      .number()
      .int()
      .min(1)
      .default(15)
      .describe(
        "Karpenter consolidates spot to cheaper spot only with at least this many instance types allowed.",
      ),
  })
  .prefault({});
