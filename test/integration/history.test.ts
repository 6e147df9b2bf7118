/**
 * History: every analyzed run's marts are kept under its run id; analysing a run again replaces
 * its rows only; runs beyond history.keepRuns are pruned (raw rows, sources, marts) with the
 * analysis; a failed analysis keeps nothing and leaves every earlier run as it was; the report
 * reads the kept marts only.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineAnalyzer } from "../../src/analyze/analyzer.js";
import { ANALYZERS } from "../../src/analyze/registry.js";
import { QueryError, UsageError } from "../../src/core/errors.js";
import { analyze } from "../../src/services/analyze.js";
import { report } from "../../src/services/report.js";
import { findAnalyzedRun } from "../../src/services/runs.js";
import { Store } from "../../src/store/store.js";
import { container, GIB, node, pod, price, testContext, writeScenario } from "../fixtures/scenario.js";

const day = (d: number) => ({
  start: `2026-11-0${d}T00:00:00Z`,
  end: `2026-11-0${d}T04:00:00Z`,
});

async function run(store: Store, runId: string, d: number): Promise<void> {
  await writeScenario(
    store,
    day(d),
    {
      k8s_nodes: [node("ip-a.ec2.internal", "m5.xlarge", { created_at: `2026-11-0${d}T00:00:00Z` })],
      k8s_pods: [pod("team-a", "api-1", "ip-a.ec2.internal", { created_at: `2026-11-0${d}T00:00:00Z` })],
      k8s_containers: [container("team-a", "api-1", 1, 4n * GIB)],
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", String(d))],
    },
    runId,
  );
}

const runIds = async (store: Store, table: string) =>
  (await store.all<{ run_id: string }>(`SELECT DISTINCT run_id FROM ${table} ORDER BY 1`)).map(
    (r) => r.run_id,
  );

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-history-"));
  store = await Store.open(join(dir, "c.duckdb"), testContext().logger);
});
afterEach(() => store.close());

describe("history", () => {
  it("keeps each run's marts under its run id; analysing a run again replaces its rows only", async () => {
    await run(store, "r1", 1);
    await run(store, "r2", 2);
    await analyze(testContext(), store, "r1");
    await analyze(testContext(), store, "r2");
    await analyze(testContext(), store, "r1");
    const totals = await store.all<{ run_id: string; total_usd: number }>(
      "SELECT run_id, total_usd FROM mart_cost_summary ORDER BY run_id",
    );
    // The node at $1 and $2 an hour, for 4 hours (no EKS fee priced in this scenario).
    expect(totals.map((t) => [t.run_id, Number(t.total_usd.toFixed(6))])).toEqual([
      ["r1", 4],
      ["r2", 8],
    ]);
    expect(await runIds(store, "analyses")).toEqual(["r1", "r2"]);
  });

  it("prunes the runs beyond history.keepRuns (raw rows, sources, marts, analyses) when a run is analyzed", async () => {
    const ctx = testContext({ history: { keepRuns: 2 } });
    for (const [i, id] of ["r1", "r2", "r3"].entries()) {
      await run(store, id, i + 1);
      await analyze(ctx, store, id);
    }
    for (const table of ["runs", "run_sources", "k8s_nodes", "aws_prices", "mart_cost_summary", "analyses"]) {
      expect(await runIds(store, table), table).toEqual(["r2", "r3"]);
    }
  });

  it("never prunes the run being analyzed, even when it is older than the runs kept", async () => {
    const ctx = testContext({ history: { keepRuns: 1 } });
    await run(store, "r1", 1);
    await run(store, "r2", 2);
    await analyze(ctx, store, "r1");
    expect(await runIds(store, "runs")).toEqual(["r1"]);
  });

  it("leaves every earlier run's marts as they were when an analysis fails", async () => {
    await run(store, "r1", 1);
    await analyze(testContext(), store, "r1");
    const before = await store.all("SELECT * FROM mart_cost_allocation ORDER BY ALL");
    await run(store, "r2", 2);
    const queries = mkdtempSync(join(tmpdir(), "capacity-broken-"));
    mkdirSync(join(queries, "marts"));
    writeFileSync(join(queries, "marts", "mart_broken.sql"), "select no_such_column from mart_cost_summary");
    const broken = defineAnalyzer({
      name: "broken",
      settings: undefined,
      queries,
      section: async () => ({ view: {}, recommendations: {}, caveats: [] }),
    });
    await expect(analyze(testContext(), store, "r2", [...ANALYZERS, broken])).rejects.toThrow(QueryError);
    expect(await store.all("SELECT * FROM mart_cost_allocation ORDER BY ALL")).toEqual(before);
    expect(await runIds(store, "analyses")).toEqual(["r1"]);
    await expect(findAnalyzedRun(store)).rejects.toThrow(UsageError);
  });

  it("keeps the marts an analyzer's compute step writes per run, read from the run's models, before the data tests", async () => {
    const queries = mkdtempSync(join(tmpdir(), "capacity-compute-"));
    mkdirSync(join(queries, "computed"));
    writeFileSync(
      join(queries, "computed", "mart_pod_tally.sql"),
      "CREATE TEMP TABLE mart_pod_tally (cluster VARCHAR NOT NULL, pods INTEGER NOT NULL, note VARCHAR)",
    );
    const tally = defineAnalyzer({
      name: "tally",
      settings: undefined,
      queries,
      compute: {
        marts: ["mart_pod_tally"],
        run: async ({ tables }) => {
          const pods = await tables.read("stg_kubernetes__pods", { cluster: "string", pod_name: "string" });
          return {
            mart_pod_tally: [{ cluster: pods[0]!.cluster, pods: pods.length, note: "it's $1; DROP" }],
          };
        },
      },
      section: async () => ({ view: {}, recommendations: {}, caveats: [] }),
    });
    await run(store, "r1", 1);
    await analyze(testContext(), store, "r1", [...ANALYZERS, tally]);
    await run(store, "r2", 2);
    await analyze(testContext(), store, "r2", [...ANALYZERS, tally]);
    expect(await store.all("SELECT run_id, cluster, pods, note FROM mart_pod_tally ORDER BY run_id")).toEqual(
      [
        { run_id: "r1", cluster: "test", pods: 1, note: "it's $1; DROP" },
        { run_id: "r2", cluster: "test", pods: 1, note: "it's $1; DROP" },
      ],
    );
    // The product's own compute step: the right-sizing re-pack, kept per run too.
    expect(await runIds(store, "mart_rightsizing_pools")).toEqual(["r1", "r2"]);
  });

  it("keeps nothing of a run whose compute step returns a column its table does not have", async () => {
    const queries = mkdtempSync(join(tmpdir(), "capacity-compute-"));
    mkdirSync(join(queries, "computed"));
    writeFileSync(
      join(queries, "computed", "mart_pod_tally.sql"),
      "CREATE TEMP TABLE mart_pod_tally (pods INTEGER)",
    );
    const wrong = defineAnalyzer({
      name: "wrong",
      settings: undefined,
      queries,
      compute: { marts: ["mart_pod_tally"], run: async () => ({ mart_pod_tally: [{ pods: 1, podz: 2 }] }) },
      section: async () => ({ view: {}, recommendations: {}, caveats: [] }),
    });
    await run(store, "r1", 1);
    await expect(analyze(testContext(), store, "r1", [...ANALYZERS, wrong])).rejects.toThrow(
      /has no column podz/,
    );
    expect(await runIds(store, "analyses")).toEqual([]);
    expect(
      await store.all(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'temp' AND table_name LIKE 'mart_%'",
      ),
    ).toEqual([]);
  });

  it("adds a column a newer version introduced; earlier runs read NULL there", async () => {
    await run(store, "r1", 1);
    await analyze(testContext(), store, "r1");
    // As if r1 had been analyzed by a version whose mart had no idle_share.
    await store.run("ALTER TABLE mart_cost_summary DROP COLUMN idle_share");
    await run(store, "r2", 2);
    await analyze(testContext(), store, "r2");
    const rows = await store.all<{ run_id: string; idle_share: number | null }>(
      "SELECT run_id, idle_share FROM mart_cost_summary ORDER BY run_id",
    );
    expect(rows[0]).toEqual({ run_id: "r1", idle_share: null });
    expect(rows[1]?.idle_share).toBeGreaterThan(0);
  });

  it("reports an analyzed run from the kept marts alone, in a later process", async () => {
    await run(store, "r1", 1);
    await analyze(testContext(), store, "r1");
    await run(store, "r2", 2);
    store.close();
    store = await Store.open(join(dir, "c.duckdb"), testContext().logger);
    // Nothing but the file: no staging view, no temp table of the analysis.
    const models = await store.all(
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'stg\\_%' ESCAPE '\\' OR table_name LIKE 'int\\_%' ESCAPE '\\'",
    );
    expect(models).toEqual([]);
    await expect(findAnalyzedRun(store)).rejects.toThrow(
      /run r2 \(the latest\) was collected but not analyzed/,
    );
    const out = join(dir, "out");
    const { model } = await report(testContext(), store, await findAnalyzedRun(store, "r1"), out, ["json"]);
    expect(model.runId).toBe("r1");
    expect(model.totals.monthlyCostUsd).toBeCloseTo((4 * 730) / 4, 6);
  });
});
