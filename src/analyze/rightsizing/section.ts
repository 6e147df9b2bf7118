/**
 * Right-sizing: per container, the requests and limits its usage supports (strategy and
 * settings in settings.ts), why, and what freeing the difference saves per month.
 */
import type { z } from "zod";
import { round } from "../../report/format.js";
import { type Resources, resourcesLines } from "../../report/resources.js";
import type { Section, SectionInput } from "../analyzer.js";
import { MartError, type RowOf } from "../marts.js";
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
  consolidated_savings_usd: "number",
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
  consolidatedSavingsUsd: number;
  /** The `resources:` block to paste, one YAML line each; empty without a recommendation. */
  resources: string[];
}

function isStatus(value: string): value is RightsizingStatus {
  return (RIGHTSIZING_STATUSES as readonly string[]).includes(value);
}

export function rightsizingRow(r: RowOf<typeof COLUMNS>): RightsizingRow {
  if (!isStatus(r.status)) {
    throw new MartError(
      `mart_rightsizing.status ${r.status} (${r.namespace}/${r.workloadName}/${r.containerName}) is not one of ${RIGHTSIZING_STATUSES.join(", ")}`,
    );
  }
  const recommended: Resources | null =
    r.status === "insufficient_data"
      ? null
      : {
          cpuRequestCores: r.recCpuRequestCores,
          cpuLimitCores: r.recCpuLimitCores,
          memoryRequestBytes: r.recMemoryRequestBytes,
          memoryLimitBytes: r.recMemoryLimitBytes,
        };
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
    current: {
      cpuRequestCores: r.cpuRequestCores,
      cpuLimitCores: r.cpuLimitCores,
      memoryRequestBytes: r.memoryRequestBytes,
      memoryLimitBytes: r.memoryLimitBytes,
    },
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
    consolidatedSavingsUsd: r.consolidatedSavingsUsd,
    resources: recommended ? resourcesLines(recommended) : [],
  };
}

export async function rightsizingSection({
  marts,
  settings,
}: SectionInput<z.output<typeof rightsizingSettings>>): Promise<Section> {
  const rows = (
    await marts.read("mart_rightsizing", COLUMNS, [
      { column: "consolidated_savings_usd", round: 4, desc: true },
      "cluster",
      "namespace",
      "workload_name",
      "container_name",
    ])
  ).map(rightsizingRow);
  const acted = rows.filter((r) => r.status === "ok" || r.status === "hpa_managed");
  const consolidated = acted.reduce((a, r) => a + r.consolidatedSavingsUsd, 0);
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
      consolidatedSavingsUsd: consolidated,
      reliabilityCostUsd: -rows
        .filter((r) => r.status === "at_risk")
        .reduce((a, r) => a + r.requestSavingsUsd, 0),
      // The rows worth acting on first: ok and hpa_managed by savings, then at_risk.
      top: acted.filter((r) => r.requestSavingsUsd > 0.005).slice(0, 25),
      atRisk: rows.filter((r) => r.status === "at_risk"),
    },
    savings: {
      category: "rightsizing",
      label: "right-sizing, after consolidation",
      monthlyUsd: consolidated,
    },
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
        monthlySavingsAfterConsolidationUsd: round(r.consolidatedSavingsUsd),
        resources: r.resources.length ? `${r.resources.join("\n")}\n` : null,
      })),
    },
    caveats: [],
  };
}
