/** Off-peak scale-down settings (`analyzers.offpeak.*`); the models read them as `offpeak_*` variables. */
import { z } from "zod";

export const offpeakSettings = z
  .strictObject({
    peakShare: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.4)
      .describe(
        "An hour of the day is off-peak when the workload's CPU demand then is below this share of its peak hour's.",
      ),
    minHours: z
      .number()
      .int()
      .min(1)
      .max(23)
      .default(6)
      .describe("A workload is an off-peak candidate when at least this many hours a day are off-peak."),
    flatShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.9)
      .describe(
        "Held capacity is flat when the replicas held off-peak are at least this share of those held at the peak hour.",
      ),
    targetUtilization: z
      .number()
      .gt(0)
      .max(1)
      .default(0.7)
      .describe(
        "The CPU utilisation of requests a workload without an HPA is sized for: replicas needed = ceil(usage ÷ (request per pod × this)); an HPA's own CPU target wins.",
      ),
    minReplicas: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe("Off-peak replicas never go below this (nor below what the workload runs now, if fewer)."),
    minDays: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe("Days of hourly history a workload needs before its daily curve is trusted."),
  })
  .prefault({});
