/**
 * Every source's row types against the store's schema: each table a source writes has exactly
 * the columns its tables.ts lists (and so its row type's keys: the list is checked against the
 * type when compiling), in the migration's order, run_id aside.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SOURCES } from "../../../src/collect/registry.js";
import { memoryLogger } from "../../../src/core/logger.js";
import { Store } from "../../../src/store/store.js";

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-tables-"));
  store = await Store.open(join(dir, "t.duckdb"), memoryLogger());
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("source tables against queries/migrations/", () => {
  for (const source of SOURCES) {
    for (const [table, columns] of Object.entries(source.tables)) {
      it(`${source.name}: ${table} has exactly the columns of its row type`, async () => {
        const stored = (await store.columns(table)).map((c) => c.name).filter((c) => c !== "run_id");
        expect(stored).toEqual([...columns]);
      });
    }
  }

  it("every raw table of the store belongs to exactly one source", async () => {
    const owned = SOURCES.flatMap((s) => Object.keys(s.tables));
    const raw = await store.all<{ table_name: string }>(
      "select table_name from information_schema.tables where table_name similar to '(k8s|prom|aws|eks)_.*' order by all",
    );
    expect([...owned].sort()).toEqual(raw.map((r) => r.table_name));
  });
});
