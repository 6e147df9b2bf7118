/**
 * Pricing as a source (source.ts): prices from the Price List API (reused from an earlier run
 * while fresh), or a bundle's recorded answers; types they cannot price, and every type when the
 * API cannot be reached or is denied, are priced from the dated snapshot, and the outcome says so.
 */
import { CapacityError, errorMessage } from "../../core/errors.js";
import { clusterAwsSettings } from "../aws.js";
import type { Collected, Collection, Source } from "../source.js";
import {
  collectPricesFromBundle,
  collectPricesLive,
  collectSnapshotPrices,
  type PriceCollection,
} from "./index.js";
import { PRICING_TABLES } from "./tables.js";

const DAY = 86_400_000;

export const pricing: Source = {
  name: "pricing",
  tables: PRICING_TABLES,
  needsRegion: true,

  async live(c) {
    const region = c.facts.region!;
    const types = c.facts.instanceTypes;
    const since = new Date(c.now.getTime() - c.config.aws.priceMaxAgeDays * DAY);
    const cached = await c.history.freshPrices(region, since);
    const cachedTypes = new Set(cached.filter((r) => r.product === "ec2").map((r) => r.instance_type));
    const cachedWindows = new Set(
      cached.filter((r) => r.product === "ec2-windows").map((r) => r.instance_type),
    );
    const windows = c.facts.windowsInstanceTypes ?? [];
    if (
      cached.length > 0 &&
      types.every((t) => cachedTypes.has(t)) &&
      windows.every((t) => cachedWindows.has(t)) &&
      c.record === undefined
    ) {
      return {
        status: "ok",
        origin: "live",
        rows: await c.out.append("aws_prices", cached),
        detail: { requests: 0, cached: true },
      };
    }
    const { PriceList } = await import("./client.js");
    try {
      const prices = await collectPricesLive(
        new PriceList(clusterAwsSettings(c, region), c.config.aws.pricingRegion, c.logger, c.signal),
        {
          cluster: c.cluster.name,
          region,
          instanceTypes: types,
          windowsInstanceTypes: windows,
          fetchedAt: c.now.toISOString(),
          recordDir: c.record,
        },
      );
      return storePrices(c, prices, "live");
    } catch (error) {
      if (!(error instanceof CapacityError) || c.signal.aborted) throw error;
      // Offline or denied: the dated snapshot, and the report says so.
      const why = `${errorMessage(error)}${error.hint ? ` (fix: ${error.hint})` : ""}; priced from the dated snapshot instead`;
      c.logger.warn(why, { cluster: c.cluster.name });
      return fromSnapshot(c, why);
    }
  },

  async replay(bundle, c) {
    const recorded = collectPricesFromBundle(bundle, {
      cluster: c.cluster.name,
      region: c.facts.region!,
      instanceTypes: c.facts.instanceTypes,
      windowsInstanceTypes: c.facts.windowsInstanceTypes,
      fetchedAt: c.now.toISOString(),
    });
    return recorded === undefined ? fromSnapshot(c) : storePrices(c, recorded, "bundle");
  },
};

/**
 * Windows nodes' types without a Windows price: the snapshot has none (no sourced Windows price in
 * data/reference/), and a Windows node is never priced as Linux, so they are named unpriced.
 */
function windowsNote(
  c: Collection,
  rows: ReadonlyArray<{ product: string; instance_type: string | null }>,
): string[] {
  const priced = new Set(rows.filter((r) => r.product === "ec2-windows").map((r) => r.instance_type));
  const missing = [...new Set(c.facts.windowsInstanceTypes ?? [])].filter((t) => !priced.has(t)).sort();
  return missing.length
    ? [`no Windows price for ${missing.join(", ")}: those Windows nodes are unpriced`]
    : [];
}

/** Prices from the dated snapshot for every type in use. */
async function fromSnapshot(c: Collection, why?: string): Promise<Collected> {
  const region = c.facts.region!;
  const { rows, unpriced } = collectSnapshotPrices(
    c.cluster.name,
    region,
    c.facts.instanceTypes,
    c.now.toISOString(),
  );
  const notes = [
    ...(why ? [why] : []),
    ...(unpriced.length ? [`no snapshot price for ${unpriced.join(", ")} in ${region}`] : []),
    ...windowsNote(c, rows),
  ];
  return {
    status: notes.length ? "partial" : "ok",
    origin: "snapshot",
    rows: await c.out.append("aws_prices", rows),
    error: notes.length ? notes.join("; ") : undefined,
    detail: { unpriced },
  };
}

/** Stores API prices; types the API had no price for fall back to the snapshot, flagged. */
async function storePrices(
  c: Collection,
  prices: PriceCollection,
  origin: "live" | "bundle",
): Promise<Collected> {
  const region = c.facts.region!;
  let rows = await c.out.append("aws_prices", prices.rows);
  // Products the API answered are never mixed with the snapshot's; EC2 types it lacked are.
  // The EKS extended-support surcharge is a product of its own here: an API that answered the
  // standard fee but not the surcharge leaves the surcharge to the snapshot, never unpriced.
  const kind = (r: { product: string; usage_type?: string | null }) =>
    r.product === "eks" && /extendedSupport/.test(r.usage_type ?? "") ? "eks-extended-support" : r.product;
  const answered = new Set(prices.rows.map(kind));
  const fallback = collectSnapshotPrices(c.cluster.name, region, prices.unpriced, c.now.toISOString());
  const fallbackRows = fallback.rows.filter((r) => r.product === "ec2" || !answered.has(kind(r)));
  rows += await c.out.append("aws_prices", fallbackRows);
  const stillUnpriced = fallback.unpriced;
  const fromSnapshotCount = fallbackRows.filter((r) => r.product === "ec2").length;
  const notes = [
    ...(prices.unpriced.length
      ? [
          `the Price List API had no price for ${prices.unpriced.join(", ")}; the snapshot priced ${fromSnapshotCount} of them`,
        ]
      : []),
    ...(stillUnpriced.length ? [`unpriced: ${stillUnpriced.join(", ")}`] : []),
    ...windowsNote(c, prices.rows),
  ];
  return {
    status: stillUnpriced.length ? "partial" : "ok",
    origin,
    rows,
    error: notes.length ? notes.join("; ") : undefined,
    detail: { requests: prices.requests, unpriced: stillUnpriced },
  };
}
