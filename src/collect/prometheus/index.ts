/** The Prometheus usage collector: hourly usage from a bundle (the live query path has its own issue). */
import { type Bundle, readBundleFile } from "../bundle.js";
import { parseUsageCsv } from "./map.js";

export function collectUsageFromBundle(
  bundle: Bundle,
  cluster: string,
): Array<Record<string, unknown>> | undefined {
  const file = `prometheus/${cluster}/usage_hourly.csv.gz`;
  const text = readBundleFile(bundle, file) ?? readBundleFile(bundle, file.replace(/\.gz$/, ""));
  return text === undefined ? undefined : parseUsageCsv(text, cluster, file);
}
