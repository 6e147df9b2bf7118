/** Finding the run a command works on: the one named, else the latest. */
import { UsageError } from "../core/errors.js";
import { latestRun, type StoredRun } from "../store/runs.js";
import type { Store } from "../store/store.js";

export async function findRun(store: Store, runId?: string): Promise<StoredRun> {
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
  return run;
}

/** The run to report on: it must have been analyzed, since the report reads marts only. */
export async function findAnalyzedRun(store: Store, runId?: string): Promise<StoredRun> {
  const run = await findRun(store, runId);
  const analyzed = await store.one("SELECT 1 AS analyzed FROM analyses WHERE run_id = $1", [run.run_id]);
  if (!analyzed) {
    throw new UsageError(
      `run ${run.run_id}${runId ? "" : " (the latest)"} was collected but not analyzed: the report reads the analyzed marts only`,
      `run \`capacity analyze --run ${run.run_id}\` first, then \`capacity report\` again`,
    );
  }
  return run;
}
