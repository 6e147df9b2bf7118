/**
 * The rows this source writes, one type per table of the store (queries/migrations/): the
 * columns are listed once, checked against the type here and against the migration by
 * test/unit/collect/tables.test.ts, so a row type and its table cannot drift apart.
 */
import { columns, type Decimal, type Timestamp } from "../tables.js";

/** A row of aws_prices. */
export interface PriceRow {
  cluster: string;
  region: string;
  product: string; // ec2 | ec2-windows | fargate | eks | eks-auto-mode | ebs | ebs-iops | ebs-throughput | ebs-snapshot | elb | ipv4
  instance_type: string | null;
  usage_type: string | null;
  unit: string; // Hrs | vCPU-Hours | GB-Hours | GB-Mo
  price_usd: Decimal;
  source: string; // pricing-api | snapshot
  as_of: string | null; // the price's own date (effective date or snapshot date)
  fetched_at: Timestamp;
}

export const PRICING_TABLES = {
  aws_prices: columns<PriceRow>()([
    "cluster",
    "region",
    "product",
    "instance_type",
    "usage_type",
    "unit",
    "price_usd",
    "source",
    "as_of",
    "fetched_at",
  ]),
} as const;
