/**
 * The DuckDB variables the models read, derived from the settings by one rule: a setting's
 * dotted path without the leading `analyzers`, each part in snake_case, joined by `_`
 * (`analyzers.rightsizing.vpa.halfLifeHours` → `rightsizing_vpa_half_life_hours`,
 * `allocation.splitMethod` → `allocation_split_method`). Lists are passed as JSON text. There
 * is no hand-kept map: a new setting is a new variable, and a test checks that every
 * `getvariable('…')` in queries/ names one.
 */
import type { Config } from "../config/schema.js";
import type { StoredRun } from "../store/runs.js";
import { snake } from "./analyzer.js";

export type Variable = string | number | boolean | null;

function flatten(prefix: readonly string[], value: unknown, out: Record<string, Variable>): void {
  if (value === undefined) return;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten([...prefix, snake(key)], child, out);
    return;
  }
  const name = prefix.join("_");
  out[name] = Array.isArray(value) ? JSON.stringify(value) : (value as Variable);
}

/** The settings the models may read: the shared cost model's (`allocation`) and every analyzer's. */
export function settingsVariables(
  config: Pick<Config, "allocation" | "analyzers">,
): Record<string, Variable> {
  const out: Record<string, Variable> = {};
  flatten(["allocation"], config.allocation, out);
  flatten([], config.analyzers, out);
  return out;
}

/** Everything `SET VARIABLE` gives the models for one run: the run and its window, and the settings. */
export function modelVariables(
  config: Pick<Config, "allocation" | "analyzers">,
  run: Pick<StoredRun, "run_id" | "window_start" | "window_end">,
): Record<string, Variable> {
  return {
    run_id: run.run_id,
    window_start: run.window_start.toISOString(),
    window_end: run.window_end.toISOString(),
    ...settingsVariables(config),
  };
}
