/**
 * GetCostAndUsage responses → aws_costs rows. Amounts stay strings (stored as DECIMAL); one row
 * per day, group and metric. `End` is exclusive, so a DAILY period is its Start date.
 */
import type { Expression, GetCostAndUsageCommandInput } from "@aws-sdk/client-cost-explorer";
import { InputError } from "../../core/errors.js";
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

export function mapCostAndUsage(
  response: CostAndUsageResponse,
  cluster: string,
  tagFilter: string | null,
): CostRow[] {
  const groupBy = (response.GroupDefinitions ?? []).map((g) => g.Key ?? "?").join(",") || "TOTAL";
  const rows: CostRow[] = [];
  for (const [i, result] of (response.ResultsByTime ?? []).entries()) {
    const date = result.TimePeriod?.Start;
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      throw new InputError(
        `GetCostAndUsage ResultsByTime[${i}]`,
        "TimePeriod.Start",
        `${JSON.stringify(date)} is not a date`,
      );
    }
    const groups =
      result.Groups && result.Groups.length > 0
        ? result.Groups
        : result.Total && Object.keys(result.Total).length > 0
          ? [{ Keys: ["TOTAL"], Metrics: result.Total }]
          : [];
    for (const group of groups) {
      for (const [metric, value] of Object.entries(group.Metrics ?? {})) {
        if (value.Amount === undefined || !/^-?\d+(\.\d+)?(E-?\d+)?$/i.test(value.Amount)) {
          throw new InputError(
            `GetCostAndUsage ${date} ${(group.Keys ?? []).join("/")}`,
            `Metrics.${metric}.Amount`,
            `${JSON.stringify(value.Amount)} is not an amount`,
          );
        }
        rows.push({
          cluster,
          date,
          group_by: groupBy,
          key1: group.Keys?.[0] ?? "",
          key2: group.Keys?.[1] ?? null,
          metric,
          amount: value.Amount,
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
