/**
 * Hourly usage rows as the Prometheus collector stores them (one row per container and hour:
 * CPU average, p95 and maximum of the 5-minute rate, working set average and maximum, requests,
 * throttling, OOM kills, restarts). The bundle keeps them as CSV, which the store reads and
 * checks (queries/store/bundle_usage_macros.sql).
 */
import { PROMETHEUS_TABLES, type UsageHourRow } from "./tables.js";

/** The bundle's CSV columns: the table's, but cluster (the bundle's folder tells it). */
export const USAGE_COLUMNS = PROMETHEUS_TABLES.prom_usage_hourly.filter(
  (c): c is Exclude<keyof UsageHourRow, "cluster"> => c !== "cluster",
);

/** The first line of the bundle's usage CSV: its columns, in this order (docs/bundle.md). */
export const USAGE_HEADER = USAGE_COLUMNS.join(",");

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
