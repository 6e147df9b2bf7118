/** EC2 DescribeSpotPriceHistory through @aws-sdk/client-ec2 (the query protocol), paginated. */
import { type _InstanceType, DescribeSpotPriceHistoryCommand, EC2Client } from "@aws-sdk/client-ec2";
import type { Logger } from "../../core/logger.js";
import { type AwsClientSettings, awsFailure } from "../aws.js";
import type { SpotPriceHistoryOutput } from "./map.js";

export class SpotHistory {
  readonly client: EC2Client;
  requests = 0;

  constructor(
    settings: AwsClientSettings,
    private readonly logger: Logger,
    /** Aborts in-flight requests. */
    private readonly signal?: AbortSignal,
  ) {
    this.client = new EC2Client(settings);
  }

  /** Linux/UNIX price changes for the types over the window (AWS includes the price in effect at its start). */
  async history(
    instanceTypes: string[],
    window: { start: Date; end: Date },
  ): Promise<SpotPriceHistoryOutput[]> {
    const pages: SpotPriceHistoryOutput[] = [];
    let token: string | undefined;
    do {
      this.requests++;
      try {
        const out = await this.client.send(
          new DescribeSpotPriceHistoryCommand({
            InstanceTypes: instanceTypes as _InstanceType[],
            ProductDescriptions: ["Linux/UNIX"],
            StartTime: window.start,
            EndTime: window.end,
            MaxResults: 1000,
            ...(token ? { NextToken: token } : {}),
          }),
          { abortSignal: this.signal },
        );
        pages.push({
          SpotPriceHistory: (out.SpotPriceHistory ?? []).map((p) => ({
            AvailabilityZone: p.AvailabilityZone,
            InstanceType: p.InstanceType,
            ProductDescription: p.ProductDescription,
            SpotPrice: p.SpotPrice,
            Timestamp: p.Timestamp?.toISOString(),
          })),
          NextToken: out.NextToken ?? "",
        });
        token = out.NextToken || undefined;
      } catch (error) {
        throw awsFailure("spot-history", "ec2:DescribeSpotPriceHistory", error);
      }
    } while (token);
    this.logger.debug("DescribeSpotPriceHistory", { types: instanceTypes.length, pages: pages.length });
    return pages;
  }
}
