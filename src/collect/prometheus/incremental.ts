/**
 * Incremental usage collection: which hours of the window an earlier run of the same cluster
 * already stored (and this run copies), and which Prometheus is asked for. The earlier run's last
 * day is asked again (its last hours may have been partial when it ran: scrapes and remote writes
 * arrive late), so Prometheus answers that day and the days after it.
 */

const DAY = 86_400_000;

export interface StoredUsage {
  runId: string;
  /** The earlier run's window, [start, end): it holds usage for every hour of it. */
  window: { start: Date; end: Date };
}

export interface UsagePlan {
  /** What Prometheus is asked for. */
  fetch: { start: Date; end: Date };
  /** Hours copied from the earlier run, [start, end); absent on a full refresh. */
  reuse?: { fromRun: string; start: Date; end: Date } | undefined;
  /** Days (of 24 hours) reused and fetched, for the run record and the log. */
  reusedDays: number;
  fetchedDays: number;
}

const days = (ms: number) => Math.round((ms / DAY) * 100) / 100;

/**
 * The plan for `window` given the latest reusable run (or none). A full refresh when there is
 * none, when it does not cover the window's start, ends after this window, or when re-reading its
 * last day leaves nothing to reuse.
 */
export function planUsage(window: { start: Date; end: Date }, stored: StoredUsage | undefined): UsagePlan {
  const full = {
    fetch: window,
    reusedDays: 0,
    fetchedDays: days(window.end.getTime() - window.start.getTime()),
  };
  if (stored === undefined) return full;
  const start = window.start.getTime();
  const end = window.end.getTime();
  const from = stored.window.end.getTime() - DAY;
  if (stored.window.start.getTime() > start || stored.window.end.getTime() > end || from <= start)
    return full;
  return {
    fetch: { start: new Date(from), end: window.end },
    reuse: { fromRun: stored.runId, start: window.start, end: new Date(from) },
    reusedDays: days(from - start),
    fetchedDays: days(end - from),
  };
}
