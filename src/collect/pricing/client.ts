/**
 * The AWS Price List API (GetProducts) through @aws-sdk/client-pricing. Its endpoint is in
 * us-east-1 (or eu-central-1, ap-south-1) whatever region is priced.
 */
import {
  type Filter,
  GetProductsCommand,
  type GetProductsCommandOutput,
  PricingClient,
} from "@aws-sdk/client-pricing";
import type { Logger } from "../../core/logger.js";
import { type AwsClientSettings, awsFailure } from "../aws.js";
import { type PriceListProduct, parsePriceListItem } from "./map.js";

export interface RecordedQuery {
  serviceCode: string;
  filters: Record<string, string>;
  priceList: string[];
}

export class PriceList {
  readonly client: PricingClient;
  requests = 0;
  /** What was fetched, for --record. */
  readonly recorded: RecordedQuery[] = [];

  constructor(
    settings: AwsClientSettings,
    pricingRegion: string,
    private readonly logger: Logger,
    /** Aborts in-flight requests. */
    private readonly signal?: AbortSignal,
  ) {
    this.client = new PricingClient({ ...settings, region: pricingRegion });
  }

  /** Every product matching the filters (TERM_MATCH), parsed from the PriceList JSON strings. */
  async products(serviceCode: string, filters: Record<string, string>): Promise<PriceListProduct[]> {
    const terms: Filter[] = Object.entries(filters).map(([Field, Value]) => ({
      Type: "TERM_MATCH",
      Field,
      Value,
    }));
    const priceList: string[] = [];
    let token: string | undefined;
    do {
      this.requests++;
      let out: GetProductsCommandOutput;
      try {
        out = await this.client.send(
          new GetProductsCommand({
            ServiceCode: serviceCode,
            Filters: terms,
            FormatVersion: "aws_v1",
            MaxResults: 100,
            ...(token ? { NextToken: token } : {}),
          }),
          { abortSignal: this.signal },
        );
      } catch (error) {
        throw awsFailure("pricing", "pricing:GetProducts", error);
      }
      priceList.push(...(out.PriceList ?? []));
      token = out.NextToken;
    } while (token);
    this.recorded.push({ serviceCode, filters, priceList });
    this.logger.debug("GetProducts", { serviceCode, items: priceList.length });
    return priceList.flatMap((item, i) => parsePriceListItem(item, i));
  }
}
