import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MartError, martReader } from "../../src/analyze/marts.js";
import { memoryLogger } from "../../src/core/logger.js";
import { Store } from "../../src/store/store.js";

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", memoryLogger());
  await store.run(`CREATE TABLE mart_x AS SELECT * FROM (VALUES
    ('r1', 'a', 2::BIGINT, 1.5::DOUBLE, DATE '2026-11-02', true, NULL::DOUBLE),
    ('r1', 'b', 3::BIGINT, NULL::DOUBLE, DATE '2026-11-03', false, 0.5::DOUBLE),
    ('r0', 'old', 9::BIGINT, 9::DOUBLE, DATE '2026-10-01', true, 9::DOUBLE)
  ) AS t(run_id, name, pods, cost_usd, day, flag, share)`);
});
afterEach(() => store.close());

describe("typed mart readers", () => {
  it("read the run's rows with camelCase keys and the declared kinds", async () => {
    const rows = await martReader(store, "r1").read(
      "mart_x",
      { name: "string", pods: "number", day: "date", flag: "boolean", share: "number?" },
      [{ column: "pods", desc: true }],
    );
    expect(rows).toEqual([
      { name: "b", pods: 3, day: "2026-11-03", flag: false, share: 0.5 },
      { name: "a", pods: 2, day: "2026-11-02", flag: true, share: null },
    ]);
  });

  it("name the mart and the column that is not there, instead of reading zero", async () => {
    const read = martReader(store, "r1").read("mart_x", { name: "string", cpu_cost_usd: "number" });
    await expect(read).rejects.toThrow(MartError);
    await expect(read).rejects.toThrow("mart_x has no column cpu_cost_usd");
    await expect(martReader(store, "r1").read("mart_gone", { name: "string" })).rejects.toThrow(
      "the database has no mart mart_gone",
    );
  });

  it("name the mart, column and row of a NULL where a value is needed", async () => {
    await expect(
      martReader(store, "r1").read("mart_x", { name: "string", cost_usd: "number" }, ["name"]),
    ).rejects.toThrow("mart_x.cost_usd in row 2 (name=b) is NULL");
  });

  it("refuse a value of another kind than declared", async () => {
    await expect(martReader(store, "r1").read("mart_x", { name: "number" })).rejects.toThrow(
      /mart_x\.name in row \d \(name=\w\) is \w, not a number/,
    );
  });

  it("run a report query with the run's id bound, and check its columns", async () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-report-queries-"));
    writeFileSync(join(dir, "names.sql"), "select name from mart_x where run_id = $run_id order by name;\n");
    const reader = martReader(store, "r1", dir);
    expect(await reader.query("names", { name: "string" })).toEqual([{ name: "a" }, { name: "b" }]);
    await expect(reader.query("names", { pods: "number" })).rejects.toThrow(
      "queries/report/names.sql has no column pods",
    );
  });
});
