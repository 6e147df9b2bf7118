/** Idle settings (`analyzers.idle.*`); the models read them as `idle_*` variables (modelVariables). */
import { z } from "zod";

export const idleSettings = z
  .strictObject({
    nodeUtilizationThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe("A node whose allocated share of its cost is below this is reported as nearly idle."),
  })
  .prefault({});
