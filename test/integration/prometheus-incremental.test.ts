/**
 * Incremental usage collection through `collect` against a real Prometheus: a second run of the
 * same cluster a day later asks Prometheus only for the days the first did not store completely
 * (its last day again, and the new one), refers to the first run's rows for the rest (each hour
 * stored once), and ends up with the same staged usage rows, and the same marts, as a full
 * refresh of its window.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneRuns } from "../../src/analyze/history.js";
import { discoverMacros, runMacros } from "../../src/analyze/runner.js";
import { projectPath } from "../../src/core/paths.js";
import { analyze } from "../../src/services/analyze.js";
import { collect } from "../../src/services/collect.js";
import { Store } from "../../src/store/store.js";
import { havePrometheus, omSeries, type RunningPrometheus, startPrometheus } from "../fixtures/prometheus.js";
import { testContext } from "../fixtures/scenario.js";

const available = havePrometheus();
const t = (iso: string) => Date.parse(iso) / 1000;
const FROM = t("2026-11-07T23:00:00Z");
const TO = t("2026-11-12T00:00:00Z");
const RECREATE = t("2026-11-10T12:00:00Z");
const GONE = t("2026-11-09T18:00:00Z");

function counter(rate: (s: number) => number, from: number) {
  let total = 0;
  let last = from;
  return (s: number) => {
    for (; last < s; last += 1) total += rate(last);
    return total;
  };
}

/** Two pods of a Deployment (one recreated on another node half way), and a Job's pod that ended. */
function series(): string {
  const out: string[] = [];
  const add = (
    name: string,
    labels: Record<string, string>,
    value: (s: number) => number | undefined,
    from = FROM,
    to = TO,
  ) => out.push(omSeries(name, { cluster: "test", namespace: "shop", ...labels }, from, to, 60, value));
  const pod = (
    name: string,
    node: string,
    from: number,
    to: number,
    rs: string,
    cpu: (s: number) => number,
  ) => {
    add("container_cpu_usage_seconds_total", { pod: name, container: "app" }, counter(cpu, from), from, to);
    add(
      "container_memory_working_set_bytes",
      { pod: name, container: "app" },
      (s) => 100e6 + (s % 86_400) * 1000,
      from,
      to,
    );
    add("kube_pod_info", { pod: name, node }, () => 1, from, to);
    add(
      "kube_pod_container_resource_requests",
      { pod: name, container: "app", resource: "cpu", unit: "core" },
      (s) => (s < RECREATE ? 0.5 : 0.75),
      from,
      to,
    );
    add(
      "kube_pod_owner",
      { pod: name, owner_kind: "ReplicaSet", owner_name: rs, owner_is_controller: "true" },
      () => 1,
      from,
      to,
    );
  };
  pod("web-a-1", "node-1", FROM, RECREATE, "web-a", (s) => 0.2 + ((s / 3600) % 24) / 100);
  pod("web-b-1", "node-2", RECREATE, TO, "web-b", () => 0.3);
  pod("batch-1", "node-1", FROM, GONE, "unused", (s) => (s % 7200 < 3600 ? 1 : 0.1));
  for (const rs of ["web-a", "web-b"])
    add("kube_replicaset_owner", { replicaset: rs, owner_kind: "Deployment", owner_name: "web" }, () => 1);
  return `${out.join("\n")}\n# EOF\n`;
}

let prometheus: RunningPrometheus | undefined;
let proxy: Server;
let proxyUrl: string;
/** The start of every range query Prometheus was asked, per run. */
const starts: number[] = [];
let dir: string;
let store: Store;

beforeAll(async () => {
  if (!available) return;
  prometheus = await startPrometheus(series());
  const target = new URL(prometheus.url);
  // A proxy in front of Prometheus that notes where each range query starts.
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://proxy");
      if (url.pathname.endsWith("/query_range")) {
        const params = new URLSearchParams(body.length ? body.toString() : url.search);
        starts.push(Number(params.get("start") ?? url.searchParams.get("start")));
      }
      const forward = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), "capacity-incremental-"));
  // A kubeconfig without the cluster's context (Kubernetes is missing), and no AWS credentials.
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  writeFileSync(
    join(dir, "kubeconfig"),
    "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n",
  );
  store = await Store.open(join(dir, "c.duckdb"), testContext().logger);
}, 600_000);

afterAll(async () => {
  store?.close();
  await new Promise((resolve) => proxy?.close(resolve));
  await prometheus?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(runId: string, now: string, incremental: boolean) {
  const base = testContext({
    clusters: [{ name: "test", region: "us-east-1", context: "absent" }],
    historyDays: 3,
    prometheus: { url: proxyUrl, clusterLabel: "cluster", incremental, retries: 0 },
  });
  const ctx = { ...base, runId, clock: () => new Date(now) };
  const kubeconfig = process.env.KUBECONFIG;
  process.env.KUBECONFIG = join(dir, "kubeconfig");
  starts.length = 0;
  try {
    const result = await collect(ctx, store, { command: "collect" });
    return { result, logger: ctx.logger, starts: [...starts] };
  } finally {
    process.env.KUBECONFIG = kubeconfig;
  }
}

const staged = async (runId: string) => {
  await store.setVariables({ run_id: runId });
  // The staging model keys its rows with the shared macros (pod_key, …: queries/macros/keys.sql).
  await runMacros(
    store,
    discoverMacros().filter((m) => m.name === "keys"),
  );
  const sql = readFileSync(
    projectPath("queries", "staging", "prometheus", "stg_prometheus__usage_hourly.sql"),
    "utf8",
  );
  return store.all(`select * from (${sql}) order by namespace, pod_name, container_name, hour`);
};

describe.skipIf(!available)("incremental usage collection", () => {
  let first: Awaited<ReturnType<typeof run>>;
  let second: Awaited<ReturnType<typeof run>>;
  let full: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    if (!available) return;
    first = await run("run-1", "2026-11-11T00:20:00Z", true);
    second = await run("run-2", "2026-11-12T00:20:00Z", true);
    full = await run("run-3", "2026-11-12T00:20:00Z", false);
  }, 600_000);

  it("collects the whole window when no earlier run stored usage", () => {
    const prom = first.result.sources.find((s) => s.source === "prometheus")!;
    expect(prom.detail).toMatchObject({ daysReused: 0, daysFetched: 3 });
    expect(Math.min(...first.starts)).toBe(t("2026-11-08T00:00:00Z"));
  });

  it("asks Prometheus a day later only for the earlier run's last day and the new one", () => {
    const prom = second.result.sources.find((s) => s.source === "prometheus")!;
    expect(prom).toMatchObject({ origin: "live", rows: 72 + 18 });
    expect(prom.detail).toMatchObject({ daysReused: 1, daysFetched: 2, reusedFrom: "run-1" });
    // Every range query starts inside the two fetched days (the first hour's point ends at 01:00).
    expect(second.starts.length).toBeGreaterThan(0);
    expect(Math.min(...second.starts)).toBeGreaterThanOrEqual(t("2026-11-10T00:00:00Z"));
    expect(second.logger.lines.find((l) => l.msg === "prometheus collected")).toMatchObject({
      daysReused: 1,
      daysFetched: 2,
      reusedFrom: "run-1",
    });
  });

  it("stages the same usage rows as a full refresh of the same window", async () => {
    expect(full.result.sources.find((s) => s.source === "prometheus")!.detail).toMatchObject({
      daysReused: 0,
      daysFetched: 3,
    });
    const incremental = await staged("run-2");
    const refreshed = await staged("run-3");
    expect(incremental.length).toBe(72 + 18); // web-a until 12:00 and web-b after it, batch-1 until 18:00 on day 1
    expect(incremental).toEqual(refreshed);
    // The carried day holds the pod that was gone before the fetched days began.
    expect(incremental.filter((r) => r.pod_name === "batch-1").length).toBe(18);
  });

  it("stores each hour of usage once: the second run holds only the hours it fetched", async () => {
    const stored = await store.all<{ run_id: string; rows: bigint }>(
      "select run_id, count(*) as rows from prom_usage_hourly group by run_id order by run_id",
    );
    // run-1: its 3 days; run-2: the 2 days it fetched (its first day is run-1's rows, referred to).
    expect(stored.map((r) => [r.run_id, Number(r.rows)])).toEqual([
      ["run-1", 114],
      ["run-2", 48],
      ["run-3", 90],
    ]);
    expect(await store.all("select run_id, from_run_id from prom_usage_reused")).toEqual([
      { run_id: "run-2", from_run_id: "run-1" },
    ]);
  });

  it("builds the same marts from the overlapping runs as from one run over their union", async () => {
    const marts = async (runId: string) => {
      await analyze(
        testContext({ clusters: [{ name: "test", region: "us-east-1" }], historyDays: 3 }),
        store,
        runId,
      );
      const names = (
        await store.all<{ table_name: string }>(
          "select table_name from information_schema.columns where table_schema = 'main' and table_catalog <> 'temp' and column_name = 'run_id' and table_name like 'mart_%' group by all order by 1",
        )
      ).map((r) => r.table_name);
      const out: Record<string, unknown[]> = {};
      for (const name of names)
        out[name] = await store.all(
          `select * exclude (run_id) from "${name}" where run_id = $1 order by all`,
          [runId],
        );
      return out;
    };
    const incremental = await marts("run-2");
    const refreshed = await marts("run-3");
    expect(Object.keys(incremental).length).toBeGreaterThan(10);
    expect(incremental).toEqual(refreshed);
    expect(incremental.mart_coverage?.length).toBeGreaterThan(0);
  }, 600_000);

  it("keeps the hours a kept run refers to when the run that stored them is pruned", async () => {
    const file = (await store.one<{ name: string }>("select current_database() as name"))!.name;
    const pruned = await pruneRuns(store, file, "run-2", 2);
    expect(pruned).toEqual(["run-1"]);
    expect((await staged("run-2")).length).toBe(90);
    // run-1's other hours (its last day, fetched again by run-2) are gone.
    const left = await store.one<{ rows: bigint }>(
      "select count(*) as rows from prom_usage_hourly where run_id = 'run-1'",
    );
    expect(Number(left!.rows)).toBe(90 - 48);
  });
});
