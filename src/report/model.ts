/**
 * The report's view model: the frame (run, clusters' cost, sources, prices, general caveats) and
 * one section per analyzer, in registry order. Numbers are computed in SQL or in the sections,
 * never in templates; this file only assembles.
 */
import type { Registry, Savings, Section } from "../analyze/analyzer.js";
import { kebab } from "../analyze/analyzer.js";
import type { MartReader } from "../analyze/marts.js";
import type { Config } from "../config/schema.js";
import { TOOL_VERSION } from "../services/version.js";
import type { StoredRun } from "../store/runs.js";
import { type Frame, readFrame } from "./frame.js";

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
  window: { start: string; end: string; hours: number };
  headline: Array<{ label: string; monthlyUsd: number | null }>;
  savings: Savings[];
  /** Every analyzer's savings, those that would cost money (negative) counted as none. */
  potentialMonthlySavingsUsd: number;
  sections: ReportSection[];
  caveats: string[];
}

export async function buildReportModel(
  marts: MartReader,
  run: StoredRun,
  config: Config,
  analyzers: Registry,
  now: Date,
): Promise<ReportModel> {
  const frame = await readFrame(marts, run);
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
  return {
    ...frame,
    toolVersion: TOOL_VERSION,
    generatedAt: now.toISOString(),
    runId: run.run_id,
    runStatus: run.status,
    window: {
      start: run.window_start.toISOString(),
      end: run.window_end.toISOString(),
      hours: frame.clusters[0]?.hoursInWindow ?? 0,
    },
    headline: sections.flatMap((s) => s.headline ?? []),
    savings,
    potentialMonthlySavingsUsd: savings.reduce((a, s) => a + Math.max(0, s.monthlyUsd ?? 0), 0),
    sections,
    caveats: [...frame.caveats, ...sections.flatMap((s) => s.caveats)],
  };
}
