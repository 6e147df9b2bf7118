/** Fargate settings (`analyzers.fargate.*`); the models read them as `fargate_*` variables (modelVariables). */
import { z } from "zod";

const MIB = 1024 * 1024;
const share = z.number().gt(0).max(1);

export const fargateSettings = z
  .strictObject({
    stepCutShare: share
      .default(0.1)
      .describe(
        "A pod is flagged when cutting its CPU request, or its memory request, by at most this share drops its billed size a step.",
      ),
    stepCutMemoryBytes: z
      .number()
      .int()
      .min(0)
      .default(256 * MIB)
      .describe(
        "A memory cut of at most this (bytes) also counts as a small cut, when it is more than stepCutShare.",
      ),
    steadyDutyCycle: share
      .default(0.9)
      .describe(
        "A workload with pods running in at least this share of the window's hours is steady: cheaper on EC2, it is recommended there.",
      ),
    largeVcpu: z
      .number()
      .min(0)
      .default(1)
      .describe(
        "A Fargate workload whose pods take at least this many vCPU together, on average, is large enough for EC2.",
      ),
    burstyDutyCycle: share
      .default(0.5)
      .describe(
        "A workload with pods running in less than this share of the hours (or a Job or CronJob) is bursty: cheaper on Fargate, it is recommended there.",
      ),
    minPlacementSavingShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe(
        "A move between Fargate and EC2 is recommended only when it saves at least this share of today's cost.",
      ),
  })
  .prefault({});
