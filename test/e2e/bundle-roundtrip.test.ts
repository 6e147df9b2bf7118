/**
 * `collect --record` → `run --from` round-trips at scale: a synthetic cluster (bench/synthetic-
 * cluster.ts, 10 pods per node, two containers each) served by the fake API server is recorded
 * live, its usage written into the bundle by the export --record uses
 * (queries/store/export_prom_usage.sql), and the bundle replayed offline to the same inventory
 * and every usage row. History is 2 days here so that the suite stays quick; `npm run bench --
 * scale` replays 14 days. The 100,000-pod case (19.2 million usage rows) takes several minutes
 * on a 2-core machine: it runs with CAPACITY_TEST_100K=1 (and in the benchmark).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeUsage } from "../../bench/synthetic-bundle.js";
import { syntheticCluster } from "../../bench/synthetic-cluster.js";
import { memoryLogger } from "../../src/core/logger.js";
import { Store } from "../../src/store/store.js";
import { type FakeApiServer, startFakeApiServer } from "../fixtures/fake-apiserver.js";
import { cliAsync } from "./cli.js";

async function counts(database: string, analyzed: boolean) {
  const store = await Store.open(database, memoryLogger());
  try {
    const rows = await store.one<Record<string, bigint>>(
      `SELECT (SELECT count(*) FROM k8s_pods) AS pods, (SELECT count(*) FROM k8s_containers) AS containers,
         (SELECT count(*) FROM k8s_nodes) AS nodes, (SELECT count(*) FROM k8s_workloads) AS workloads,
         (SELECT count(*) FROM prom_usage_hourly) AS usage,
         (SELECT count(*) FROM rejected_objects) AS rejected`,
    );
    if (!analyzed) return rows;
    return {
      ...rows,
      ...(await store.one<Record<string, bigint>>("SELECT count(*) AS rightsizing FROM mart_rightsizing")),
    };
  } finally {
    store.close();
  }
}

const SIZES = [{ nodes: 1000 }, ...(process.env.CAPACITY_TEST_100K === "1" ? [{ nodes: 10_000 }] : [])];

describe.each(SIZES)("a recorded bundle of $nodes nodes", ({ nodes }) => {
  const pods = nodes * 10;
  let server: FakeApiServer;
  let dir: string;
  let lists: ReturnType<typeof syntheticCluster>;

  beforeAll(async () => {
    lists = syntheticCluster(nodes, 10);
    server = await startFakeApiServer(lists);
    dir = mkdtempSync(join(tmpdir(), "capacity-roundtrip-"));
    writeFileSync(join(dir, "kubeconfig"), server.kubeconfig([{ name: "synthetic-ctx" }]));
    writeFileSync(
      join(dir, "capacity.yaml"),
      "historyDays: 2\nclusters:\n  - name: synthetic\n    context: synthetic-ctx\n    region: us-east-1\n",
    );
  }, 600_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`replays ${pods.toLocaleString("en-US")} pods and every hour of their usage as recorded`, async () => {
    const bundle = join(dir, "bundle");
    const env = { KUBECONFIG: join(dir, "kubeconfig"), AWS_EC2_METADATA_DISABLED: "true" };
    const recorded = await cliAsync(
      ["collect", "--record", bundle, "--database", join(dir, "live.duckdb"), "--log.format", "json"],
      { cwd: dir, env },
    );
    expect(recorded.code, recorded.stderr).toBe(3); // no Prometheus, no AWS credentials
    const manifest = JSON.parse(readFileSync(join(bundle, "bundle.json"), "utf8"));
    const window = { start: new Date(manifest.window.start), end: new Date(manifest.window.end) };
    const usageRows = await writeUsage(bundle, "synthetic", lists.pods!, window);
    expect(usageRows).toBe(pods * 2 * 48);

    const replay = await cliAsync(
      ["run", "--from", bundle, "--database", join(dir, "replay.duckdb"), "--out", join(dir, "out")],
      { cwd: dir },
    );
    expect(replay.code, replay.stderr).toBe(3); // the bill and spot history were not recorded
    const sources = replay.lines.filter((l) => typeof l.msg === "string" && l.msg.startsWith("source "));
    expect(sources.find((l) => l.msg === "source kubernetes ok")).toBeDefined();
    expect(sources.find((l) => l.msg === "source prometheus ok")).toMatchObject({ rows: usageRows });

    const live = await counts(join(dir, "live.duckdb"), false);
    const offline = await counts(join(dir, "replay.duckdb"), true);
    expect(offline).toMatchObject({
      pods: BigInt(pods),
      containers: BigInt(pods * 2),
      nodes: BigInt(nodes),
      workloads: live!.workloads,
      usage: BigInt(usageRows),
      rejected: 0n,
    });
    expect(live).toMatchObject({ pods: BigInt(pods), containers: BigInt(pods * 2), nodes: BigInt(nodes) });
    // One right-sizing row per workload container (each Deployment runs two containers).
    expect(offline?.rightsizing).toBe(BigInt((pods / 10) * 2));
    const json = JSON.parse(readFileSync(join(dir, "out", "recommendations.json"), "utf8"));
    expect(json.summary.monthlyCostUsd).toBeGreaterThan(0);
  }, 1_800_000);
});
