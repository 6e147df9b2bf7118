/**
 * The CPU rate window of a live collection (`prometheus.rateWindow: auto`: 4 × the scrape interval
 * read from the data), and the fallback every query of the collector takes when it failed as a
 * source.
 */
import { SourceError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { PrometheusApi, Series } from "./client.js";
import type { LiveUsageOptions } from "./index.js";
import { rateWindowFor, samplesPerHourQuery } from "./queries.js";

const HOUR = 3600;

/** A fallback for a query that failed as a source (after its retries); anything else (a bug) is thrown on. */
export const sourceFailure =
  <T>(fallback: () => T) =>
  (error: unknown): T => {
    if (error instanceof SourceError) return fallback();
    throw error;
  };

/** When the scrape interval cannot be read: 4 × 30 s, the usual cAdvisor interval. */
const FALLBACK_RATE_WINDOW = "2m";

/**
 * The CPU rate window: the configured one, or with `auto` 4 × the scrape interval, read from the
 * data (the containers' median samples per hour, in the window's last hour).
 */
export async function resolveRateWindow(
  api: PrometheusApi,
  options: LiveUsageOptions,
  logger: Logger,
): Promise<{ rateWindow: string; scrapeIntervalSeconds: number | null }> {
  if (options.rateWindow !== "auto") return { rateWindow: options.rateWindow, scrapeIntervalSeconds: null };
  const [median] = await api
    .instant(samplesPerHourQuery(options.clusterLabel), options.window.end)
    .catch(sourceFailure(() => [] as Series[]));
  const samples = median?.values.at(-1)?.[1] ?? 0;
  if (!(samples >= 2)) {
    logger.warn("no CPU samples in the window's last hour to read the scrape interval from", {
      cluster: options.cluster,
      rateWindow: FALLBACK_RATE_WINDOW,
    });
    return { rateWindow: FALLBACK_RATE_WINDOW, scrapeIntervalSeconds: null };
  }
  const scrapeIntervalSeconds = Math.round(HOUR / samples);
  const rateWindow = rateWindowFor(scrapeIntervalSeconds);
  logger.info("CPU rates over 4 scrape intervals", {
    cluster: options.cluster,
    scrapeIntervalSeconds,
    rateWindow,
  });
  return { rateWindow, scrapeIntervalSeconds };
}
