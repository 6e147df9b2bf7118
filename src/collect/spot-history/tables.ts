/**
 * The rows this source writes, one type per table of the store (queries/migrations/): the
 * columns are listed once, checked against the type here and against the migration by
 * test/unit/collect/tables.test.ts, so a row type and its table cannot drift apart.
 */
import { columns, type Decimal, type Timestamp } from "../tables.js";

/** A row of aws_spot_prices. */
export interface SpotPriceRow {
  cluster: string;
  region: string;
  zone: string;
  instance_type: string;
  product_description: string;
  price_usd: Decimal;
  valid_from: Timestamp; // the price change's timestamp
  source: string; // spot-history
}

export const SPOT_HISTORY_TABLES = {
  aws_spot_prices: columns<SpotPriceRow>()([
    "cluster",
    "region",
    "zone",
    "instance_type",
    "product_description",
    "price_usd",
    "valid_from",
    "source",
  ]),
} as const;
