/**
 * Cost Explorer as a source (source.ts): the bill of the window. Live, only the days not stored
 * by the previous run (with the same tag) are asked for (each request is billed); the earlier days
 * are copied from that run, so the run holds the whole window.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CapacityError, errorMessage } from "../../core/errors.js";
import { clusterAwsSettings } from "../aws.js";
import type { Collected, RunSink, Source } from "../source.js";
import {
  COMMITMENTS_FILE,
  mapCommitments,
  type RecordedCommitments,
  readRecordedCommitments,
} from "./commitments.js";
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
      clusterAwsSettings(c, c.facts.region!),
      c.logger,
      c.signal,
      c.cluster.aws?.linkedAccount,
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
      progress: c.progress,
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
    // Savings Plans and RI coverage: the bill stands without them; a refusal is said, not fatal.
    let commitments: RecordedCommitments | undefined;
    let commitmentsError: string | undefined;
    try {
      const { fetchCommitments } = await import("./commitments-client.js");
      commitments = await fetchCommitments(ce, window, c.facts.region!, c.signal);
      if (c.record) {
        const dir = join(c.record, "aws", cluster);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, COMMITMENTS_FILE), `${JSON.stringify(commitments, null, 1)}\n`);
      }
    } catch (error) {
      if (!(error instanceof CapacityError) || c.signal.aborted) throw error;
      commitmentsError = `Savings Plans / RI coverage not collected: ${errorMessage(error)}${error.hint ? ` (fix: ${error.hint})` : ""}`;
      c.logger.warn(commitmentsError, { cluster });
    }
    return store(c.out, cluster, costs, "live", "GetCostAndUsage", commitments, commitmentsError);
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
    return store(
      c.out,
      c.cluster.name,
      costs,
      "bundle",
      `aws/${c.cluster.name}/cost-and-usage.json`,
      readRecordedCommitments(bundle, c.cluster.name),
    );
  },
};

async function store(
  out: RunSink,
  cluster: string,
  costs: CostCollection,
  origin: "live" | "bundle",
  location: string,
  commitments?: RecordedCommitments,
  commitmentsError?: string,
): Promise<Collected> {
  for (const p of costs.problems) out.reject({ location, ...p });
  const problems: Parameters<typeof mapCommitments>[2] = [];
  const commitmentRows = commitments ? mapCommitments(commitments, cluster, problems) : [];
  const commitmentsAt =
    origin === "bundle"
      ? `aws/${cluster}/${COMMITMENTS_FILE}`
      : "GetSavingsPlansCoverage, GetReservationCoverage";
  for (const p of problems) out.reject({ location: commitmentsAt, ...p });
  const rows =
    (await out.append("aws_costs", costs.rows)) +
    (await out.append("aws_cost_forecast", costs.forecast)) +
    (await out.append("aws_commitments", commitmentRows));
  return {
    status: commitmentsError ? "partial" : "ok",
    origin,
    rows,
    ...(commitmentsError ? { error: commitmentsError } : {}),
    detail: {
      commitments: commitments ? commitmentRows.length : "none recorded",
      tag: costs.tag,
      tried: costs.tried,
      purchaseTypes: costs.purchaseTypes,
      paidRequests: costs.paidRequests,
      pages: costs.pages,
      fetched: costs.fetched,
    },
  };
}
