/**
 * Replaying a bundle reads its files as streams: Lists item by item, the usage CSV by DuckDB.
 * A bad usage cell costs its row (listed in rejected_objects with the file and line, the source
 * partial), never the file; a file cut short or not gzip at all is an error naming it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeLists, writeManifest } from "../../bench/synthetic-bundle.js";
import { syntheticCluster } from "../../bench/synthetic-cluster.js";
import { listItems } from "../../src/collect/bundle.js";
import { USAGE_HEADER } from "../../src/collect/prometheus/map.js";
import { collect } from "../../src/services/collect.js";
import { Store } from "../../src/store/store.js";
import { testContext } from "../fixtures/scenario.js";

const WINDOW = { start: new Date("2026-11-02T00:00:00Z"), end: new Date("2026-11-03T00:00:00Z") };
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-replay-"));
  writeLists(dir, "test", syntheticCluster(2, 2));
  writeManifest(dir, [{ name: "test", region: "us-east-1" }], WINDOW);
  store = await Store.open(join(dir, "c.duckdb"), testContext().logger);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const usageFile = () => join(dir, "prometheus", "test", "usage_hourly.csv.gz");
function writeUsage(lines: string[], gzip = true): void {
  const text = `${[USAGE_HEADER, ...lines].join("\n")}\n`;
  mkdirSync(join(dir, "prometheus", "test"), { recursive: true });
  writeFileSync(usageFile(), gzip ? gzipSync(text) : text);
}

const row = (hour: string, cpu = "0.1", extra = "") =>
  `${hour},team-0,svc-0-abc,app,ip-1,Deployment,svc-0,${cpu},0.2,0.3,100,100,0.25,1000,,0,0,12${extra}`;

async function replay() {
  const ctx = testContext({ clusters: [] });
  const result = await collect(ctx, store, { from: dir, command: "collect" });
  return {
    prometheus: result.sources.find((s) => s.source === "prometheus")!,
    rejected: await store.all<Record<string, unknown>>(
      "SELECT location, object, field, value, rule, message FROM rejected_objects ORDER BY location, field",
    ),
    usage: Number((await store.one<{ n: bigint }>("SELECT count(*) AS n FROM prom_usage_hourly"))?.n),
  };
}

describe("replaying a bundle's usage", () => {
  it("loads every row of a sound file, read by DuckDB", async () => {
    writeUsage([row("2026-11-02T00:00:00Z"), row("2026-11-02T01:00:00Z"), row("2026-11-02T23:00:00Z")]);
    const r = await replay();
    expect(r.prometheus).toMatchObject({ status: "ok", rows: 3 });
    expect(r.usage).toBe(3);
    expect(r.rejected).toEqual([]);
  });

  it("leaves out a row per bad cell and lists it with its file, line, field, value and rule; the source is partial", async () => {
    writeUsage([
      row("2026-11-02T00:00:00Z"),
      row("2026-11-02T01:00:00Z", "abc"),
      row("2026-11-02T02:00:00Z", "-0.5"),
      row("2026-11-05T00:00:00Z"),
      row("2026-11-02T04:00:00Z", "0.1", ",surplus"),
      "2026-11-02T05:00:00Z,team-0,,app,ip-1,Deployment,svc-0,0.1,0.2,0.3,100,100,0.25,1000,,0,0,12",
      row("2026-11-02T06:00:00Z", ""),
      row("2026-11-02T07:00:00+00:00"),
    ]);
    const r = await replay();
    // Sound: line 2, the blank CPU figure (line 8) and the hour with an offset (line 9).
    expect(r.usage).toBe(3);
    expect(r.prometheus).toMatchObject({ status: "partial", rows: 3 });
    expect(r.prometheus.error).toContain("5 of 8 rows of prometheus/test/usage_hourly.csv.gz were left out");
    const at = (line: number) =>
      r.rejected.filter((x) => x.location === `prometheus/test/usage_hourly.csv.gz line ${line}`);
    expect(at(3)).toEqual([
      expect.objectContaining({
        field: "cpu_avg_cores",
        value: "abc",
        rule: "number",
        object: "team-0/svc-0-abc/app at 2026-11-02T01:00:00Z",
      }),
    ]);
    expect(at(4)).toEqual([
      expect.objectContaining({ field: "cpu_avg_cores", value: "-0.5", rule: "non-negative" }),
    ]);
    expect(at(5)).toEqual([expect.objectContaining({ field: "hour", rule: "window" })]);
    expect(at(5)[0]!.message).toContain(
      "outside the bundle's window (2026-11-02T00:00:00Z to 2026-11-03T00:00:00Z)",
    );
    expect(at(6)).toEqual([expect.objectContaining({ field: null, value: "surplus", rule: "columns" })]);
    expect(at(7)).toEqual([expect.objectContaining({ field: "pod", value: null, rule: "required" })]);
    expect(r.rejected).toHaveLength(5);
  });

  it("refuses a usage file cut short, naming it; nothing of it is loaded", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      row(`2026-11-02T${String(i % 24).padStart(2, "0")}:00:00Z`, String(Math.random())),
    );
    writeUsage(lines);
    const whole = readFileSync(usageFile());
    writeFileSync(usageFile(), whole.subarray(0, whole.length >> 1));
    const r = await replay();
    expect(r.prometheus.status).toBe("missing");
    expect(r.prometheus.error).toContain(`${usageFile()} is cut short`);
    expect(r.usage).toBe(0);
  });

  it("refuses a .gz usage file that is not gzip, naming it", async () => {
    writeUsage([row("2026-11-02T00:00:00Z")], false);
    const r = await replay();
    expect(r.prometheus.status).toBe("missing");
    expect(r.prometheus.error).toContain(`${usageFile()} is not a valid gzip file`);
  });

  it("refuses a usage file whose header is not the documented columns, naming it and the header", async () => {
    writeUsage([row("2026-11-02T00:00:00Z")]);
    const text = `namespace,hour\nx,y\n`;
    writeFileSync(usageFile(), gzipSync(text));
    const r = await replay();
    expect(r.prometheus.status).toBe("missing");
    expect(r.prometheus.error).toContain("does not start with the usage columns");
    expect(r.prometheus.error).toContain(USAGE_HEADER);
  });
});

describe("reading a List item by item", () => {
  it("hands over every item, whatever chunk boundaries fall inside strings, escapes and nesting", () => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      metadata: { name: `p-${i}`, annotations: { tricky: `}]\\"{[, "é✓ ${i}` } },
      spec: { nested: [1, [2, { a: [] }], {}], empty: "" },
    }));
    const path = join(dir, "list.json");
    writeFileSync(
      path,
      JSON.stringify({ apiVersion: "v1", kind: "List", metadata: { note: '"items": [' }, items }, null, 1),
    );
    for (const chunkBytes of [1, 7, 64, 4096]) {
      const got: unknown[] = [];
      const n = listItems(path, "kubernetes", (batch) => got.push(...batch), { batchSize: 3, chunkBytes });
      expect(n).toBe(50);
      expect(got).toEqual(items);
    }
  });

  it("refuses a List cut short, one without items and an item that is not JSON, naming the file", () => {
    const path = join(dir, "bad.json");
    const fail = (text: string) => {
      writeFileSync(path, text);
      return () => listItems(path, "kubernetes", () => {});
    };
    expect(fail('{"kind":"List","items":[{"a":1},{"b":')).toThrow(`${path} is cut short`);
    expect(fail('{"kind":"Pod","spec":{}}')).toThrow(`${path} is not a List document (no items array)`);
    expect(fail('{"items":[{"a":1},{"b":2]}')).toThrow(`${path} item 2 is not valid JSON`);
    expect(fail("[]")).toThrow(`${path} is not a List document`);
  });
});
