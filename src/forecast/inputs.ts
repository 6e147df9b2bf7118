/**
 * From the rows the store gives (already typed by the mart readers) to the forecast's plain
 * inputs: each workload's hourly history, and each workload's spec (pool, requests per pod, HPA,
 * PDB) from the run's inventory. Pure: the service reads, this maps.
 */
import { type ContainerType, podNeed } from "../core/eks/fargate.js";
import { InputError } from "../core/errors.js";
import type { WorkloadHistory } from "./demand.js";
import type { Hpa, Pdb } from "./hpa.js";
import type { WorkloadSpec } from "./replicas.js";

export interface HourRow {
  namespace: string;
  workloadKind: string;
  workloadName: string;
  hourMs: number;
  cpuCores: number;
  memoryBytes: number;
  replicas: number;
}

export const workloadKey = (namespace: string, kind: string, name: string): string =>
  `${namespace}/${kind}/${name}`;

/** The rows (ordered by workload, then hour) as one history per workload. */
export function historiesOf(rows: readonly HourRow[]): WorkloadHistory[] {
  const byKey = new Map<string, WorkloadHistory & { points: WorkloadHistory["points"][number][] }>();
  for (const r of rows) {
    const key = workloadKey(r.namespace, r.workloadKind, r.workloadName);
    let h = byKey.get(key);
    if (!h) {
      h = { key, namespace: r.namespace, points: [] };
      byKey.set(key, h);
    }
    h.points.push({
      hourMs: r.hourMs,
      cpuCores: r.cpuCores,
      memoryBytes: r.memoryBytes,
      replicas: r.replicas,
    });
  }
  return [...byKey.values()];
}

/**
 * The workloads MSTL is fit for: the largest by CPU that together make `share` of it, and at most
 * `max` of them (the fits are the forecast's cost: a cap bounds it on large clusters and leaves
 * small ones whole). Null: every workload.
 */
export function largestByCpu(
  history: readonly WorkloadHistory[],
  share: number,
  max = Number.POSITIVE_INFINITY,
): Set<string> | null {
  if (share >= 1 && history.length <= max) return null;
  const totals = history
    .map((h) => ({ key: h.key, cpu: h.points.reduce((s, p) => s + p.cpuCores, 0) }))
    .sort((a, b) => b.cpu - a.cpu || (a.key < b.key ? -1 : 1));
  const all = totals.reduce((s, t) => s + t.cpu, 0);
  const keys = new Set<string>();
  let sum = 0;
  for (const t of totals) {
    if (keys.size >= max || (share < 1 && sum >= share * all)) break;
    keys.add(t.key);
    sum += t.cpu;
  }
  return keys;
}

export interface WorkloadRow {
  namespace: string;
  workloadKind: string;
  workloadName: string;
  hpaName: string | null;
  hpaMinReplicas: number | null;
  hpaMaxReplicas: number | null;
  /** JSON array of {type, name, targetType, target}, as the collector stores it. */
  hpaMetrics: string | null;
  pdbName: string | null;
  pdbMinAvailable: number | null;
  pdbMaxUnavailable: number | null;
}

export interface PodContainerRow {
  capacityPool: string;
  namespace: string;
  podName: string;
  workloadKind: string;
  workloadName: string;
  containerType: string;
  cpuRequestCores: number | null;
  memoryRequestBytes: number | null;
}

interface HpaMetric {
  type?: string;
  name?: string;
  targetType?: string;
  target?: number;
}

/**
 * The HPA as the forecast follows it: its first Resource metric with a Utilization target (CPU or
 * memory). Other metrics (external, pods, object, AverageValue) are not modelled: null, with why.
 */
export function hpaOf(row: WorkloadRow): { hpa: Hpa | null; note: string | null } {
  if (!row.hpaName) return { hpa: null, note: null };
  const key = workloadKey(row.namespace, row.workloadKind, row.workloadName);
  let metrics: HpaMetric[];
  try {
    metrics = JSON.parse(row.hpaMetrics ?? "[]") as HpaMetric[];
  } catch {
    throw new InputError(key, "hpa_metrics", `HPA ${row.hpaName}: its metrics are not JSON`);
  }
  const m = metrics.find(
    (x) =>
      x.type === "Resource" &&
      (x.name === "cpu" || x.name === "memory") &&
      x.targetType === "Utilization" &&
      typeof x.target === "number",
  );
  if (!m)
    return {
      hpa: null,
      note: `${key}: HPA ${row.hpaName} scales on no CPU or memory utilisation target; its replicas are held as they are`,
    };
  return {
    hpa: {
      name: row.hpaName,
      minReplicas: row.hpaMinReplicas ?? 1,
      maxReplicas: row.hpaMaxReplicas ?? row.hpaMinReplicas ?? 1,
      resource: m.name as "cpu" | "memory",
      targetUtilizationPercent: m.target!,
    },
    note: null,
  };
}

const pdbOf = (row: WorkloadRow): Pdb | null =>
  row.pdbName
    ? {
        name: row.pdbName,
        ...(row.pdbMinAvailable === null ? {} : { minAvailable: row.pdbMinAvailable }),
        ...(row.pdbMaxUnavailable === null ? {} : { maxUnavailable: row.pdbMaxUnavailable }),
      }
    : null;

const asType = (t: string): ContainerType => (t === "init" || t === "sidecar" ? t : "regular");

/**
 * A spec for every workload with running pods on an EC2 pool: the pool most of its pods run on,
 * the requests of one pod (the first by name; its containers as EKS sums them), its HPA and PDB.
 */
export function workloadSpecs(
  workloads: readonly WorkloadRow[],
  containers: readonly PodContainerRow[],
): { specs: WorkloadSpec[]; notes: string[] } {
  const pods = new Map<string, Map<string, PodContainerRow[]>>();
  for (const c of containers) {
    const key = workloadKey(c.namespace, c.workloadKind, c.workloadName);
    const byPod = pods.get(key) ?? new Map<string, PodContainerRow[]>();
    byPod.set(c.podName, [...(byPod.get(c.podName) ?? []), c]);
    pods.set(key, byPod);
  }
  const notes: string[] = [];
  const specs: WorkloadSpec[] = [];
  for (const row of workloads) {
    const key = workloadKey(row.namespace, row.workloadKind, row.workloadName);
    const byPod = pods.get(key);
    if (!byPod) continue;
    const poolCounts = new Map<string, number>();
    for (const cs of byPod.values())
      poolCounts.set(cs[0]!.capacityPool, (poolCounts.get(cs[0]!.capacityPool) ?? 0) + 1);
    const pool = [...poolCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    const first = [...byPod.keys()].sort()[0]!;
    const cs = byPod.get(first)!;
    const need = podNeed(
      cs.map((c) => ({
        type: asType(c.containerType),
        cpuCores: c.cpuRequestCores,
        memoryBytes: c.memoryRequestBytes,
      })),
    );
    const anyCpu = cs.some((c) => c.containerType !== "init" && c.cpuRequestCores !== null);
    const anyMemory = cs.some((c) => c.containerType !== "init" && c.memoryRequestBytes !== null);
    const { hpa, note } = hpaOf(row);
    if (note) notes.push(note);
    specs.push({
      key,
      namespace: row.namespace,
      kind: row.workloadKind,
      name: row.workloadName,
      pool,
      cpuRequestCores: anyCpu ? need.cpuCores : null,
      memoryRequestBytes: anyMemory ? need.memoryBytes : null,
      hpa,
      pdb: pdbOf(row),
    });
  }
  return { specs, notes };
}
