/**
 * The rows the `cur` source writes (queries/migrations/0007_cur_split.sql): the EKS split cost
 * allocation lines of a CUR 2.0 export. They are loaded set-based by DuckDB from the export's
 * Parquet files (queries/store/load_cur_split.sql), never appended row by row; the type names
 * the columns so that test/unit/collect/tables.test.ts checks them against the migration.
 */
import { columns, type Timestamp } from "../tables.js";

/** A row of aws_cur_split_lines: one pod's vCPU or memory line of one hour. */
export interface CurSplitLineRow {
  cluster: string;
  s3_key: string;
  usage_start: Timestamp;
  usage_type: string;
  pod_arn: string;
  parent_instance_id: string;
  namespace: string;
  pod: string;
  node: string | null;
  workload_type: string | null;
  workload_name: string | null;
  deployment: string | null;
  split_usage: number | null;
  split_usage_ratio: number | null;
  reserved_usage: number | null;
  actual_usage: number | null;
  split_cost_usd: number;
  unused_cost_usd: number;
  net_split_cost_usd: number | null;
  net_unused_cost_usd: number | null;
  public_on_demand_split_cost_usd: number | null;
}

export const CUR_TABLES = {
  aws_cur_split_lines: columns<CurSplitLineRow>()([
    "cluster",
    "s3_key",
    "usage_start",
    "usage_type",
    "pod_arn",
    "parent_instance_id",
    "namespace",
    "pod",
    "node",
    "workload_type",
    "workload_name",
    "deployment",
    "split_usage",
    "split_usage_ratio",
    "reserved_usage",
    "actual_usage",
    "split_cost_usd",
    "unused_cost_usd",
    "net_split_cost_usd",
    "net_unused_cost_usd",
    "public_on_demand_split_cost_usd",
  ]),
} as const;
