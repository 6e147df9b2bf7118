/** The EC2 spot price history collector: recorded DescribeSpotPriceHistory pages from a bundle. */

import { SourceError } from "../../core/errors.js";
import { type Bundle, readBundleJson } from "../bundle.js";
import { mapSpotPriceHistory, type SpotPriceHistoryOutput } from "./map.js";

export function collectSpotFromBundle(
  bundle: Bundle,
  cluster: string,
  region: string,
): Array<Record<string, unknown>> | undefined {
  const pages = readBundleJson(bundle, "spot-history", "aws", cluster, "spot-price-history.json") as
    | SpotPriceHistoryOutput[]
    | undefined;
  if (pages === undefined) return undefined;
  if (!Array.isArray(pages))
    throw new SourceError("spot-history", `aws/${cluster}/spot-price-history.json must be an array of pages`);
  return pages.flatMap((p) => mapSpotPriceHistory(p, cluster, region));
}
