/**
 * Profiles the models on a copy of a collected store (for example one `collect --from` filled
 * from `bench/synthetic-bundle.ts`): each model built in plan order under the default
 * databaseMemoryLimit, with its wall time, the CPU seconds of all threads while it was built
 * and the peak RSS sampled meanwhile (one line a model, then the totals). With `--explain
 * MODEL`, that model's query is run once more under EXPLAIN ANALYZE and its plan printed.
 * With `--count MODEL…`, each of those models (a view is computed afresh) is counted, timed.
 *   tsx bench/profile-models.ts FILE.duckdb [--explain MODEL | --count MODEL…]
 */
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ANALYZERS } from "../src/analyze/registry.js";
import {
  creationKinds,
  discoverMacros,
  discoverModels,
  planModels,
  runMacros,
} from "../src/analyze/runner.js";
import { modelVariables } from "../src/analyze/variables.js";
import { validate } from "../src/config/load.js";
import { memoryLogger } from "../src/core/logger.js";
import { projectPath } from "../src/core/paths.js";
import { findRun } from "../src/services/runs.js";
import { loadReference } from "../src/store/reference.js";
import { Store } from "../src/store/store.js";

const [source, flag, target] = process.argv.slice(2);
const file = join(mkdtempSync(join(tmpdir(), "capacity-profile-")), "p.duckdb");
copyFileSync(source!, file);
const config = validate({ clusters: [{ name: "bench", region: "us-east-1" }] }, "bench");
const store = await Store.open(file, memoryLogger(), { memoryLimit: config.databaseMemoryLimit });
const run = await findRun(store);
const roots = ANALYZERS.flatMap((a) => (a.queries ? [a.queries] : []));
const plan = planModels(discoverModels(projectPath("queries"), ...roots));
await loadReference(store);
await store.setVariables(modelVariables(config, run));
await runMacros(store, discoverMacros());
await store.run("SET preserve_insertion_order = false");
const kinds = creationKinds(plan);

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const rows: Array<{ model: string; seconds: number; cpuSeconds: number; peakMb: number }> = [];
const allCpu = cpu();
for (const model of plan) {
  peak = process.memoryUsage.rss();
  const c = cpu();
  const t = performance.now();
  await store.run(`CREATE OR REPLACE ${kinds.get(model.name)} ${model.name} AS\n${model.sql}`);
  rows.push({
    model: model.name,
    seconds: (performance.now() - t) / 1000,
    cpuSeconds: cpu() - c,
    peakMb: Math.max(peak, process.memoryUsage.rss()) / 2 ** 20,
  });
}
clearInterval(sampler);
for (const r of [...rows].sort((a, b) => b.cpuSeconds - a.cpuSeconds).filter((r) => r.cpuSeconds >= 0.05))
  process.stdout.write(
    `${r.model.padEnd(40)} ${r.seconds.toFixed(2).padStart(7)} s ${r.cpuSeconds.toFixed(2).padStart(7)} CPU-s ${r.peakMb.toFixed(0).padStart(6)} MB\n`,
  );
process.stdout.write(
  `all models: ${(cpu() - allCpu).toFixed(1)} CPU-s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
);
// What DuckDB's buffer pool holds once every model is built (the temp tables among it).
for (const m of await store.all<{ tag: string; memory_usage_bytes: bigint; temporary_storage_bytes: bigint }>(
  "SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory() WHERE memory_usage_bytes + temporary_storage_bytes > 0",
))
  process.stdout.write(
    `duckdb memory ${m.tag}: ${(Number(m.memory_usage_bytes) / 2 ** 20).toFixed(0)} MB in memory, ${(Number(m.temporary_storage_bytes) / 2 ** 20).toFixed(0)} MB spilled\n`,
  );
for (const t of await store.all<{ table_name: string; estimated_size: bigint; column_count: bigint }>(
  "SELECT table_name, estimated_size, column_count FROM duckdb_tables() WHERE temporary AND estimated_size > 100000 ORDER BY estimated_size DESC",
))
  process.stdout.write(`temp table ${t.table_name}: ${t.estimated_size} rows, ${t.column_count} columns\n`);
if (flag === "--count") {
  for (const name of process.argv.slice(4)) {
    const c = cpu();
    // Every column read, so that a view is computed whole (count(*) alone prunes it).
    await store.run(`SELECT count(DISTINCT COLUMNS(*)) FROM ${name}`);
    process.stdout.write(`count(*) of ${name}: ${(cpu() - c).toFixed(2)} CPU-s\n`);
  }
}
if (flag === "--explain" && target) {
  const model = plan.find((m) => m.name === target);
  if (!model) throw new Error(`no model ${target}`);
  const out = await store.all<{ explain_value: string }>(`EXPLAIN ANALYZE ${model.sql}`);
  for (const r of out) process.stdout.write(`${r.explain_value}\n`);
}
store.close();
