/**
 * The CUR 2.0 cross-check end to end against a local fake S3 (path-style, AWS_ENDPOINT_URL_S3):
 * the `cur` source lists the export's months of the window, streams its Parquet objects through
 * the real @aws-sdk/client-s3, loads only the cluster's EKS split lines with DuckDB's Parquet
 * reader, and the models set AWS's split (AWS's worked example: $0.42 and $0.59) against the cost
 * model's, every dollar of the difference named. Faults: an object without a column fails the
 * source naming the object and the column; a refused s3:ListBucket names the action.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Bundle, openBundle } from "../../src/collect/bundle.js";
import { cur } from "../../src/collect/cur/source.js";
import type { Collected, Collection, RunSink, Skipped } from "../../src/collect/source.js";
import { projectPath } from "../../src/core/paths.js";
import { analyze } from "../../src/services/analyze.js";
import { collectionHistory } from "../../src/services/collect.js";
import { report } from "../../src/services/report.js";
import { type StoredRun, writeRun } from "../../src/store/runs.js";
import type { Row } from "../../src/store/store.js";
import { Store } from "../../src/store/store.js";
import { otherLines, unseenPod, workedExample, writeCurParquet } from "../fixtures/cur-export.js";
import { type FakeS3, startFakeS3 } from "../fixtures/fake-s3.js";
import { GIB, node, price, testContext, usage } from "../fixtures/scenario.js";

const DAY = { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" };
const URI = "s3://cur-exports-111122223333/cur2/eks-split/";
const DATA = "cur-exports-111122223333/cur2/eks-split/data";
const gib = (n: number) => n * 1024 ** 3;

let s3: FakeS3;
let dir: string;
let scratch: Store;
let store: Store;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  s3 = await startFakeS3();
  for (const [k, v] of Object.entries({
    ...s3.env,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "secret",
  })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  scratch = await Store.open(":memory:", testContext().logger);
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  scratch.close();
  await s3.close();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "capacity-cur-test-"));
  store = await Store.open(":memory:", testContext().logger);
  s3.objects.clear();
  s3.calls.length = 0;
  s3.deny = undefined;
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Puts a Parquet object built from `lines` at `key` of the fake S3. */
async function put(key: string, lines: Parameters<typeof writeCurParquet>[2], drop?: string): Promise<void> {
  const file = join(dir, `${key.replaceAll("/", "_")}.parquet`);
  await writeCurParquet(scratch, file, lines, drop);
  s3.objects.set(key, {
    body: readFileSync(file),
    etag: `"${key.length}"`,
    contentType: "application/octet-stream",
    lastModified: new Date("2026-11-03T00:00:00Z"),
  });
}

/** The export: November (the worked example at 00:00, a pod we never saw, lines to leave, a line after the window) and October. */
async function theExport(): Promise<void> {
  await put(`${DATA}/BILLING_PERIOD=2026-11/eks-split-00001.snappy.parquet`, [
    ...workedExample("2026-11-01T00:00:00Z"),
    unseenPod("2026-11-01T23:00:00Z"),
    ...otherLines("2026-11-01T00:00:00Z"),
    ...workedExample("2026-11-02T00:00:00Z"),
  ]);
  await put(
    `${DATA}/BILLING_PERIOD=2026-10/eks-split-00001.snappy.parquet`,
    workedExample("2026-10-31T00:00:00Z"),
  );
  s3.objects.set(
    "cur-exports-111122223333/cur2/eks-split/metadata/BILLING_PERIOD=2026-11/eks-split-Manifest.json",
    {
      body: Buffer.from("{}"),
      etag: '"m"',
      contentType: "application/json",
      lastModified: new Date("2026-11-03T00:00:00Z"),
    },
  );
}

/** The cluster of AWS's example as the cost model sees it: the m5.xlarge at $1/hour, the four pods at 00:00. */
const CLUSTER: Record<string, Row[]> = {
  k8s_nodes: [node("ip-a.ec2.internal", "m5.xlarge")],
  k8s_pods: [],
  k8s_containers: [],
  k8s_workloads: [],
  prom_usage_hourly: (
    [
      ["namespace1", "pod1-a", 1, 0.1, 4, 3],
      ["namespace2", "pod2-a", 1, 1.9, 4, 6],
      ["namespace1", "pod3-a", 1, 0.5, 2, 2],
      ["namespace2", "pod4-a", 1, 0.5, 2, 2],
    ] as const
  ).map(([ns, name, cpuReq, cpu, memReq, mem]) =>
    usage("2026-11-01T00:00:00Z", ns, name, "ip-a.ec2.internal", {
      cpuReq,
      memReq: BigInt(memReq) * GIB,
      cpu,
      memBytes: gib(mem),
    }),
  ),
  aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00")],
  aws_spot_prices: [],
};

/** One run: the cluster's rows, then the `cur` source live (or replayed) into the same transaction. */
async function run(
  options: { s3Uri?: string; record?: string; bundle?: Bundle } = {},
): Promise<Collected | Skipped | Error> {
  return (await runAndAnalyze(options)).outcome;
}

async function runAndAnalyze(
  options: { s3Uri?: string; record?: string; bundle?: Bundle } = {},
): Promise<{ outcome: Collected | Skipped | Error; run: StoredRun }> {
  const ctx = testContext(options.s3Uri ? { aws: { cur: { s3Uri: options.s3Uri } } } : {});
  let outcome: Collected | Skipped | Error = new Error("not run");
  await writeRun(
    store,
    {
      runId: "run-test",
      command: "test",
      startedAt: new Date(DAY.end),
      windowStart: new Date(DAY.start),
      windowEnd: new Date(DAY.end),
      clusters: [{ name: "test", region: "us-east-1" }],
      toolVersion: "test",
    },
    async (w) => {
      for (const [table, rows] of Object.entries(CLUSTER)) await w.append(table, rows);
      w.source({ cluster: "test", source: "kubernetes", status: "ok", origin: "bundle", rows: 1 });
      const out: RunSink = {
        runId: w.runId,
        append: (t, rows) => w.append(t, rows as Row[]),
        reject: () => {},
      };
      const c: Collection = {
        cluster: { name: "test", region: "us-east-1", context: undefined },
        window: { start: new Date(DAY.start), end: new Date(DAY.end) },
        now: new Date(DAY.end),
        clock: () => new Date(DAY.end),
        config: ctx.config,
        logger: ctx.logger,
        signal: ctx.signal,
        facts: { region: "us-east-1", instanceTypes: [], zones: [] },
        out,
        history: collectionHistory(store, w, "test", out),
        record: options.record,
      };
      try {
        outcome = options.bundle ? await cur.replay(options.bundle, c) : await cur.live(c);
      } catch (error) {
        outcome = error as Error;
        await w.discard("test", "cur", Object.keys(cur.tables));
        w.source({
          cluster: "test",
          source: "cur",
          status: "missing",
          origin: "live",
          rows: 0,
          error: outcome.message,
        });
        return;
      }
      if (!("skipped" in outcome)) w.source({ cluster: "test", source: "cur", ...outcome });
    },
    () => new Date(DAY.end),
  );
  const analysed = await analyze(testContext(), store);
  return { outcome, run: analysed };
}

/** The run's report in every format, read back. */
async function reports(run: StoredRun) {
  const out = join(dir, "out");
  await report(testContext(), store, run, out, ["html", "md", "json", "csv"]);
  const read = (name: string) => readFileSync(join(out, name), "utf8");
  return {
    html: read("report.html"),
    md: read("report.md"),
    json: JSON.parse(read("recommendations.json")),
    out,
  };
}

const cents = (v: number) => Math.round(v * 100) / 100;

// Each case collects and analyzes a run (and some report it): generous on a shared 2-core machine.
describe("CUR 2.0 split cost allocation cross-check", { timeout: 600_000 }, () => {
  it("reads only the cluster's EKS split lines of the window's months, streamed from S3", async () => {
    await theExport();
    const outcome = await run({ s3Uri: URI });
    expect(outcome).toMatchObject({ status: "ok", origin: "live", rows: 9, detail: { objects: 1 } });
    const gets = s3.calls.filter((c) => c.method === "GET" && c.key !== "").map((c) => c.key);
    expect(gets).toEqual(["cur2/eks-split/data/BILLING_PERIOD=2026-11/eks-split-00001.snappy.parquet"]);
    const lines = await store.all<{ namespace: string; pod: string; node: string | null; n: bigint }>(
      "SELECT namespace, pod, node, count(*) AS n FROM aws_cur_split_lines GROUP BY ALL ORDER BY ALL",
    );
    expect(lines.map((l) => [l.namespace, l.pod, l.node, Number(l.n)])).toEqual([
      ["batch", "report-x1", "ip-b.ec2.internal", 1],
      ["namespace1", "pod1-a", "ip-a.ec2.internal", 2],
      ["namespace1", "pod3-a", "ip-a.ec2.internal", 2],
      ["namespace2", "pod2-a", "ip-a.ec2.internal", 2],
      ["namespace2", "pod4-a", "ip-a.ec2.internal", 2],
    ]);
  });

  it("reproduces AWS's worked example ($0.42 and $0.59) and names every dollar of our difference", async () => {
    await theExport();
    await run({ s3Uri: URI });
    const rows = await store.all<Record<string, number | string>>(
      "SELECT * FROM mart_cur_crosscheck_namespaces ORDER BY namespace",
    );
    const ns = (name: string) => rows.find((r) => r.namespace === name)!;
    expect(cents(ns("namespace1").aws_total_usd as number)).toBe(0.42);
    expect(cents(ns("namespace2").aws_total_usd as number)).toBe(0.59);
    // Ours, unrounded: pods 1 and 3 take 0.2292 + 0.1853 of the dollar, pods 2 and 4 the rest.
    expect(ns("namespace1").ours_total_usd as number).toBeCloseTo(0.41447, 4);
    expect(ns("namespace2").ours_total_usd as number).toBeCloseTo(0.58553, 4);
    // AWS split the $1 node into $1.01 (its printed, rounded pods): the node's basis, spread by our split.
    expect(
      (ns("namespace1").node_basis_usd as number) + (ns("namespace2").node_basis_usd as number),
    ).toBeCloseTo(-0.01, 10);
    // The pod AWS saw and we did not: its $0.30, on its own line.
    expect(ns("batch")).toMatchObject({ only_aws_usd: 0.3, ours_total_usd: 0, aws_total_usd: 0.3 });
    for (const r of rows) {
      const named =
        (r.only_ours_usd as number) -
        (r.only_aws_usd as number) +
        (r.node_basis_usd as number) +
        (r.split_usd as number);
      expect(named).toBeCloseTo(r.difference_usd as number, 10);
    }
    const [day] = await store.all<Record<string, number | string>>(
      "SELECT * REPLACE (strftime(date, '%Y-%m-%d') AS date) FROM mart_cur_crosscheck_days",
    );
    expect(day!.date).toBe("2026-11-01");
    expect(day!.aws_total_usd as number).toBeCloseTo(1.31, 10);
    // The 23 hours the node ran without pods are ours alone: idle AWS never splits.
    expect(day!.ours_idle_kept_usd as number).toBeCloseTo(23, 10);
  });

  it("records what it read (the split lines, not the export) and replays it to the same figures", async () => {
    await theExport();
    const bundleDir = join(dir, "bundle");
    await run({ s3Uri: URI, record: bundleDir });
    const live = await store.all("SELECT * FROM mart_cur_crosscheck ORDER BY ALL");
    store.close();
    store = await Store.open(":memory:", testContext().logger);
    const bundle = { dir: bundleDir, manifest: openBundle(projectPath("data", "demo")).manifest };
    const replayed = await run({ bundle });
    expect(replayed).toMatchObject({ status: "ok", origin: "bundle", rows: 9 });
    expect(await store.all("SELECT * FROM mart_cur_crosscheck ORDER BY ALL")).toEqual(live);
  });

  it("reports the cross-check in HTML, Markdown, recommendations.json and a CSV, with each explanation from its evidence", async () => {
    await theExport();
    const { run } = await runAndAnalyze({ s3Uri: URI });
    const { html, md, json, out } = await reports(run);
    expect(json.schemaVersion).toBe("3.4.0");
    expect(json.curCrosscheck.status).toBe("analysed");
    expect(json.curCrosscheck.reason).toBe("1 whole UTC day compared");
    const ns = (name: string) =>
      json.curCrosscheck.namespaces.find((n: { namespace: string }) => n.namespace === name);
    expect(ns("namespace1").awsTotalUsd).toBe(0.42);
    expect(ns("namespace2").awsTotalUsd).toBe(0.59);
    expect(ns("batch").onlyAwsUsd).toBe(0.3);
    for (const text of [md, html]) {
      expect(text).toContain("Cross-check with AWS's split cost allocation (CUR 2.0)");
      expect(text).toContain("pods AWS split that the run did not see");
      expect(text).toContain("$0.42");
      expect(text).toContain("$0.59");
      // No pod the run charged was missing from AWS's split: that cause is not named.
      expect(text).not.toContain("pods the run charged that AWS did not split");
    }
    const csv = readFileSync(join(out, "cur-crosscheck.csv"), "utf8").split("\n");
    expect(csv[0]).toContain("aws_total_usd");
    expect(csv.filter((l) => l.startsWith("test,2026-11-01,namespace1,Deployment,pod1,"))).toHaveLength(1);
  });

  it("says 'not analysed' and why in every format when the source did not run", async () => {
    const { run } = await runAndAnalyze();
    const { html, md, json } = await reports(run);
    expect(json.curCrosscheck).toMatchObject({
      status: "not_analysed",
      days: [],
      namespaces: [],
      workloads: [],
    });
    expect(json.curCrosscheck.reason).toContain("aws.cur.s3Uri is not set");
    for (const text of [md, html]) expect(text).toContain("Not analysed: the run read no CUR 2.0 export");
  });

  it("leaves out the export's latest day until its 23:00 hour is in (AWS is still filling it)", async () => {
    await put(
      `${DATA}/BILLING_PERIOD=2026-11/eks-split-00001.snappy.parquet`,
      workedExample("2026-11-01T00:00:00Z"),
    );
    const { run } = await runAndAnalyze({ s3Uri: URI });
    expect(await store.all("SELECT * FROM mart_cur_crosscheck_days")).toEqual([]);
    const { json } = await reports(run);
    expect(json.curCrosscheck.status).toBe("not_analysed");
    expect(json.curCrosscheck.reason).toContain("no line of a whole UTC day");
  });

  it("is skipped, with no outcome and no rows, when aws.cur.s3Uri is not set", async () => {
    await theExport();
    expect(await run()).toEqual({ skipped: "aws.cur.s3Uri is not set" });
    expect(s3.calls.filter((c) => c.method === "GET")).toEqual([]);
    expect(await store.all("SELECT * FROM mart_cur_crosscheck")).toEqual([]);
  });

  it("fails the source naming the object and the column when an object lacks split_line_item_unused_cost, and keeps no figure", async () => {
    await put(
      `${DATA}/BILLING_PERIOD=2026-11/eks-split-00001.snappy.parquet`,
      workedExample("2026-11-01T00:00:00Z"),
      "split_line_item_unused_cost",
    );
    const error = await run({ s3Uri: URI });
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain("cur:");
    expect(message).toContain(
      "s3://cur-exports-111122223333/cur2/eks-split/data/BILLING_PERIOD=2026-11/eks-split-00001.snappy.parquet",
    );
    expect(message).toContain("split_line_item_unused_cost");
    expect(await store.all("SELECT * FROM aws_cur_split_lines")).toEqual([]);
    expect(await store.all("SELECT * FROM mart_cur_crosscheck")).toEqual([]);
  });

  it("names s3:ListBucket and the export when listing is refused", async () => {
    await theExport();
    s3.deny = (method) => method === "GET";
    const error = await run({ s3Uri: URI });
    expect((error as Error).message).toContain("may not call s3:ListBucket");
    expect((error as Error).message).toContain("s3://cur-exports-111122223333/cur2/eks-split/");
    expect((error as { hint?: string }).hint).toContain("grant s3:ListBucket");
  });

  it("names s3:GetObject and the object when reading it is refused, and keeps no line", async () => {
    await theExport();
    s3.deny = (method, path) => method === "GET" && path.endsWith(".parquet");
    const error = await run({ s3Uri: URI });
    expect((error as Error).message).toContain("may not call s3:GetObject");
    expect((error as Error).message).toContain(
      "s3://cur-exports-111122223333/cur2/eks-split/data/BILLING_PERIOD=2026-11/eks-split-00001.snappy.parquet",
    );
    expect(await store.all("SELECT * FROM aws_cur_split_lines")).toEqual([]);
  });

  it("is missing, saying where it looked, when the export has no object of the window's months", async () => {
    await put(
      `${DATA}/BILLING_PERIOD=2026-10/eks-split-00001.snappy.parquet`,
      workedExample("2026-10-31T00:00:00Z"),
    );
    const outcome = await run({ s3Uri: URI });
    expect(outcome).toMatchObject({ status: "missing" });
    expect((outcome as Collected).error).toContain("holds no data object of 2026-11");
  });
});
