/**
 * The rows this source writes, one type per table of the store (queries/migrations/): the
 * columns are listed once, checked against the type here and against the migration by
 * test/unit/collect/tables.test.ts, so a row type and its table cannot drift apart.
 */
import { columns, type Integer, type Timestamp } from "../tables.js";

/** A row of prom_usage_hourly. */
export interface UsageHourRow {
  cluster: string;
  hour: Timestamp; // start of the hour, UTC
  namespace: string;
  pod: string;
  container: string;
  node: string | null;
  workload_kind: string;
  workload_name: string;
  cpu_avg_cores: number | null;
  cpu_p95_cores: number | null;
  cpu_max_cores: number | null;
  memory_avg_bytes: number | null;
  memory_max_bytes: Integer | null;
  cpu_request_cores: number | null;
  memory_request_bytes: Integer | null;
  cpu_throttled_ratio: number | null;
  oom_kills: number;
  restarts: number;
  samples: number; // points behind the hour's aggregates
}

/**
 * A row of prom_usage_reused: hours [hour_start, hour_end) of the cluster's usage this run reads
 * from an earlier run's rows (prometheus.incremental), stored once there.
 */
export interface UsageReusedRow {
  cluster: string;
  from_run_id: string;
  hour_start: Timestamp;
  hour_end: Timestamp;
}

/** A row of prom_pending_pods_hourly: a pod Pending during an hour (kube_pod_status_phase). */
export interface PendingPodHourRow {
  cluster: string;
  hour: Timestamp; // start of the hour, UTC
  namespace: string;
  pod: string;
  workload_kind: string;
  workload_name: string;
  pending_ratio: number; // share of the hour's samples it was Pending, (0, 1]
}

export const PROMETHEUS_TABLES = {
  prom_usage_hourly: columns<UsageHourRow>()([
    "cluster",
    "hour",
    "namespace",
    "pod",
    "container",
    "node",
    "workload_kind",
    "workload_name",
    "cpu_avg_cores",
    "cpu_p95_cores",
    "cpu_max_cores",
    "memory_avg_bytes",
    "memory_max_bytes",
    "cpu_request_cores",
    "memory_request_bytes",
    "cpu_throttled_ratio",
    "oom_kills",
    "restarts",
    "samples",
  ]),
  prom_usage_reused: columns<UsageReusedRow>()(["cluster", "from_run_id", "hour_start", "hour_end"]),
  prom_pending_pods_hourly: columns<PendingPodHourRow>()([
    "cluster",
    "hour",
    "namespace",
    "pod",
    "workload_kind",
    "workload_name",
    "pending_ratio",
  ]),
} as const;
