/**
 * The last planted cases of issue #21 (scripts/demo/autoscale.ts) through the real CLI: a node
 * group whose min size keeps the nodes off-peak would free, HPAs whose status says they cannot
 * scale, and a node group at its max size while build runners were Pending. Each figure is
 * computed here from the bundle (its nodes, pods, usage CSV and pending-pod CSV), the generator's
 * curve and the reference prices, never read back from the run alone.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AUTOSCALE_NODEGROUPS,
  BUILD_RUNNER,
  buildRunnersWanted,
  EXPORT_WORKER,
} from "../../scripts/demo/autoscale.js";
import { DEMO_PERIOD, DEMO_WINDOW } from "../../scripts/demo/generate.js";
import { podNeed } from "../../src/core/eks/fargate.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { parseBytes, parseCores } from "../../src/core/quantity.js";
import { readReferenceCsv } from "../../src/core/reference-csv.js";
import { Store } from "../../src/store/store.js";
import { cli } from "./cli.js";

const out = mkdtempSync(join(tmpdir(), "capacity-autoscale-"));
// biome-ignore lint/suspicious/noExplicitAny: the JSON documents under test.
type Json = any;
let rec: Json;
let store: Store;

beforeAll(async () => {
  const result = cli(["demo", "--out", out]);
  if (result.code !== 0) throw new Error(`demo failed (${result.code}):\n${result.stderr}`);
  rec = JSON.parse(readFileSync(join(out, "recommendations.json"), "utf8"));
  store = await Store.open(join(out, "capacity.duckdb"), memoryLogger());
}, 600_000);
afterAll(() => store?.close());

const bundle = (...path: string[]) => projectPath("data", "demo", ...path);
const items = (resource: string): Json[] =>
  JSON.parse(readFileSync(bundle("kubernetes", "demo-shop", `${resource}.json`), "utf8")).items;
const where = { object: "test", field: "requests" };

/** A node group's node: its allocatable CPU less what the DaemonSet pods on it reserve (init containers counted as the scheduler does). */
function freeCpu(nodegroup: string): { node: string; allocatable: number; free: number } {
  const node = items("nodes").find((n) => n.metadata.labels["eks.amazonaws.com/nodegroup"] === nodegroup);
  const allocatable = parseCores(node.status.allocatable.cpu, where);
  const ds = items("pods")
    .filter(
      (p) => p.spec.nodeName === node.metadata.name && p.metadata.ownerReferences?.[0]?.kind === "DaemonSet",
    )
    .reduce(
      (a, p) =>
        a +
        podNeed([
          ...(p.spec.initContainers ?? []).map((c: Json) => ({
            type: "init" as const,
            cpuCores: c.resources?.requests?.cpu ? parseCores(c.resources.requests.cpu, where) : 0,
            memoryBytes: 0,
          })),
          ...p.spec.containers.map((c: Json) => ({
            type: "regular" as const,
            cpuCores: c.resources?.requests?.cpu ? parseCores(c.resources.requests.cpu, where) : 0,
            memoryBytes: c.resources?.requests?.memory
              ? Number(parseBytes(c.resources.requests.memory, where))
              : 0,
          })),
        ]).cpuCores,
      0,
    );
  return { node: node.metadata.name, allocatable, free: allocatable - ds };
}

const usdPerHour = (type: string) =>
  Number(
    readReferenceCsv("ec2-ondemand-prices.csv").find(
      (r) => r.region === "us-east-1" && r.instance_type === type,
    )!.usd_per_hour,
  );

/** DuckDB's quantile_cont: linear interpolation between the order statistics. */
function quantileCont(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.ceil(pos)]! - s[lo]!) * (pos - lo);
}

describe("the demo's autoscaler cases (issue #21)", () => {
  it("says batch-od's min size keeps the node off-peak would free, with its node-hours, USD and the minSize to set", () => {
    // export-worker's demand per hour of the day: the p90 over the window of its pods' summed CPU.
    const text = gunzipSync(readFileSync(bundle("prometheus", "demo-shop", "usage_hourly.csv.gz"))).toString(
      "utf8",
    );
    const byHour = new Map<string, number>();
    for (const line of text.trimEnd().split("\n").slice(1)) {
      const f = line.split(",");
      if (f[1] === "batch" && f[6] === "export-worker")
        byHour.set(f[0]!, (byHour.get(f[0]!) ?? 0) + Number(f[7]));
    }
    const byHourOfDay = new Map<number, number[]>();
    for (const [hour, cpu] of byHour) {
      const h = new Date(hour).getUTCHours();
      byHourOfDay.set(h, [...(byHourOfDay.get(h) ?? []), cpu]);
    }
    const demand = new Map([...byHourOfDay].map(([h, v]) => [h, quantileCont(v, 0.9)]));
    const peak = Math.max(...demand.values());
    const offpeak = [...demand].filter(([, d]) => d < 0.4 * peak).map(([h]) => h);
    // Sized for 70 % of its 500m request per pod, never below 2 replicas.
    const recommended = Math.max(
      2,
      ...offpeak.map((h) => Math.ceil(demand.get(h)! / (0.7 * EXPORT_WORKER.cpuRequestCores))),
    );
    const w = rec.offpeak.workloads.find((x: Json) => x.workloadName === "export-worker");
    expect(w).toMatchObject({ capacityPool: "batch-od", status: "flat_offpeak", cause: "no_hpa" });
    expect([w.recommendedOffpeakReplicas, [...w.offpeakHoursOfDay].sort()]).toEqual([
      recommended,
      [...offpeak].sort(),
    ]);

    // By hand, per node of m6i.large: 1930m allocatable less the DaemonSets' 175m leaves F =
    // 1.755 cores. Held: 8 × 500m + queue-consumer's 2 × 250m = 4.5 cores → ceil(4.5 / 1.755) = 3
    // nodes; off-peak: 4 × 500m + 500m = 2.5 cores → 2 nodes (first fit: {3 exporters + 1
    // consumer = 1.75}, {the rest}; memory is never the bound: 1 GiB pods on 7 GiB nodes). The
    // min size (3) keeps the third: 9 off-peak hours × 1 node = 9 node-hours a day, × $0.096
    // × 730 / 24 = $26.28 a month, not counted in the savings.
    const { free } = freeCpu("batch-od");
    const consumer = 2 * 0.25;
    const held = Math.ceil((EXPORT_WORKER.replicas * EXPORT_WORKER.cpuRequestCores + consumer) / free);
    const needed = Math.ceil((recommended * EXPORT_WORKER.cpuRequestCores + consumer) / free);
    const minSize = AUTOSCALE_NODEGROUPS["batch-od"].minSize;
    expect(held).toBeLessThanOrEqual(minSize);
    const blockedPerDay = offpeak.length * (held - needed);
    const blockedUsd = (blockedPerDay * usdPerHour("m6i.large") * 730) / 24;
    const pool = rec.offpeak.pools.find((p: Json) => p.pool === "batch-od");
    expect(pool).toMatchObject({
      kind: "managed-node-group",
      autoscaler: "cluster-autoscaler",
      minSize,
      status: "blocked_min_size",
      nodeHoursHeldPerDay: 24 * minSize,
      nodeHoursNeededPerDay: 24 * minSize,
      nodeHoursSavedPerDay: 0,
      nodeHoursBlockedPerDay: blockedPerDay,
      fewestNodesNeeded: needed,
      monthlySavingsUsd: 0,
      paste: `aws eks update-nodegroup-config --cluster-name demo-shop --nodegroup-name batch-od --scaling-config minSize=${needed}`,
    });
    expect(pool.monthlyBlockedUsd).toBeCloseTo(blockedUsd, 2);
    expect(pool.reason).toContain(
      `${blockedPerDay} node-hours a day could go off-peak, but the node group's min size (${minSize}) keeps them`,
    );
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain(`--nodegroup-name batch-od --scaling-config minSize=${needed}`);
  });

  it("flags the HPAs whose status says ScalingActive=False, with the controller's reason and what to do", async () => {
    const findings = rec.autoscaling.hpas.filter((h: Json) => h.finding === "scaling_inactive");
    expect(findings.map((h: Json) => `${h.namespace}/${h.hpa}`).sort()).toEqual([
      "batch/queue-consumer",
      "shop/price-alerts",
    ]);
    const queue = findings.find((h: Json) => h.hpa === "queue-consumer");
    expect(queue.reason).toMatch(
      /^ScalingActive=False \(FailedGetExternalMetric\): the HPA was unable to compute the replica count/,
    );
    expect(queue.reason).toContain("get sqs_approximate_number_of_messages_visible.external.metrics.k8s.io");
    expect(queue.reason).toContain("kubectl get apiservice v1beta1.external.metrics.k8s.io");
    const alerts = findings.find((h: Json) => h.hpa === "price-alerts");
    expect(alerts.reason).toContain("FailedGetResourceMetric");
    expect(alerts.reason).toContain("missing request for cpu in container price-alerts");
    const hpa = items("horizontalpodautoscalers").find((h) => h.metadata.name === "queue-consumer");
    const [row] = await store.all<{ hpa_conditions: string }>(
      "select hpa_conditions from k8s_workloads where namespace = 'batch' and name = 'queue-consumer'",
    );
    // The conditions stored are the bundle's, every field (times in the collector's one spelling).
    expect(JSON.parse(row!.hpa_conditions)).toEqual(
      hpa.status.conditions.map((c: Json) => ({
        ...c,
        lastTransitionTime: new Date(c.lastTransitionTime).toISOString(),
      })),
    );
  });

  it("finds ci-od at its max size for the hours build runners were Pending, and the maxSize that holds them", () => {
    // Two m6i.large nodes hold floor(F / 750m) runners each; every hour the HPA wants more (its
    // desired count from the generator's curve), the rest wait. The pending-pod CSV says the same.
    const { free, allocatable } = freeCpu("ci-od");
    const runnable = Math.floor(free / BUILD_RUNNER.cpuRequestCores) * AUTOSCALE_NODEGROUPS["ci-od"].nodes;
    const hours = (Date.parse(DEMO_WINDOW.end) - Date.parse(DEMO_WINDOW.start)) / 3_600_000;
    const waiting = Array.from({ length: hours }, (_, h) =>
      Math.max(0, buildRunnersWanted(h, DEMO_PERIOD) - runnable),
    );
    const csv = readFileSync(bundle("prometheus", "demo-shop", "pending_pods_hourly.csv"), "utf8")
      .trimEnd()
      .split("\n")
      .slice(1);
    expect(csv.length).toBe(waiting.reduce((a, b) => a + b, 0));
    const peak = Math.max(...waiting);
    // By hand: 4 runners fit (1.755 / 0.75 → 2 per node); the HPA wants ceil(2.2 × traffic / 0.525),
    // above 4 on weekday evenings and through the 13 November sale (up to its max of 8: 4 waiting).
    const group = rec.autoscaling.nodeGroups.find((g: Json) => g.nodegroup === "ci-od");
    expect(group).toMatchObject({
      maxSize: AUTOSCALE_NODEGROUPS["ci-od"].maxSize,
      pendingPods: 0,
      finding: "at_max_pending",
      hoursAtMaxPending: waiting.filter((n) => n > 0).length,
      pendingPodHoursAtMax: waiting.reduce((a, b) => a + b, 0),
      peakPendingPodsAtMax: peak,
      suggestedMaxSize:
        AUTOSCALE_NODEGROUPS["ci-od"].maxSize +
        Math.ceil((peak * BUILD_RUNNER.cpuRequestCores) / allocatable),
    });
    expect(group.paste).toBe(
      `aws eks update-nodegroup-config --cluster-name demo-shop --nodegroup-name ci-od --scaling-config maxSize=${group.suggestedMaxSize}`,
    );
    expect(group.hoursAtMaxPending).toBeGreaterThan(24);
    // The other node groups never had a pod waiting.
    expect(
      rec.autoscaling.nodeGroups
        .filter((g: Json) => g.finding === "at_max_pending")
        .map((g: Json) => g.nodegroup),
    ).toEqual(["ci-od"]);
  });
});
