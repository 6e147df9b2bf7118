/**
 * The store stops with the run's abort signal: a statement that would run for hours is
 * interrupted, the transaction around it rolls back, and every later call throws the signal's
 * reason (so nothing can commit after it).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Interrupted } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";
import { Store } from "../../src/store/store.js";

const path = () => join(mkdtempSync(join(tmpdir(), "capacity-interrupt-")), "c.duckdb");

describe("Store and the abort signal", () => {
  it("interrupts the running statement and rolls the transaction back", async () => {
    const file = path();
    const stop = new AbortController();
    const store = await Store.open(file, memoryLogger(), { signal: stop.signal });
    await store.run("CREATE TABLE kept (a INTEGER)");
    await store.run("INSERT INTO kept VALUES (1)");
    const reason = new Interrupted("SIGTERM");
    const work = store.transaction(async () => {
      await store.run("INSERT INTO kept VALUES (2)");
      // 10^11 rows: this never ends on its own within the test's timeout; only the abort ends it.
      const running = store.all("SELECT count(*) FROM range(100000000000) r(a) WHERE a % 7 = 3");
      stop.abort(reason);
      await running;
    });
    await expect(work).rejects.toBe(reason);
    // Every call after the abort throws the reason, before it reaches DuckDB.
    await expect(store.all("SELECT 1")).rejects.toBe(reason);
    store.close();
    const reopened = await Store.open(file, memoryLogger());
    expect(await reopened.all("SELECT a FROM kept ORDER BY a")).toEqual([{ a: 1 }]);
    reopened.close();
  });

  it("never commits once the signal is aborted, even when the work inside ignores it", async () => {
    const file = path();
    const stop = new AbortController();
    const store = await Store.open(file, memoryLogger(), { signal: stop.signal });
    await store.run("CREATE TABLE kept (a INTEGER)");
    const reason = new Interrupted("SIGINT");
    await expect(
      store.transaction(async () => {
        await store.append("kept", [{ a: 1 }]);
        stop.abort(reason);
        // A collector that swallows the abort and returns normally: the COMMIT still throws.
      }),
    ).rejects.toBe(reason);
    store.close();
    const reopened = await Store.open(file, memoryLogger());
    expect(await reopened.all("SELECT count(*)::INTEGER AS n FROM kept")).toEqual([{ n: 0 }]);
    reopened.close();
  });
});
