/**
 * The forecast's part of the configuration: the named events (`events:`) and the plan's settings
 * (`forecast:`). The config schema takes both from here; the flags (`--forecast.plan-quantile`)
 * and `capacity.example.yaml` follow from the schema as the analyzers' settings do.
 */
import { z } from "zod";

/**
 * A time in UTC or with an explicit zone: `2026-11-27T06:00Z`, `2026-11-27T07:00+01:00`, or a date
 * alone (midnight UTC). A time without a zone is refused: the window must not depend on the
 * machine's time zone.
 */
export const zonedTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
    "a date (2026-11-27, midnight UTC) or a time with its zone (2026-11-27T06:00Z, 2026-11-27T07:00+01:00)",
  )
  .refine((text) => !Number.isNaN(Date.parse(text)), "not a valid date or time");

/** A time of the config as epoch milliseconds (a date alone is midnight UTC). */
export const zonedMs = (text: string): number => Date.parse(/T/.test(text) ? text : `${text}T00:00:00Z`);

const window = z
  .strictObject({ start: zonedTime, end: zonedTime })
  .refine((w) => zonedMs(w.start) < zonedMs(w.end), { message: "start must be before end", path: ["end"] });

const factor = z.number().positive().max(1000);

export const eventSchema = z
  .strictObject({
    start: zonedTime.describe("When the event window starts (UTC, or a time with its zone)."),
    end: zonedTime.describe("When it ends."),
    uplift: factor
      .optional()
      .describe(
        "Expected demand ÷ normal demand; with pastEvent, used where neither a workload nor its namespace can be measured.",
      ),
    pastEvent: window
      .optional()
      .describe("A past event of the same kind: its uplift is measured (observed peak ÷ baseline)."),
    earlierEvents: z
      .array(window)
      .default([])
      .describe(
        "Earlier events of the same kind: left out of the fits, and the latest of them is where the backtest measures the uplift with which it predicts pastEvent without seeing it.",
      ),
    growth: factor
      .default(1)
      .describe("Growth since the reference, multiplying every uplift not overridden."),
    overrides: z
      .strictObject({
        namespaces: z.record(z.string().min(1), factor).default({}),
        workloads: z
          .record(z.string().regex(/^[^/]+\/[A-Za-z]+\/[^/]+$/, "a workload is namespace/Kind/name"), factor)
          .default({}),
      })
      .prefault({})
      .describe(
        "The whole factor for a namespace or a workload (namespace/Kind/name): checkout ×5, batch ×1.",
      ),
  })
  .refine((e) => zonedMs(e.start) < zonedMs(e.end), { message: "start must be before end", path: ["end"] });

export const eventsSchema = z
  .record(
    z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "event names are lower-case words joined by '-'"),
    eventSchema,
  )
  .default({})
  .describe("Named events for `capacity forecast --event NAME`.");

export const forecastSettings = z
  .strictObject({
    planQuantile: z
      .number()
      .min(0.5)
      .max(0.99)
      .default(0.9)
      .describe("The quantile of demand the plan sizes to: 0.9 plans to P90."),
    peakShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.1)
      .describe("Share of the held-out week's hours scored as peak hours in the backtest."),
    mstlFitWeeks: z
      .number()
      .int()
      .min(2)
      .max(8)
      .default(3)
      .describe("Weeks of the latest history MSTL is fit on (two are needed for the weekly period)."),
    mstlShare: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe(
        "MSTL is fit (and backtested) only for the largest workloads that together make this share of the history's CPU use; the others get seasonal naive without a fit. 1: every workload.",
      ),
    mstlMaxWorkloads: z
      .number()
      .int()
      .min(0)
      .default(100)
      .describe(
        "MSTL is tried on at most this many workloads, the largest by CPU (within mstlShare); the others get seasonal naive without a fit. Each costs one or two fits (10-20 ms of CPU each): this bounds the forecast's cost on large clusters.",
      ),
    calibrateIntervals: z
      .boolean()
      .default(true)
      .describe(
        "Widen (or narrow) each model's interval so that it covers its level of the backtest's errors (split conformal); false: the models' own intervals.",
      ),
    zoneLossHeadroom: z.boolean().default(true).describe("Hold room for losing one availability zone."),
    marginMinutes: z
      .number()
      .int()
      .min(0)
      .max(1440)
      .default(15)
      .describe("Slack on top of the lead time: capacity is asked for this much earlier."),
    workers: z
      .number()
      .int()
      .min(0)
      .max(64)
      .default(0)
      .describe("Worker threads fitting the models; 0: one per core."),
  })
  .prefault({});

export type EventConfig = z.infer<typeof eventSchema>;
export type ForecastSettings = z.infer<typeof forecastSettings>;
