/**
 * The Prometheus collector against a real Prometheus loaded with series whose hourly answers are
 * known exactly: a container at a constant 0.25 cores (scraped twice, plus the cgroup-level
 * container="" and "POD" series that must be dropped), one with a 2-hour spike to 1.8 cores and
 * 25 % CPU throttling during it, a memory series with a known 10-minute peak, an OOM kill, and
 * a pod replaced by a new ReplicaSet half way.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrometheusApi } from "../../src/collect/prometheus/client.js";
import type { collectUsageLive } from "../../src/collect/prometheus/index.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import {
  backfillRules,
  havePrometheus,
  omSeries,
  type RunningPrometheus,
  startPrometheus,
} from "../fixtures/prometheus.js";
import { collectIntoStore } from "../fixtures/usage-store.js";

const available = havePrometheus();
const MI = 1024 * 1024;
const t = (iso: string) => Date.parse(iso) / 1000;
const FROM = t("2026-11-09T23:00:00Z");
const SWITCH = t("2026-11-11T00:00:00Z");
const TO = t("2026-11-12T00:00:00Z");
const STEP = 30;
const SPIKE = [t("2026-11-10T10:00:00Z"), t("2026-11-10T12:00:00Z")] as const;
const PEAK = [t("2026-11-10T14:20:00Z"), t("2026-11-10T14:30:00Z")] as const;
const OOM = t("2026-11-10T15:30:00Z");
const RECREATE = t("2026-11-11T06:00:00Z");
/** F: a pod of api's first ReplicaSet Pending from 08:00 (exclusive) to 09:15 (inclusive) on the 10th. */
const PENDING = [t("2026-11-10T08:00:00Z"), t("2026-11-10T09:15:00Z")] as const;

/** A counter growing at rate(t) per second. */
function counter(rate: (s: number) => number, from: number) {
  let total = 0;
  let last = from;
  return (s: number) => {
    for (; last < s; last += 1) total += rate(last);
    return total;
  };
}

function series(): string {
  const c = { cluster: "test" };
  const out: string[] = [];
  const add = (
    name: string,
    labels: Record<string, string>,
    value: (s: number) => number | undefined,
    from = FROM,
    to = TO,
  ) => out.push(omSeries(name, { ...c, ...labels }, from, to, STEP, value));
  const pod = (namespace: string, podName: string, container: string, node: string) => ({
    namespace,
    pod: podName,
    container,
    node,
  });

  // A: constant 0.25 cores, scraped by two jobs; cgroup-level series beside it.
  const a = pod("shop", "web-7d9f8c6b5d-abcde", "web", "ip-10-0-1-1.ec2.internal");
  for (const job of ["kubelet", "kubelet-extra"]) {
    add(
      "container_cpu_usage_seconds_total",
      { namespace: a.namespace, pod: a.pod, container: "web", job },
      counter(() => 0.25, FROM),
    );
    add(
      "container_memory_working_set_bytes",
      { namespace: a.namespace, pod: a.pod, container: "web", job },
      () => 100 * MI,
    );
  }
  add(
    "container_cpu_usage_seconds_total",
    { namespace: a.namespace, pod: a.pod, container: "", job: "kubelet" },
    counter(() => 3, FROM),
  );
  add(
    "container_cpu_usage_seconds_total",
    { namespace: a.namespace, pod: a.pod, container: "POD", job: "kubelet" },
    counter(() => 0.001, FROM),
  );
  add(
    "container_memory_working_set_bytes",
    { namespace: a.namespace, pod: a.pod, container: "POD", job: "kubelet" },
    () => 1 * MI,
  );
  add(
    "kube_pod_container_resource_requests",
    { namespace: a.namespace, pod: a.pod, container: "web", resource: "cpu", unit: "core" },
    () => 0.5,
  );
  add(
    "kube_pod_container_resource_requests",
    { namespace: a.namespace, pod: a.pod, container: "web", resource: "memory", unit: "byte" },
    () => 256 * MI,
  );
  add(
    "kube_pod_owner",
    {
      namespace: a.namespace,
      pod: a.pod,
      owner_kind: "ReplicaSet",
      owner_name: "web-7d9f8c6b5d",
      owner_is_controller: "true",
    },
    () => 1,
  );
  add(
    "kube_replicaset_owner",
    { namespace: a.namespace, replicaset: "web-7d9f8c6b5d", owner_kind: "Deployment", owner_name: "web" },
    () => 1,
  );
  add(
    "kube_pod_info",
    {
      namespace: a.namespace,
      pod: a.pod,
      node: a.node,
      created_by_kind: "ReplicaSet",
      created_by_name: "web-7d9f8c6b5d",
    },
    () => 1,
  );

  // B: 0.1 cores with a 2-hour spike to 1.8 (throttled 25 % of periods during it), memory with a 10-minute peak.
  const inSpike = (s: number) => s >= SPIKE[0] && s < SPIKE[1];
  add(
    "container_cpu_usage_seconds_total",
    { namespace: "shop", pod: "search-0", container: "search", job: "kubelet" },
    counter((s) => (inSpike(s) ? 1.8 : 0.1), FROM),
  );
  add(
    "container_cpu_cfs_periods_total",
    { namespace: "shop", pod: "search-0", container: "search", job: "kubelet" },
    counter(() => 10, FROM),
  );
  add(
    "container_cpu_cfs_throttled_periods_total",
    { namespace: "shop", pod: "search-0", container: "search", job: "kubelet" },
    counter((s) => (inSpike(s) ? 2.5 : 0), FROM),
  );
  add(
    "container_memory_working_set_bytes",
    { namespace: "shop", pod: "search-0", container: "search", job: "kubelet" },
    (s) => (s >= PEAK[0] && s < PEAK[1] ? 900 * MI : 200 * MI),
  );
  add(
    "kube_pod_owner",
    {
      namespace: "shop",
      pod: "search-0",
      owner_kind: "StatefulSet",
      owner_name: "search",
      owner_is_controller: "true",
    },
    () => 1,
  );
  add(
    "kube_pod_info",
    {
      namespace: "shop",
      pod: "search-0",
      node: "ip-10-0-1-2.ec2.internal",
      created_by_kind: "StatefulSet",
      created_by_name: "search",
    },
    () => 1,
  );

  // C: an OOM kill at 15:30 on the 10th.
  const cPod = "ledger-5f6d7c8b9a-qwert";
  add(
    "container_cpu_usage_seconds_total",
    { namespace: "payments", pod: cPod, container: "ledger", job: "kubelet" },
    counter(() => 0.05, FROM),
  );
  add(
    "container_memory_working_set_bytes",
    { namespace: "payments", pod: cPod, container: "ledger", job: "kubelet" },
    () => 400 * MI,
  );
  add(
    "kube_pod_container_status_restarts_total",
    { namespace: "payments", pod: cPod, container: "ledger" },
    (s) => (s >= OOM ? 1 : 0),
  );
  add(
    "kube_pod_container_status_last_terminated_reason",
    { namespace: "payments", pod: cPod, container: "ledger", reason: "OOMKilled" },
    (s) => (s >= OOM ? 1 : undefined),
  );
  add(
    "kube_pod_info",
    {
      namespace: "payments",
      pod: cPod,
      node: "ip-10-0-1-3.ec2.internal",
      created_by_kind: "ReplicaSet",
      created_by_name: "ledger-5f6d7c8b9a",
    },
    () => 1,
  );

  // D: api-aaa… until midnight, then api-ddd… of a new ReplicaSet; kube_pod_owner knows both.
  for (const [podName, rs, from, to] of [
    ["api-6b7c8d9e5f-aaaaa", "api-6b7c8d9e5f", FROM, SWITCH],
    ["api-5c4d3e2f1a-bbbbb", "api-5c4d3e2f1a", SWITCH + STEP, TO],
  ] as const) {
    add(
      "container_cpu_usage_seconds_total",
      { namespace: "shop", pod: podName, container: "api", job: "kubelet" },
      counter(() => 0.3, from),
      from,
      to,
    );
    add(
      "container_memory_working_set_bytes",
      { namespace: "shop", pod: podName, container: "api", job: "kubelet" },
      () => 300 * MI,
      from,
      to,
    );
    add(
      "kube_pod_owner",
      {
        namespace: "shop",
        pod: podName,
        owner_kind: "ReplicaSet",
        owner_name: rs,
        owner_is_controller: "true",
      },
      () => 1,
      from,
      to,
    );
    add(
      "kube_replicaset_owner",
      { namespace: "shop", replicaset: rs, owner_kind: "Deployment", owner_name: "api" },
      () => 1,
      from,
      to,
    );
    add(
      "kube_pod_info",
      {
        namespace: "shop",
        pod: podName,
        node: "ip-10-0-1-4.ec2.internal",
        created_by_kind: "ReplicaSet",
        created_by_name: rs,
      },
      () => 1,
      from,
      to,
    );
  }
  // E: StatefulSet pod cache-0 recreated at 06:00 on the 11th on another node, with a larger CPU
  // request (a new container: new cgroup id, counter from zero).
  for (const [uid, node, cpuRequest, from, to] of [
    ["a", "ip-10-0-1-5.ec2.internal", 0.5, FROM, RECREATE],
    ["b", "ip-10-0-1-6.ec2.internal", 1, RECREATE + 60, TO],
  ] as const) {
    const ids = { namespace: "payments", pod: "cache-0" };
    add(
      "container_cpu_usage_seconds_total",
      { ...ids, container: "cache", id: `/${uid}`, job: "kubelet" },
      counter(() => 0.2, from),
      from,
      to,
    );
    add(
      "container_memory_working_set_bytes",
      { ...ids, container: "cache", id: `/${uid}`, job: "kubelet" },
      () => 150 * MI,
      from,
      to,
    );
    add(
      "kube_pod_info",
      { ...ids, node, uid, created_by_kind: "StatefulSet", created_by_name: "cache" },
      () => 1,
      from,
      to,
    );
    add(
      "kube_pod_container_resource_requests",
      { ...ids, container: "cache", node, uid, resource: "cpu", unit: "core" },
      () => cpuRequest,
      from,
      to,
    );
  }
  // F: kube-state-metrics' phase series, 1 for the current phase and 0 for the others: a pod that
  // waited 75 minutes before it ran, and web, Running all along.
  const pendingPod = { namespace: "shop", pod: "api-6b7c8d9e5f-ppppp" };
  const waiting = (s: number) => s > PENDING[0] && s <= PENDING[1];
  add("kube_pod_status_phase", { ...pendingPod, phase: "Pending" }, (s) => (waiting(s) ? 1 : 0));
  add("kube_pod_status_phase", { ...pendingPod, phase: "Running" }, (s) => (waiting(s) ? 0 : 1));
  add(
    "kube_pod_owner",
    { ...pendingPod, owner_kind: "ReplicaSet", owner_name: "api-6b7c8d9e5f", owner_is_controller: "true" },
    () => 1,
  );
  add("kube_pod_status_phase", { namespace: "shop", pod: "web-7d9f8c6b5d-abcde", phase: "Pending" }, () => 0);
  add("kube_pod_status_phase", { namespace: "shop", pod: "web-7d9f8c6b5d-abcde", phase: "Running" }, () => 1);
  // Another cluster's series on the same Prometheus: must not be read.
  out.push(
    omSeries(
      "container_cpu_usage_seconds_total",
      { cluster: "other", namespace: "shop", pod: "web-7d9f8c6b5d-abcde", container: "web" },
      FROM,
      TO,
      60,
      counter(() => 5, FROM),
    ),
  );
  return `${out.join("\n")}\n# EOF\n`;
}

let prometheus: RunningPrometheus | undefined;
const rows: Array<Record<string, unknown>> = [];
let result: Awaited<ReturnType<typeof collectUsageLive>>;
let api: PrometheusApi;

/** Collects the test window from a running Prometheus into `into`, as `capacity collect` would. */
async function collect(
  from: RunningPrometheus,
  into: Array<Record<string, unknown>>,
  rateWindow = "5m",
  namespaces: string[] = [],
) {
  const client = new PrometheusApi(
    { url: from.url, timeoutSeconds: 30, retries: 2, minRetryDelayMs: 10 },
    memoryLogger(),
  );
  const { collected, rows: loaded } = await collectIntoStore(client, {
    cluster: "test",
    window: { start: new Date("2026-11-10T00:00:00Z"), end: new Date("2026-11-12T00:00:00Z") },
    clusterLabel: { name: "cluster", value: "test" },
    concurrency: 4,
    podBatchSize: 2,
    rateWindow,
    recordingRules: "auto",
    // Small pieces: the answers reach the store in several loads.
    spoolPieceBytes: 20_000,
    namespaces,
  });
  into.push(...loaded);
  return { client, collected };
}

beforeAll(async () => {
  if (!available) return;
  prometheus = await startPrometheus(series());
  ({ client: api, collected: result } = await collect(prometheus, rows));
}, 600_000);
afterAll(async () => prometheus?.stop());

const at = (pod: string, container: string, hour: string) =>
  rows.find((r) => r.pod === pod && r.container === container && (r.hour as Date).toISOString() === hour);

describe.skipIf(!available)("Prometheus collector against a real Prometheus", () => {
  it("reads the hours a pod was Pending, with the share of each hour and its workload, and no pod that never waited", () => {
    // (08:00, 09:00]: all 120 samples of 30 s Pending; (09:00, 10:00]: 09:00:30 to 09:15:00, 30 of 120.
    expect(result.pending).toEqual([
      {
        cluster: "test",
        hour: "2026-11-10T08:00:00.000Z",
        namespace: "shop",
        pod: "api-6b7c8d9e5f-ppppp",
        workload_kind: "Deployment",
        workload_name: "api",
        pending_ratio: 1,
      },
      {
        cluster: "test",
        hour: "2026-11-10T09:00:00.000Z",
        namespace: "shop",
        pod: "api-6b7c8d9e5f-ppppp",
        workload_kind: "Deployment",
        workload_name: "api",
        pending_ratio: expect.closeTo(0.25, 9),
      },
    ]);
    expect(result.pendingGaps).toBe(0);
  });

  it("stores a constant container exactly: 0.25 cores every hour, not doubled by the second scrape job", () => {
    const web = rows.filter((r) => r.pod === "web-7d9f8c6b5d-abcde");
    expect(web.length).toBe(48);
    expect(new Set(web.map((r) => r.container))).toEqual(new Set(["web"]));
    for (const r of web) {
      expect(r.cpu_avg_cores).toBeCloseTo(0.25, 9);
      expect(r.cpu_max_cores).toBeCloseTo(0.25, 9);
      expect(r.cpu_p95_cores).toBeCloseTo(0.25, 9);
      expect(r.memory_max_bytes).toBe(104857600n);
      expect(r.memory_avg_bytes).toBe(104857600);
      expect(r.cpu_request_cores).toBe(0.5);
      expect(r.memory_request_bytes).toBe(268435456n);
      expect(r.samples).toBe(120);
    }
    expect(web[0]).toMatchObject({
      node: "ip-10-0-1-1.ec2.internal",
      workload_kind: "Deployment",
      workload_name: "web",
      namespace: "shop",
      cluster: "test",
    });
  });

  it("keeps a 2-hour spike to 1.8 cores in the hours it happened, with its 25 % throttling", () => {
    expect(at("search-0", "search", "2026-11-10T09:00:00.000Z")?.cpu_avg_cores).toBeCloseTo(0.1, 9);
    for (const hour of ["2026-11-10T10:00:00.000Z", "2026-11-10T11:00:00.000Z"]) {
      const r = at("search-0", "search", hour)!;
      expect(r.cpu_avg_cores).toBeCloseTo(1.8, 9);
      expect(r.cpu_max_cores).toBeCloseTo(1.8, 9);
      expect(r.cpu_p95_cores).toBeCloseTo(1.8, 9);
      expect(r.cpu_throttled_ratio).toBeCloseTo(0.25, 3);
    }
    expect(at("search-0", "search", "2026-11-10T12:00:00.000Z")?.cpu_avg_cores).toBeCloseTo(0.1, 9);
    expect(at("search-0", "search", "2026-11-10T09:00:00.000Z")?.cpu_throttled_ratio).toBe(0);
    expect(at("search-0", "search", "2026-11-10T10:00:00.000Z")).toMatchObject({
      workload_kind: "StatefulSet",
      workload_name: "search",
    });
  });

  it("catches a 10-minute memory peak in its hour's maximum, and averages it over 5-minute steps", () => {
    const r = at("search-0", "search", "2026-11-10T14:00:00.000Z")!;
    expect(r.memory_max_bytes).toBe(943718400n);
    expect(r.memory_avg_bytes).toBeCloseTo(((10 * 200 + 2 * 900) / 12) * MI, 0);
    expect(at("search-0", "search", "2026-11-10T13:00:00.000Z")?.memory_max_bytes).toBe(209715200n);
  });

  it("counts the OOM kill and the restart in the hour they happened, and nowhere else", () => {
    const ledger = rows.filter((r) => r.pod === "ledger-5f6d7c8b9a-qwert");
    expect(
      ledger
        .filter((r) => (r.oom_kills as number) > 0)
        .map((r) => [(r.hour as Date).toISOString(), r.oom_kills, r.restarts]),
    ).toEqual([["2026-11-10T15:00:00.000Z", 1, 1]]);
    expect(ledger.reduce((a, r) => a + (r.restarts as number), 0)).toBe(1);
    expect(ledger[0]).toMatchObject({ workload_kind: "Deployment", workload_name: "ledger" }); // from the name: no kube_pod_owner
  });

  it("maps a pod replaced by a new ReplicaSet half way to the same Deployment, each for its own hours", () => {
    const api24 = (pod: string) => rows.filter((r) => r.pod === pod);
    expect(api24("api-6b7c8d9e5f-aaaaa").length).toBe(24);
    expect(api24("api-5c4d3e2f1a-bbbbb").length).toBe(24);
    expect(
      new Set(
        rows
          .filter((r) => String(r.pod).startsWith("api-"))
          .map((r) => `${r.workload_kind}/${r.workload_name}`),
      ),
    ).toEqual(new Set(["Deployment/api"]));
    expect((api24("api-5c4d3e2f1a-bbbbb")[0]!.hour as Date).getTime()).toBeGreaterThanOrEqual(
      Date.parse("2026-11-11T00:00:00Z"),
    );
  });

  it("gives a pod recreated on another node with a new request each node and request for its own hours", () => {
    const cache = (hour: string) => at("cache-0", "cache", hour);
    // The 10th: nothing changed, the day's facts stand for every hour.
    expect(cache("2026-11-10T12:00:00.000Z")).toMatchObject({
      node: "ip-10-0-1-5.ec2.internal",
      cpu_request_cores: 0.5,
    });
    // The 11th: read hour by hour.
    for (const hour of ["2026-11-11T00:00:00.000Z", "2026-11-11T05:00:00.000Z"])
      expect(cache(hour)).toMatchObject({ node: "ip-10-0-1-5.ec2.internal", cpu_request_cores: 0.5 });
    for (const hour of ["2026-11-11T06:00:00.000Z", "2026-11-11T23:00:00.000Z"])
      expect(cache(hour)).toMatchObject({ node: "ip-10-0-1-6.ec2.internal", cpu_request_cores: 1 });
    expect(cache("2026-11-11T08:00:00.000Z")?.cpu_avg_cores).toBeCloseTo(0.2, 9);
    expect(cache("2026-11-11T08:00:00.000Z")).toMatchObject({
      workload_kind: "StatefulSet",
      workload_name: "cache",
    });
    // cache-0 on the 11th, search-0 (throttled) and ledger (restarted) on the 10th; no other pod-day.
    expect(result.hourlyPodDays).toBe(3);
    // search-0 has a CPU limit and was not throttled on the 11th: 0, from the day's facts.
    expect(at("search-0", "search", "2026-11-11T10:00:00.000Z")?.cpu_throttled_ratio).toBe(0);
  });

  it("reads only its own cluster, splits by namespace, pod batch and day, and counts what it asked", () => {
    expect(rows.every((r) => r.cluster === "test")).toBe(true);
    expect(at("web-7d9f8c6b5d-abcde", "web", "2026-11-11T05:00:00.000Z")?.cpu_avg_cores).toBeCloseTo(0.25, 9);
    expect(result.namespaces).toBe(2);
    expect(result.days).toBe(2);
    expect(result.scopes).toBe(3); // shop has 4 pods (batches of 2), payments 2
    expect(result.gaps).toEqual([]);
    expect(result.missingMetrics.map((m) => m.metric)).toEqual([]);
    expect(result.endpoint).toMatch(/^Prometheus-compatible API, build 2\./);
    expect(api.stats.queries).toBeGreaterThan(12);
    expect(api.stats.bytes).toBeGreaterThan(0);
    expect(api.stats.failures).toBe(0);
    expect(api.stats.prometheusExecSeconds).toBeGreaterThan(0); // Prometheus' own timings (stats=all)
  });
});

describe.skipIf(!available)("a collection scoped to namespaces (-n)", () => {
  it("asks only for those namespaces, and gets exactly their rows of a whole collection", async () => {
    const scoped: Array<Record<string, unknown>> = [];
    const { client, collected } = await collect(prometheus!, scoped, "5m", ["payments"]);
    expect(collected.namespaces).toBe(1);
    expect(client.stats.queries).toBeLessThan(api.stats.queries);
    const key = (r: Record<string, unknown>) => `${r.pod}/${r.container}/${(r.hour as Date).toISOString()}`;
    const whole = rows.filter((r) => r.namespace === "payments");
    expect(whole.length).toBeGreaterThan(0);
    expect(scoped.map(key).sort()).toEqual(whole.map(key).sort());
  }, 600_000);
});

const RULES = projectPath("deploy", "prometheus", "capacity-rules.yaml");

describe.skipIf(!available)("the recording rule (deploy/prometheus/capacity-rules.yaml)", () => {
  it("records one 1-minute rate per container: two scrape jobs collapse, cgroup-level series stay out (promtool test rules)", () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-rules-"));
    const test = join(dir, "test.yaml");
    const labels = 'namespace="shop",pod="web-1",container="web",id="/k",image="i",name="n"';
    writeFileSync(
      test,
      [
        "rule_files:",
        `  - ${RULES}`,
        "evaluation_interval: 1m",
        "tests:",
        "  - interval: 1m",
        "    input_series:",
        `      - series: 'container_cpu_usage_seconds_total{${labels},job="kubelet",instance="a"}'`,
        "        values: '0+15x30'",
        `      - series: 'container_cpu_usage_seconds_total{${labels},job="kubelet-extra",instance="b"}'`,
        "        values: '0+15x30'",
        `      - series: 'container_cpu_usage_seconds_total{namespace="shop",pod="web-1",container="",job="kubelet",instance="a"}'`,
        "        values: '0+180x30'",
        "    promql_expr_test:",
        "      - expr: capacity:container_cpu_usage_seconds:rate1m",
        "        eval_time: 20m",
        "        exp_samples:",
        `          - labels: 'capacity:container_cpu_usage_seconds:rate1m{namespace="shop",pod="web-1",container="web"}'`,
        "            value: 0.25",
        "",
      ].join("\n"),
    );
    // promtool exits non-zero, with the differences, when a sample does not match.
    expect(execFileSync("promtool", ["test", "rules", test], { encoding: "utf8" })).toContain("SUCCESS");
  });

  it("spares Prometheus the subqueries on the days the rule recorded, with the same hourly answers", async () => {
    // The same series; the rule backfilled from the last hour of day 1 on: day 2 is covered, day 1 not.
    let recorded = await startPrometheus(series());
    recorded = await backfillRules(recorded, RULES, SWITCH - 3600, TO);
    try {
      // The rule records 1-minute rates: compared with the subqueries over 1-minute rates.
      const subqueries: Array<Record<string, unknown>> = [];
      const { collected: plain } = await collect(prometheus!, subqueries, "1m");
      const withRules: Array<Record<string, unknown>> = [];
      const { collected } = await collect(recorded, withRules, "1m");
      expect(plain.recordedDays).toBe(0); // the first Prometheus has no such series
      expect(result.recordedDays).toBe(0); // nor of 5-minute rates for the 5m window
      expect(collected.recordedDays).toBe(2); // both namespaces on day 2
      expect(withRules.length).toBe(subqueries.length);
      const key = (r: Record<string, unknown>) => `${r.pod}/${r.container}/${(r.hour as Date).toISOString()}`;
      const before = new Map(subqueries.map((r) => [key(r), r]));
      for (const r of withRules) {
        const b = before.get(key(r))!;
        for (const column of ["cpu_avg_cores", "cpu_max_cores", "cpu_p95_cores"]) {
          expect(r[column] as number, `${key(r)} ${column}`).toBeCloseTo(b[column] as number, 9);
        }
        expect([r.memory_max_bytes, r.oom_kills, r.node]).toEqual([b.memory_max_bytes, b.oom_kills, b.node]);
      }
      // The spike on day 1 still comes from the subqueries: 1.8 cores at its peak.
      expect(
        withRules.find((r) => key(r) === "search-0/search/2026-11-10T10:00:00.000Z")?.cpu_max_cores,
      ).toBeCloseTo(1.8, 9);
    } finally {
      await recorded.stop();
    }
  }, 600_000);
});
