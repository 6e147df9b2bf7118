/**
 * The organisation roll-up: several clusters' latest runs, each summarised as its own
 * recommendations.json says (the same view model and rules as the single-cluster report), added
 * up. Pure: the service reads the runs from exported Parquet and hands their recommendations
 * here. A family's total is a sum only over the clusters where it was computed; the others are
 * listed with their reason, never counted as zero.
 */
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { projectPath } from "../core/paths.js";
import { mapStrings, showInvisible } from "../core/text.js";
import { cell, markdownCode, markdownText, pct, round, usd } from "./format.js";

interface Family {
  usd: number | null;
  status: string;
  reason: string;
}

/** The parts of a run's recommendations.json the roll-up reads (docs/recommendations.schema.json). */
export interface RunSummary {
  runId: string;
  window: { start: string; end: string };
  clusters: ReadonlyArray<{ name: string; region: string }>;
  summary: {
    monthlyCostUsd: number;
    billedMonthlyCostUsd: number | null;
    potentialMonthlySavingsUsd: number;
    savingsByCategoryUsd: Record<string, Family>;
  };
  costByLabel: ReadonlyArray<{
    labelKey: string;
    labelValue: string;
    monthlyCostUsd: number;
    workloads: number;
  }>;
  rightsizing: ReadonlyArray<{
    cluster: string;
    namespace: string;
    workloadKind: string;
    workloadName: string;
    container: string;
    status: string;
    monthlySavingsUsd: number | null;
  }>;
}

export interface Rollup {
  generatedAt: string;
  source: string;
  runs: Array<{
    clusters: string;
    runId: string;
    windowStart: string;
    windowEnd: string;
    monthlyCostUsd: number;
    billedMonthlyCostUsd: number | null;
    potentialMonthlySavingsUsd: number;
    families: Array<{ family: string; usd: number | null; status: string; reason: string }>;
  }>;
  totals: {
    clusters: number;
    monthlyCostUsd: number;
    potentialMonthlySavingsUsd: number;
    savingsShare: number | null;
  };
  families: Array<{
    family: string;
    usd: number;
    computedIn: number;
    notComputed: Array<{ clusters: string; reason: string }>;
  }>;
  byLabel: Array<{
    labelKey: string;
    labelValue: string;
    monthlyCostUsd: number;
    clusters: number;
    workloads: number;
  }>;
  topActions: Array<{
    cluster: string;
    namespace: string;
    workloadKind: string;
    workloadName: string;
    container: string;
    monthlySavingsUsd: number;
  }>;
}

const TOP_ACTIONS = 25;

export function buildRollup(summaries: readonly RunSummary[], source: string, now: Date): Rollup {
  const runs = summaries
    .map((s) => ({
      clusters: s.clusters.map((c) => c.name).join(", "),
      runId: s.runId,
      windowStart: s.window.start,
      windowEnd: s.window.end,
      monthlyCostUsd: s.summary.monthlyCostUsd,
      billedMonthlyCostUsd: s.summary.billedMonthlyCostUsd,
      potentialMonthlySavingsUsd: s.summary.potentialMonthlySavingsUsd,
      families: Object.entries(s.summary.savingsByCategoryUsd).map(([family, f]) => ({ family, ...f })),
    }))
    .sort((a, b) => a.clusters.localeCompare(b.clusters));
  const monthlyCostUsd = runs.reduce((sum, r) => sum + r.monthlyCostUsd, 0);
  const potential = runs.reduce((sum, r) => sum + r.potentialMonthlySavingsUsd, 0);

  const familyNames = [...new Set(runs.flatMap((r) => r.families.map((f) => f.family)))];
  const families = familyNames.map((family) => {
    const rows = runs.map((r) => ({ r, f: r.families.find((f) => f.family === family) }));
    const computed = rows.filter(({ f }) => f !== undefined && f.usd !== null);
    return {
      family,
      usd: round(
        computed.reduce((sum, { f }) => sum + (f?.usd ?? 0), 0),
        4,
      ),
      computedIn: computed.length,
      notComputed: rows
        .filter(({ f }) => f === undefined || f.usd === null)
        .map(({ r, f }) => ({
          clusters: r.clusters,
          reason: f?.reason ?? "not analysed by this run's version",
        })),
    };
  });

  const labels = new Map<string, Rollup["byLabel"][number] & { seen: Set<string> }>();
  for (const s of summaries) {
    for (const l of s.costByLabel) {
      const key = JSON.stringify([l.labelKey, l.labelValue]);
      const row = labels.get(key) ?? {
        labelKey: l.labelKey,
        labelValue: l.labelValue,
        monthlyCostUsd: 0,
        clusters: 0,
        workloads: 0,
        seen: new Set<string>(),
      };
      row.monthlyCostUsd += l.monthlyCostUsd;
      row.workloads += l.workloads;
      row.seen.add(s.runId);
      row.clusters = row.seen.size;
      labels.set(key, row);
    }
  }
  const byLabel = [...labels.values()]
    .map(({ seen: _seen, ...row }) => ({ ...row, monthlyCostUsd: round(row.monthlyCostUsd, 4) }))
    .sort(
      (a, b) =>
        a.labelKey.localeCompare(b.labelKey) ||
        Math.round(b.monthlyCostUsd * 100) - Math.round(a.monthlyCostUsd * 100) ||
        a.labelValue.localeCompare(b.labelValue),
    );

  const topActions = summaries
    .flatMap((s) => s.rightsizing)
    .filter((r) => (r.monthlySavingsUsd ?? 0) > 0)
    .map((r) => ({
      cluster: r.cluster,
      namespace: r.namespace,
      workloadKind: r.workloadKind,
      workloadName: r.workloadName,
      container: r.container,
      monthlySavingsUsd: r.monthlySavingsUsd ?? 0,
    }))
    .sort(
      (a, b) =>
        Math.round(b.monthlySavingsUsd * 100) - Math.round(a.monthlySavingsUsd * 100) ||
        `${a.cluster}/${a.namespace}/${a.workloadName}/${a.container}`.localeCompare(
          `${b.cluster}/${b.namespace}/${b.workloadName}/${b.container}`,
        ),
    )
    .slice(0, TOP_ACTIONS);

  return {
    generatedAt: now.toISOString(),
    source,
    runs,
    totals: {
      clusters: new Set(summaries.flatMap((s) => s.clusters.map((c) => c.name))).size,
      monthlyCostUsd: round(monthlyCostUsd, 4),
      potentialMonthlySavingsUsd: round(potential, 4),
      savingsShare: monthlyCostUsd > 0 ? potential / monthlyCostUsd : null,
    },
    families,
    byLabel,
    topActions,
  };
}

function engine(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper("usd", (v: number) => usd(v));
  hb.registerHelper("pct", (v: number) => pct(v));
  hb.registerHelper("day", (v: string) => String(v).slice(0, 10));
  hb.registerHelper("cell", (v: unknown) => cell(v));
  hb.registerHelper("code", (...args: unknown[]) => markdownCode(args.slice(0, -1).map(String).join("")));
  hb.registerHelper("isNull", (v: unknown) => v === null);
  return hb;
}

const template = (format: "md" | "html") =>
  readFileSync(projectPath("reports", "rollup", `rollup.${format}.hbs`), "utf8");

/** Markdown: every string from the clusters is Markdown text (no markup can come from a value). */
export function renderRollupMarkdown(rollup: Rollup): string {
  const md = engine().compile(template("md"), { strict: true, noEscape: true })(
    mapStrings(rollup, markdownText),
  );
  return `${md.replace(/\n{3,}/g, "\n\n").trim()}\n`;
}

/** HTML: `{{ }}` escapes; control and bidi characters are shown as code points. */
export function renderRollupHtml(rollup: Rollup): string {
  return engine().compile(template("html"), { strict: true })(mapStrings(rollup, showInvisible));
}
