/**
 * Cost Explorer through @aws-sdk/client-cost-explorer. Every request is billed (USD 0.01), so
 * they are counted, and only the days not already stored are asked for.
 */
import {
  CostExplorerClient,
  type Expression,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
  GetTagsCommand,
  type GroupDefinition,
} from "@aws-sdk/client-cost-explorer";
import type { Logger } from "../../core/logger.js";
import { type AwsClientSettings, awsFailure } from "../aws.js";
import type { CostAndUsageResponse, CostForecastResponse, RecordedPage, TagFilter } from "./map.js";

export { EC2_COMPUTE, type RecordedPage, type TagFilter, tagCandidates, tagExpression } from "./map.js";

export class CostExplorer {
  readonly client: CostExplorerClient;
  paidRequests = 0;

  constructor(
    settings: AwsClientSettings,
    private readonly logger: Logger,
    /** Aborts in-flight requests. */
    private readonly signal?: AbortSignal,
    /**
     * Read from an organization's management (payer) account: every query is limited to this
     * member account (the LINKED_ACCOUNT dimension), so the cluster's costs are its account's only.
     */
    readonly linkedAccount?: string,
  ) {
    // Cost Explorer has one endpoint, in us-east-1, whatever the cluster's region.
    this.client = new CostExplorerClient({ ...settings, region: "us-east-1" });
  }

  /** A filter limited to the linked account when one is set (flattened into a top-level And). */
  scoped(filter: Expression): Expression;
  scoped(filter: Expression | undefined): Expression | undefined;
  scoped(filter: Expression | undefined): Expression | undefined {
    if (!this.linkedAccount) return filter;
    const account: Expression = { Dimensions: { Key: "LINKED_ACCOUNT", Values: [this.linkedAccount] } };
    if (!filter) return account;
    return { And: [account, ...(filter.And ?? [filter])] };
  }

  private async send<T>(action: string, fn: () => Promise<T>): Promise<T> {
    this.paidRequests++;
    try {
      return await fn();
    } catch (error) {
      throw awsFailure("cost-explorer", action, error);
    }
  }

  /** The first candidate tag whose values for the window include the cluster. */
  async findTag(
    candidates: TagFilter[],
    window: { start: string; end: string },
  ): Promise<{ tag: TagFilter | undefined; tried: string[] }> {
    const tried: string[] = [];
    for (const tag of candidates) {
      tried.push(tag.key);
      const out = await this.send("ce:GetTags", () =>
        this.client.send(
          new GetTagsCommand({
            TimePeriod: { Start: window.start, End: window.end },
            TagKey: tag.key,
            ...(this.linkedAccount ? { Filter: this.scoped(undefined) } : {}),
          }),
          { abortSignal: this.signal },
        ),
      );
      if ((out.Tags ?? []).includes(tag.value)) return { tag, tried };
    }
    return { tag: undefined, tried };
  }

  /** Every page of one GetCostAndUsage query (there is no SDK paginator: NextPageToken by hand). */
  async costAndUsage(
    window: { start: string; end: string },
    filter: Expression,
    groupBy: GroupDefinition[] | undefined,
    metrics: string[],
    /** Called with each page as it is answered (progress). */
    onPage?: (page: RecordedPage) => void,
  ): Promise<RecordedPage[]> {
    const pages: RecordedPage[] = [];
    let token: string | undefined;
    do {
      const request: GetCostAndUsageCommandInput = {
        TimePeriod: { Start: window.start, End: window.end },
        Granularity: "DAILY",
        Metrics: metrics,
        Filter: this.scoped(filter),
        ...(groupBy ? { GroupBy: groupBy } : {}),
        ...(token ? { NextPageToken: token } : {}),
      };
      const out = await this.send("ce:GetCostAndUsage", () =>
        this.client.send(new GetCostAndUsageCommand(request), { abortSignal: this.signal }),
      );
      const { $metadata: _, ...response } = out;
      const page = { request, response: response as CostAndUsageResponse };
      pages.push(page);
      onPage?.(page);
      token = out.NextPageToken;
      this.logger.debug("GetCostAndUsage page", {
        groups: (groupBy ?? []).map((g) => g.Key).join(","),
        days: out.ResultsByTime?.length ?? 0,
        more: Boolean(token),
      });
    } while (token);
    return pages;
  }

  async forecast(
    period: { start: string; end: string },
    filter: Expression,
    intervalLevel = 80,
  ): Promise<CostForecastResponse> {
    const out = await this.send("ce:GetCostForecast", () =>
      this.client.send(
        new GetCostForecastCommand({
          TimePeriod: { Start: period.start, End: period.end },
          Metric: "UNBLENDED_COST",
          Granularity: "MONTHLY",
          Filter: this.scoped(filter),
          PredictionIntervalLevel: intervalLevel,
        }),
        { abortSignal: this.signal },
      ),
    );
    const { $metadata: _, ...response } = out;
    return response as CostForecastResponse;
  }

  /** The PURCHASE_TYPE values the account really has ("On Demand Instances", "Spot Instances", "Savings Plans", …). */
  async purchaseTypes(window: { start: string; end: string }): Promise<string[]> {
    const out = await this.send("ce:GetDimensionValues", () =>
      this.client.send(
        new GetDimensionValuesCommand({
          TimePeriod: { Start: window.start, End: window.end },
          Dimension: "PURCHASE_TYPE",
          ...(this.linkedAccount ? { Filter: this.scoped(undefined) } : {}),
        }),
        { abortSignal: this.signal },
      ),
    );
    return (out.DimensionValues ?? []).map((d) => d.Value ?? "").filter(Boolean);
  }
}
