/**
 * recommendations.json, the automation contract (DESIGN.md; docs/recommendations.schema.json):
 * camelCase, money in USD per month, CPU in cores, memory in bytes, every section present. The
 * frame writes the run, its clusters and the summary; each analyzer's section writes its keys.
 */
import { round } from "./format.js";
import type { ReportModel } from "./model.js";
import type { Change, WeekOverWeek } from "./week.js";

export const SCHEMA_VERSION = "3.4.0";

/** Sections the schema requires that no analyzer fills yet: present, and empty. */
const NOT_YET_ANALYZED: Record<string, unknown> = {
  spot: { workloads: [], pools: [], monthlySavingsUsd: 0 },
  fargate: [],
  forecast: null,
};

export function buildRecommendations(model: ReportModel): Record<string, unknown> {
  const sections = Object.assign({}, ...model.sections.map((s) => s.recommendations)) as Record<
    string,
    unknown
  >;
  const unfilled = Object.fromEntries(Object.entries(NOT_YET_ANALYZED).filter(([key]) => !(key in sections)));
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
    rejectedObjects: model.rejectedObjects,
    unpriced: {
      hours: round(model.unpriced.hours),
      shareOfComputeHours: round(model.unpriced.shareOfComputeHours),
      objects: model.unpriced.objects.map((u) => ({
        cluster: u.cluster,
        kind: u.objectKind,
        namespace: u.namespace,
        name: u.name,
        instanceType: u.instanceType,
        reason: u.reason,
        hours: round(u.hours),
      })),
    },
    summary: {
      monthlyCostUsd: round(model.totals.monthlyCostUsd),
      monthlyComputeUsd: round(model.totals.monthlyComputeUsd),
      monthlyControlPlaneUsd: round(model.totals.monthlyControlPlaneUsd),
      monthlyStorageUsd: round(model.totals.monthlyStorageUsd),
      ...Object.assign({}, ...model.sections.map((s) => s.summary ?? {})),
      potentialMonthlySavingsUsd: round(model.potentialMonthlySavingsUsd),
      savingsByCategoryUsd: model.savingsByCategory,
      topActions: model.topActions.map((a) => ({ ...a, monthlyUsd: round(a.monthlyUsd) })),
    },
    ...sections,
    ...unfilled,
    weekOverWeek: weekOverWeekJson(model.weekOverWeek),
  };
}

function weekOverWeekJson(w: WeekOverWeek | null) {
  if (!w) return null;
  const change = <C extends Change>(c: C) => ({
    ...c,
    nowUsd: round(c.nowUsd),
    thenUsd: round(c.thenUsd),
    deltaUsd: round(c.deltaUsd),
  });
  return {
    ...w,
    hoursBetween: round(w.hoursBetween),
    total: change(w.total),
    kinds: w.kinds.map(change),
    namespaces: w.namespaces.map(change),
    newMonthlyUsd: round(w.newMonthlyUsd),
    realised: w.realised.map((r) => ({ ...r, monthlyUsd: round(r.monthlyUsd), sinceUsd: round(r.sinceUsd) })),
    realisedMonthlyUsd: round(w.realisedMonthlyUsd),
    realisedSinceUsd: round(w.realisedSinceUsd),
  };
}
