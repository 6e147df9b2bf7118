/** DescribeSpotPriceHistory output → aws_spot_prices rows (one per price change). */
import type { RowProblem } from "../source.js";
import type { SpotPriceRow } from "./tables.js";

export interface SpotPriceHistoryOutput {
  SpotPriceHistory?: Array<{
    AvailabilityZone?: string;
    InstanceType?: string;
    ProductDescription?: string;
    SpotPrice?: string;
    Timestamp?: string | Date;
  }>;
  NextToken?: string;
}

/**
 * One row per price change. A change with a price that is not a non-negative decimal, a time
 * that is not one or is after `before` (the window's end), or no type or zone, is left out and
 * described in `problems`. Changes before the window stay: the price in effect at its start.
 */
export function mapSpotPriceHistory(
  output: SpotPriceHistoryOutput,
  cluster: string,
  region: string,
  before: Date,
  problems: RowProblem[],
): SpotPriceRow[] {
  const rows: SpotPriceRow[] = [];
  for (const [i, p] of (output.SpotPriceHistory ?? []).entries()) {
    const object = `spot price ${p?.InstanceType ?? "?"} ${p?.AvailabilityZone ?? "?"} [${i}]`;
    const bad = (field: string, value: unknown, rule: string, says: string) =>
      problems.push({
        object,
        field,
        value: value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value),
        rule,
        message: `${object}: ${field}: ${JSON.stringify(value) ?? "undefined"} ${says}`,
      });
    if (typeof p !== "object" || p === null) {
      bad("(item)", p, "object", "is not a price change");
      continue;
    }
    if (typeof p.SpotPrice !== "string" || !/^\d+(\.\d+)?$/.test(p.SpotPrice)) {
      bad("SpotPrice", p.SpotPrice, "price", "is not a price (a decimal ≥ 0)");
      continue;
    }
    const at = p.Timestamp instanceof Date ? p.Timestamp.toISOString() : p.Timestamp;
    if (typeof at !== "string" || Number.isNaN(Date.parse(at))) {
      bad("Timestamp", at, "time", "is not a time");
      continue;
    }
    if (Date.parse(at) >= before.getTime()) {
      bad("Timestamp", at, "in-window", `is not before the window's end (${before.toISOString()})`);
      continue;
    }
    if (!p.InstanceType || !p.AvailabilityZone) {
      bad("InstanceType/AvailabilityZone", p.InstanceType ?? p.AvailabilityZone, "required", "is missing");
      continue;
    }
    rows.push({
      cluster,
      region,
      zone: p.AvailabilityZone,
      instance_type: p.InstanceType,
      product_description: p.ProductDescription ?? "Linux/UNIX",
      price_usd: p.SpotPrice,
      valid_from: at,
      source: "spot-history",
    });
  }
  return rows;
}
