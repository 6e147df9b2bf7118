/** Autoscaler health settings (`analyzers.autoscaling.*`); the models read them as `autoscaling_*` variables. */
import { z } from "zod";

export const autoscalingSettings = z
  .strictObject({
    atMaxShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.1)
      .describe(
        "An HPA at its maxReplicas for more than this share of the window's hours is capacity-capped.",
      ),
    swingRatio: z
      .number()
      .gt(1)
      .default(2)
      .describe(
        "Usage swings when its busiest hour uses this many times its quietest; an HPA whose replicas never move then is not scaling.",
      ),
    limitToRequestRatio: z
      .number()
      .min(1)
      .default(1.2)
      .describe(
        "An HPA on CPU utilisation over containers whose CPU limit is at most this many times the request: throttling caps the signal it scales on.",
      ),
    idleNodeShare: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.1)
      .describe(
        "A node-hour is idle when the requests of the pods on it (DaemonSets aside) are below this share of its allocatable CPU.",
      ),
    minIdleHours: z
      .number()
      .int()
      .min(1)
      .default(24)
      .describe(
        "A node idle for at least this many hours of the window and still up was never removed by its pool's autoscaler.",
      ),
  })
  .prefault({});
