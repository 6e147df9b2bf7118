/**
 * GetCostAndUsage responses → aws_costs rows. Amounts stay strings (stored as DECIMAL); one row
 * per day, group and metric. `End` is exclusive, so a DAILY period is its Start date.
 */
import { InputError } from "../../core/errors.js";

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
): Array<Record<string, unknown>> {
  const groupBy = (response.GroupDefinitions ?? []).map((g) => g.Key ?? "?").join(",") || "TOTAL";
  const rows: Array<Record<string, unknown>> = [];
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
