/**
 * `recommendations.json.forecast`: the forecast's output lives in `forecast.json` (its own schema,
 * `docs/forecast.schema.json`); the run's recommendations carry a small summary of it and a pointer
 * to the file, when a forecast of the same run was written to the same output folder. Null otherwise.
 */
import type { ForecastDocument } from "../forecast/document.js";

export interface ForecastPointer {
  file: "forecast.json";
  schemaVersion: string;
  generatedAt: string;
  cluster: string;
  event: string;
  window: { start: string; end: string };
  /** Nodes held for the event (the peak plus the zone-loss headroom), summed over pools. */
  peakNodes: number;
  eventWindowUsd: number;
  deltaUsd: number;
  /** Plan steps (before, at the pre-scale, after) and flags, counted. */
  planSteps: number;
  flags: number;
  prescaleAt: string;
}

type PointerSource = Pick<
  ForecastDocument,
  "schemaVersion" | "generatedAt" | "cluster" | "event" | "pools" | "totals" | "plan" | "flags"
>;

export function forecastPointer(doc: PointerSource): ForecastPointer {
  return {
    file: "forecast.json",
    schemaVersion: doc.schemaVersion,
    generatedAt: doc.generatedAt,
    cluster: doc.cluster,
    event: doc.event.name,
    window: { start: doc.event.start, end: doc.event.end },
    peakNodes: doc.pools.reduce((s, p) => s + p.held.nodes, 0),
    eventWindowUsd: doc.totals.eventWindowUsd,
    deltaUsd: doc.totals.deltaUsd,
    planSteps: doc.plan.steps.length,
    flags: doc.flags.length,
    prescaleAt: doc.plan.prescaleAt,
  };
}
