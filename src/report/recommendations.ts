/**
 * recommendations.json, the automation contract (DESIGN.md; docs/recommendations.schema.json):
 * camelCase, money in USD per month, CPU in cores, memory in bytes, every section present. The
 * frame writes the run, its clusters and the summary; each analyzer's section writes its keys.
 */
import type { Savings } from "../analyze/analyzer.js";
import { round } from "./format.js";
import type { ReportModel } from "./model.js";

export const SCHEMA_VERSION = "3.1.0";

/** Sections the schema requires that no analyzer fills yet: present, and empty. */
const NOT_YET_ANALYZED: Record<string, unknown> = {
  spot: { workloads: [], pools: [], monthlySavingsUsd: 0 },
  fargate: [],
  forecast: null,
};

/** The savings categories the schema names: each says a figure, or why there is none. */
const SAVINGS_CATEGORIES = ["rightsizing", "spot", "fargate", "idle"] as const;

export interface CategorySavings {
  /** USD per month; null when none was computed. */
  usd: number | null;
  /** computed: `usd` is the figure; not_computed: the analyzer ran and says why there is none; not_analyzed: no analyzer of this version reports it. */
  status: "computed" | "not_computed" | "not_analyzed";
  reason: string;
}

function categorySavings(savings: ReadonlyArray<Savings>): Record<string, CategorySavings> {
  const found = new Map(savings.map((s) => [s.category, s]));
  const categories = [...new Set([...SAVINGS_CATEGORIES, ...found.keys()])];
  return Object.fromEntries(
    categories.map((category): [string, CategorySavings] => {
      const s = found.get(category);
      if (!s)
        return [
          category,
          { usd: null, status: "not_analyzed", reason: "no analyzer of this version computes it" },
        ];
      if (s.monthlyUsd === null)
        return [category, { usd: null, status: "not_computed", reason: s.reason ?? s.label }];
      return [category, { usd: round(s.monthlyUsd), status: "computed", reason: s.reason ?? s.label }];
    }),
  );
}

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
      savingsByCategoryUsd: categorySavings(model.savings),
    },
    ...sections,
    ...unfilled,
  };
}
