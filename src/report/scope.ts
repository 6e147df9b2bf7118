/**
 * The banner a scoped report file carries at its top (HTML and Markdown alike): which scope, and
 * what its totals cover. Two scopes meet here. The run's own, kept with it (runs.scope): a run
 * collected with `--cluster`, or from the kube contexts `--context`/`--all-contexts` named, holds
 * those clusters only, so every total is theirs alone; one collected with `-n` read usage for those namespaces only, while the inventory, nodes and so the
 * totals stay the whole cluster's. And the flags of the command writing the files: `-n`, `-l` and
 * `--cluster` filter `capacity get` and `report -o`, not the files, so the banner says the file is
 * not filtered and gives the scope's own monthly cost beside the whole one.
 */
import type { MartReader } from "../analyze/marts.js";
import type { Config } from "../config/schema.js";
import type { RunScope } from "../store/runs.js";
import { usd } from "./format.js";

export interface ScopeBanner {
  /** One sentence each, plain text (the templates escape it). */
  lines: string[];
}

const list = (names: readonly string[]) => names.join(", ");

export async function scopeBanner(marts: MartReader, scope: Config["scope"]): Promise<ScopeBanner | null> {
  const kept = (await marts.query("run_scope", { scope: "string?" }))[0]?.scope;
  const collected: Partial<RunScope> = kept ? (JSON.parse(kept) as RunScope) : {};
  const lines: string[] = [];
  const contexts = collected.contexts ?? [];
  if (contexts.length)
    lines.push(
      `Collected from kube context${contexts.length > 1 ? "s" : ""} ${list(contexts)} (${collected.contextsFlag ?? "--context"}): every figure and total in this report is for ${contexts.length > 1 ? "their clusters" : "its cluster"} only.`,
    );
  const runClusters = collected.clusters ?? [];
  const runNamespaces = collected.namespaces ?? [];
  if (runClusters.length)
    lines.push(
      `Collected for cluster${runClusters.length > 1 ? "s" : ""} ${list(runClusters)} only (--cluster): every figure and total in this report is for ${runClusters.length > 1 ? "these clusters" : "this cluster"} only.`,
    );
  if (runNamespaces.length)
    lines.push(
      `Usage was collected for namespace${runNamespaces.length > 1 ? "s" : ""} ${list(runNamespaces)} only (-n): their workloads are charged the larger of request and usage, other namespaces' workloads their requests alone. The inventory, the nodes' cost, idle and the totals are the whole cluster's.`,
    );
  if (!scope.clusters.length && !scope.namespaces.length && !scope.selector) return done(lines);
  const costs = await marts.read("mart_namespace_costs", {
    cluster: "string",
    namespace: "string",
    monthly_cost_usd: "number",
  });
  // --cluster filters a file when the run holds no other cluster (it was collected so).
  const clusters = costs.some((c) => !scope.clusters.includes(c.cluster)) ? scope.clusters : [];
  if (!clusters.length && !scope.namespaces.length && !scope.selector) return done(lines);
  const asked = [
    ...(scope.namespaces.length ? [`-n ${list(scope.namespaces)}`] : []),
    ...(scope.selector ? [`-l ${scope.selector}`] : []),
    ...(clusters.length ? [`--cluster ${list(clusters)}`] : []),
  ].join(" ");
  const sum = (rows: typeof costs) => rows.reduce((a, c) => a + c.monthlyCostUsd, 0);
  const part = sum(
    costs.filter(
      (c) =>
        (!clusters.length || clusters.includes(c.cluster)) &&
        (!scope.namespaces.length || scope.namespaces.includes(c.namespace)),
    ),
  );
  const share =
    clusters.length || scope.namespaces.length
      ? ` What was asked for costs ${usd(part)} per month${scope.selector ? " before the selector (which needs the workloads' labels)" : ""}.`
      : "";
  lines.push(
    `Asked for ${asked}: this file is not filtered by it, and its totals are the whole run's (${usd(sum(costs))} per month).${share} \`capacity get <table> ${asked}\` prints the rows in scope.`,
  );
  return done(lines);
}

const done = (lines: string[]): ScopeBanner | null => (lines.length ? { lines } : null);
