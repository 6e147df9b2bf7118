/**
 * Week over week: this run against the analyzed run before it, from the marts kept per run
 * (src/analyze/history.ts). The spend's change by kind of cost and by namespace, right-sizing
 * recommendations new and resolved, and the realised savings: recommendations of the earlier
 * run whose container's requests now sit within 10 % of what was recommended, with what they
 * save per month and what that came to over the time between the two runs.
 */
import type { MartReader } from "../analyze/marts.js";

/** A recommendation counts as applied when each recommended request is met within this share. */
export const APPLIED_WITHIN = 0.1;
const TOP = 10;

const HISTORY = {
  run_id: "string",
  window_end: "timestamp",
  monthly_nodes_usd: "number",
  monthly_fargate_usd: "number",
  monthly_control_plane_usd: "number",
  monthly_storage_usd: "number",
  monthly_total_usd: "number",
  hours_per_month: "number?",
} as const;

const RIGHTSIZING = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  container_name: "string",
  status: "string",
  cpu_request_cores: "number?",
  memory_request_bytes: "number?",
  rec_cpu_request_cores: "number?",
  rec_memory_request_bytes: "number?",
  request_savings_usd: "number",
} as const;

const NAMESPACES = { cluster: "string", namespace: "string", monthly_cost_usd: "number" } as const;

interface Container {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  containerName: string;
  status: string;
  cpuRequestCores: number | null;
  memoryRequestBytes: number | null;
  recCpuRequestCores: number | null;
  recMemoryRequestBytes: number | null;
  requestSavingsUsd: number;
}

export interface CostPoint {
  runId: string;
  windowEnd: string;
  monthlyNodesUsd: number;
  monthlyFargateUsd: number;
  monthlyControlPlaneUsd: number;
  monthlyStorageUsd: number;
  monthlyTotalUsd: number;
  hoursPerMonth: number | null;
}

export interface Change {
  label: string;
  nowUsd: number;
  thenUsd: number;
  deltaUsd: number;
}

export interface Realised {
  cluster: string;
  namespace: string;
  target: string;
  monthlyUsd: number;
  /** monthlyUsd over the hours between the two runs' window ends. */
  sinceUsd: number;
}

export interface WeekOverWeek {
  previousRunId: string;
  previousWindowEnd: string;
  hoursBetween: number;
  total: Change;
  kinds: Change[];
  /** By the size of the change, largest first; namespaces in either run. */
  namespaces: Array<Change & { cluster: string }>;
  newRecommendations: number;
  newMonthlyUsd: number;
  resolvedRecommendations: number;
  realised: Realised[];
  realisedMonthlyUsd: number;
  realisedSinceUsd: number;
}

const keyOf = (c: Container) =>
  [c.cluster, c.namespace, c.workloadKind, c.workloadName, c.containerName].join("\u0000");
const target = (c: Container) => `${c.workloadKind} ${c.workloadName} container ${c.containerName}`;
const actionable = (c: Container) =>
  (c.status === "ok" || c.status === "hpa_managed") && c.requestSavingsUsd > 0.005;

function within(now: number | null, recommended: number | null): boolean {
  if (recommended === null) return true;
  if (now === null) return false;
  return Math.abs(now - recommended) <= APPLIED_WITHIN * recommended;
}

/** Whether `now`'s requests are the ones `then` recommended (and were not already). */
export function applied(then: Container, now: Container): boolean {
  if (then.recCpuRequestCores === null && then.recMemoryRequestBytes === null) return false;
  return (
    within(now.cpuRequestCores, then.recCpuRequestCores) &&
    within(now.memoryRequestBytes, then.recMemoryRequestBytes)
  );
}

const change = (label: string, nowUsd: number, thenUsd: number): Change => ({
  label,
  nowUsd,
  thenUsd,
  deltaUsd: nowUsd - thenUsd,
});

/** Every analyzed run up to this one, oldest first. */
export async function costHistory(marts: MartReader): Promise<CostPoint[]> {
  return (await marts.query("cost_history", HISTORY)) as CostPoint[];
}

/** This run against the analyzed run before it; null when there is none. */
export async function weekOverWeek(
  marts: MartReader,
  open: (runId: string) => MartReader,
  history: readonly CostPoint[],
): Promise<WeekOverWeek | null> {
  const [previous] = await marts.query("previous_run", {
    run_id: "string",
    window_start: "timestamp",
    window_end: "timestamp",
  });
  if (!previous) return null;
  const before = open(previous.runId);
  const now = history.find((h) => h.runId === marts.runId);
  const then = history.find((h) => h.runId === previous.runId);
  if (!now || !then) return null;
  const hoursBetween = Math.max(0, (Date.parse(now.windowEnd) - Date.parse(then.windowEnd)) / 3_600_000);
  const months = now.hoursPerMonth ? hoursBetween / now.hoursPerMonth : 0;

  const namespacesNow = await marts.read("mart_namespace_costs", NAMESPACES, ["cluster", "namespace"]);
  const namespacesThen = await before.read("mart_namespace_costs", NAMESPACES, ["cluster", "namespace"]);
  const nsKey = (n: { cluster: string; namespace: string }) => `${n.cluster}\u0000${n.namespace}`;
  const nsThen = new Map(namespacesThen.map((n) => [nsKey(n), n.monthlyCostUsd]));
  const nsNow = new Map(namespacesNow.map((n) => [nsKey(n), n.monthlyCostUsd]));
  const namespaces = [...new Set([...nsThen.keys(), ...nsNow.keys()])]
    .sort()
    .map((k) => {
      const [cluster, namespace] = k.split("\u0000") as [string, string];
      return { cluster, ...change(namespace, nsNow.get(k) ?? 0, nsThen.get(k) ?? 0) };
    })
    .sort((a, b) => Math.round(Math.abs(b.deltaUsd) * 100) - Math.round(Math.abs(a.deltaUsd) * 100));

  const order = ["cluster", "namespace", "workload_name", "container_name"] as const;
  const containersNow = (await marts.read("mart_rightsizing", RIGHTSIZING, [...order])) as Container[];
  const containersThen = (await before.read("mart_rightsizing", RIGHTSIZING, [...order])) as Container[];
  const byKeyNow = new Map(containersNow.map((c) => [keyOf(c), c]));
  const openThen = new Set(containersThen.filter(actionable).map(keyOf));
  const openNow = new Set(containersNow.filter(actionable).map(keyOf));
  const fresh = containersNow.filter((c) => actionable(c) && !openThen.has(keyOf(c)));
  const realised = containersThen
    .filter(actionable)
    .flatMap((c): Realised[] => {
      const current = byKeyNow.get(keyOf(c));
      if (!current || !applied(c, current)) return [];
      return [
        {
          cluster: c.cluster,
          namespace: c.namespace,
          target: target(c),
          monthlyUsd: c.requestSavingsUsd,
          sinceUsd: c.requestSavingsUsd * months,
        },
      ];
    })
    .sort((a, b) => Math.round(b.monthlyUsd * 100) - Math.round(a.monthlyUsd * 100));

  return {
    previousRunId: previous.runId,
    previousWindowEnd: then.windowEnd,
    hoursBetween,
    total: change("Cluster cost", now.monthlyTotalUsd, then.monthlyTotalUsd),
    kinds: [
      change("EC2 nodes", now.monthlyNodesUsd, then.monthlyNodesUsd),
      change("Fargate pods", now.monthlyFargateUsd, then.monthlyFargateUsd),
      change("EKS cluster fee", now.monthlyControlPlaneUsd, then.monthlyControlPlaneUsd),
      change("PVC storage (EBS)", now.monthlyStorageUsd, then.monthlyStorageUsd),
    ],
    namespaces: namespaces.slice(0, TOP),
    newRecommendations: fresh.length,
    newMonthlyUsd: fresh.reduce((a, c) => a + c.requestSavingsUsd, 0),
    resolvedRecommendations: [...openThen].filter((k) => !openNow.has(k)).length,
    realised,
    realisedMonthlyUsd: realised.reduce((a, r) => a + r.monthlyUsd, 0),
    realisedSinceUsd: realised.reduce((a, r) => a + r.sinceUsd, 0),
  };
}
