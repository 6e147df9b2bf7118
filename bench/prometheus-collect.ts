/**
 * Child process of the Prometheus benchmark: collects the window from PROM_URL with the real
 * collector and loads every row into a fresh DuckDB file in one transaction, then prints its
 * figures as one JSON line.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrometheusApi } from "../src/collect/prometheus/client.js";
import { collectUsageLive } from "../src/collect/prometheus/index.js";
import { memoryLogger } from "../src/core/logger.js";
import { loadUsageSpool } from "../src/store/queries.js";
import { writeRun } from "../src/store/runs.js";
import { Store } from "../src/store/store.js";

const [url, startIso, endIso] = process.argv.slice(2) as [string, string, string];
const logger = memoryLogger();
const store = await Store.open(join(mkdtempSync(join(tmpdir(), "capacity-bench-prom-")), "c.duckdb"), logger);
const api = new PrometheusApi({ url, timeoutSeconds: 120, retries: 2 }, logger);
const started = process.hrtime.bigint();
let collected: Awaited<ReturnType<typeof collectUsageLive>> | undefined;
const window = { start: new Date(startIso), end: new Date(endIso) };
await writeRun(
  store,
  {
    runId: "bench",
    command: "bench",
    startedAt: new Date(),
    windowStart: window.start,
    windowEnd: window.end,
    clusters: [],
    toolVersion: "bench",
  },
  async (w) => {
    collected = await collectUsageLive(
      api,
      {
        cluster: "bench",
        window,
        clusterLabel: { name: "cluster", value: "bench" },
        concurrency: 4,
        podBatchSize: 250,
        rateWindow: "1h",
        recordingRules: "auto",
        load: (files) =>
          w.insert("prom_usage_hourly", (s) =>
            loadUsageSpool(s, { runId: "bench", cluster: "bench", ...files }),
          ),
      },
      logger,
    );
  },
  () => new Date(),
);
store.close();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const figures = JSON.stringify({
  seconds,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  // Our own CPU (every thread: JavaScript, zlib, DuckDB's loads), user + system.
  cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  rows: collected?.rows,
  gaps: collected?.gaps.length,
  scopes: collected?.scopes,
  namespaceDays: (collected?.namespaces ?? 0) * (collected?.days ?? 0),
  recordedDays: collected?.recordedDays,
  hourlyPodDays: collected?.hourlyPodDays,
  ...api.stats,
});
// Also kept in a file, for a reader other than the parent process.
writeFileSync(join(tmpdir(), "capacity-bench-prometheus.json"), `${figures}\n`);
process.stdout.write(`${figures}\n`);
