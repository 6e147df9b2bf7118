/** DescribeSpotPriceHistory output → aws_spot_prices rows (one per price change). */
import { InputError } from "../../core/errors.js";
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

export function mapSpotPriceHistory(
  output: SpotPriceHistoryOutput,
  cluster: string,
  region: string,
): SpotPriceRow[] {
  return (output.SpotPriceHistory ?? []).map((p, i) => {
    const object = `spot price ${p.InstanceType ?? "?"} ${p.AvailabilityZone ?? "?"} [${i}]`;
    if (!p.SpotPrice || !/^\d+(\.\d+)?$/.test(p.SpotPrice)) {
      throw new InputError(object, "SpotPrice", `${JSON.stringify(p.SpotPrice)} is not a price`);
    }
    const at = p.Timestamp instanceof Date ? p.Timestamp.toISOString() : p.Timestamp;
    if (!at || Number.isNaN(Date.parse(at)))
      throw new InputError(object, "Timestamp", `${JSON.stringify(at)} is not a time`);
    if (!p.InstanceType || !p.AvailabilityZone)
      throw new InputError(object, "InstanceType/AvailabilityZone", "is missing");
    return {
      cluster,
      region,
      zone: p.AvailabilityZone,
      instance_type: p.InstanceType,
      product_description: p.ProductDescription ?? "Linux/UNIX",
      price_usd: p.SpotPrice,
      valid_from: at,
      source: "spot-history",
    };
  });
}
