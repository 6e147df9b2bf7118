/**
 * A live `capacity run` with a real Prometheus behind it (and the fake Kubernetes API): usage
 * history for the last hours is read, stored, and charged instead of requests.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { Store } from "../../src/store/store.js";
import { demoClusterData, type FakeApiServer, startFakeApiServer } from "../fixtures/fake-apiserver.js";
import { havePrometheus, omSeries, type RunningPrometheus, startPrometheus } from "../fixtures/prometheus.js";
import { cliAsync } from "./cli.js";

const available = havePrometheus();
let k8s: FakeApiServer;
let prometheus: RunningPrometheus;
let dir: string;

beforeAll(async () => {
  if (!available) return;
  k8s = await startFakeApiServer(demoClusterData(projectPath("data", "demo")));
  const pods = demoClusterData(projectPath("data", "demo")).pods!.slice(0, 3) as Array<{
    metadata: { name: string; namespace: string };
    spec: { nodeName: string; containers: Array<{ name: string }> };
  }>;
  const end = Math.floor(Date.now() / 3_600_000) * 3600 - 3600;
  const start = end - 6 * 3600;
  const text = pods
    .flatMap((p) => {
      const labels = {
        cluster: "demo-shop",
        namespace: p.metadata.namespace,
        pod: p.metadata.name,
        container: p.spec.containers[0]!.name,
      };
      return [
        omSeries("container_cpu_usage_seconds_total", labels, start, end, 30, (t) => (t - start) * 0.2),
        omSeries("container_memory_working_set_bytes", labels, start, end, 30, () => 300 * 1024 * 1024),
        omSeries(
          "kube_pod_info",
          {
            cluster: "demo-shop",
            namespace: p.metadata.namespace,
            pod: p.metadata.name,
            node: p.spec.nodeName,
          },
          start,
          end,
          30,
          () => 1,
        ),
      ];
    })
    .join("\n");
  prometheus = await startPrometheus(`${text}\n# EOF\n`);
  dir = mkdtempSync(join(tmpdir(), "capacity-live-prom-"));
  writeFileSync(join(dir, "kubeconfig"), k8s.kubeconfig([{ name: "shop" }]));
  writeFileSync(
    join(dir, "capacity.yaml"),
    `clusters:\n  - name: demo-shop\n    context: shop\n    region: us-east-1\nhistoryDays: 1\nprometheus:\n  url: ${prometheus.url}\n  clusterLabel: cluster\n`,
  );
}, 600_000);
afterAll(async () => {
  await k8s?.close();
  await prometheus?.stop();
});

describe.skipIf(!available)("live Prometheus collection", () => {
  it("reads the usage history into the run and reports the queries it made", async () => {
    const db = join(dir, "c.duckdb");
    const r = await cliAsync(["run", "--database", db, "--out", join(dir, "out")], {
      cwd: dir,
      env: { KUBECONFIG: join(dir, "kubeconfig"), AWS_EC2_METADATA_DISABLED: "true" },
    });
    expect(r.code, r.stderr).toBe(3); // no AWS here
    const collected = r.lines.find((l) => l.msg === "prometheus collected");
    expect(collected).toMatchObject({ rows: 18, gaps: 0, endpoint: expect.stringContaining("build 2.") });
    expect(collected?.queries).toBeGreaterThan(3);
    const json = JSON.parse(readFileSync(join(dir, "out", "recommendations.json"), "utf8"));
    // Only cAdvisor metrics and kube_pod_info were loaded: the startup check says what else to install.
    expect(json.sources.find((s: { source: string }) => s.source === "prometheus")).toMatchObject({
      status: "partial",
      rows: 18,
      error: expect.stringContaining("no kube_pod_owner: install kube-state-metrics"),
    });
    const store = await Store.open(db, memoryLogger());
    try {
      const usage = await store.all<{ avg: number; n: bigint }>(
        "SELECT avg(cpu_avg_cores) AS avg, count(*) AS n FROM prom_usage_hourly",
      );
      expect(Number(usage[0]!.n)).toBe(18);
      expect(usage[0]!.avg).toBeCloseTo(0.2, 6);
    } finally {
      store.close();
    }
  });

  it("records the usage history it read, and replays it offline to the same rows", async () => {
    const bundle = join(dir, "bundle");
    const recorded = await cliAsync(["collect", "--record", bundle, "--database", join(dir, "r.duckdb")], {
      cwd: dir,
      env: { KUBECONFIG: join(dir, "kubeconfig"), AWS_EC2_METADATA_DISABLED: "true" },
    });
    expect(recorded.code, recorded.stderr).toBe(3);
    const replay = await cliAsync(["collect", "--from", bundle, "--database", join(dir, "p.duckdb")], {
      cwd: dir,
    });
    expect(replay.code, replay.stderr).toBe(3); // no bill or spot history in this bundle
    const count = async (db: string) => {
      const store = await Store.open(db, memoryLogger());
      try {
        return await store.all<{ pod: string; hour: string; cpu: number; mem: bigint }>(
          "SELECT pod, hour::VARCHAR AS hour, round(cpu_avg_cores, 9) AS cpu, memory_max_bytes AS mem FROM prom_usage_hourly ORDER BY pod, hour",
        );
      } finally {
        store.close();
      }
    };
    const live = await count(join(dir, "r.duckdb"));
    expect(live.length).toBe(18);
    expect(await count(join(dir, "p.duckdb"))).toEqual(live);
  });
});
