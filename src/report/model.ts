/**
 * The report's view model: the frame (run, clusters' cost, sources, prices, general caveats) and
 * one section per analyzer, in registry order. Numbers are computed in SQL or in the sections,
 * never in templates; this file only assembles.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Action, Registry, Savings, Section } from "../analyze/analyzer.js";
import { kebab } from "../analyze/analyzer.js";
import type { MartReader } from "../analyze/marts.js";
import type { Config } from "../config/schema.js";
import { TOOL_VERSION } from "../services/version.js";
import type { StoredRun } from "../store/runs.js";
import type { ForecastLink } from "./forecast-link.js";
import { type Frame, readFrame } from "./frame.js";
import {
  type CategorySavings,
  categorySavings,
  NOT_ANALYSED,
  type SavingsFamily,
  savingsFamilies,
} from "./savings.js";
import { type ScopeBanner, scopeBanner } from "./scope.js";
import { trendChart, waterfallChart } from "./summary-charts.js";
import { type CostPoint, costHistory, type WeekOverWeek, weekOverWeek } from "./week.js";

export interface ReportSection extends Section {
  /** The analyzer's name (its config key). */
  name: string;
  /** Its template partials' name: `reports/partials/<partial>.{html,md}.hbs`. */
  partial: string;
}

export interface ReportModel extends Omit<Frame, "caveats"> {
  toolVersion: string;
  generatedAt: string;
  runId: string;
  runStatus: string;
  /** What a scoped report says at its top (which scope, what the totals cover); null when not scoped. */
  scope: ScopeBanner | null;
  window: { start: string; end: string; hours: number };
  headline: Array<{ label: string; monthlyUsd: number | null }>;
  savings: Savings[];
  /** recommendations.json's `summary.savingsByCategoryUsd`: each family's figure or why there is none. */
  savingsByCategory: Record<string, CategorySavings>;
  /** The same, labelled, for the headline; and the families nothing here computes. */
  savingsFamilies: SavingsFamily[];
  notAnalysed: ReadonlyArray<{ family: string; reason: string }>;
  /** Every analyzer's savings, those that would cost money (negative) counted as none. */
  potentialMonthlySavingsUsd: number;
  sections: ReportSection[];
  /** Every analyzed run up to this one, oldest first: the trend. */
  history: CostPoint[];
  /** This run against the analyzed run before it; null for the first. */
  weekOverWeek: WeekOverWeek | null;
  /** The report's own charts (Vega-Lite), rendered as `charts.<key>` in HTML. */
  charts: { waterfall: TopLevelSpec | null; trend: TopLevelSpec | null; forecast: TopLevelSpec | null };
  /** The run's forecast, when `capacity forecast` wrote one beside the report (forecast-link.ts). */
  forecast: ForecastLink | null;
  /** The top actions of every section by USD per month. */
  topActions: Action[];
  caveats: string[];
}

const TOP_ACTIONS = 10;

export async function buildReportModel(
  marts: MartReader,
  run: StoredRun,
  config: Config,
  analyzers: Registry,
  now: Date,
  /** Reads another run's marts: week over week compares with the analyzed run before this one. */
  open?: (runId: string) => MartReader,
): Promise<ReportModel> {
  const frame = await readFrame(marts, run);
  const history = await costHistory(marts);
  const sections: ReportSection[] = [];
  for (const analyzer of analyzers) {
    // Parsed by the analyzer's own schema (idempotent on a loaded config), so its section gets
    // its settings' type whatever registry the config was loaded with.
    const raw = (config.analyzers as Record<string, unknown>)[analyzer.name] ?? {};
    const settings = analyzer.settings?.parse(raw);
    const section = await analyzer.section({ marts, run, config, settings: settings as never });
    sections.push({ ...section, name: analyzer.name, partial: kebab(analyzer.name) });
  }
  const savings = sections.flatMap((s) => (s.savings ? [s.savings] : []));
  const families = savingsFamilies(savings);
  return {
    ...frame,
    toolVersion: TOOL_VERSION,
    generatedAt: now.toISOString(),
    runId: run.run_id,
    runStatus: run.status,
    scope: await scopeBanner(marts, config.scope),
    window: {
      start: run.window_start.toISOString(),
      end: run.window_end.toISOString(),
      hours: frame.clusters[0]?.hoursInWindow ?? 0,
    },
    headline: sections.flatMap((s) => s.headline ?? []),
    savings,
    savingsByCategory: categorySavings(savings),
    savingsFamilies: families,
    notAnalysed: NOT_ANALYSED,
    potentialMonthlySavingsUsd: savings.reduce((a, s) => a + Math.max(0, s.monthlyUsd ?? 0), 0),
    sections,
    history,
    charts: {
      waterfall: waterfallChart(frame.totals.monthlyCostUsd, families),
      trend: trendChart(history),
      forecast: null,
    },
    forecast: null,
    weekOverWeek: open ? await weekOverWeek(marts, open, history) : null,
    topActions: sections
      .flatMap((s) => s.actions ?? [])
      .sort((a, b) => Math.round(b.monthlyUsd * 100) - Math.round(a.monthlyUsd * 100))
      .slice(0, TOP_ACTIONS),
    caveats: [...frame.caveats, ...sections.flatMap((s) => s.caveats)],
  };
}
