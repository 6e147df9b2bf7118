/**
 * Prices → aws_prices rows. Two origins: a Price List GetProducts item (a JSON *string*, price at
 * terms.OnDemand.<sku>.<term>.priceDimensions.<sku>.<term>.<rate>.pricePerUnit.USD), and the
 * dated snapshot in data/reference/ when the Pricing API is not at hand (source = 'snapshot').
 */
import { InputError } from "../../core/errors.js";

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
}

/** The snapshot's rows for the instance types in use; types the snapshot lacks are returned apart. */
export function snapshotPriceRows(
  snapshot: SnapshotPrices,
  cluster: string,
  region: string,
  instanceTypes: readonly string[],
  fetchedAt: string,
): { rows: Array<Record<string, unknown>>; unpriced: string[] } {
  const rows: Array<Record<string, unknown>> = [];
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
  return { rows, unpriced };
}
