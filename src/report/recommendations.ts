/**
 * recommendations.json, the automation contract (DESIGN.md; docs/recommendations.schema.json):
 * camelCase, money in USD per month, CPU in cores, memory in bytes, every section present.
 */
import type { ReportModel } from "./model.js";

export const SCHEMA_VERSION = "1.1.0";

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;
const roundOrNull = (v: number | null) => (v === null ? null : round(v));

export function buildRecommendations(model: ReportModel) {
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: model.generatedAt,
    runId: model.runId,
    window: { start: model.window.start, end: model.window.end },
    clusters: model.clusters.map((c) => ({ name: c.cluster, region: c.region })),
    sources: model.sources.map((s) => ({
      source: s.source,
      cluster: s.cluster,
      status: s.status,
      rows: s.rows,
      ...(s.error ? { error: s.error } : {}),
    })),
    summary: {
      monthlyCostUsd: round(model.totals.monthlyCostUsd),
      monthlyComputeUsd: round(model.totals.monthlyComputeUsd),
      monthlyControlPlaneUsd: round(model.totals.monthlyControlPlaneUsd),
      monthlyStorageUsd: round(model.totals.monthlyStorageUsd),
      billedMonthlyCostUsd:
        model.totals.billedMonthlyUsd === null ? null : round(model.totals.billedMonthlyUsd),
      potentialMonthlySavingsUsd: round(model.totals.potentialMonthlySavingsUsd),
      billScale: model.billScale.map((b) => ({
        cluster: b.cluster,
        costKind: b.costKind,
        modeledUsd: round(b.modeledUsd),
        billedUsd: round(b.billedUsd),
        factor: b.factor === null ? null : round(b.factor, 6),
        applied: b.applied,
      })),
      savingsByCategoryUsd: {
        rightsizing: round(model.totals.rightsizingSavingsUsd),
        spot: 0,
        fargate: 0,
        idle: round(model.totals.idleSavingsUsd),
      },
    },
    costAllocation: model.allocation.map((r) => ({
      cluster: r.cluster,
      namespace: r.namespace,
      workloadKind: r.workloadKind,
      workloadName: r.workloadName,
      monthlyCostUsd: round(r.monthlyCostUsd),
      cpuCostUsd: round(r.cpuCostUsd),
      memoryCostUsd: round(r.memoryCostUsd),
      storageCostUsd: round(r.storageCostUsd),
      monthlyCostScaledToBillUsd: roundOrNull(r.monthlyCostScaledUsd),
    })),
    costByLabel: model.costByLabel.map((r) => ({
      cluster: r.cluster,
      labelKey: r.labelKey,
      labelValue: r.labelValue,
      monthlyCostUsd: round(r.monthlyCostUsd),
      monthlyCostWithIdleUsd: round(r.monthlyCostWithIdleUsd),
      monthlyCostScaledToBillUsd: roundOrNull(r.monthlyCostScaledUsd),
      workloads: r.workloads,
      namespaces: r.namespaces ? r.namespaces.split(", ") : [],
    })),
    reconciliation: model.reconciliation.map((r) => ({
      cluster: r.cluster,
      date: r.date,
      modeledUsd: round(r.modeledUsd),
      billedUsd: r.billedUsd === null ? null : round(r.billedUsd),
      gapUsd: r.gapUsd === null ? null : round(r.gapUsd),
      modeled: {
        onDemandUsd: round(r.modeledOnDemandUsd),
        spotUsd: round(r.modeledSpotUsd),
        fargateUsd: round(r.modeledFargateUsd),
        eksFeeUsd: round(r.modeledEksFeeUsd),
        storageUsd: round(r.modeledStorageUsd),
      },
      billed:
        r.billedUsd === null
          ? null
          : {
              onDemandUsd: roundOrNull(r.billedOnDemandUsd),
              spotUsd: roundOrNull(r.billedSpotUsd),
              fargateUsd: roundOrNull(r.billedFargateUsd),
              eksFeeUsd: roundOrNull(r.billedEksFeeUsd),
              storageUsd: roundOrNull(r.billedStorageUsd),
              otherUsd: roundOrNull(r.otherBilledUsd),
            },
    })),
    reconciliationByInstanceType: model.clusters.flatMap((c) =>
      c.instanceGaps.map((g) => ({
        cluster: g.cluster,
        purchase: g.purchase,
        instanceType: g.instanceType,
        billedHours: round(g.billedHours),
        modeledHours: round(g.modeledHours),
        billedUsd: round(g.billedUsd),
        modeledUsd: round(g.modeledUsd),
        gapUsd: round(g.gapUsd),
        gapFromHoursUsd: round(g.hoursGapUsd),
      })),
    ),
    rightsizing: model.rightsizing.map((r) => ({
      cluster: r.cluster,
      namespace: r.namespace,
      workloadKind: r.workloadKind,
      workloadName: r.workloadName,
      container: r.container,
      strategy: r.strategy,
      status: r.status,
      reason: r.reason,
      runsOn: r.runsOn,
      current: r.current,
      usage: {
        cpuP95Cores: r.usage.cpuP95Cores,
        cpuMaxCores: r.usage.cpuMaxCores,
        memoryPeakBytes: r.usage.memoryPeakBytes,
        oomKills: r.usage.oomKills,
        cpuThrottledShare: r.usage.throttledShare,
        hours: r.usage.hours,
        points: r.usage.points,
      },
      recommended: r.recommended,
      monthlySavingsUsd: round(r.requestSavingsUsd),
      monthlySavingsAfterConsolidationUsd: round(r.consolidatedSavingsUsd),
      resources: r.resources.length ? `${r.resources.join("\n")}\n` : null,
    })),
    spot: { workloads: [] as unknown[], pools: [] as unknown[], monthlySavingsUsd: 0 },
    fargate: [] as unknown[],
    idle: [
      ...model.nearlyIdleNodes.map((n) => ({
        cluster: n.cluster,
        kind: "node",
        namespace: null,
        name: n.name,
        monthlyCostUsd: round(n.monthlyIdleUsd),
        reason: `pods were charged ${(n.allocatedShare * 100).toFixed(1)}% of the node's cost (${n.pods} pods on a ${n.instanceType} ${n.capacityType} node in ${n.pool}); draining it and letting the autoscaler remove it saves the idle part`,
      })),
      ...model.unused.map((u) => ({
        cluster: u.cluster,
        kind: u.kind,
        namespace: u.namespace,
        name: u.name,
        monthlyCostUsd: u.monthlyCostUsd === null ? null : round(u.monthlyCostUsd),
        reason: u.reason,
      })),
    ],
    forecast: null,
  };
}
