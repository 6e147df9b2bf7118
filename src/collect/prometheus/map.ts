/**
 * Hourly usage rows as the Prometheus collector stores them (one row per container and hour:
 * CPU average, p95 and maximum of the 5-minute rate, working set average and maximum, requests,
 * throttling, OOM kills, restarts). The bundle keeps them as CSV; this parses and checks it.
 */
import { type Workload, workloadOf } from "../../core/eks/workload.js";
import { InputError } from "../../core/errors.js";
import { PROMETHEUS_TABLES, type UsageHourRow } from "./tables.js";

/** The bundle's CSV columns: the table's, but cluster (the bundle's folder tells it). */
export const USAGE_COLUMNS = PROMETHEUS_TABLES.prom_usage_hourly.filter(
  (c): c is Exclude<keyof UsageHourRow, "cluster"> => c !== "cluster",
);

const NUMBER = new Set([
  "cpu_avg_cores",
  "cpu_p95_cores",
  "cpu_max_cores",
  "memory_avg_bytes",
  "cpu_request_cores",
  "cpu_throttled_ratio",
]);
const INTEGER = new Set(["oom_kills", "restarts", "samples"]);
const BIGINT = new Set(["memory_max_bytes", "memory_request_bytes"]);
const REQUIRED = new Set([
  "hour",
  "namespace",
  "pod",
  "container",
  "workload_kind",
  "workload_name",
  "oom_kills",
  "restarts",
  "samples",
]);

export function parseUsageCsv(text: string, cluster: string, file: string): UsageHourRow[] {
  const lines = text.split("\n");
  const header = lines[0]?.split(",") ?? [];
  const missing = USAGE_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new InputError(file, "header", `is missing the columns ${missing.join(", ")}`);
  const at = USAGE_COLUMNS.map((c) => header.indexOf(c));
  const rows: UsageHourRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const cells = line.split(",");
    const row: Record<string, unknown> = { cluster };
    for (let c = 0; c < USAGE_COLUMNS.length; c++) {
      const column = USAGE_COLUMNS[c]!;
      const cell = cells[at[c]!] ?? "";
      if (cell === "") {
        if (REQUIRED.has(column)) throw new InputError(`${file} line ${i + 1}`, column, "is empty");
        row[column] = null;
      } else if (NUMBER.has(column) || INTEGER.has(column)) {
        const value = Number(cell);
        if (!Number.isFinite(value) || (INTEGER.has(column) && !Number.isInteger(value))) {
          throw new InputError(`${file} line ${i + 1}`, column, `${JSON.stringify(cell)} is not a number`);
        }
        row[column] = value;
      } else if (BIGINT.has(column)) {
        if (!/^\d+$/.test(cell))
          throw new InputError(
            `${file} line ${i + 1}`,
            column,
            `${JSON.stringify(cell)} is not a byte count`,
          );
        row[column] = BigInt(cell);
      } else {
        row[column] = cell;
      }
    }
    // Every column was set above, each checked for its type.
    rows.push(row as unknown as UsageHourRow);
  }
  return rows;
}

export interface Owners {
  pods: Map<string, { kind: string; name: string }>;
  replicaSets: Map<string, { kind: string; name: string }>;
  jobs: Map<string, { kind: string; name: string }>;
}

/** kube-state-metrics writes `<none>` for an object known to have no owner. */
const known = (o: { kind: string; name: string }) =>
  o.kind === "<none>" || o.kind === "" || o.name === "" ? null : o;

/**
 * Resolves a pod to its top workload through kube_pod_owner, kube_replicaset_owner and
 * kube_job_owner, by the rule the Kubernetes collector uses (core/eks/workload.ts): a pod known
 * to have no owner, or owned by a Node or a custom controller, stands for itself; a pod with no
 * owner series at all is read from its name.
 */
export function resolveOwner(namespace: string, pod: string, owners: Owners): Workload {
  const owner = owners.pods.get(`${namespace}/${pod}`);
  return workloadOf(pod, owner === undefined ? undefined : known(owner), (kind, name) => {
    const parent = (kind === "ReplicaSet" ? owners.replicaSets : owners.jobs).get(`${namespace}/${name}`);
    return parent === undefined ? undefined : known(parent);
  });
}
