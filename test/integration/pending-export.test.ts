/**
 * The pending-pod history through a recorded bundle: the rows of a run written by the store's
 * export (what `collect --record` writes as prometheus/<cluster>/pending_pods_hourly.csv) and
 * read back by the replay's reader to the same rows.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPendingCsv } from "../../src/collect/prometheus/pending.js";
import { exportPending } from "../../src/store/queries.js";
import { Store } from "../../src/store/store.js";
import { testContext, writeScenario } from "../fixtures/scenario.js";

describe("the bundle's pending-pod CSV", () => {
  it("replays exactly the rows the store exported, whole hours and shares alike", async () => {
    const window = { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" };
    const rows = [
      ["2026-11-01T18:00:00.000Z", "ci", "runner-5d8f7c9b6d-x2x4q", 1],
      ["2026-11-01T19:00:00.000Z", "ci", "runner-5d8f7c9b6d-x2x4q", 0.25],
      ["2026-11-01T19:00:00.000Z", "ci", "runner-5d8f7c9b6d-z9z9z", 0.041666666666666664],
    ].map(([hour, namespace, pod, ratio]) => ({
      cluster: "test",
      hour: hour as string,
      namespace: namespace as string,
      pod: pod as string,
      workload_kind: "Deployment",
      workload_name: "runner",
      pending_ratio: ratio as number,
    }));
    const store = await Store.open(":memory:", testContext().logger);
    try {
      await writeScenario(store, window, { prom_pending_pods_hourly: rows });
      const file = join(mkdtempSync(join(tmpdir(), "capacity-pending-")), "pending_pods_hourly.csv");
      await exportPending(store, "run-test", "test", file);
      const back = readPendingCsv(
        readFileSync(file, "utf8"),
        "test",
        {
          start: new Date(window.start),
          end: new Date(window.end),
        },
        file,
      );
      expect(back).toEqual({ rows, problems: [] });
    } finally {
      store.close();
    }
  });
});
