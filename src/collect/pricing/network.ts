/**
 * What a LoadBalancer Service costs while it exists: the load balancer's hourly charge by type
 * (Price List AWSELB, productFamily "Load Balancer-Application" | "-Network" | "Load Balancer"
 * for a Classic one, usage type <REGION>-LoadBalancerUsage) and the public IPv4 addresses of an
 * internet-facing one (AmazonVPC, usage type <REGION>-PublicIPv4:InUseAddress). Capacity-unit
 * (LCU) charges depend on traffic and are not priced. Offline, the dated snapshot
 * data/reference/network-prices.csv (source = 'snapshot', each row with its own source).
 */
import { readReferenceCsv } from "../../core/reference-csv.js";
import { listPriceBase, type PriceListProduct } from "./map.js";
import type { PriceRow } from "./tables.js";

/** Our name of a load balancer type → its Price List productFamily. */
export const ELB_FAMILIES = {
  application: "Load Balancer-Application",
  network: "Load Balancer-Network",
  classic: "Load Balancer",
} as const;

export const elbFilters = (family: string, region: string) => ({ productFamily: family, regionCode: region });
/** AmazonVPC has no productFamily for IPv4 addresses: the region's products, picked by usage type. */
export const vpcFilters = (region: string) => ({ regionCode: region });

/** The hourly charge of a load balancer type (not its LCU-hours, not the Outposts or TS variants). */
export function elbPriceRow(
  p: PriceListProduct,
  lbType: keyof typeof ELB_FAMILIES,
  cluster: string,
  region: string,
  fetchedAt: string,
): PriceRow | null {
  const usage = p.attributes.usagetype ?? "";
  if (p.unit !== "Hrs" || !/^([A-Z]{2,4}\d?-)?LoadBalancerUsage$/.test(usage)) return null;
  return {
    ...listPriceBase(p, cluster, region, fetchedAt),
    product: "elb",
    instance_type: lbType,
    unit: "Hrs",
    price_usd: p.usd,
  };
}

/** The hourly charge of an in-use public IPv4 address. */
export function ipv4PriceRow(
  p: PriceListProduct,
  cluster: string,
  region: string,
  fetchedAt: string,
): PriceRow | null {
  const usage = p.attributes.usagetype ?? "";
  if (p.unit !== "Hrs" || !/(^|-)PublicIPv4:InUseAddress$/.test(usage) || Number(p.usd) <= 0) return null;
  return {
    ...listPriceBase(p, cluster, region, fetchedAt),
    product: "ipv4",
    instance_type: "public-ipv4",
    unit: "Hrs",
    price_usd: p.usd,
  };
}

/** The snapshot's load balancer and IPv4 rows for a region (none for a region it lacks). */
export function networkSnapshotRows(cluster: string, region: string, fetchedAt: string): PriceRow[] {
  return readReferenceCsv("network-prices.csv")
    .filter((r) => r.region === region)
    .map((r) => ({
      cluster,
      region,
      product: r.product!,
      instance_type: r.item!,
      usage_type: r.product === "elb" ? "LoadBalancerUsage" : "PublicIPv4:InUseAddress",
      unit: r.unit!,
      price_usd: r.usd!,
      source: "snapshot",
      as_of: r.as_of!,
      fetched_at: fetchedAt,
    }));
}
