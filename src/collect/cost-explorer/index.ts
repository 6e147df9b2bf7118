/**
 * The Cost Explorer collector: the bill for the cluster's cost allocation tag, DAILY, grouped by
 * SERVICE × USAGE_TYPE and by PURCHASE_TYPE × INSTANCE_TYPE, the untagged EC2 spend beside it,
 * the forecast for the rest of the month and the account's purchase types. Live (client.ts) or
 * from the recorded pages of a bundle; both map the same responses (map.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Expression, GroupDefinition } from "@aws-sdk/client-cost-explorer";
import type { Progress } from "../../core/context.js";
import { SourceError } from "../../core/errors.js";
import { type Bundle, readBundleJson } from "../bundle.js";
import { failureKind } from "../errors.js";
import type { RowProblem } from "../source.js";
import type { CostExplorer } from "./client.js";
import {
  type CostForecastResponse,
  daysToFetch,
  EC2_COMPUTE,
  mapCostAndUsage,
  mapCostForecast,
  type RecordedPage,
  type TagFilter,
  tagCandidates,
  tagExpression,
} from "./map.js";
import type { CostForecastRow, CostRow } from "./tables.js";

export const METRICS = ["UnblendedCost", "AmortizedCost", "NetAmortizedCost", "UsageQuantity"];
export const UNTAGGED_EC2 = "UNTAGGED_EC2";

function isAbsentFilter(filter: Expression | undefined): boolean {
  return JSON.stringify(filter ?? {}).includes('"ABSENT"');
}

function tagOf(filter: Expression | undefined): string | null {
  const tags = filter?.Tags ?? filter?.And?.find((e) => e.Tags)?.Tags;
  if (!tags?.Key) return null;
  return isAbsentFilter(filter) ? `${tags.Key} absent` : `${tags.Key}=${(tags.Values ?? []).join("|")}`;
}

/** aws_costs rows from recorded GetCostAndUsage pages (an untagged-EC2 query becomes group_by UNTAGGED_EC2). */
export function rowsFromPages(
  pages: readonly RecordedPage[],
  cluster: string,
  window: { start: string; end: string },
  problems: RowProblem[],
): CostRow[] {
  return pages.flatMap((page) => {
    const rows = mapCostAndUsage(page.response, cluster, tagOf(page.request.Filter), window, problems);
    return isAbsentFilter(page.request.Filter)
      ? rows.map((r) => ({ ...r, group_by: UNTAGGED_EC2, key1: EC2_COMPUTE }))
      : rows;
  });
}

interface RecordedForecast {
  request: { start: string; end: string; metric: string; intervalLevel: number; tag: string | null };
  response: CostForecastResponse;
}

export interface CostCollection {
  rows: CostRow[];
  /** Lines left out: a date outside the window, an amount that is not a decimal. */
  problems: RowProblem[];
  forecast: CostForecastRow[];
  tag: string | null;
  tried: string[];
  purchaseTypes: string[];
  paidRequests: number;
  pages: number;
  /** The days asked for; earlier days of the window come from the previous run. */
  fetched: { start: string; end: string } | null;
}

export function collectCostsFromBundle(
  bundle: Bundle,
  cluster: string,
  window: { start: string; end: string },
): CostCollection | undefined {
  const pages = readBundleJson(bundle, "cost-explorer", "aws", cluster, "cost-and-usage.json") as
    | RecordedPage[]
    | undefined;
  if (pages === undefined) return undefined;
  if (!Array.isArray(pages))
    throw new SourceError("cost-explorer", `aws/${cluster}/cost-and-usage.json must be an array of pages`);
  const recorded = readBundleJson(bundle, "cost-explorer", "aws", cluster, "cost-forecast.json") as
    | RecordedForecast
    | undefined;
  const problems: RowProblem[] = [];
  const rows = rowsFromPages(pages, cluster, window, problems);
  const tag =
    pages.map((p) => tagOf(p.request.Filter)).find((t) => t !== null && !t.endsWith(" absent")) ?? null;
  return {
    rows,
    problems,
    forecast: recorded
      ? [mapCostForecast(recorded.response, recorded.request, cluster, recorded.request.tag)]
      : [],
    tag,
    tried: [],
    purchaseTypes: [],
    paidRequests: 0,
    pages: pages.length,
    fetched: null,
  };
}

export interface LiveCostOptions {
  cluster: string;
  window: { start: string; end: string };
  /** The tag key from the config, if any; else the EKS tags are tried in order. */
  configuredTag?: string | undefined;
  /** Its value, if not the cluster's name. */
  configuredTagValue?: string | undefined;
  /** The tag a previous run matched, tried first. */
  knownTag?: TagFilter | undefined;
  /** The last day already stored for this cluster and tag (the last 3 days are fetched again). */
  storedThrough?: string | null;
  /** Today (UTC), for the rest-of-month forecast. */
  today: string;
  recordDir?: string | undefined;
  /**
   * Task `cost-explorer <cluster>`: queries answered (every page of each) of all the run asks
   * (known once the tag is found), with the paid requests and the GetCostAndUsage pages so far.
   */
  progress?: Progress | undefined;
}

const firstOfNextMonth = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
};

export async function collectCostsLive(ce: CostExplorer, options: LiveCostOptions): Promise<CostCollection> {
  const { cluster, window } = options;
  const candidates = tagCandidates(cluster, options.configuredTag, options.configuredTagValue);
  const ordered = options.knownTag
    ? [options.knownTag, ...candidates.filter((c) => c.key !== options.knownTag!.key)]
    : candidates;
  const task = `cost-explorer ${cluster}`;
  const pages: RecordedPage[] = [];
  let queries = 0;
  let planned: number | undefined;
  const progress = () =>
    options.progress?.update(task, queries, planned, { requests: ce.paidRequests, pages: pages.length });
  const answered = <T>(result: T): T => {
    queries++;
    progress();
    return result;
  };
  progress();
  const { tag, tried } = await ce.findTag(ordered, window);
  if (!tag) {
    throw new SourceError(
      "cost-explorer",
      `no cost allocation tag marks ${cluster} in Cost Explorer (tried ${tried.join(", ")})`,
      {
        hint: "activate the tag EKS puts on the cluster's resources (aws:eks:cluster-name) under Billing → Cost allocation tags, or set aws.costAllocationTag; activation takes up to 24 hours",
      },
    );
  }
  const filter = tagExpression(tag);
  // Stored days count only if they were stored under the tag that matched now.
  const sameTag =
    options.knownTag !== undefined &&
    options.knownTag.key === tag.key &&
    options.knownTag.value === tag.value;
  const fetched = daysToFetch(window, sameTag ? (options.storedThrough ?? null) : null);
  const monthEnd = firstOfNextMonth(options.today);
  // The tag's lookup, three bills of the days to fetch, the purchase types, the forecast.
  planned = 1 + (fetched ? 3 : 0) + 1 + (options.today < monthEnd ? 1 : 0);
  answered(tag);
  const onPage = (page: RecordedPage) => {
    pages.push(page);
    progress();
  };
  if (fetched) {
    const bills: Array<[Expression, GroupDefinition[] | undefined, string[]]> = [
      [
        filter,
        [
          { Type: "DIMENSION", Key: "SERVICE" },
          { Type: "DIMENSION", Key: "USAGE_TYPE" },
        ],
        METRICS,
      ],
      [
        filter,
        [
          { Type: "DIMENSION", Key: "PURCHASE_TYPE" },
          { Type: "DIMENSION", Key: "INSTANCE_TYPE" },
        ],
        METRICS,
      ],
      [
        {
          And: [
            { Dimensions: { Key: "SERVICE", Values: [EC2_COMPUTE] } },
            { Tags: { Key: tag.key, MatchOptions: ["ABSENT"] } },
          ],
        },
        undefined,
        ["UnblendedCost"],
      ],
    ];
    for (const [by, groupBy, metrics] of bills)
      answered(await ce.costAndUsage(fetched, by, groupBy, metrics, onPage));
  }
  const purchaseTypes = answered(await ce.purchaseTypes(window));
  const forecast: CostForecastRow[] = [];
  let recordedForecast: RecordedForecast | undefined;
  const tagText = `${tag.key}=${tag.value}`;
  if (options.today < monthEnd) {
    const request = {
      start: options.today,
      end: monthEnd,
      metric: "UNBLENDED_COST",
      intervalLevel: 80,
      tag: tagText,
    };
    try {
      const response = await ce.forecast(
        { start: request.start, end: request.end },
        filter,
        request.intervalLevel,
      );
      forecast.push(mapCostForecast(response, request, cluster, tagText));
      recordedForecast = { request, response };
    } catch (error) {
      // Too little history for a forecast is common on new clusters; the bill itself is still good.
      if (!(error instanceof SourceError) || failureKind(error) === "denied") throw error;
    }
    answered(forecast);
  }
  options.progress?.end(task);
  if (options.recordDir) {
    const dir = join(options.recordDir, "aws", cluster);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cost-and-usage.json"), `${JSON.stringify(pages, null, 1)}\n`);
    if (recordedForecast)
      writeFileSync(join(dir, "cost-forecast.json"), `${JSON.stringify(recordedForecast, null, 1)}\n`);
  }
  const problems: RowProblem[] = [];
  return {
    rows: rowsFromPages(pages, cluster, window, problems),
    problems,
    forecast,
    tag: tagText,
    tried,
    purchaseTypes,
    paidRequests: ce.paidRequests,
    pages: pages.length,
    fetched,
  };
}
