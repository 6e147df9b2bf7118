/**
 * GetCostAndUsage responses → aws_costs rows. Amounts stay strings (stored as DECIMAL); one row
 * per day, group and metric. `End` is exclusive, so a DAILY period is its Start date.
 */
import type { Expression, GetCostAndUsageCommandInput } from "@aws-sdk/client-cost-explorer";
import { InputError } from "../../core/errors.js";
import type { RowProblem } from "../source.js";
import type { CostForecastRow, CostRow } from "./tables.js";

interface MetricValue {
  Amount?: string;
  Unit?: string;
}
export interface CostAndUsageResponse {
  GroupDefinitions?: Array<{ Type?: string; Key?: string }>;
  ResultsByTime?: Array<{
    TimePeriod?: { Start?: string; End?: string };
    Total?: Record<string, MetricValue>;
    Groups?: Array<{ Keys?: string[]; Metrics?: Record<string, MetricValue> }>;
    Estimated?: boolean;
  }>;
  NextPageToken?: string;
}

/** A decimal as Cost Explorer writes amounts (credits and refunds are negative). */
const AMOUNT = /^-?\d+(\.\d+)?(E-?\d+)?$/i;
/** aws_costs.amount is DECIMAL(38, 10): 28 digits before the point, far beyond any bill. */
export const isAmount = (text: unknown): text is string =>
  typeof text === "string" && AMOUNT.test(text) && Math.abs(Number(text)) < 1e27;

/**
 * aws_costs rows of one response. A result whose date is not a day of `window` ([start, end)
 * days), or a group with an amount that is not a decimal, is left out whole (all its metrics)
 * and described in `problems`: one bad line costs that line, not the bill.
 */
export function mapCostAndUsage(
  response: CostAndUsageResponse,
  cluster: string,
  tagFilter: string | null,
  window: { start: string; end: string },
  problems: RowProblem[],
): CostRow[] {
  const groupBy = (response.GroupDefinitions ?? []).map((g) => g.Key ?? "?").join(",") || "TOTAL";
  const rows: CostRow[] = [];
  for (const [i, result] of (response.ResultsByTime ?? []).entries()) {
    const object = `GetCostAndUsage ResultsByTime[${i}]`;
    if (typeof result !== "object" || result === null) {
      problems.push(bad(object, "(item)", result, "object", "is not a result"));
      continue;
    }
    const date = result.TimePeriod?.Start;
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
      problems.push(bad(object, "TimePeriod.Start", date, "date", "is not a date (YYYY-MM-DD)"));
      continue;
    }
    if (date < window.start || date >= window.end) {
      problems.push(
        bad(
          object,
          "TimePeriod.Start",
          date,
          "in-window",
          `is outside the window [${window.start}, ${window.end})`,
        ),
      );
      continue;
    }
    const groups =
      result.Groups && result.Groups.length > 0
        ? result.Groups
        : result.Total && Object.keys(result.Total).length > 0
          ? [{ Keys: ["TOTAL"], Metrics: result.Total }]
          : [];
    for (const [g, group] of groups.entries()) {
      if (typeof group !== "object" || group === null) {
        problems.push(bad(`${object} Groups[${g}]`, "(item)", group, "object", "is not a group"));
        continue;
      }
      const line = `GetCostAndUsage ${date} ${(group.Keys ?? []).join("/")}`;
      const metrics = Object.entries(group.Metrics ?? {});
      const broken = metrics.find(([, v]) => !isAmount(v?.Amount));
      if (broken) {
        const [metric, value] = broken;
        problems.push(
          bad(
            line,
            `Metrics.${metric}.Amount`,
            value?.Amount,
            "decimal",
            "is not an amount (a decimal below 10^27)",
          ),
        );
        continue;
      }
      for (const [metric, value] of metrics) {
        rows.push({
          cluster,
          date,
          group_by: groupBy,
          key1: group.Keys?.[0] ?? "",
          key2: group.Keys?.[1] ?? null,
          metric,
          amount: value.Amount as string,
          unit: value.Unit ?? "",
          estimated: result.Estimated === true,
          tag_filter: tagFilter,
          source: "cost-explorer",
        });
      }
    }
  }
  return rows;
}

/** A line left out: what, which field, its value, the rule it broke. */
export function bad(object: string, field: string, value: unknown, rule: string, says: string): RowProblem {
  const text = value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value);
  return {
    object,
    field,
    value: text,
    rule,
    message: `${object}: ${field}: ${JSON.stringify(value) ?? "undefined"} ${says}`,
  };
}

export interface CostForecastResponse {
  Total?: { Amount?: string; Unit?: string };
  ForecastResultsByTime?: Array<{
    TimePeriod?: { Start?: string; End?: string };
    MeanValue?: string;
    PredictionIntervalLowerBound?: string;
    PredictionIntervalUpperBound?: string;
  }>;
}

/** GetCostForecast → one row for the whole forecast period (the sum of its results). */
export function mapCostForecast(
  response: CostForecastResponse,
  request: { start: string; end: string; metric: string; intervalLevel: number },
  cluster: string,
  tagFilter: string | null,
): CostForecastRow {
  const results = response.ForecastResultsByTime ?? [];
  const sum = (pick: (r: (typeof results)[number]) => string | undefined): string | null => {
    const values = results.map(pick);
    if (values.length === 0 || values.some((v) => v === undefined)) return null;
    return values.reduce((a, v) => a + Number(v), 0).toFixed(10);
  };
  const mean = response.Total?.Amount ?? sum((r) => r.MeanValue);
  if (mean === null || mean === undefined || Number.isNaN(Number(mean))) {
    throw new InputError("GetCostForecast", "Total.Amount", `${JSON.stringify(mean)} is not an amount`);
  }
  return {
    cluster,
    period_start: request.start,
    period_end: request.end,
    metric: request.metric,
    mean_usd: mean,
    lower_usd: sum((r) => r.PredictionIntervalLowerBound),
    upper_usd: sum((r) => r.PredictionIntervalUpperBound),
    interval_level: request.intervalLevel,
    tag_filter: tagFilter,
    source: "cost-explorer",
  };
}

/** The days [start, end) a request must cover, given the days already stored (AWS revises the last ones). */
export function daysToFetch(
  window: { start: string; end: string },
  storedThrough: string | null,
  revisableDays = 3,
): { start: string; end: string } | null {
  if (storedThrough === null || storedThrough < window.start) return window;
  const day = 86_400_000;
  const from = new Date(
    Math.max(Date.parse(window.start), Date.parse(storedThrough) + day - revisableDays * day),
  );
  const start = from.toISOString().slice(0, 10);
  return start >= window.end ? null : { start, end: window.end };
}

export const EC2_COMPUTE = "Amazon Elastic Compute Cloud - Compute";

export interface TagFilter {
  key: string;
  value: string;
}

/** The cost allocation tags EKS and its tooling put on a cluster's resources, in the order tried. */
export function tagCandidates(cluster: string, configured?: string, value?: string): TagFilter[] {
  if (configured && value) return [{ key: configured, value }];
  if (configured) {
    return [
      configured.startsWith("kubernetes.io/cluster/")
        ? { key: configured, value: "owned" }
        : { key: configured, value: cluster },
    ];
  }
  return [
    { key: "aws:eks:cluster-name", value: cluster },
    { key: "eks:cluster-name", value: cluster },
    { key: "eks:eks-cluster-name", value: cluster },
    { key: `kubernetes.io/cluster/${cluster}`, value: "owned" },
  ];
}

export const tagExpression = (tag: TagFilter): Expression => ({
  Tags: { Key: tag.key, Values: [tag.value], MatchOptions: ["EQUALS"] },
});

export interface RecordedPage {
  request: GetCostAndUsageCommandInput;
  response: CostAndUsageResponse;
}
