/**
 * The rows this source writes, one type per table of the store (queries/migrations/): the
 * columns are listed once, checked against the type here and against the migration by
 * test/unit/collect/tables.test.ts, so a row type and its table cannot drift apart.
 */
import { columns, type Decimal } from "../tables.js";

/** A row of aws_costs. */
export interface CostRow {
  cluster: string;
  date: string;
  group_by: string; // e.g. SERVICE,USAGE_TYPE
  key1: string;
  key2: string | null;
  metric: string; // UnblendedCost | AmortizedCost | NetAmortizedCost | UsageQuantity
  amount: Decimal;
  unit: string;
  estimated: boolean;
  tag_filter: string | null; // the cost allocation tag the request filtered on, key=value
  source: string; // cost-explorer
}

/** A row of aws_cost_forecast. */
export interface CostForecastRow {
  cluster: string;
  period_start: string;
  period_end: string; // exclusive
  metric: string;
  mean_usd: Decimal;
  lower_usd: Decimal | null; // the prediction interval's bounds
  upper_usd: Decimal | null;
  interval_level: number | null; // e.g. 80 (%)
  tag_filter: string | null;
  source: string; // cost-explorer
}

/** A row of aws_commitments: one measure of Savings Plans or Reserved Instances for a day. */
export interface CommitmentRow {
  cluster: string;
  commitment: string; // savings-plans | reserved-instances
  measure: string; // coverage | utilization
  period_start: string;
  period_end: string; // exclusive
  covered_usd: Decimal | null; // on-demand equivalent spend the commitment covered
  on_demand_usd: Decimal | null; // eligible spend left on on-demand
  covered_hours: number | null; // RI: reserved hours
  on_demand_hours: number | null; // RI: on-demand hours
  commitment_usd: Decimal | null; // utilisation: the period's commitment
  used_usd: Decimal | null;
  unused_usd: Decimal | null;
  source: string; // cost-explorer
}

export const COST_EXPLORER_TABLES = {
  aws_costs: columns<CostRow>()([
    "cluster",
    "date",
    "group_by",
    "key1",
    "key2",
    "metric",
    "amount",
    "unit",
    "estimated",
    "tag_filter",
    "source",
  ]),
  aws_cost_forecast: columns<CostForecastRow>()([
    "cluster",
    "period_start",
    "period_end",
    "metric",
    "mean_usd",
    "lower_usd",
    "upper_usd",
    "interval_level",
    "tag_filter",
    "source",
  ]),
  aws_commitments: columns<CommitmentRow>()([
    "cluster",
    "commitment",
    "measure",
    "period_start",
    "period_end",
    "covered_usd",
    "on_demand_usd",
    "covered_hours",
    "on_demand_hours",
    "commitment_usd",
    "used_usd",
    "unused_usd",
    "source",
  ]),
} as const;
