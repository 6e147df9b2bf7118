/** Spot price history as a source (source.ts): the prices of the cluster's EC2 types in its zones over the window. */
import { clusterAwsSettings } from "../aws.js";
import type { RowProblem, Source } from "../source.js";
import { collectSpotFromBundle, collectSpotLive } from "./index.js";
import { SPOT_HISTORY_TABLES } from "./tables.js";

export const spotHistory: Source = {
  name: "spot-history",
  tables: SPOT_HISTORY_TABLES,
  needsRegion: true,

  async live(c) {
    const region = c.facts.region!;
    const { SpotHistory } = await import("./client.js");
    const problems: RowProblem[] = [];
    const { rows, requests } = await collectSpotLive(
      new SpotHistory(clusterAwsSettings(c, region), c.logger, c.signal),
      {
        cluster: c.cluster.name,
        region,
        instanceTypes: [...new Set(c.facts.instanceTypes)].sort(),
        zones: [...new Set(c.facts.zones)],
        window: c.window,
        recordDir: c.record,
      },
      problems,
    );
    for (const p of problems) c.out.reject({ location: "DescribeSpotPriceHistory", ...p });
    return {
      status: "ok",
      origin: "live",
      rows: await c.out.append("aws_spot_prices", rows),
      detail: { requests },
    };
  },

  async replay(bundle, c) {
    const problems: RowProblem[] = [];
    const rows = collectSpotFromBundle(bundle, c.cluster.name, c.facts.region!, c.window.end, problems);
    for (const p of problems)
      c.out.reject({ location: `aws/${c.cluster.name}/spot-price-history.json`, ...p });
    if (rows === undefined)
      return { status: "missing", origin: "bundle", rows: 0, error: "the bundle has no spot price history" };
    return { status: "ok", origin: "bundle", rows: await c.out.append("aws_spot_prices", rows) };
  },
};
