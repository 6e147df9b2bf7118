/**
 * Money tests that hold on a cluster of more than $1M in its window. Costs are DOUBLE sums of
 * many pod-hours and DuckDB adds them in parallel, so a total's last digits depend on the order
 * of the additions; the data tests compare money within a tolerance relative to the figure
 * (queries/macros/money.sql), and a bill of any size passes them every time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillSyntheticStore } from "../../bench/synthetic-store.js";
import { validate } from "../../src/config/load.js";
import { memoryLogger } from "../../src/core/logger.js";
import { analyze } from "../../src/services/analyze.js";
import { Store } from "../../src/store/store.js";

let dir: string;
let store: Store;
let window: { start: Date; end: Date };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-money-"));
  store = await Store.open(join(dir, "m.duckdb"), memoryLogger());
  // 1,500 pods on 150 nodes at $36 an hour for 14 days (a third of them spot, priced from the
  // history): about $1.3M.
  window = await fillSyntheticStore(store, { pods: 1500, hours: 336, nodeUsdPerHour: 36 });
}, 600_000);

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("money on a window of more than $1M", () => {
  it("passes every data test, run after run, with money compared to a tolerance relative to the total", async () => {
    const ctx = {
      config: validate({ clusters: [{ name: "bench", region: "us-east-1" }] }, "test"),
      logger: memoryLogger(),
      clock: () => window.end,
      runId: "bench",
      signal: new AbortController().signal,
    };
    for (let i = 0; i < 2; i++) await analyze(ctx, store, "bench"); // throws if a data test fails
    const total = await store.one<{ usd: number; tolerance: number }>(
      "SELECT sum(cost_usd) AS usd, usd_tolerance(sum(cost_usd)) AS tolerance FROM mart_cost_allocation",
    );
    expect(total!.usd).toBeGreaterThan(1_000_000);
    // Wider than the old absolute tolerance (1e-6 USD, which sums in another order broke by 2e-6
    // on a window like this), and still under a cent per million dollars.
    expect(total!.tolerance).toBeGreaterThan(1e-6);
    expect(total!.tolerance).toBeLessThan(0.011 * (total!.usd / 1e6));
  }, 300_000);

  it("gives every workload's cost the same to the last bit on every analysis (exact sums)", async () => {
    const ctx = {
      config: validate({ clusters: [{ name: "bench", region: "us-east-1" }] }, "test"),
      logger: memoryLogger(),
      clock: () => window.end,
      runId: "bench",
      signal: new AbortController().signal,
    };
    const figures = async () => {
      await analyze(ctx, store, "bench");
      return store.all<{ workload: string; usd: number; memory: number; idle: number }>(
        `SELECT namespace || '/' || workload_name AS workload, cost_usd AS usd, memory_cost_usd AS memory,
           cost_with_idle_usd AS idle
         FROM mart_cost_allocation ORDER BY workload`,
      );
    };
    const first = await figures();
    const second = await figures();
    expect(first.length).toBeGreaterThan(100);
    // Float sums added by two threads in another order differ in the last bits; DECIMAL sums do not.
    expect(second).toStrictEqual(first);
  }, 300_000);
});
