/**
 * Analyze: the SQL models for one run (the latest unless named), then the data tests. A data
 * test that returns rows means a number in the report would be wrong, so it fails the command.
 */
import {
  discoverMacros,
  discoverModels,
  discoverTests,
  planModels,
  runDataTests,
  runModels,
} from "../analyze/runner.js";
import type { Config } from "../config/schema.js";
import type { Context } from "../core/context.js";
import { CapacityError, UsageError } from "../core/errors.js";
import { loadReference } from "../store/reference.js";
import { latestRun, type StoredRun } from "../store/runs.js";
import type { Store } from "../store/store.js";

export class DataTestError extends CapacityError {}

/** The right-sizing settings as the `rs_*` variables queries/intermediate/rightsizing reads. */
export function rightsizingVariables(
  rs: Config["analyzers"]["rightsizing"],
): Record<string, string | number> {
  return {
    rs_strategy: rs.strategy,
    rs_cpu_percentile: rs.cpuPercentile,
    rs_memory_margin: rs.memoryMargin,
    rs_min_cpu_cores: rs.minCpuCores,
    rs_min_memory_bytes: rs.minMemoryBytes,
    rs_oom_bump_bytes: rs.oomBumpBytes,
    rs_oom_bump_ratio: rs.oomBumpRatio,
    rs_min_hours: rs.minHours,
    rs_min_points: rs.minPoints,
    rs_throttling_threshold: rs.throttlingThreshold,
    rs_no_change_tolerance: rs.noChangeTolerance,
    rs_target_utilization: rs.targetUtilization,
    rs_vpa_half_life_hours: rs.vpa.halfLifeHours,
    rs_vpa_cpu_percentile: rs.vpa.cpuPercentile,
    rs_vpa_memory_percentile: rs.vpa.memoryPercentile,
    rs_vpa_margin: rs.vpa.margin,
    rs_vpa_memory_windows: rs.vpa.memoryWindows,
    rs_vpa_pod_min_cpu_cores: rs.vpa.podMinCpuCores,
    rs_vpa_pod_min_memory_bytes: rs.vpa.podMinMemoryBytes,
    rs_vpa_bucket_growth: rs.vpa.bucketGrowth,
    rs_vpa_cpu_first_bucket: rs.vpa.cpuFirstBucketCores,
    rs_vpa_memory_first_bucket: rs.vpa.memoryFirstBucketBytes,
  };
}

export async function analyze(ctx: Context, store: Store, runId?: string): Promise<StoredRun> {
  const run = runId
    ? await store.one<StoredRun>(
        "SELECT run_id, status, started_at, window_start, window_end, clusters FROM runs WHERE run_id = $1",
        [runId],
      )
    : await latestRun(store);
  if (!run) {
    throw new UsageError(
      `the database ${store.path} holds no${runId ? ` run ${runId}` : " run yet"}`,
      "run `capacity collect` first",
    );
  }
  const macros = discoverMacros();
  const plan = planModels(discoverModels());
  const tests = discoverTests();
  await loadReference(store);
  await store.setVariables({
    run_id: run.run_id,
    window_start: run.window_start.toISOString(),
    window_end: run.window_end.toISOString(),
    split_method: ctx.config.allocation.splitMethod,
    label_keys: JSON.stringify(ctx.config.allocation.labelKeys),
    scale_to_bill: ctx.config.allocation.scaleToBill,
    idle_threshold: ctx.config.analyzers.idle.nodeUtilizationThreshold,
    ...rightsizingVariables(ctx.config.analyzers.rightsizing),
  });
  const started = Date.now();
  await runModels(store, plan, ctx.logger, macros);
  const failures = await runDataTests(store, tests);
  ctx.logger.info("analyzed", {
    run: run.run_id,
    models: plan.length,
    tests: tests.length,
    ms: Date.now() - started,
  });
  if (failures.length > 0) {
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
  return run;
}
