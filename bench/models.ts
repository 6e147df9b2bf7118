/**
 * Child process of the models benchmark: a DuckDB file holding PODS containers (default 10,000:
 * 2,000 workloads × 5 pods, one container each) on PODS ÷ 10 m5.xlarge nodes with 14 days of
 * hourly usage (3.36 million rows at 10,000) and PODS ÷ 10 gp3 PVCs, generated in SQL
 * (synthetic-store.ts); then `analyze` runs every cost, label roll-up and right-sizing model and
 * the data tests on it, under the default databaseMemoryLimit, timed. Each model's time and the
 * process's peak RSS while it was built (sampled every 20 ms) come from the runner's "model
 * built" log lines. Prints its figures as one JSON line.
 *   tsx bench/models.ts [simple|vpa] [PODS]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validate } from "../src/config/load.js";
import { createLogger } from "../src/core/logger.js";
import { analyze } from "../src/services/analyze.js";
import { Store } from "../src/store/store.js";
import { fillSyntheticStore } from "./synthetic-store.js";

const strategy = process.argv[2] ?? "simple";
const pods = Number(process.argv[3] ?? 10_000);
const config = validate(
  {
    clusters: [{ name: "bench", region: "us-east-1" }],
    allocation: { labelKeys: ["team"] },
    analyzers: { rightsizing: { strategy } },
  },
  "bench",
);

// Peak RSS since the last model was built, sampled while DuckDB works on its own threads.
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20);
const models: Array<{ model: string; ms: number; peakRssMb: number }> = [];
const logger = createLogger({
  format: "json",
  level: "debug",
  write: (line) => {
    const l = JSON.parse(line) as Record<string, unknown>;
    if (l.msg !== "model built") return;
    peak = Math.max(peak, process.memoryUsage.rss());
    models.push({ model: String(l.model), ms: Number(l.ms), peakRssMb: Math.round(peak / 2 ** 20) });
    peak = 0;
  },
});

const store = await Store.open(join(mkdtempSync(join(tmpdir(), "capacity-bench-")), "m.duckdb"), logger, {
  memoryLimit: config.databaseMemoryLimit,
});
const window = await fillSyntheticStore(store, { pods, hours: 336, nodeUsdPerHour: 0.192 });
const rows = Number((await store.one<{ n: bigint }>("SELECT count(*) AS n FROM prom_usage_hourly"))?.n ?? 0);
const cpuBefore = process.cpuUsage();
peak = 0;
const started = process.hrtime.bigint();
await analyze(
  { config, logger, clock: () => window.end, runId: "bench", signal: new AbortController().signal },
  store,
  "bench",
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
const containers = Number(
  (await store.one<{ n: bigint }>("SELECT count(*) AS n FROM mart_rightsizing"))?.n ?? 0,
);
store.close();
const slowest = [...models]
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 10)
  .map((m) => `${m.model} ${m.ms} ms (${m.peakRssMb} MB)`)
  .join(", ");
process.stdout.write(
  `${JSON.stringify({
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rows,
    containers,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    slowest,
    models,
  })}\n`,
);
