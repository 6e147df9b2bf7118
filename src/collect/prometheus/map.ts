/**
 * Hourly usage rows as the Prometheus collector stores them (one row per container and hour:
 * CPU average, p95 and maximum of the 5-minute rate, working set average and maximum, requests,
 * throttling, OOM kills, restarts). The bundle keeps them as CSV; this parses and checks it.
 */
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

/** The workload a pod belongs to, from its name alone, when kube-state-metrics has no owner for it. */
export function workloadFromPodName(pod: string): { kind: string; name: string } {
  const deployment = /^(.+)-[a-z0-9]{5,10}-[a-z0-9]{5}$/.exec(pod);
  if (deployment) return { kind: "Deployment", name: deployment[1]! };
  const statefulSet = /^(.+)-\d+$/.exec(pod);
  if (statefulSet) return { kind: "StatefulSet", name: statefulSet[1]! };
  return { kind: "Pod", name: pod };
}

export interface Owners {
  pods: Map<string, { kind: string; name: string }>;
  replicaSets: Map<string, { kind: string; name: string }>;
  jobs: Map<string, { kind: string; name: string }>;
}

/** Resolves a pod to its top workload through kube_pod_owner, kube_replicaset_owner and kube_job_owner. */
export function resolveOwner(namespace: string, pod: string, owners: Owners): { kind: string; name: string } {
  const owner = owners.pods.get(`${namespace}/${pod}`);
  if (!owner || owner.kind === "<none>" || owner.kind === "") return workloadFromPodName(pod);
  if (owner.kind === "ReplicaSet") {
    const parent = owners.replicaSets.get(`${namespace}/${owner.name}`);
    if (parent && parent.kind !== "<none>") return parent;
    return { kind: "Deployment", name: owner.name.replace(/-[a-z0-9]{5,10}$/, "") };
  }
  if (owner.kind === "Job") {
    const parent = owners.jobs.get(`${namespace}/${owner.name}`);
    if (parent && parent.kind !== "<none>") return parent;
    if (/-\d{8,}$/.test(owner.name)) return { kind: "CronJob", name: owner.name.replace(/-\d{8,}$/, "") };
    return { kind: "Job", name: owner.name };
  }
  if (owner.kind === "Node") return { kind: "Pod", name: pod };
  return owner;
}
