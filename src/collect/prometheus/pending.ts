/**
 * The pending-pod history: per namespace and day (the usage's chunks), the pods kube-state-metrics
 * saw Pending in each hour (queries.ts pendingPodsQuery), each with its workload (kube_pod_owner,
 * resolved as the usage's pods are), as prom_pending_pods_hourly rows; and the bundle's CSV of the
 * same rows (prometheus/<cluster>/pending_pods_hourly.csv, written by the store's export:
 * queries/store/export_prom_pending.sql) read back checked.
 */
import { SourceError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { RowProblem } from "../source.js";
import type { PrometheusApi, Series } from "./client.js";
import { type Owners, resolveOwner } from "./map.js";
import { pendingPodsQuery, type Scope } from "./queries.js";
import { type PendingPodHourRow, PROMETHEUS_TABLES } from "./tables.js";

const HOUR = 3600;

/** The bundle's CSV columns: the table's, but cluster (the bundle's folder tells it). */
export const PENDING_COLUMNS = PROMETHEUS_TABLES.prom_pending_pods_hourly.filter((c) => c !== "cluster");
export const PENDING_HEADER = PENDING_COLUMNS.join(",");

/** An answer of pendingPodsQuery as rows: the point at T is the hour starting at T-1h. */
export function pendingRows(
  cluster: string,
  namespace: string,
  series: readonly Series[],
  owners: Owners,
): PendingPodHourRow[] {
  const rows = new Map<string, PendingPodHourRow>();
  for (const s of series) {
    const pod = s.labels.pod;
    if (!pod) continue;
    const w = resolveOwner(namespace, pod, owners);
    for (const [t, ratio] of s.values) {
      if (!(ratio > 0)) continue;
      const hour = new Date((t - HOUR) * 1000).toISOString();
      const key = `${pod}\u0000${hour}`;
      // Two scrape jobs of kube-state-metrics: the higher share, as the usage keeps the highest.
      const seen = rows.get(key);
      if (seen && seen.pending_ratio >= Math.min(1, ratio)) continue;
      rows.set(key, {
        cluster,
        hour,
        namespace,
        pod,
        workload_kind: w.kind,
        workload_name: w.name,
        pending_ratio: Math.min(1, ratio),
      });
    }
  }
  return [...rows.values()];
}

/**
 * Every namespace's pending pods over the days, a few queries at a time through `query` (the
 * usage's limiter). A namespace-day whose query fails after its retries is left out and counted:
 * the history is a finding's evidence, not the usage the costs stand on.
 */
export async function collectPending(
  api: PrometheusApi,
  p: {
    cluster: string;
    base: Scope;
    namespaces: readonly string[];
    days: ReadonlyArray<{ start: Date; end: Date }>;
    owners: Owners;
    query: <T>(fn: () => Promise<T>) => Promise<T>;
  },
  logger: Logger,
): Promise<{ rows: PendingPodHourRow[]; gaps: number }> {
  const rows: PendingPodHourRow[] = [];
  let gaps = 0;
  await Promise.all(
    p.namespaces.flatMap((namespace) =>
      p.days.map(async (day) => {
        const first = new Date(day.start.getTime() + HOUR * 1000);
        try {
          const series = await p.query(() =>
            api.range(pendingPodsQuery({ ...p.base, namespace }), first, day.end, HOUR),
          );
          rows.push(...pendingRows(p.cluster, namespace, series, p.owners));
        } catch (error) {
          if (!(error instanceof SourceError)) throw error;
          gaps++;
          logger.warn(
            "pending-pod query failed after retries; that namespace and day have no pending history",
            {
              cluster: p.cluster,
              namespace,
              day: day.start.toISOString().slice(0, 10),
            },
          );
        }
      }),
    ),
  );
  rows.sort((a, b) => `${a.hour}${a.namespace}${a.pod}`.localeCompare(`${b.hour}${b.namespace}${b.pod}`));
  return { rows, gaps };
}

/**
 * The bundle's CSV back to rows, each checked: an hour that is not a time or lies outside the
 * window, an empty name, or a share outside (0, 1] leaves that row out as a problem.
 */
export function readPendingCsv(
  text: string,
  cluster: string,
  window: { start: Date; end: Date },
  file: string,
): { rows: PendingPodHourRow[]; problems: Array<RowProblem & { line: number }> } {
  const lines = text.split("\n").filter((l) => l !== "");
  if (lines[0] !== PENDING_HEADER)
    throw new SourceError("prometheus", `${file} does not start with the pending-pod columns`, {
      hint: `its first line must be: ${PENDING_HEADER} (docs/bundle.md)`,
    });
  const rows: PendingPodHourRow[] = [];
  const problems: Array<RowProblem & { line: number }> = [];
  for (const [i, line] of lines.slice(1).entries()) {
    const [hour = "", namespace = "", pod = "", kind = "", name = "", ratioText = "", ...rest] =
      line.split(",");
    const object = `pending pod ${namespace}/${pod} at ${hour}`;
    const problem = (field: string, value: string, rule: string, message: string) =>
      problems.push({ line: i + 2, object, field, value, rule, message });
    const at = Date.parse(hour);
    const ratio = Number(ratioText);
    if (rest.length || !namespace || !pod || !kind || !name)
      problem("line", line, "columns", `line ${i + 2} does not hold the ${PENDING_COLUMNS.length} columns`);
    else if (!/^\d{4}-\d\d-\d\dT\d\d:00:00(\.000)?Z$/.test(hour) || Number.isNaN(at))
      problem("hour", hour, "hour", `${JSON.stringify(hour)} is not the start of an hour in UTC`);
    else if (at < window.start.getTime() || at >= window.end.getTime())
      problem("hour", hour, "in-window", `${hour} is outside the window`);
    else if (!(ratio > 0 && ratio <= 1))
      problem(
        "pending_ratio",
        ratioText,
        "within (0, 1]",
        `${JSON.stringify(ratioText)} is not a share of the hour in (0, 1]`,
      );
    else
      rows.push({
        cluster,
        hour: new Date(at).toISOString(),
        namespace,
        pod,
        workload_kind: kind,
        workload_name: name,
        pending_ratio: ratio,
      });
  }
  return { rows, problems };
}
