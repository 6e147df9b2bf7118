import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { keepMarts } from "../../src/analyze/history.js";
import {
  creationKinds,
  discoverMacros,
  discoverModels,
  discoverTests,
  planModels,
  runDataTests,
  runModels,
} from "../../src/analyze/runner.js";
import { QueryError } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";
import { Store } from "../../src/store/store.js";

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "capacity-runner-"));
  for (const [path, sql] of Object.entries(files)) {
    mkdirSync(dirname(join(root, "queries", path)), { recursive: true });
    writeFileSync(join(root, "queries", path), sql);
  }
  return join(root, "queries");
}

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const keep = (runId: string) => ({
  runId,
  analyzedAt: new Date("2026-11-29T00:00:00Z"),
  toolVersion: "test",
  keepRuns: 26,
});

describe("model runner", () => {
  it("builds every model in the temp catalog and keeps only the marts in the file, under the run's id", async () => {
    const root = project({
      "staging/stg_a.sql": "select 1 as x",
      "intermediate/int_b.sql": "-- materialized: table\nselect x from stg_a",
      "intermediate/int_c.sql": "select x from int_b",
      "intermediate/int_d.sql": "select x from stg_a",
      "marts/mart_e.sql": "select x from int_c union all select x from int_d",
      "marts/mart_f.sql": "select count(*) as n from mart_e",
    });
    const plan = planModels(discoverModels(root));
    expect(Object.fromEntries(creationKinds(plan))).toEqual({
      stg_a: "TEMP VIEW",
      int_b: "TEMP TABLE",
      int_c: "TEMP VIEW",
      int_d: "TEMP VIEW",
      mart_e: "TEMP TABLE",
      mart_f: "TEMP TABLE",
    });
    const dir = mkdtempSync(join(tmpdir(), "capacity-runner-db-"));
    const store = await Store.open(join(dir, "c.duckdb"), memoryLogger());
    // A view an earlier version kept in the file goes.
    await store.run("CREATE VIEW int_d AS SELECT 42 AS x");
    await runModels(store, plan, memoryLogger());
    await keepMarts(store, plan, keep("r1"));
    expect(await store.all("SELECT run_id, n FROM mart_f")).toEqual([{ run_id: "r1", n: 2n }]);
    store.close();
    const again = await Store.open(join(dir, "c.duckdb"), memoryLogger());
    stores.push(again);
    expect(await again.all("SELECT run_id, x FROM mart_e")).toEqual([
      { run_id: "r1", x: 1 },
      { run_id: "r1", x: 1 },
    ]);
    expect(await again.all("SELECT run_id, marts FROM analyses")).toEqual([{ run_id: "r1", marts: 2 }]);
    const kept = await again.all<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1",
    );
    expect(kept.map((t) => t.table_name).filter((n) => /^(stg|int|mart)_/.test(n))).toEqual([
      "mart_e",
      "mart_f",
    ]);
  });

  it("leaves every earlier run's marts as they were when a model fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-runner-db-"));
    const store = await Store.open(join(dir, "c.duckdb"), memoryLogger());
    stores.push(store);
    const good = project({ "staging/stg_a.sql": "select 1 as x", "marts/mart_e.sql": "select x from stg_a" });
    const plan = planModels(discoverModels(good));
    await runModels(store, plan, memoryLogger());
    await keepMarts(store, plan, keep("r1"));
    const bad = project({
      "staging/stg_a.sql": "select 2 as x",
      "marts/mart_e.sql": "select x from stg_a",
      "marts/mart_z.sql": "select no_such_column from mart_e",
    });
    await expect(runModels(store, planModels(discoverModels(bad)), memoryLogger())).rejects.toThrow(
      QueryError,
    );
    // Neither the file nor this connection sees half of the failed run.
    expect(await store.all("SELECT run_id, x FROM mart_e")).toEqual([{ run_id: "r1", x: 1 }]);
    expect(await store.all("SELECT run_id FROM analyses")).toEqual([{ run_id: "r1" }]);
  });

  it("orders models by what they reference, whatever the file order", () => {
    const root = project({
      "marts/mart_a.sql": "select * from int_b join stg_src__c using (id)",
      "intermediate/int_b.sql": "select * from stg_src__c -- not int_zzz, a comment\nwhere x <> 'int_nope'",
      "staging/src/stg_src__c.sql": "select 1 as id",
    });
    const plan = planModels(discoverModels(root)).map((m) => m.name);
    expect(plan).toEqual(["stg_src__c", "int_b", "mart_a"]);
  });

  it("reports a missing model with the file that references it, before running anything", () => {
    const root = project({ "marts/mart_a.sql": "select * from int_missing" });
    expect(() => planModels(discoverModels(root))).toThrow(
      "model mart_a (queries/marts/mart_a.sql): references int_missing, which no file in queries/ defines",
    );
  });

  it("reports a cycle with every model and file in it", () => {
    const root = project({
      "intermediate/int_a.sql": "select * from int_b",
      "intermediate/int_b.sql": "select * from int_c",
      "intermediate/int_c.sql": "select * from int_a",
    });
    expect(() => planModels(discoverModels(root))).toThrow(
      /reference cycle: int_a \(queries\/intermediate\/int_a.sql\) → int_b \(.*\) → int_c \(.*\) → int_a/,
    );
  });

  it("refuses a reference up the layers and a misnamed model", () => {
    expect(() =>
      planModels(
        discoverModels(
          project({ "staging/stg_x.sql": "select * from mart_y", "marts/mart_y.sql": "select 1" }),
        ),
      ),
    ).toThrow("a staging model cannot read the marts model mart_y");
    expect(() => discoverModels(project({ "marts/report.sql": "select 1" }))).toThrow("must be named mart_");
  });

  it("reads models from several roots, as an analyzer's own directory adds them", () => {
    const main = project({ "staging/stg_a.sql": "select 1 as x" });
    const extra = project({ "marts/mart_extra.sql": "select x from stg_a" });
    expect(planModels(discoverModels(main, extra)).map((m) => m.name)).toEqual(["stg_a", "mart_extra"]);
  });

  it("builds views and tables, and wraps DuckDB errors with the model and file", async () => {
    const store = await Store.open(":memory:", memoryLogger());
    stores.push(store);
    const root = project({
      "staging/stg_s__one.sql": "select 1 as id, 'a' as name",
      "marts/mart_m.sql": "select id, upper(name) as name from stg_s__one;",
    });
    await runModels(store, planModels(discoverModels(root)), memoryLogger());
    const kinds = await store.all<{ table_name: string; table_type: string }>(
      "select table_name, table_type from information_schema.tables where table_name in ('stg_s__one', 'mart_m') order by 1",
    );
    expect(kinds).toEqual([
      { table_name: "mart_m", table_type: "LOCAL TEMPORARY" }, // until keepMarts writes it to the file
      { table_name: "stg_s__one", table_type: "VIEW" }, // in the temp catalog
    ]);

    const broken = project({ "marts/mart_bad.sql": "select no_such_column from range(3)" });
    const error = await runModels(store, planModels(discoverModels(broken)), memoryLogger()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toMatch(
      /^model mart_bad \(queries\/marts\/mart_bad.sql\): .*no_such_column/,
    );
  });

  it("runs data tests and reports those that return rows", async () => {
    const store = await Store.open(":memory:", memoryLogger());
    stores.push(store);
    const root = project({
      "tests/assert_passes.sql": "select * from range(3) where range > 5",
      "tests/assert_fails.sql": "select range as bad from range(7)",
      "tests/helper.sql": "select 1",
    });
    const tests = discoverTests(root);
    expect(tests.map((t) => t.name).sort()).toEqual(["assert_fails", "assert_passes"]);
    const failures = await runDataTests(store, tests);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ test: "assert_fails", rows: 7 });
    expect(failures[0]!.sample).toHaveLength(5);
  });

  it("creates the macros of queries/macros/ before the models, which call them without referencing a model", async () => {
    const store = await Store.open(":memory:", memoryLogger());
    stores.push(store);
    const root = project({
      "macros/calendar.sql":
        "-- one rule\nCREATE OR REPLACE TEMP MACRO hours_per_month() AS 730.0;\nCREATE OR REPLACE TEMP MACRO monthly(x) AS x * hours_per_month();",
      "staging/stg_a.sql": "select 2 as usd_per_hour",
      "marts/mart_b.sql": "select monthly(usd_per_hour) as usd_per_month from stg_a",
    });
    const macros = discoverMacros(root);
    expect(macros.map((m) => [m.file, m.defines])).toEqual([
      ["queries/macros/calendar.sql", ["hours_per_month", "monthly"]],
    ]);
    const plan = planModels(discoverModels(root));
    expect(plan.find((m) => m.name === "mart_b")!.refs).toEqual(["stg_a"]);
    await runModels(store, plan, memoryLogger(), macros);
    expect(await store.all("select usd_per_month from mart_b")).toEqual([{ usd_per_month: 1460 }]);
  });

  it("refuses a macro that reads a model, is named like one, is defined twice or does not compile, naming its file", async () => {
    expect(() =>
      discoverMacros(
        project({ "macros/m.sql": "CREATE OR REPLACE TEMP MACRO f() AS TABLE SELECT * FROM stg_a" }),
      ),
    ).toThrow("model m (queries/macros/m.sql): a macro cannot read the model stg_a");
    expect(() =>
      discoverMacros(project({ "macros/m.sql": "CREATE OR REPLACE TEMP MACRO int_x() AS 1" })),
    ).toThrow("the macro int_x is named like a model");
    expect(() => discoverMacros(project({ "macros/m.sql": "select 1" }))).toThrow("must define macros");
    const store = await Store.open(":memory:", memoryLogger());
    stores.push(store);
    const twice = discoverMacros(
      project({
        "macros/a.sql": "CREATE OR REPLACE TEMP MACRO f() AS 1",
        "macros/b.sql": "CREATE OR REPLACE TEMP MACRO f() AS 2",
      }),
    );
    await expect(runModels(store, [], memoryLogger(), twice)).rejects.toThrow(
      "model b (queries/macros/b.sql): the macro f is also defined in queries/macros/a.sql",
    );
    const broken = discoverMacros(
      project({ "macros/bad.sql": "CREATE OR REPLACE TEMP MACRO f() AS no_such_fn(1)" }),
    );
    const error = await runModels(store, [], memoryLogger(), broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toMatch(/^model bad \(queries\/macros\/bad.sql\): .*no_such_fn/);
  });
});
