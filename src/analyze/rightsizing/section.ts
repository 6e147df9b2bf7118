/**
 * Right-sizing: per container, the requests and limits its usage supports (strategy and
 * settings in settings.ts), why, and what freeing the difference saves per month.
 */
import type { z } from "zod";
import { round } from "../../report/format.js";
import { type Resources, requestsText, resourcesLines } from "../../report/resources.js";
import type { Section, SectionInput } from "../analyzer.js";
import { MartError, type RowOf } from "../marts.js";
import { addonLines, addonResources, managedAddon } from "./addons.js";
import { workloadPatches } from "./patches.js";
import { type PoolRow, poolShare, readPools } from "./pools-view.js";
import type { rightsizingSettings } from "./settings.js";

export const RIGHTSIZING_STATUSES = [
  "ok",
  "hpa_managed",
  "at_risk",
  "no_change",
  "insufficient_data",
] as const;
export type RightsizingStatus = (typeof RIGHTSIZING_STATUSES)[number];

const COLUMNS = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  container_name: "string",
  strategy: "string",
  status: "string",
  reason: "string",
  runs_on: "string?",
  capacity_pool: "string?",
  cpu_request_cores: "number?",
  cpu_limit_cores: "number?",
  memory_request_bytes: "number?",
  memory_limit_bytes: "number?",
  cpu_percentile_cores: "number?",
  cpu_max_cores: "number?",
  memory_peak_bytes: "number?",
  oom_kills: "number",
  cpu_throttled_ratio: "number?",
  usage_hours: "number",
  points: "number",
  pods_seen: "number",
  rec_cpu_request_cores: "number?",
  rec_cpu_limit_cores: "number?",
  rec_memory_request_bytes: "number?",
  rec_memory_limit_bytes: "number?",
  request_savings_usd: "number",
} as const;

export interface RightsizingRow {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  containerName: string;
  strategy: string;
  status: RightsizingStatus;
  reason: string;
  runsOn: string;
  capacityPool: string | null;
  current: Resources;
  usage: {
    cpuPercentileCores: number | null;
    cpuMaxCores: number | null;
    memoryPeakBytes: number | null;
    oomKills: number;
    cpuThrottledRatio: number | null;
    usageHours: number;
    points: number;
    podsSeen: number;
  };
  recommended: Resources | null;
  requestSavingsUsd: number;
  /** Its part of its pool's nodes saved (EC2) or its billed-size change (Fargate): pools-view.ts. */
  nodesSavedUsd: number;
  /** The EKS add-on that sets this container's requests (`kube-proxy`), if any. */
  eksAddon: string | null;
  /**
   * What to paste, one line each; empty without a recommendation: the `resources:` block, or for
   * an add-on's container the `aws eks update-addon` command (`pasteLanguage` says which).
   */
  resources: string[];
  pasteLanguage: "yaml" | "sh";
}

function isStatus(value: string): value is RightsizingStatus {
  return (RIGHTSIZING_STATUSES as readonly string[]).includes(value);
}

export function rightsizingRow(
  r: RowOf<typeof COLUMNS>,
  share: (row: Omit<RowOf<typeof COLUMNS>, "runsOn"> & { runsOn: string }) => number = () => 0,
): RightsizingRow {
  if (!isStatus(r.status)) {
    throw new MartError(
      `mart_rightsizing.status ${r.status} (${r.namespace}/${r.workloadName}/${r.containerName}) is not one of ${RIGHTSIZING_STATUSES.join(", ")}`,
    );
  }
  const current: Resources = {
    cpuRequestCores: r.cpuRequestCores,
    cpuLimitCores: r.cpuLimitCores,
    memoryRequestBytes: r.memoryRequestBytes,
    memoryLimitBytes: r.memoryLimitBytes,
  };
  const addon = managedAddon(r);
  const asRecommended: Resources | null =
    r.status === "insufficient_data"
      ? null
      : {
          cpuRequestCores: r.recCpuRequestCores,
          cpuLimitCores: r.recCpuLimitCores,
          memoryRequestBytes: r.recMemoryRequestBytes,
          memoryLimitBytes: r.recMemoryLimitBytes,
        };
  const recommended = asRecommended && addon ? addonResources(asRecommended, current) : asRecommended;
  return {
    cluster: r.cluster,
    namespace: r.namespace,
    workloadKind: r.workloadKind,
    workloadName: r.workloadName,
    containerName: r.containerName,
    strategy: r.strategy,
    status: r.status,
    reason: r.reason,
    runsOn: r.runsOn ?? "unknown",
    capacityPool: r.capacityPool,
    current,
    usage: {
      cpuPercentileCores: r.cpuPercentileCores,
      cpuMaxCores: r.cpuMaxCores,
      memoryPeakBytes: r.memoryPeakBytes,
      oomKills: r.oomKills,
      cpuThrottledRatio: r.cpuThrottledRatio,
      usageHours: r.usageHours,
      points: r.points,
      podsSeen: r.podsSeen,
    },
    recommended,
    requestSavingsUsd: r.requestSavingsUsd,
    nodesSavedUsd: share({ ...r, runsOn: r.runsOn ?? "unknown" }),
    eksAddon: addon?.name ?? null,
    resources: !recommended
      ? []
      : addon
        ? addonLines(r.cluster, addon, recommended)
        : resourcesLines(recommended),
    pasteLanguage: addon ? "sh" : "yaml",
  };
}

export async function rightsizingSection({
  marts,
  settings,
}: SectionInput<z.output<typeof rightsizingSettings>>): Promise<Section> {
  const raw = await marts.read("mart_rightsizing", COLUMNS, [
    { column: "request_savings_usd", round: 4, desc: true },
    "cluster",
    "namespace",
    "workload_name",
    "container_name",
  ]);
  const pools = await readPools(marts);
  const share = poolShare(
    raw.map((r) => ({ ...r, runsOn: r.runsOn ?? "unknown" })),
    pools,
  );
  const rows = raw
    .map((r) => rightsizingRow(r, share))
    .sort((a, b) => Math.round(b.nodesSavedUsd * 1e4) - Math.round(a.nodesSavedUsd * 1e4));
  const acted = rows.filter((r) => r.status === "ok" || r.status === "hpa_managed");
  const saved = pools.reduce((a, p) => a + p.savingsUsd, 0);
  return {
    view: {
      strategy: settings.strategy,
      containers: rows.length,
      byStatus: RIGHTSIZING_STATUSES.map((status) => ({
        status,
        containers: rows.filter((r) => r.status === status).length,
      })),
      // Net of raises, over ok and hpa_managed rows (at_risk rows are reliability fixes).
      requestSavingsUsd: acted.reduce((a, r) => a + r.requestSavingsUsd, 0),
      nodesSavedUsd: pools.reduce((a, p) => a + p.nodesSavedUsd, 0),
      fargateSavingsUsd: pools.reduce((a, p) => a + p.fargateSavingsUsd, 0),
      savingsUsd: saved,
      pools: pools.map(poolView),
      reliabilityCostUsd: -rows
        .filter((r) => r.status === "at_risk")
        .reduce((a, r) => a + r.requestSavingsUsd, 0),
      // The rows worth acting on first: ok and hpa_managed by savings, then at_risk.
      top: acted.filter((r) => r.requestSavingsUsd > 0.005).slice(0, 25),
      // Every container, for the HTML report's table (sortable, filterable, paged in the page).
      rows,
      atRisk: rows.filter((r) => r.status === "at_risk"),
    },
    savings: {
      category: "rightsizing",
      label: "right-sizing, nodes saved",
      confidence: "fairly sure",
      monthlyUsd: saved,
    },
    actions: acted
      .filter((r) => r.nodesSavedUsd > 0.005 && r.recommended)
      .map((r) => ({
        monthlyUsd: r.nodesSavedUsd,
        cluster: r.cluster,
        owner: r.namespace,
        target: `${r.workloadKind} ${r.workloadName} container ${r.containerName}`,
        fix: r.eksAddon
          ? `aws eks update-addon ${r.eksAddon} with the requests shown`
          : `set requests ${requestsText(r.recommended!)}`,
      })),
    recommendations: {
      rightsizing: rows.map((r) => ({
        cluster: r.cluster,
        namespace: r.namespace,
        workloadKind: r.workloadKind,
        workloadName: r.workloadName,
        container: r.containerName,
        strategy: r.strategy,
        status: r.status,
        reason: r.reason,
        runsOn: r.runsOn,
        current: r.current,
        usage: {
          cpuPercentile: settings.cpuPercentile,
          cpuPercentileCores: r.usage.cpuPercentileCores,
          cpuMaxCores: r.usage.cpuMaxCores,
          memoryPeakBytes: r.usage.memoryPeakBytes,
          oomKills: r.usage.oomKills,
          cpuThrottledRatio: r.usage.cpuThrottledRatio,
          usageHours: r.usage.usageHours,
          points: r.usage.points,
        },
        recommended: r.recommended,
        monthlySavingsUsd: round(r.requestSavingsUsd),
        monthlySavingsAfterConsolidationUsd: round(r.nodesSavedUsd),
        eksAddon: r.eksAddon,
        resources: r.resources.length ? `${r.resources.join("\n")}\n` : null,
      })),
      rightsizingPools: pools.map((p) => ({
        cluster: p.cluster,
        pool: p.capacityPool,
        kind: p.poolKind,
        autoscaler: p.autoscaler,
        instanceTypes: p.instanceTypes ? p.instanceTypes.split(",") : [],
        requirementsFrom: p.requirementsSource,
        nodesObserved: p.nodesObserved,
        pods: p.pods,
        nodesBefore: p.nodesBefore,
        nodesAfter: p.nodesAfter,
        nodesBeforeByType: p.nodesBeforeByType,
        nodesAfterByType: p.nodesAfterByType,
        podsUnplaced: Math.max(p.unplacedBefore, p.unplacedAfter),
        freedCpuCores: round(p.freedCpuCores, 3),
        freedMemoryBytes: Math.round(p.freedMemoryBytes),
        monthlyRequestSavingsUsd: round(p.requestSavingsUsd),
        monthlyNodesSavedUsd: round(p.nodesSavedUsd),
        monthlyFargateSavingsUsd: round(p.fargateSavingsUsd),
        minSize: p.minSize,
        maxSize: p.maxSize,
        nodesHeldByMinSize: p.nodesHeldByMinSize,
        monthlyMinSizeSavingsUsd: round(p.minSizeSavingsUsd),
        priceSource: p.priceSource,
        note: p.note,
      })),
    },
    csv: [
      {
        file: "rightsizing.csv",
        columns: [
          { name: "cluster" },
          { name: "namespace" },
          { name: "workloadKind" },
          { name: "workloadName" },
          { name: "containerName" },
          { name: "status" },
          { name: "reason" },
          { name: "capacityPool" },
          { name: "cpuRequestCores", digits: 3 },
          { name: "recCpuRequestCores", digits: 3 },
          { name: "memoryRequestBytes", digits: 0 },
          { name: "recMemoryRequestBytes", digits: 0 },
          { name: "monthlyRequestsFreedUsd", digits: 4 },
          { name: "monthlyNodesSavedUsd", digits: 4 },
        ],
        rows: rows.map((r) => ({
          ...r,
          cpuRequestCores: r.current.cpuRequestCores,
          recCpuRequestCores: r.recommended?.cpuRequestCores ?? null,
          memoryRequestBytes: r.current.memoryRequestBytes,
          recMemoryRequestBytes: r.recommended?.memoryRequestBytes ?? null,
          monthlyRequestsFreedUsd: r.requestSavingsUsd,
          monthlyNodesSavedUsd: r.nodesSavedUsd,
        })),
      },
      {
        file: "rightsizing-pools.csv",
        columns: [
          { name: "cluster" },
          { name: "capacityPool" },
          { name: "poolKind" },
          { name: "autoscaler" },
          { name: "instanceTypes" },
          { name: "nodesObserved" },
          { name: "pods" },
          { name: "nodesBefore" },
          { name: "nodesAfter" },
          { name: "freedCpuCores", digits: 3 },
          { name: "freedMemoryBytes", digits: 0 },
          { name: "requestSavingsUsd", digits: 4 },
          { name: "nodesSavedUsd", digits: 4 },
          { name: "fargateSavingsUsd", digits: 4 },
          { name: "nodesHeldByMinSize" },
          { name: "minSizeSavingsUsd", digits: 4 },
          { name: "note" },
        ],
        rows: pools,
      },
    ],
    files: workloadPatches(rows),
    caveats: [
      "Right-sizing's savings are the nodes its pools need no more once their pods are re-packed with the recommended requests (docs/simulation.md), plus Fargate's smaller billed sizes; a managed node group without Cluster Autoscaler saves only when someone scales it down.",
    ],
  };
}

function poolView(p: PoolRow) {
  return {
    ...p,
    nodes: p.nodesBefore === null ? null : { before: p.nodesBefore, after: p.nodesAfter },
  };
}
