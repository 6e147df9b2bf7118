/**
 * The pricing collector: EC2 on-demand Linux prices of the instance types in use, the EKS
 * Fargate rates and cluster fee, and EBS per GB-month (volumes, and snapshots' Standard tier),
 * from the Price List API (client.ts), or from a bundle's recorded answers. Without the API
 * (offline, denied, the demo) it prices from the dated snapshot in data/reference/, every row
 * marked source = 'snapshot'.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readReferenceCsv, referenceProvenance } from "../../core/reference-csv.js";
import { type Bundle, readBundleJson } from "../bundle.js";
import type { PriceList, RecordedQuery } from "./client.js";
import {
  ebsPerformancePriceRow,
  ebsPriceRow,
  ebsSnapshotPriceRow,
  ec2PriceRow,
  eksPriceRow,
  type PriceListProduct,
  parsePriceListItem,
  type SnapshotPrices,
  snapshotPriceRows,
} from "./map.js";
import {
  ELB_FAMILIES,
  elbFilters,
  elbPriceRow,
  ipv4PriceRow,
  networkSnapshotRows,
  vpcFilters,
} from "./network.js";
import type { PriceRow } from "./tables.js";

export function loadSnapshot(region: string): SnapshotPrices {
  const ec2 = new Map(
    readReferenceCsv("ec2-ondemand-prices.csv")
      .filter((r) => r.region === region)
      .map((r) => [r.instance_type!, r.usd_per_hour!]),
  );
  const provenance = referenceProvenance("ec2-ondemand-prices.csv");
  const fargate = readReferenceCsv("fargate-prices.csv").find(
    (r) => r.region === region && r.arch === "x86_64",
  );
  const services = readReferenceCsv("service-prices.csv")
    .filter((r) => r.region === region)
    .map((r) => ({
      product: r.product!,
      item: r.item!,
      unit: r.unit!,
      usd: r.usd!,
      asOf: r.as_of!,
    }));
  return {
    ec2,
    ec2AsOf: /as_of (\d{4}-\d{2}-\d{2})/.exec(provenance)?.[1] ?? "snapshot",
    fargate: fargate
      ? { vcpu: fargate.usd_per_vcpu_hour!, gb: fargate.usd_per_gb_hour!, asOf: fargate.as_of! }
      : undefined,
    services,
  };
}

export function collectSnapshotPrices(
  cluster: string,
  region: string,
  instanceTypes: readonly string[],
  fetchedAt: string,
) {
  const { rows, unpriced } = snapshotPriceRows(
    loadSnapshot(region),
    cluster,
    region,
    instanceTypes,
    fetchedAt,
  );
  return { rows: [...rows, ...networkSnapshotRows(cluster, region, fetchedAt)], unpriced };
}

/** The Price List product families of EBS provisioned IOPS and of gp3 provisioned throughput. */
const EBS_PERFORMANCE_FAMILIES = ["System Operation", "Provisioned Throughput"] as const;

/** EBS snapshot storage: the Price List's product family for it (its Standard tier is EBS:SnapshotUsage). */
const snapshotFilters = (region: string) => ({ productFamily: "Storage Snapshot", regionCode: region });

export interface PriceCollection {
  rows: PriceRow[];
  /** Instance types the API had no price for (priced from the snapshot when it has them). */
  unpriced: string[];
  requests: number;
}

const ec2Filters = (instanceType: string, region: string) => ({
  instanceType,
  regionCode: region,
  operatingSystem: "Linux",
  tenancy: "Shared",
  preInstalledSw: "NA",
  capacitystatus: "Used",
  marketoption: "OnDemand",
});

/** Windows Server on-demand, licence included in the hourly price (no SQL Server or other software). */
const windowsFilters = (instanceType: string, region: string) => ({
  instanceType,
  regionCode: region,
  operatingSystem: "Windows",
  licenseModel: "No License required",
  tenancy: "Shared",
  preInstalledSw: "NA",
  capacitystatus: "Used",
  marketoption: "OnDemand",
});

/** Rows from answered queries, whatever answered them (the live API or a bundle's recording). */
function priceRows(
  answer: (serviceCode: string, filters: Record<string, string>) => PriceListProduct[] | undefined,
  cluster: string,
  region: string,
  instanceTypes: readonly string[],
  fetchedAt: string,
  windowsTypes: readonly string[] = [],
): { rows: PriceRow[]; unpriced: string[] } {
  const rows: PriceRow[] = [];
  const unpriced: string[] = [];
  for (const type of [...new Set(instanceTypes)].sort()) {
    const products = answer("AmazonEC2", ec2Filters(type, region)) ?? [];
    const row = products
      .map((p) => ec2PriceRow(p, cluster, fetchedAt))
      .find((r) => r !== null && Number(r.price_usd) > 0);
    if (row) rows.push({ ...row, region });
    else unpriced.push(type);
  }
  // Windows nodes: their own price (product ec2-windows); without one they stay unpriced, never Linux.
  for (const type of [...new Set(windowsTypes)].sort()) {
    const row = (answer("AmazonEC2", windowsFilters(type, region)) ?? [])
      .map((p) => ec2PriceRow(p, cluster, fetchedAt))
      .find((r) => r !== null && Number(r.price_usd) > 0);
    if (row) rows.push({ ...row, region, product: "ec2-windows" });
  }
  for (const p of answer("AmazonEKS", { regionCode: region }) ?? []) {
    const row = eksPriceRow(p, cluster, region, fetchedAt);
    if (row) rows.push(row);
  }
  for (const p of answer("AmazonEC2", { productFamily: "Storage", regionCode: region }) ?? []) {
    const row = ebsPriceRow(p, cluster, region, fetchedAt);
    if (row) rows.push(row);
  }
  for (const productFamily of EBS_PERFORMANCE_FAMILIES) {
    for (const p of answer("AmazonEC2", { productFamily, regionCode: region }) ?? []) {
      const row = ebsPerformancePriceRow(p, cluster, region, fetchedAt);
      if (row) rows.push(row);
    }
  }
  const snapshot = (answer("AmazonEC2", snapshotFilters(region)) ?? [])
    .map((p) => ebsSnapshotPriceRow(p, cluster, region, fetchedAt))
    .find((r) => r !== null);
  if (snapshot) rows.push(snapshot);
  for (const [lbType, family] of Object.entries(ELB_FAMILIES) as Array<[keyof typeof ELB_FAMILIES, string]>) {
    const row = (answer("AWSELB", elbFilters(family, region)) ?? [])
      .map((p) => elbPriceRow(p, lbType, cluster, region, fetchedAt))
      .find((r) => r !== null);
    if (row) rows.push(row);
  }
  const ipv4 = (answer("AmazonVPC", vpcFilters(region)) ?? [])
    .map((p) => ipv4PriceRow(p, cluster, region, fetchedAt))
    .find((r) => r !== null);
  if (ipv4) rows.push(ipv4);
  return { rows, unpriced };
}

export async function collectPricesLive(
  priceList: PriceList,
  options: {
    cluster: string;
    region: string;
    instanceTypes: readonly string[];
    windowsInstanceTypes?: readonly string[] | undefined;
    fetchedAt: string;
    recordDir?: string | undefined;
  },
): Promise<PriceCollection> {
  const answers = new Map<string, PriceListProduct[]>();
  const key = (serviceCode: string, filters: Record<string, string>) =>
    `${serviceCode} ${JSON.stringify(filters)}`;
  const ask = async (serviceCode: string, filters: Record<string, string>) =>
    answers.set(key(serviceCode, filters), await priceList.products(serviceCode, filters));
  for (const type of [...new Set(options.instanceTypes)].sort())
    await ask("AmazonEC2", ec2Filters(type, options.region));
  for (const type of [...new Set(options.windowsInstanceTypes ?? [])].sort())
    await ask("AmazonEC2", windowsFilters(type, options.region));
  await ask("AmazonEKS", { regionCode: options.region });
  await ask("AmazonEC2", { productFamily: "Storage", regionCode: options.region });
  for (const productFamily of EBS_PERFORMANCE_FAMILIES)
    await ask("AmazonEC2", { productFamily, regionCode: options.region });
  await ask("AmazonEC2", snapshotFilters(options.region));
  for (const family of Object.values(ELB_FAMILIES)) await ask("AWSELB", elbFilters(family, options.region));
  await ask("AmazonVPC", vpcFilters(options.region));
  if (options.recordDir) {
    const dir = join(options.recordDir, "aws", options.cluster);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "price-list.json"), `${JSON.stringify(priceList.recorded, null, 1)}\n`);
  }
  const { rows, unpriced } = priceRows(
    (s, f) => answers.get(key(s, f)),
    options.cluster,
    options.region,
    options.instanceTypes,
    options.fetchedAt,
    options.windowsInstanceTypes,
  );
  return { rows, unpriced, requests: priceList.requests };
}

export function collectPricesFromBundle(
  bundle: Bundle,
  options: {
    cluster: string;
    region: string;
    instanceTypes: readonly string[];
    windowsInstanceTypes?: readonly string[] | undefined;
    fetchedAt: string;
  },
): PriceCollection | undefined {
  const recorded = readBundleJson(bundle, "pricing", "aws", options.cluster, "price-list.json") as
    | RecordedQuery[]
    | undefined;
  if (recorded === undefined) return undefined;
  const answers = new Map(
    recorded.map((q) => [
      `${q.serviceCode} ${JSON.stringify(q.filters)}`,
      q.priceList.flatMap((item, i) => parsePriceListItem(item, i)),
    ]),
  );
  const { rows, unpriced } = priceRows(
    (s, f) => answers.get(`${s} ${JSON.stringify(f)}`),
    options.cluster,
    options.region,
    options.instanceTypes,
    options.fetchedAt,
    options.windowsInstanceTypes,
  );
  return { rows, unpriced, requests: 0 };
}
