/**
 * Hourly usage rows as the Prometheus collector stores them (one row per container and hour:
 * CPU average, p95 and maximum of the 5-minute rate, working set average and maximum, requests,
 * throttling, OOM kills, restarts). The bundle keeps them as CSV, which the store reads and
 * checks (queries/store/bundle_usage_macros.sql).
 */
import { type Workload, workloadOf } from "../../core/eks/workload.js";
import { PROMETHEUS_TABLES, type UsageHourRow } from "./tables.js";

/** The bundle's CSV columns: the table's, but cluster (the bundle's folder tells it). */
export const USAGE_COLUMNS = PROMETHEUS_TABLES.prom_usage_hourly.filter(
  (c): c is Exclude<keyof UsageHourRow, "cluster"> => c !== "cluster",
);

/** The first line of the bundle's usage CSV: its columns, in this order (docs/bundle.md). */
export const USAGE_HEADER = USAGE_COLUMNS.join(",");

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
