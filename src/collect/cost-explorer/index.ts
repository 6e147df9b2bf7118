/** The Cost Explorer collector: recorded GetCostAndUsage pages from a bundle (the live client has its own issue). */

import { SourceError } from "../../core/errors.js";
import { type Bundle, readBundleJson } from "../bundle.js";
import { type CostAndUsageResponse, mapCostAndUsage } from "./map.js";

interface RecordedPage {
  request?: { Filter?: { Tags?: { Key?: string; Values?: string[] } } };
  response?: CostAndUsageResponse;
}

export function collectCostsFromBundle(
  bundle: Bundle,
  cluster: string,
): { rows: Array<Record<string, unknown>>; pages: number } | undefined {
  const pages = readBundleJson(bundle, "cost-explorer", "aws", cluster, "cost-and-usage.json") as
    | RecordedPage[]
    | undefined;
  if (pages === undefined) return undefined;
  if (!Array.isArray(pages))
    throw new SourceError("cost-explorer", `aws/${cluster}/cost-and-usage.json must be an array of pages`);
  const rows = pages.flatMap((page) => {
    const tag = page.request?.Filter?.Tags;
    const filter = tag?.Key ? `${tag.Key}=${(tag.Values ?? []).join("|")}` : null;
    return mapCostAndUsage(page.response ?? {}, cluster, filter);
  });
  return { rows, pages: pages.length };
}
