/**
 * Cost Explorer as a source (source.ts): the bill of the window. Live, only the days not stored
 * by the previous run (with the same tag) are asked for (each request is billed); the earlier days
 * are copied from that run, so the run holds the whole window.
 */
import { awsClientSettings } from "../aws.js";
import type { Collected, RunSink, Source } from "../source.js";
import { type CostCollection, collectCostsFromBundle, collectCostsLive } from "./index.js";
import { COST_EXPLORER_TABLES } from "./tables.js";

const day = (d: Date) => d.toISOString().slice(0, 10);

export const costExplorer: Source = {
  name: "cost-explorer",
  tables: COST_EXPLORER_TABLES,
  needsRegion: true,

  async live(c) {
    const cluster = c.cluster.name;
    const window = { start: day(c.window.start), end: day(c.window.end) };
    const previous = await c.history.previousCosts();
    const [key, ...rest] = previous?.tagFilter?.split("=") ?? [];
    const knownTag = key && rest.length ? { key, value: rest.join("=") } : undefined;
    const { CostExplorer } = await import("./client.js");
    const ce = new CostExplorer(
      awsClientSettings(c.facts.region!, c.config.aws.maxAttempts, c.config.aws.profile),
      c.logger,
      c.signal,
    );
    const costs = await collectCostsLive(ce, {
      cluster,
      window,
      configuredTag: c.config.aws.costAllocationTag,
      configuredTagValue: c.config.aws.costAllocationTagValue,
      knownTag,
      storedThrough: previous?.storedThrough ?? null,
      today: day(c.now),
      recordDir: c.record,
    });
    // Days not asked for again come from the previous run (same tag), so the run holds the whole window.
    if (previous && costs.tag === previous.tagFilter && costs.fetched && costs.fetched.start > window.start) {
      await c.history.carryCosts({ fromRun: previous.runId, start: window.start, end: costs.fetched.start });
    }
    c.logger.info("cost explorer collected", {
      cluster,
      tag: costs.tag,
      paidRequests: costs.paidRequests,
      fetchedFrom: costs.fetched?.start ?? "nothing new",
    });
    return store(c.out, costs, "live", "GetCostAndUsage");
  },

  async replay(bundle, c) {
    const costs = collectCostsFromBundle(bundle, c.cluster.name, {
      start: day(c.window.start),
      end: day(c.window.end),
    });
    if (costs === undefined)
      return {
        status: "missing",
        origin: "bundle",
        rows: 0,
        error: "the bundle has no Cost Explorer responses",
      };
    return store(c.out, costs, "bundle", `aws/${c.cluster.name}/cost-and-usage.json`);
  },
};

async function store(
  out: RunSink,
  costs: CostCollection,
  origin: "live" | "bundle",
  location: string,
): Promise<Collected> {
  for (const p of costs.problems) out.reject({ location, ...p });
  const rows =
    (await out.append("aws_costs", costs.rows)) + (await out.append("aws_cost_forecast", costs.forecast));
  return {
    status: "ok",
    origin,
    rows,
    detail: {
      tag: costs.tag,
      tried: costs.tried,
      purchaseTypes: costs.purchaseTypes,
      paidRequests: costs.paidRequests,
      pages: costs.pages,
      fetched: costs.fetched,
    },
  };
}
