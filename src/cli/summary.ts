/**
 * What `run` and `demo` end with: the month's cost and what it includes, savings by family (or
 * why there is none), each source's coverage, the files written and the exit code in words. A
 * table on a terminal (cli-table3); one JSON log line (`run summary`) for the CronJob.
 */
import type { Context } from "../core/context.js";
import type { ExitCode } from "../core/errors.js";
import { escapeControls } from "../core/text.js";
import type { ReportModel } from "../report/model.js";
import type { RunResult } from "../store/runs.js";
import { stopProgress } from "./options.js";

const MEANING: Record<number, string> = {
  0: "0: every source read, the report is complete",
  1: "1: sources missing and --strict asked for a failure",
  3: "3: finished with sources missing or partial (the report's coverage says which)",
};

export interface RunSummary {
  runId: string;
  monthlyCostUsd: number;
  includes: string;
  savings: Array<{ family: string; monthlyUsd: number | null; note: string }>;
  sources: Array<{ cluster: string; source: string; status: string; rows: number; error: string | null }>;
  files: string[];
  exitCode: ExitCode;
}

const money = (usd: number | null): string =>
  usd === null
    ? "—"
    : `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function summarize(
  result: RunResult,
  model: ReportModel,
  files: string[],
  exitCode: ExitCode,
): RunSummary {
  const t = model.totals;
  return {
    runId: result.runId,
    monthlyCostUsd: t.monthlyCostUsd,
    includes: `compute ${money(t.monthlyComputeUsd)} (idle ${money(t.monthlyIdleUsd)}), EKS fee ${money(t.monthlyControlPlaneUsd)}, PVC storage ${money(t.monthlyStorageUsd)}`,
    savings: model.savings.map((s) => ({
      family: s.category,
      monthlyUsd: s.monthlyUsd,
      note: s.monthlyUsd === null ? `not computed: ${s.reason ?? s.label}` : s.label,
    })),
    sources: result.sources.map((s) => ({
      cluster: s.cluster,
      source: s.source,
      status: s.status,
      rows: s.rows,
      error: s.error ?? null,
    })),
    files,
    exitCode,
  };
}

/** The summary as a person reads it: three small tables. Cluster text is escaped. */
export async function summaryTable(s: RunSummary): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const esc = (text: string) => escapeControls(text);
  const money2 = new Table({ head: ["", "USD per month", ""], style: { head: [], border: [] } });
  money2.push(["Cluster cost", money(s.monthlyCostUsd), esc(s.includes)]);
  for (const f of s.savings)
    money2.push([`Savings: ${f.family}`, money(f.monthlyUsd), esc(f.note).slice(0, 70)]);
  const coverage = new Table({
    head: ["cluster", "source", "status", "rows", "error"],
    style: { head: [], border: [] },
  });
  for (const c of s.sources)
    coverage.push([esc(c.cluster), c.source, c.status, String(c.rows), esc(c.error ?? "").slice(0, 60)]);
  return [
    `Run ${s.runId}`,
    money2.toString(),
    coverage.toString(),
    `Files: ${s.files.map(esc).join(", ")}`,
    `Exit code ${MEANING[s.exitCode] ?? String(s.exitCode)}`,
    "",
  ].join("\n");
}

export async function printSummary(ctx: Context, s: RunSummary, people: boolean): Promise<void> {
  if (people) {
    stopProgress(ctx);
    process.stderr.write(await summaryTable(s));
    return;
  }
  ctx.logger.info("run summary", {
    run: s.runId,
    monthlyCostUsd: Math.round(s.monthlyCostUsd * 100) / 100,
    ...Object.fromEntries(
      s.savings.map((f) => [
        `savings.${f.family}`,
        f.monthlyUsd === null ? null : Math.round(f.monthlyUsd * 100) / 100,
      ]),
    ),
    sources: s.sources.map((c) => `${c.cluster}/${c.source}:${c.status}`).join(","),
    files: s.files.join(","),
    exitCode: s.exitCode,
    exitMeaning: MEANING[s.exitCode],
  });
}
