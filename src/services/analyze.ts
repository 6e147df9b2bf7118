/**
 * Analyze: the SQL models for one run (the latest unless named), then the data tests, then the
 * marts kept under the run's id with the record that it was analyzed (and old runs pruned) in
 * one transaction. A data test that returns rows means a number in the report would be wrong,
 * so it fails the command and keeps nothing: earlier runs' marts stay as they were.
 */
import type { Registry } from "../analyze/analyzer.js";
import { discardMarts, keepMarts } from "../analyze/history.js";
import { ANALYZERS } from "../analyze/registry.js";
import {
  discoverMacros,
  discoverModels,
  discoverTests,
  planModels,
  runDataTests,
  runModels,
} from "../analyze/runner.js";
import { modelVariables } from "../analyze/variables.js";
import type { Context } from "../core/context.js";
import { CapacityError } from "../core/errors.js";
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
  await runModels(store, plan, ctx.logger, discoverMacros());
  const failures = await runDataTests(store, tests).catch(async (error: unknown) => {
    await discardMarts(store, plan);
    throw error;
  });
  if (failures.length > 0) {
    await discardMarts(store, plan);
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
  await keepMarts(store, plan, {
    runId: run.run_id,
    analyzedAt: ctx.clock(),
    toolVersion: TOOL_VERSION,
    keepRuns: ctx.config.history.keepRuns,
  });
  ctx.logger.info("analyzed", {
    run: run.run_id,
    models: plan.length,
    tests: tests.length,
    ms: Math.round(performance.now() - started),
  });
  return run;
}
