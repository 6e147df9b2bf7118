/**
 * The event forecast checked on the past event without seeing it: the uplift measured on the
 * latest earlier event of the same kind, the baseline fit on the history before the past event
 * (every event window left out), their product's peak against the past event's observed peak. For
 * the cluster (every workload summed hour by hour) and for each of the largest workloads. Without
 * an earlier event there is nothing to measure an uplift on that the past event did not give, and
 * the check is not made (said so): measuring and predicting the same event reproduces it by
 * construction.
 */
import type { MstlFitter } from "./augurs.js";
import { type DemandOptions, measureOptions, type WorkloadHistory } from "./demand.js";
import { type Grid, sumGrids, toGrid, type Window } from "./series.js";
import { backtestEvent, type EventBacktest, type EventSpec, measureUplift } from "./uplift.js";

export interface EventCheck {
  subject: string;
  /** The uplift measured on the earlier event (null: not measurable there). */
  uplift: number | null;
  backtest: EventBacktest;
}

export interface EventBacktestResult {
  status: "ok" | "not_made";
  reason: string;
  /** The event predicted (the past event) and the one the uplift was measured on. */
  predicted: Window | null;
  measuredOn: Window | null;
  cluster: EventCheck | null;
  workloads: EventCheck[];
}

function check(
  subject: string,
  grid: Grid,
  predicted: Window,
  measuredOn: Window,
  options: ReturnType<typeof measureOptions>,
  fitter: MstlFitter | null,
): EventCheck {
  const m = measureUplift(grid, measuredOn, options, fitter);
  if (m.uplift === null)
    return {
      subject,
      uplift: null,
      backtest: {
        status: "insufficient_data",
        predictedPeak: null,
        observedPeak: null,
        error: null,
        reason: `uplift not measurable on the earlier event: ${m.reason}`,
      },
    };
  return { subject, uplift: m.uplift, backtest: backtestEvent(grid, predicted, m.uplift, options, fitter) };
}

/** `top`: how many of the largest workloads (by CPU over the history) are checked one by one. */
export function eventBacktest(
  history: readonly WorkloadHistory[],
  event: EventSpec,
  options: DemandOptions,
  fitter: MstlFitter | null,
  top = 10,
): EventBacktestResult {
  const earlier = [...(event.earlierEvents ?? [])].sort((a, b) => a.startMs - b.startMs);
  const predicted = event.pastEvent ?? null;
  const measuredOn = predicted ? (earlier.filter((e) => e.endMs <= predicted.startMs).at(-1) ?? null) : null;
  if (!predicted || !measuredOn)
    return {
      status: "not_made",
      reason: predicted
        ? "no earlier event before pastEvent (earlierEvents) to measure an uplift on that does not see it"
        : "the event has no pastEvent to check the forecast on",
      predicted,
      measuredOn,
      cluster: null,
      workloads: [],
    };
  const measure = measureOptions(event, options);
  const grids = history.map((w) => ({ key: w.key, grid: toGrid(w.key, w.points, (p) => p.cpuCores) }));
  const total = (g: Grid) => g.values.reduce((s, v) => (Number.isNaN(v) ? s : s + v), 0);
  const largest = [...grids]
    .sort((a, b) => total(b.grid) - total(a.grid) || (a.key < b.key ? -1 : 1))
    .slice(0, top);
  return {
    status: "ok",
    reason:
      "uplift measured on the earlier event, baseline fit before the past event, against its observed peak",
    predicted,
    measuredOn,
    cluster: check("cluster", sumGrids(grids.map((g) => g.grid)), predicted, measuredOn, measure, fitter),
    workloads: largest.map((g) => check(g.key, g.grid, predicted, measuredOn, measure, fitter)),
  };
}
