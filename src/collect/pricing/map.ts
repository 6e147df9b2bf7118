/**
 * Prices → aws_prices rows. Two origins: a Price List GetProducts item (a JSON *string*, price at
 * terms.OnDemand.<sku>.<term>.priceDimensions.<sku>.<term>.<rate>.pricePerUnit.USD), and the
 * dated snapshot in data/reference/ when the Pricing API is not at hand (source = 'snapshot').
 */
import { InputError } from "../../core/errors.js";
import type { PriceRow } from "./tables.js";

export interface PriceListProduct {
  sku: string;
  serviceCode: string;
  productFamily: string | null;
  attributes: Record<string, string>;
  unit: string;
  usd: string;
  effectiveDate: string | null;
}

export function parsePriceListItem(item: string, index = 0): PriceListProduct[] {
  const object = `PriceList[${index}]`;
  let doc: {
    product?: { sku?: string; productFamily?: string; attributes?: Record<string, string> };
    serviceCode?: string;
    terms?: {
      OnDemand?: Record<
        string,
        {
          effectiveDate?: string;
          priceDimensions?: Record<string, { unit?: string; pricePerUnit?: { USD?: string } }>;
        }
      >;
    };
  };
  try {
    doc = JSON.parse(item);
  } catch {
    throw new InputError(object, "(item)", "is not a JSON string, as GetProducts returns them");
  }
  const sku = doc.product?.sku;
  if (!sku) throw new InputError(object, "product.sku", "is missing");
  const out: PriceListProduct[] = [];
  for (const term of Object.values(doc.terms?.OnDemand ?? {})) {
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      const usd = dimension.pricePerUnit?.USD;
      if (usd === undefined || !/^\d+(\.\d+)?$/.test(usd)) {
        throw new InputError(
          `${object} (${sku})`,
          "terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD",
          `${JSON.stringify(usd)} is not a price`,
        );
      }
      out.push({
        sku,
        serviceCode: doc.serviceCode ?? doc.product?.attributes?.servicecode ?? "",
        productFamily: doc.product?.productFamily ?? null,
        attributes: doc.product?.attributes ?? {},
        unit: dimension.unit ?? "",
        usd,
        effectiveDate: term.effectiveDate ?? null,
      });
    }
  }
  return out;
}

export interface SnapshotPrices {
  ec2: ReadonlyMap<string, string>;
  ec2AsOf: string;
  fargate: { vcpu: string; gb: string; asOf: string } | undefined;
  /**
   * The EKS cluster fee (item `standard-support`), EBS GB-month prices (item = volume type) and
   * EBS provisioned IOPS and throughput per month (`ebs-iops`, `ebs-throughput`; item = volume
   * type, io2's higher tiers as `io2-tier2`, `io2-tier3`), and EBS snapshot storage per GB-month
   * (`ebs-snapshot`, item `standard`: the Standard tier).
   */
  services: ReadonlyArray<{ product: string; item: string; unit: string; usd: string; asOf: string }>;
}

/** The snapshot's rows for the instance types in use; types the snapshot lacks are returned apart. */
export function snapshotPriceRows(
  snapshot: SnapshotPrices,
  cluster: string,
  region: string,
  instanceTypes: readonly string[],
  fetchedAt: string,
): { rows: PriceRow[]; unpriced: string[] } {
  const rows: PriceRow[] = [];
  const unpriced: string[] = [];
  for (const type of [...new Set(instanceTypes)].sort()) {
    const usd = snapshot.ec2.get(type);
    if (usd === undefined) {
      unpriced.push(type);
      continue;
    }
    rows.push({
      cluster,
      region,
      product: "ec2",
      instance_type: type,
      usage_type: `BoxUsage:${type}`,
      unit: "Hrs",
      price_usd: usd,
      source: "snapshot",
      as_of: snapshot.ec2AsOf,
      fetched_at: fetchedAt,
    });
  }
  if (snapshot.fargate) {
    for (const [unit, usd] of [
      ["vCPU-Hours", snapshot.fargate.vcpu],
      ["GB-Hours", snapshot.fargate.gb],
    ] as const) {
      rows.push({
        cluster,
        region,
        product: "fargate",
        instance_type: null,
        usage_type: unit === "vCPU-Hours" ? "Fargate-vCPU-Hours:perCPU" : "Fargate-GB-Hours",
        unit,
        price_usd: usd,
        source: "snapshot",
        as_of: snapshot.fargate.asOf,
        fetched_at: fetchedAt,
      });
    }
  }
  for (const p of snapshot.services) {
    rows.push({
      cluster,
      region,
      product: p.product,
      instance_type: ["eks", "fargate-ephemeral", "ebs-snapshot"].includes(p.product) ? null : p.item,
      usage_type: snapshotUsageType(p.product, p.item),
      unit: p.unit,
      price_usd: p.usd,
      source: "snapshot",
      as_of: p.asOf,
      fetched_at: fetchedAt,
    });
  }
  return { rows, unpriced };
}

/** The usage type a snapshot price stands for, as the Price List and the bill name it. */
function snapshotUsageType(product: string, item: string): string {
  if (product === "ebs") return `EBS:VolumeUsage.${item}`;
  if (product === "ebs-snapshot") return "EBS:SnapshotUsage";
  if (product === "fargate-ephemeral") return "Fargate-EphemeralStorage-GB-Hours";
  if (product === "ebs-throughput") return `EBS:VolumeP-Throughput.${item}`;
  if (product === "ebs-iops") {
    const [type, tier] = item.split("-");
    return `EBS:VolumeP-IOPS.${type === "io1" ? "piops" : type}${tier ? `.${tier}` : ""}`;
  }
  return item === "extended-support" ? "AmazonEKS-Hours:extendedSupport" : "AmazonEKS-Hours:perCluster";
}

/** An EC2 on-demand Linux price (GetProducts, ServiceCode AmazonEC2) → an aws_prices row. */
export function ec2PriceRow(p: PriceListProduct, cluster: string, fetchedAt: string): PriceRow | null {
  const a = p.attributes;
  if (!a.instanceType || p.unit !== "Hrs") return null;
  return {
    cluster,
    region: a.regionCode ?? "",
    product: "ec2",
    instance_type: a.instanceType,
    usage_type: a.usagetype ?? null,
    unit: "Hrs",
    price_usd: p.usd,
    source: "pricing-api",
    as_of: p.effectiveDate?.slice(0, 10) ?? null,
    fetched_at: fetchedAt,
  };
}

/** What every row read from the Price List carries: where, which usage type, and when. */
export function listPriceBase(p: PriceListProduct, cluster: string, region: string, fetchedAt: string) {
  return {
    cluster,
    region,
    usage_type: p.attributes.usagetype ?? "",
    source: "pricing-api",
    as_of: p.effectiveDate?.slice(0, 10) ?? null,
    fetched_at: fetchedAt,
  };
}

/**
 * EKS products (GetProducts, ServiceCode AmazonEKS: where EKS Fargate and the cluster fee are
 * priced; ECS Fargate is under AmazonECS) → Fargate vCPU-hour and GB-hour rates and the
 * cluster fee, recognised by their usage types (<REGION>-Fargate-vCPU-Hours:perCPU,
 * <REGION>-Fargate-GB-Hours, <REGION>-AmazonEKS-Hours:perCluster and the extended-support surcharge
 * <REGION>-AmazonEKS-Hours:extendedSupport).
 */
export function eksPriceRow(
  p: PriceListProduct,
  cluster: string,
  region: string,
  fetchedAt: string,
): PriceRow | null {
  const usage = p.attributes.usagetype ?? "";
  const base = {
    ...listPriceBase(p, cluster, region, fetchedAt),
    instance_type: null,
    price_usd: p.usd,
  };
  if (/-Fargate-vCPU-Hours:perCPU$/.test(usage)) return { ...base, product: "fargate", unit: "vCPU-Hours" };
  if (/-Fargate-GB-Hours$/.test(usage)) return { ...base, product: "fargate", unit: "GB-Hours" };
  // Ephemeral storage above the 20 GiB included (usage type as ECS bills it; unverified for EKS).
  if (/-Fargate-EphemeralStorage-GB-Hours$/.test(usage))
    return { ...base, product: "fargate-ephemeral", unit: "GB-Hours" };
  if (/-AmazonEKS-Hours:(perCluster|extendedSupport)$/.test(usage))
    return { ...base, product: "eks", unit: "Hrs" };
  // The EKS Auto Mode management fee: one AmazonEKS product per instance type and region, marked
  // eksproducttype AutoMode (operation EKSAutoUsage), its type in the lower-case attribute
  // `instancetype` (data/reference/eks-price-list-search.md: how that was found; its usage type
  // was not, so none is required).
  const autoModeType = p.attributes.instancetype ?? p.attributes.instanceType;
  if (p.attributes.eksproducttype === "AutoMode" && autoModeType && /^h(ou)?rs?$/i.test(p.unit))
    return { ...base, product: "eks-auto-mode", instance_type: autoModeType, unit: "Hrs" };
  return null;
}

/** EBS volume storage per GB-month (GetProducts, AmazonEC2, productFamily Storage) → a row per volume type. */
export function ebsPriceRow(
  p: PriceListProduct,
  cluster: string,
  region: string,
  fetchedAt: string,
): PriceRow | null {
  const volume = p.attributes.volumeApiName;
  if (!volume || p.unit !== "GB-Mo" || !/EBS:VolumeUsage/.test(p.attributes.usagetype ?? "")) return null;
  return {
    ...listPriceBase(p, cluster, region, fetchedAt),
    product: "ebs",
    instance_type: volume,
    unit: "GB-Mo",
    price_usd: p.usd,
  };
}

/**
 * EBS snapshot storage in the Standard tier per GB-month (GetProducts, AmazonEC2, productFamily
 * `Storage Snapshot`), recognised by its usage type <REGION>-EBS:SnapshotUsage, the one the bill
 * shows; the family's other products (the Archive tier's EBS:SnapshotArchiveStorage, its retrieval
 * and early-delete fees, Fast Snapshot Restore) are not this price.
 */
export function ebsSnapshotPriceRow(
  p: PriceListProduct,
  cluster: string,
  region: string,
  fetchedAt: string,
): PriceRow | null {
  const usage = p.attributes.usagetype ?? "";
  if (!/(^|-)EBS:SnapshotUsage$/.test(usage) || !/^GB-Mo/i.test(p.unit) || Number(p.usd) <= 0) return null;
  return {
    ...listPriceBase(p, cluster, region, fetchedAt),
    product: "ebs-snapshot",
    // One tier is priced, named by its usage type; no item, so the report names it by product.
    instance_type: null,
    unit: "GB-Mo",
    price_usd: p.usd,
  };
}

/**
 * EBS provisioned IOPS and throughput (GetProducts, AmazonEC2, product families `System Operation`
 * and `Provisioned Throughput`), recognised by usage type: <REGION>-EBS:VolumeP-IOPS.gp3 / .piops
 * (io1) / .io2 (with .tier2 / .tier3 for io2's higher tiers) per IOPS-month, and
 * <REGION>-EBS:VolumeP-Throughput.gp3 per MiB/s-month (a price per GiBps-month is divided by 1,024).
 */
export function ebsPerformancePriceRow(
  p: PriceListProduct,
  cluster: string,
  region: string,
  fetchedAt: string,
): PriceRow | null {
  const usage = p.attributes.usagetype ?? "";
  const base = listPriceBase(p, cluster, region, fetchedAt);
  const iops = /EBS:VolumeP-IOPS\.(gp3|piops|io2)(?:\.(tier2|tier3))?$/.exec(usage);
  if (iops) {
    const type = iops[1] === "piops" ? "io1" : iops[1]!;
    return {
      ...base,
      product: "ebs-iops",
      instance_type: iops[2] ? `${type}-${iops[2]}` : type,
      unit: "IOPS-Mo",
      price_usd: p.usd,
    };
  }
  const throughput = /EBS:VolumeP-Throughput\.(gp3)$/.exec(usage);
  if (throughput) {
    const perGib = /^GiBps/i.test(p.unit);
    return {
      ...base,
      product: "ebs-throughput",
      instance_type: throughput[1]!,
      unit: "MiBps-Mo",
      price_usd: perGib ? String(Number(p.usd) / 1024) : p.usd,
    };
  }
  return null;
}
