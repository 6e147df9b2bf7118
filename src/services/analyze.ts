/**
 * Analyze: the SQL models for one run (the latest unless named), then the analyzers' compute
 * steps (TypeScript over the models: the right-sizing re-pack), then the data tests, then the
 * marts kept under the run's id with the record that it was analyzed (and old runs pruned) in
 * one transaction. A data test that returns rows means a number in the report would be wrong,
 * so it fails the command and keeps nothing: earlier runs' marts stay as they were.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Registry } from "../analyze/analyzer.js";
import { discardMarts, keepMarts } from "../analyze/history.js";
import { tableReader } from "../analyze/marts.js";
import { ANALYZERS } from "../analyze/registry.js";
import {
  discoverMacros,
  discoverModels,
  discoverTests,
  planModels,
  runDataTests,
  runModels,
  startStep,
} from "../analyze/runner.js";
import { modelVariables } from "../analyze/variables.js";
import type { Context } from "../core/context.js";
import { CapacityError, QueryError } from "../core/errors.js";
import { projectPath } from "../core/paths.js";
import { loadReference } from "../store/reference.js";
import type { StoredRun } from "../store/runs.js";
import type { Store } from "../store/store.js";
import { findRun } from "./runs.js";
import { TOOL_VERSION } from "./version.js";

export class DataTestError extends CapacityError {}

export async function analyze(
  ctx: Context,
  store: Store,
  runId?: string,
  analyzers: Registry = ANALYZERS,
): Promise<StoredRun> {
  const run = await findRun(store, runId);
  const extraRoots = analyzers.flatMap((a) => (a.queries ? [a.queries] : []));
  const plan = planModels(discoverModels(projectPath("queries"), ...extraRoots));
  const tests = discoverTests();
  await loadReference(store);
  await store.setVariables(modelVariables(ctx.config, run));
  const started = performance.now();
  await runModels(store, plan, ctx.logger, discoverMacros(), ctx.progress);
  const computed = analyzers.flatMap((a) => a.compute?.marts ?? []);
  const failures = await runCompute(ctx, store, run, analyzers)
    .then(async () => {
      const step = startStep();
      const found = await runDataTests(store, tests);
      ctx.logger.debug("data tests run", { tests: tests.length, ...step() });
      return found;
    })
    .catch(async (error: unknown) => {
      await discardMarts(store, plan, computed);
      throw error;
    });
  if (failures.length > 0) {
    await discardMarts(store, plan, computed);
    throw new DataTestError(
      `data tests failed for run ${run.run_id}:\n${failures
        .map(
          (f) =>
            `  - ${f.test} (${f.file}): ${f.rows} rows, e.g. ${JSON.stringify(f.sample[0], (_, v) => (typeof v === "bigint" ? v.toString() : v))}`,
        )
        .join("\n")}`,
      {
        hint: "this is a bug in capacity's models or an input they do not handle; please report it with the bundle",
      },
    );
  }
  const keeping = startStep();
  await keepMarts(
    store,
    plan,
    {
      runId: run.run_id,
      analyzedAt: ctx.clock(),
      toolVersion: TOOL_VERSION,
      keepRuns: ctx.config.history.keepRuns,
    },
    computed,
  );
  ctx.logger.debug("marts kept", keeping());
  ctx.logger.info("analyzed", {
    run: run.run_id,
    models: plan.length,
    tests: tests.length,
    ms: Math.round(performance.now() - started),
  });
  return run;
}

/**
 * Each analyzer's compute step: its marts created from `computed/<mart>.sql` (under its own
 * `queries` directory, or the project's), then the
 * rows it returns inserted with bound values (column names from the catalog).
 */
async function runCompute(ctx: Context, store: Store, run: StoredRun, analyzers: Registry): Promise<void> {
  const tables = tableReader(store);
  for (const analyzer of analyzers) {
    if (!analyzer.compute) continue;
    const step = startStep();
    const ddl = (mart: string) => join(analyzer.queries ?? projectPath("queries"), "computed", `${mart}.sql`);
    for (const mart of analyzer.compute.marts) {
      const file = ddl(mart);
      if (!/^mart_[a-z0-9_]+$/.test(mart))
        throw new QueryError(mart, file, "a computed mart is named mart_[a-z0-9_]+");
      await store.run(`DROP TABLE IF EXISTS temp.main.${mart}`);
      await store.run(readFileSync(file, "utf8"));
    }
    const raw = (ctx.config.analyzers as Record<string, unknown>)[analyzer.name] ?? {};
    const settings = analyzer.settings?.parse(raw);
    const rows = await analyzer.compute.run({ tables, run, settings: settings as never });
    for (const mart of analyzer.compute.marts) {
      const columns = (
        await store.all<{ name: string }>(
          "SELECT column_name AS name FROM information_schema.columns WHERE table_catalog = 'temp' AND table_schema = 'main' AND table_name = $1 ORDER BY ordinal_position",
          [mart],
        )
      ).map((c) => c.name);
      const insert = `INSERT INTO temp.main.${mart} (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`;
      for (const row of rows[mart] ?? []) {
        const unknown = Object.keys(row).find((k) => !columns.includes(k));
        if (unknown) throw new QueryError(mart, ddl(mart), `its table has no column ${unknown}`);
        await store.run(
          insert,
          columns.map((c) => (row[c] ?? null) as never),
        );
      }
    }
    ctx.logger.debug("analyzer computed", { analyzer: analyzer.name, ...step() });
  }
}
