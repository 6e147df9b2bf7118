/** The EC2 spot price history collector: live (client.ts) or recorded DescribeSpotPriceHistory pages from a bundle. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SourceError } from "../../core/errors.js";
import { type Bundle, readBundleJson } from "../bundle.js";
import type { RowProblem } from "../source.js";
import type { SpotHistory } from "./client.js";
import { mapSpotPriceHistory, type SpotPriceHistoryOutput } from "./map.js";
import type { SpotPriceRow } from "./tables.js";

export function collectSpotFromBundle(
  bundle: Bundle,
  cluster: string,
  region: string,
  before: Date,
  problems: RowProblem[],
): SpotPriceRow[] | undefined {
  const pages = readBundleJson(bundle, "spot-history", "aws", cluster, "spot-price-history.json") as
    | SpotPriceHistoryOutput[]
    | undefined;
  if (pages === undefined) return undefined;
  if (!Array.isArray(pages))
    throw new SourceError("spot-history", `aws/${cluster}/spot-price-history.json must be an array of pages`);
  return pages.flatMap((p) => mapSpotPriceHistory(p, cluster, region, before, problems));
}

export async function collectSpotLive(
  spot: SpotHistory,
  options: {
    cluster: string;
    region: string;
    instanceTypes: string[];
    zones: string[];
    window: { start: Date; end: Date };
    recordDir?: string | undefined;
  },
  problems: RowProblem[],
): Promise<{ rows: SpotPriceRow[]; requests: number }> {
  if (options.instanceTypes.length === 0) return { rows: [], requests: 0 };
  const pages = await spot.history(options.instanceTypes, options.window);
  if (options.recordDir) {
    const dir = join(options.recordDir, "aws", options.cluster);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "spot-price-history.json"), `${JSON.stringify(pages, null, 1)}\n`);
  }
  const zones = new Set(options.zones);
  const rows = pages
    .flatMap((p) => mapSpotPriceHistory(p, options.cluster, options.region, options.window.end, problems))
    .filter((r) => zones.size === 0 || zones.has(r.zone as string));
  return { rows, requests: spot.requests };
}
