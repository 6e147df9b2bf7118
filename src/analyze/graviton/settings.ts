/** Graviton settings (`analyzers.graviton.*`). */
import { z } from "zod";

export const gravitonSettings = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        "Price moving the workloads known to run on arm64 to the Graviton equivalents of their pools' types.",
      ),
  })
  .prefault({});
