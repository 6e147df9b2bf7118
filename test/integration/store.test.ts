import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pruneRuns } from "../../src/analyze/history.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { badUsage, carryUsage, loadUsageSpool, previousUsage } from "../../src/store/queries.js";
import { latestRun, type RunRecord, type RunWriter, writeRun } from "../../src/store/runs.js";
import { Store, scaleDecimal } from "../../src/store/store.js";

const logger = memoryLogger();
const opened: Store[] = [];
async function openStore(path: string): Promise<Store> {
  const store = await Store.open(path, logger);
  opened.push(store);
  return store;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

const dbPath = () => join(mkdtempSync(join(tmpdir(), "capacity-store-")), "capacity.duckdb");

function record(runId: string, startedAt: string): RunRecord {
  return {
    runId,
    command: "test",
    startedAt: new Date(startedAt),
    windowStart: new Date("2026-11-01T00:00:00Z"),
    windowEnd: new Date("2026-11-15T00:00:00Z"),
    clusters: [{ name: "prod", region: "us-east-1" }],
    toolVersion: "test",
  };
}

const node = (name: string) => ({
  cluster: "prod",
  name,
  instance_type: "m6i.xlarge",
  capacity_type: "on-demand",
  compute_type: "ec2",
  cpu_capacity_cores: 4,
  memory_capacity_bytes: 16n * 1024n ** 3n,
  cpu_allocatable_cores: 3.92,
  memory_allocatable_bytes: 15_000_000_000n,
  taints: [],
  labels: { "node.kubernetes.io/instance-type": "m6i.xlarge" },
  created_at: "2026-10-01T00:00:00Z",
});

const count = async (store: Store, table: string, runId: string) =>
  Number(
    (await store.one<{ n: bigint }>(`SELECT count(*) AS n FROM ${table} WHERE run_id = $1`, [runId]))?.n,
  );

describe("store", () => {
  it("applies the migrations once and records the schema version", async () => {
    const path = dbPath();
    const first = await openStore(path);
    expect(await first.schemaVersion()).toBeGreaterThanOrEqual(1);
    first.close();
    opened.pop();
    const again = await openStore(path);
    const rows = await again.all<{ version: number }>("SELECT version FROM schema_migrations");
    // One row per migration file (numbers are assigned per branch, so they may have gaps), and
    // the version is the highest applied.
    const files = readdirSync(projectPath("queries", "migrations")).filter((f) => f.endsWith(".sql"));
    expect(rows.length).toBe(files.length);
    expect(new Set(rows.map((r) => r.version)).size).toBe(rows.length);
    expect(Math.max(...rows.map((r) => Number(r.version)))).toBe(await again.schemaVersion());
  });

  it("commits a run's rows, sources and run record together", async () => {
    const store = await openStore(dbPath());
    const result = await writeRun(
      store,
      record("r1", "2026-11-15T01:00:00Z"),
      async (w) => {
        await w.append("k8s_nodes", [node("ip-10-0-1-1.ec2.internal"), node("ip-10-0-1-2.ec2.internal")]);
        w.source({ cluster: "prod", source: "kubernetes", status: "ok", origin: "bundle", rows: 2 });
        w.source({
          cluster: "prod",
          source: "prometheus",
          status: "missing",
          origin: "live",
          rows: 0,
          error: "down",
        });
      },
      () => new Date("2026-11-15T01:00:05Z"),
    );
    expect(result.status).toBe("partial");
    expect(await count(store, "k8s_nodes", "r1")).toBe(2);
    const stored = await store.one<{ memory_capacity_bytes: bigint; labels: string }>(
      "SELECT memory_capacity_bytes, labels FROM k8s_nodes LIMIT 1",
    );
    expect(stored?.memory_capacity_bytes).toBe(17179869184n);
    expect(JSON.parse(stored!.labels)).toEqual({ "node.kubernetes.io/instance-type": "m6i.xlarge" });
    expect((await latestRun(store))?.status).toBe("partial");
    expect(await count(store, "run_sources", "r1")).toBe(2);
  });

  it("keeps decimal amounts exactly as the API sent them", async () => {
    const store = await openStore(dbPath());
    await writeRun(
      store,
      record("r1", "2026-11-15T01:00:00Z"),
      async (w) => {
        await w.append("aws_costs", [
          {
            cluster: "prod",
            date: "2017-09-01",
            group_by: "SERVICE,TAG",
            key1: "Amazon Simple Storage Service",
            key2: "Environment$",
            metric: "UnblendedCost",
            amount: "40.3543773134",
            unit: "USD",
            estimated: false,
            source: "cost-explorer",
          },
        ]);
      },
      () => new Date(),
    );
    const row = await store.one<{ amount: string }>("SELECT amount::VARCHAR AS amount FROM aws_costs");
    expect(row?.amount).toBe("40.3543773134");
  });

  it("rolls back a run that fails half way and leaves earlier runs intact", async () => {
    const store = await openStore(dbPath());
    await writeRun(
      store,
      record("good", "2026-11-08T01:00:00Z"),
      async (w) => {
        await w.append("k8s_nodes", [node("a")]);
      },
      () => new Date(),
    );
    await expect(
      writeRun(
        store,
        record("bad", "2026-11-15T01:00:00Z"),
        async (w) => {
          await w.append("k8s_nodes", [node("b"), node("c")]);
          throw new Error("the Prometheus collector fell over");
        },
        () => new Date(),
      ),
    ).rejects.toThrow("the Prometheus collector fell over");
    expect(await count(store, "k8s_nodes", "bad")).toBe(0);
    expect(await count(store, "k8s_nodes", "good")).toBe(1);
    expect(await count(store, "runs", "bad")).toBe(0);
    expect((await latestRun(store))?.run_id).toBe("good");
  });

  it("takes back a failed source's rows and rejections of its cluster only, and keeps the run's other rows", async () => {
    const store = await openStore(dbPath());
    const result = await writeRun(
      store,
      { ...record("r1", "2026-11-15T01:00:00Z"), clusters: [{ name: "prod", region: "us-east-1" }] },
      async (w) => {
        await w.append("k8s_nodes", [node("kept")]);
        await w.append("k8s_nodes", [{ ...node("other"), cluster: "staging" }]);
        w.reject({
          cluster: "prod",
          source: "kubernetes",
          location: "kubernetes/prod/pods.json",
          object: "pod a/b",
          field: "spec",
          value: "x".repeat(500),
          rule: "required",
          message: "pod a/b: spec: is missing",
        });
        w.reject({
          cluster: "staging",
          source: "kubernetes",
          location: "kubernetes/staging/pods.json",
          object: "pod c/d",
          field: null,
          value: null,
          rule: "object",
          message: "items[0] is not an object",
        });
        expect(await w.discard("prod", "kubernetes", ["k8s_nodes", "k8s_pods"])).toBe(1);
      },
      () => new Date("2026-11-15T01:00:01Z"),
    );
    expect(result.rows.k8s_nodes).toBe(1);
    expect(await store.all("SELECT cluster, name FROM k8s_nodes WHERE run_id = 'r1'")).toEqual([
      { cluster: "staging", name: "other" },
    ]);
    expect(
      await store.all("SELECT cluster, object, value FROM rejected_objects WHERE run_id = 'r1'"),
    ).toEqual([{ cluster: "staging", object: "pod c/d", value: null }]);
  });

  it("keeps a rejection's value to 200 characters", async () => {
    const store = await openStore(dbPath());
    await writeRun(
      store,
      record("r1", "2026-11-15T01:00:00Z"),
      async (w) => {
        w.reject({
          cluster: "prod",
          source: "kubernetes",
          location: "kubernetes/prod/pods.json",
          object: "pod a/b",
          field: "metadata.labels",
          value: "x".repeat(100_000),
          rule: "required",
          message: "too long",
        });
      },
      () => new Date("2026-11-15T01:00:01Z"),
    );
    const row = await store.one<{ n: bigint }>("SELECT length(value) AS n FROM rejected_objects");
    expect(Number(row?.n)).toBe(200);
  });

  it("rejects a row that breaks the table's contract, naming the table, row and column", async () => {
    const store = await openStore(dbPath());
    const broken = { ...node("x"), cpu_capacity_cores: Number.NaN };
    await expect(
      writeRun(
        store,
        record("r", "2026-11-15T00:00:00Z"),
        (w) => w.append("k8s_nodes", [node("ok"), broken]).then(),
        () => new Date(),
      ),
    ).rejects.toThrow("k8s_nodes.cpu_capacity_cores (row 1): expected a finite number, got NaN");
    await expect(
      writeRun(
        store,
        record("r", "2026-11-15T00:00:00Z"),
        (w) => w.append("k8s_nodes", [{ ...node("x"), cpu_cores: 1 }]).then(),
        () => new Date(),
      ),
    ).rejects.toThrow("k8s_nodes: row 0 has a field cpu_cores the table does not have");
    const { name: _drop, ...nameless } = node("x");
    await expect(
      writeRun(
        store,
        record("r", "2026-11-15T00:00:00Z"),
        (w) => w.append("k8s_nodes", [nameless]).then(),
        () => new Date(),
      ),
    ).rejects.toThrow("k8s_nodes.name (row 0): a value is required");
    expect(await count(store, "k8s_nodes", "r")).toBe(0);
  });

  it("keeps earlier runs and none of a run whose process is killed half way", async () => {
    const path = dbPath();
    const store = await openStore(path);
    await writeRun(
      store,
      record("before", "2026-11-08T00:00:00Z"),
      (w) => w.append("k8s_nodes", [node("a")]).then(),
      () => new Date(),
    );
    store.close();
    opened.pop();

    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "../fixtures/killed-run.ts"), path],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("appended")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`child exited early with ${code}`)));
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));

    const reopened = await openStore(path);
    expect(await count(reopened, "k8s_nodes", "killed")).toBe(0);
    expect(await count(reopened, "k8s_nodes", "before")).toBe(1);
    expect((await latestRun(reopened))?.run_id).toBe("before");
  });
});

describe("exact decimals", () => {
  it.each([
    ["40.3543773134", 10, 403543773134n],
    ["0.096", 10, 960000000n],
    ["-1.5", 2, -150n],
    ["1.2E-5", 10, 120000n],
    ["0.00000000005", 10, 1n],
    ["0.00000000004", 10, 0n],
    ["7", 0, 7n],
  ])("scales %s to %d places as %d", (text, scale, expected) => {
    expect(scaleDecimal(text, scale)).toBe(expected);
  });

  it.each(["", "abc", "1.2.3", "--1", "."])("refuses %j", (text) => {
    expect(scaleDecimal(text, 10)).toBeNull();
  });
});

describe("times without a zone", () => {
  it("are read as UTC, as everything in the store is", async () => {
    const store = await openStore(dbPath());
    await writeRun(
      store,
      record("r", "2026-11-15T00:00:00Z"),
      (w) =>
        w
          .append("k8s_nodes", [
            { ...node("a"), created_at: "2026-10-01 12:30:00" },
            { ...node("b"), created_at: new Date("2026-10-01T12:30:00Z") },
          ])
          .then(),
      () => new Date(),
    );
    const rows = await store.all<{ t: string }>(
      "SELECT created_at::VARCHAR AS t FROM k8s_nodes ORDER BY name",
    );
    expect(rows.map((r) => r.t)).toEqual(["2026-10-01 12:30:00", "2026-10-01 12:30:00"]);
  });
});

describe("usage an incremental run reuses (queries/store/previous_usage.sql)", () => {
  const usageRow = (hour: string) => ({
    cluster: "prod",
    hour,
    namespace: "shop",
    pod: "web-1",
    container: "web",
    node: "n1",
    workload_kind: "Deployment",
    workload_name: "web",
    cpu_avg_cores: 0.25,
    cpu_p95_cores: 0.3,
    cpu_max_cores: 0.4,
    memory_avg_bytes: 1e8,
    memory_max_bytes: 100_000_000n,
    cpu_request_cores: 0.5,
    memory_request_bytes: 268_435_456n,
    cpu_throttled_ratio: 0,
    oom_kills: 0,
    restarts: 0,
    samples: 60,
  });
  async function usageRun(
    store: Store,
    runId: string,
    startedAt: string,
    outcome: { origin: "live" | "bundle"; status: "ok" | "partial"; gaps: unknown[] },
    scope?: RunRecord["scope"],
  ) {
    await writeRun(
      store,
      { ...record(runId, startedAt), scope },
      async (w) => {
        const rows = await w.append("prom_usage_hourly", [
          usageRow("2026-11-13T00:00:00Z"),
          usageRow("2026-11-14T23:00:00Z"),
        ]);
        w.source({ cluster: "prod", source: "prometheus", rows, ...outcome, detail: { gaps: outcome.gaps } });
      },
      () => new Date(startedAt),
    );
  }

  it("is the latest live run's without gaps: not a replayed bundle's, not one with namespace-days missing", async () => {
    const store = await openStore(dbPath());
    await usageRun(store, "r1", "2026-11-15T00:00:00Z", { origin: "live", status: "partial", gaps: [] });
    await usageRun(store, "r2", "2026-11-15T01:00:00Z", { origin: "bundle", status: "ok", gaps: [] });
    await usageRun(store, "r3", "2026-11-15T02:00:00Z", {
      origin: "live",
      status: "partial",
      gaps: [{ namespace: "shop", day: "2026-11-14" }],
    });
    expect(await previousUsage(store, "prod")).toEqual({
      runId: "r1",
      window: { start: new Date("2026-11-01T00:00:00Z"), end: new Date("2026-11-15T00:00:00Z") },
    });
    expect(await previousUsage(store, "other")).toBeUndefined();
  });

  it("is not a run scoped to namespaces (-n), but is one scoped to clusters or kube contexts", async () => {
    const store = await openStore(dbPath());
    const ok = { origin: "live" as const, status: "ok" as const, gaps: [] };
    await usageRun(store, "r1", "2026-11-15T00:00:00Z", ok, {
      namespaces: [],
      clusters: ["prod"],
      contexts: ["prod-ctx"],
      contextsFlag: "--context",
    });
    await usageRun(store, "r2", "2026-11-15T01:00:00Z", ok, { namespaces: ["shop"], clusters: [] });
    expect((await previousUsage(store, "prod"))?.runId).toBe("r1");
  });

  it("refers to the hours asked for without storing them again, and keeps them when the old run is pruned", async () => {
    const store = await openStore(dbPath());
    await usageRun(store, "r1", "2026-11-15T00:00:00Z", { origin: "live", status: "ok", gaps: [] });
    let referred = 0;
    const carry = (toRun: string, fromRun: string, start: string, end: string) => (w: RunWriter) =>
      w.read(async (s) => {
        referred = await carryUsage(s, {
          toRun,
          fromRun,
          cluster: "prod",
          start: new Date(start),
          end: new Date(end),
        });
      });
    await writeRun(
      store,
      record("r2", "2026-11-16T00:00:00Z"),
      carry("r2", "r1", "2026-11-02T00:00:00Z", "2026-11-14T00:00:00Z"),
      () => new Date("2026-11-16T00:00:00Z"),
    );
    expect(referred).toBe(1);
    // A run that reuses r2's hours refers to r1, which stored them.
    await writeRun(
      store,
      record("r3", "2026-11-17T00:00:00Z"),
      carry("r3", "r2", "2026-11-03T00:00:00Z", "2026-11-15T00:00:00Z"),
      () => new Date("2026-11-17T00:00:00Z"),
    );
    expect(referred).toBe(1);
    expect(
      await store.all("select run_id, from_run_id from prom_usage_reused order by run_id, from_run_id"),
    ).toEqual([
      { run_id: "r2", from_run_id: "r1" },
      { run_id: "r3", from_run_id: "r1" },
      { run_id: "r3", from_run_id: "r2" },
    ]);
    const count = await store.one<{ n: bigint }>(
      "select count(*) as n from prom_usage_hourly where run_id <> 'r1'",
    );
    expect(Number(count!.n)).toBe(0);
    expect(await pruneRuns(store, "capacity", "r3", 2)).toEqual(["r1"]);
    const kept = await store.all<{ hour: Date }>("select hour from prom_usage_hourly where run_id = 'r1'");
    expect(kept.map((r) => r.hour.toISOString())).toEqual(["2026-11-13T00:00:00.000Z"]);
  });
});

describe("usage values no container can have (queries/store/bad_prom_usage.sql)", () => {
  const H = Date.parse("2026-11-10T01:00:00Z") / 1000;
  const series = (pod: string, values: Array<[number, string]>) => ({
    metric: { namespace: "shop", pod, container: "app" },
    values,
  });
  const answer = (column: string, result: unknown[]) =>
    JSON.stringify({ day_end: H + 86_400, column, answer: { data: { result } } });

  it("leaves out a container-hour with a negative, NaN, infinite or too large value and lists it; keeps the rest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-bad-usage-"));
    const files = {
      usage: join(dir, "usage.ndjson"),
      facts: join(dir, "facts.ndjson"),
      pods: join(dir, "pods.ndjson"),
    };
    writeFileSync(
      files.usage,
      `${[
        answer("cpu_avg_cores", [
          series("good", [
            [H, "0.5"],
            [H + 3600, "0.25"],
          ]),
          series("negative", [[H, "-5"]]),
          series("nan", [[H, "NaN"]]),
          series("huge", [[H, "5000"]]),
        ]),
        answer("memory_avg_bytes", [series("good", [[H, "1000"]]), series("inf", [[H, "+Inf"]])]),
        answer("cpu_max_cores", [series("good", [[H + 3600, "-1"]])]),
      ].join("\n")}\n`,
    );
    writeFileSync(files.facts, "");
    writeFileSync(files.pods, "");
    const store = await openStore(join(dir, "c.duckdb"));
    const bad = await badUsage(store, files.usage);
    expect(bad.map((b) => [b.pod, b.column, b.value, b.rule])).toEqual([
      ["good", "cpu_max_cores", "-1", "non-negative"],
      ["huge", "cpu_avg_cores", "5000", "at most 1,024 cores per container"],
      ["inf", "memory_avg_bytes", "+Inf", "finite"],
      ["nan", "cpu_avg_cores", "NaN", "finite"],
      ["negative", "cpu_avg_cores", "-5", "non-negative"],
    ]);
    await writeRun(
      store,
      record("r1", "2026-11-15T01:00:00Z"),
      async (w) => {
        await w.insert("prom_usage_hourly", (s) =>
          loadUsageSpool(s, { runId: "r1", cluster: "prod", ...files }),
        );
      },
      () => new Date("2026-11-15T01:00:01Z"),
    );
    // Only the good pod's first hour: its second hour had a negative CPU maximum.
    expect(
      await store.all("SELECT pod, hour, cpu_avg_cores, memory_avg_bytes FROM prom_usage_hourly"),
    ).toEqual([
      { pod: "good", hour: new Date((H - 3600) * 1000), cpu_avg_cores: 0.5, memory_avg_bytes: 1000 },
    ]);
  });
});

describe("a spool piece cut off mid-answer", () => {
  it("fails the load with DuckDB's own error about the file, not the aborted transaction after it, and keeps nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-cut-spool-"));
    const files = {
      usage: join(dir, "usage.ndjson"),
      facts: join(dir, "facts.ndjson"),
      pods: join(dir, "pods.ndjson"),
    };
    // The answer stops half way, as a connection dropped in the middle of a body would leave it.
    writeFileSync(
      files.usage,
      '{"day_end": 1, "column": "cpu_avg_cores", "answer": {"data": {"result": [{"met\n',
    );
    writeFileSync(files.facts, "");
    writeFileSync(files.pods, "");
    const store = await openStore(join(dir, "c.duckdb"));
    const failed = writeRun(
      store,
      record("r1", "2026-11-15T01:00:00Z"),
      async (w) => {
        await w.insert("prom_usage_hourly", (s) =>
          loadUsageSpool(s, { runId: "r1", cluster: "prod", ...files }),
        );
      },
      () => new Date("2026-11-15T01:00:01Z"),
    );
    await expect(failed).rejects.toThrow(/usage\.ndjson/);
    await expect(failed).rejects.not.toThrow(/transaction is aborted/i);
    expect(await store.all("SELECT run_id FROM runs")).toEqual([]);
  });
});
