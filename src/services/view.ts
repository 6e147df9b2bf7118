/**
 * What the read-only commands show (`capacity get <table>`, `capacity report -o …`): the tables of
 * recommendations.json of an analyzed run, filtered by the scope flags. Figures stay honest: rows
 * are filtered, never re-priced; the summary stays the whole cluster's and says so, beside the
 * scope's own cost; a table with no namespace column (days, pools) is cluster-wide and says it was
 * not filtered; a run whose usage was collected for some namespaces only says which.
 */
import { martReader } from "../analyze/marts.js";
import { ANALYZERS } from "../analyze/registry.js";
import type { Context } from "../core/context.js";
import { UsageError } from "../core/errors.js";
import { matches, parseSelector, type Requirement, SelectorError } from "../core/selector.js";
import { redactDeep } from "../core/text.js";
import { buildReportModel, type ReportModel } from "../report/model.js";
import { buildRecommendations } from "../report/recommendations.js";
import { runScope, workloadLabels } from "../store/queries.js";
import type { RunScope, StoredRun } from "../store/runs.js";
import type { Store } from "../store/store.js";

export type Row = Record<string, unknown>;

export interface Scope {
  namespaces: readonly string[];
  clusters: readonly string[];
  selector?: string | undefined;
}

/** What a scoped output says about itself (JSON `scope`, a line above a table). */
export interface ScopeNote {
  namespaces: string[];
  clusters: string[];
  selector: string | null;
  /** Usage was collected for these namespaces only (the run's own scope), else null. */
  usageCollectedFor: string[] | null;
  notes: string[];
}

export interface Results {
  run: StoredRun;
  model: ReportModel;
  recommendations: Record<string, unknown>;
  /** Each table by its name (`cost-allocation`, `rightsizing`, `spot-workloads`, …). */
  tables: Map<string, Row[]>;
  labels: Map<string, Record<string, string>>;
  collectedScope: RunScope | undefined;
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Names users type for a table, beside its own (`costs` as kubectl users would say it). */
export const TABLE_ALIASES: Record<string, string> = {
  costs: "cost-allocation",
  spot: "spot-workloads",
  unused: "idle",
};

/**
 * The tables of recommendations.json: each top-level array under its kebab-case name, each array
 * inside a top-level object as `<key>-<member>` (spot → spot-workloads, spot-pools); `summary`
 * and `sources` too.
 */
export function tablesOf(recommendations: Record<string, unknown>): Map<string, Row[]> {
  const tables = new Map<string, Row[]>();
  for (const [key, value] of Object.entries(recommendations)) {
    if (Array.isArray(value)) tables.set(kebab(key), value as Row[]);
    else if (key === "summary" && value && typeof value === "object") tables.set("summary", [value as Row]);
    else if (value && typeof value === "object") {
      for (const [member, inner] of Object.entries(value as Row)) {
        if (Array.isArray(inner)) tables.set(`${kebab(key)}-${kebab(member)}`, inner as Row[]);
      }
    }
  }
  return tables;
}

export async function loadResults(ctx: Context, store: Store, run: StoredRun): Promise<Results> {
  const model = redactDeep(
    await buildReportModel(martReader(store, run.run_id), run, ctx.config, ANALYZERS, ctx.clock()),
  );
  const recommendations = buildRecommendations(model);
  return {
    run,
    model,
    recommendations,
    tables: tablesOf(recommendations),
    labels: await workloadLabels(store, run.run_id),
    collectedScope: await runScope(store, run.run_id),
  };
}

export function selectorOf(text: string | undefined): Requirement[] {
  try {
    return parseSelector(text ?? "");
  } catch (error) {
    if (error instanceof SelectorError)
      throw new UsageError(
        `-l/--selector: ${error.message}`,
        "write it as kubectl does: app=web,tier!=cache",
      );
    throw error;
  }
}

export const isScoped = (scope: Scope): boolean =>
  scope.namespaces.length > 0 || scope.clusters.length > 0 || Boolean(scope.selector);

/** Whether a table can be filtered by namespace: its rows carry a `namespace` key. */
const namespaced = (rows: readonly Row[]): boolean => rows.some((r) => "namespace" in r);

/**
 * The rows in scope. A row is kept when its cluster is among `clusters`, its namespace among
 * `namespaces` (a row whose namespace is null, a node, is not in any namespace), and its
 * workload's labels match the selector (a row with no workload matches no selector). A table
 * without namespaces is kept whole by `-n` and `-l`.
 */
export function filterRows(
  rows: readonly Row[],
  scope: Scope,
  labels: Map<string, Record<string, string>>,
): Row[] {
  const selector = selectorOf(scope.selector);
  const byNamespace = namespaced(rows);
  return rows.filter((r) => {
    if (scope.clusters.length && typeof r.cluster === "string" && !scope.clusters.includes(r.cluster))
      return false;
    if (!byNamespace) return true;
    if (scope.namespaces.length && !scope.namespaces.includes(String(r.namespace))) return false;
    if (selector.length === 0) return true;
    if (typeof r.workloadKind !== "string" || typeof r.workloadName !== "string") return false;
    const key = `${String(r.cluster)}/${String(r.namespace)}/${r.workloadKind}/${r.workloadName}`;
    return matches(selector, labels.get(key) ?? {});
  });
}

/** A table by the name typed; an unknown name is a usage error listing the ones there are. */
export function tableNamed(results: Results, name: string): { name: string; rows: Row[] } {
  const resolved = TABLE_ALIASES[name] ?? name;
  const rows = results.tables.get(resolved);
  if (!rows) {
    throw new UsageError(
      `no table named ${name}`,
      `choose one of: ${[...results.tables.keys(), ...Object.keys(TABLE_ALIASES)].join(", ")}`,
    );
  }
  return { name: resolved, rows };
}

export function scopeNote(results: Results, scope: Scope, rows?: readonly Row[]): ScopeNote {
  const notes: string[] = [];
  if (isScoped(scope)) {
    notes.push("rows are filtered to the scope; the summary's figures are the whole cluster's");
    if (rows && !namespaced(rows) && (scope.namespaces.length || scope.selector))
      notes.push("this table has no namespace: its rows are cluster-wide and not filtered by -n or -l");
  }
  const collected = results.collectedScope?.namespaces ?? [];
  if (collected.length)
    notes.push(
      `usage was collected for ${collected.join(", ")} only: other namespaces have no right-sizing and are costed at their requests`,
    );
  return {
    namespaces: [...scope.namespaces],
    clusters: [...scope.clusters],
    selector: scope.selector ?? null,
    usageCollectedFor: collected.length ? [...collected] : null,
    notes,
  };
}

/**
 * recommendations.json filtered by the scope: every table's rows filtered, the summary kept as
 * the cluster's (it is labelled so in `scope`), and `scope.monthlyCostUsd` the scope's own cost
 * (the sum of the cost-allocation rows kept).
 */
export function scopedRecommendations(results: Results, scope: Scope): Record<string, unknown> {
  const filter = (value: unknown): unknown => {
    if (Array.isArray(value)) return filterRows(value as Row[], scope, results.labels);
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value as Row).map(([k, v]) => [k, Array.isArray(v) ? filter(v) : v]),
      );
    return value;
  };
  const out = Object.fromEntries(
    Object.entries(results.recommendations).map(([k, v]) => [k, k === "summary" ? v : filter(v)]),
  );
  const costs = (out.costAllocation as Row[] | undefined) ?? [];
  const note = scopeNote(results, scope);
  // Unscoped, it is recommendations.json exactly (the schema's shape, nothing added).
  if (!isScoped(scope) && note.usageCollectedFor === null) return out;
  return {
    ...out,
    scope: {
      ...note,
      ...(isScoped(scope)
        ? {
            monthlyCostUsd:
              Math.round(costs.reduce((a, r) => a + Number(r.monthlyCostUsd ?? 0), 0) * 100) / 100,
          }
        : {}),
    },
  };
}

/** One report file's text, for `--out -` (stdout): report.md, report.html or recommendations.json. */
export async function renderDocument(results: Results, format: "md" | "html" | "json"): Promise<string> {
  if (format === "json") return `${JSON.stringify(results.recommendations, null, 2)}\n`;
  const { renderHtml, renderMarkdown } = await import("../report/render.js");
  if (format === "md") return renderMarkdown(results.model, ANALYZERS);
  const { renderCharts } = await import("../report/charts.js");
  return renderHtml(results.model, await renderCharts(results.model), ANALYZERS);
}
