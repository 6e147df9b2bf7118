/**
 * The Fargate family on a hand-computed scenario: pods written as the Kubernetes collector maps
 * them (mapPod on real pod objects: limits only, init containers, native sidecars, no requests,
 * an annotation that does not parse), analyzed by the real models, read back from the marts and
 * rendered. Four hours of window; a month is 730 hours, so a pod alive the whole window costs its
 * hourly price × 730 a month. Fargate in us-east-1: $0.04048 per vCPU-hour, $0.004445 per GB-hour.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { K8sObject } from "../../src/collect/kubernetes/map.js";
import { mapPod, ownerIndex } from "../../src/collect/kubernetes/pods.js";
import { analyze } from "../../src/services/analyze.js";
import { report } from "../../src/services/report.js";
import type { StoredRun } from "../../src/store/runs.js";
import { type Row, Store } from "../../src/store/store.js";
import { fargatePrices, GIB, node, price, testContext, writeScenario } from "../fixtures/scenario.js";

const WINDOW = { start: "2026-11-01T00:00:00Z", end: "2026-11-01T04:00:00Z" };
const VCPU = 0.04048;
const GB = 0.004445;
const MONTH = 730;
const FARGATE_NODE = "fargate-ip-10-0-0-1.ec2.internal";
const EC2_NODE = "ip-10-0-1-1.ec2.internal";

interface PodSpec {
  name: string;
  kind?: "Deployment" | "CronJob" | "DaemonSet";
  node?: string;
  annotation?: string;
  createdAt?: string;
  containers: Array<Record<string, unknown>>;
  initContainers?: Array<Record<string, unknown>>;
}

/** A pod object as the API server returns it, mapped to rows as the collector maps it. */
function k8sPod(spec: PodSpec): { pod: Row; containers: Row[] } {
  const kind = spec.kind ?? "Deployment";
  const owner =
    kind === "Deployment"
      ? { kind: "ReplicaSet", name: `${spec.name}-5d8f`, controller: true }
      : kind === "CronJob"
        ? { kind: "Job", name: `${spec.name}-2911`, controller: true }
        : { kind: "DaemonSet", name: spec.name, controller: true };
  const nodeName = spec.node ?? FARGATE_NODE;
  const object = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${spec.name}-x1`,
      namespace: "reports",
      creationTimestamp: spec.createdAt ?? "2026-10-01T00:00:00Z",
      labels: nodeName === FARGATE_NODE ? { "eks.amazonaws.com/fargate-profile": "fp" } : {},
      annotations: spec.annotation ? { CapacityProvisioned: spec.annotation } : {},
      ownerReferences: [owner],
    },
    spec: { nodeName, containers: spec.containers, initContainers: spec.initContainers },
    status: { phase: "Running" },
  } as unknown as K8sObject;
  const index = ownerIndex({
    replicasets: [
      {
        metadata: {
          name: `${spec.name}-5d8f`,
          namespace: "reports",
          ownerReferences: [{ kind: "Deployment", name: spec.name, controller: true }],
        },
      } as unknown as K8sObject,
    ],
    jobs: [
      {
        metadata: {
          name: `${spec.name}-2911`,
          namespace: "reports",
          ownerReferences: [{ kind: "CronJob", name: spec.name, controller: true }],
        },
      } as unknown as K8sObject,
    ],
  });
  const { pod, containers } = mapPod(object, "test", index);
  return { pod: pod as unknown as Row, containers: containers as unknown as Row[] };
}

const app = (resources: Record<string, unknown>, name = "app") => ({ name, image: "app:1", resources });

const PODS: PodSpec[] = [
  // AWS's example, with limits only (Kubernetes copies them into requests): 1 vCPU + 8 GiB.
  { name: "render", annotation: "2vCPU 9GB", containers: [app({ limits: { cpu: "1", memory: "8Gi" } })] },
  // Nothing set: the smallest size.
  { name: "empty", annotation: "0.25vCPU 0.5GB", containers: [app({})] },
  // An init container of 2 vCPU holds the pod at 2 vCPU (and so at least 4 GB).
  {
    name: "migrate",
    containers: [app({ requests: { cpu: "250m", memory: "512Mi" } })],
    initContainers: [app({ requests: { cpu: "2", memory: "1Gi" } }, "init")],
  },
  // A native sidecar counts with the app: 1 vCPU and 2.25 GiB → 1 vCPU / 3 GB.
  {
    name: "proxy",
    containers: [app({ requests: { cpu: "500m", memory: "1Gi" } })],
    initContainers: [
      { ...app({ requests: { cpu: "500m", memory: "1Gi" } }, "envoy"), restartPolicy: "Always" },
    ],
  },
  // 550m → 1 vCPU / 2 GB; 10 % less CPU and 256 MiB less memory fit 0.5 vCPU / 1 GB.
  { name: "step", containers: [app({ requests: { cpu: "550m", memory: "1Gi" } })] },
  // An annotation that is no size at all, with markup in it.
  {
    name: "odd",
    annotation: "<b>2vCPU</b> [x](javascript:alert(1)) 9GB",
    containers: [app({ requests: { cpu: "250m", memory: "256Mi" } })],
  },
];

const EC2_PODS: PodSpec[] = [
  // One DaemonSet pod per EC2 node: 0.4 vCPU and 1.6 GiB of the node's 4 vCPU and 16 GiB, so
  // a workload's requests there carry 0.4 / 3.6 = 1/9 more of each.
  {
    name: "node-agent",
    kind: "DaemonSet",
    node: EC2_NODE,
    containers: [app({ requests: { cpu: "400m", memory: `${1.6 * 1024}Mi` } })],
  },
  // A CronJob that ran in the window's last hour only: pods in 25 % of the hours.
  {
    name: "nightly",
    kind: "CronJob",
    node: EC2_NODE,
    createdAt: "2026-11-01T03:00:00Z",
    containers: [app({ requests: { cpu: "1", memory: "1Gi" } })],
  },
];

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

async function scenario(ec2UsdPerHour: string): Promise<StoredRun> {
  const mapped = [...PODS, ...EC2_PODS].map(k8sPod);
  await writeScenario(store, WINDOW, {
    k8s_nodes: [
      node(FARGATE_NODE, "", { instance_type: null, capacity_type: "fargate", compute_type: "fargate" }),
      node(EC2_NODE, "m5.xlarge", { cpu_capacity_cores: 4, memory_capacity_bytes: 16n * GIB }),
    ],
    k8s_pods: mapped.map((m) => m.pod),
    k8s_containers: mapped.flatMap((m) => m.containers),
    aws_prices: [...fargatePrices(), price("ec2", "m5.xlarge", "Hrs", ec2UsdPerHour)],
  });
  return analyze(testContext(), store);
}

type Sizing = Record<string, unknown> & { pod_name: string };
async function sizing(): Promise<Record<string, Sizing>> {
  const rows = await store.all<Sizing>("SELECT * FROM mart_fargate_sizing");
  return Object.fromEntries(rows.map((r) => [r.pod_name.replace(/-x1$/, ""), r]));
}

describe("Fargate sizes", () => {
  it("bills AWS's examples, init containers, native sidecars and limits-only pods at the documented sizes", async () => {
    await scenario("0.192");
    const s = await sizing();
    const sizes = Object.fromEntries(
      Object.entries(s).map(([name, r]) => [name, `${r.computed_vcpu}/${r.computed_memory_gib}`]),
    );
    expect(sizes).toEqual({
      render: "2/9",
      empty: "0.25/0.5",
      migrate: "2/4",
      proxy: "1/3",
      step: "1/2",
      odd: "0.25/0.5",
    });
  });

  it("prices the slack between the billed size and the need", async () => {
    await scenario("0.192");
    const s = await sizing();
    // render needs 1 vCPU and 8.25 GiB, billed 2 vCPU / 9 GB.
    expect(s.render!.monthly_slack_usd).toBeCloseTo((1 * VCPU + 0.75 * GB) * MONTH, 8);
    expect(s.render!.monthly_cost_usd).toBeCloseTo((2 * VCPU + 9 * GB) * MONTH, 8);
    // empty needs nothing but the 256 MiB: 0.25 vCPU and 0.25 GB of slack.
    expect(s.empty!.monthly_slack_usd).toBeCloseTo((0.25 * VCPU + 0.25 * GB) * MONTH, 8);
  });

  it("flags a pod a cut of at most 10 % (or 256 MiB) drops a size, with the new requests, size and saving", async () => {
    await scenario("0.192");
    const s = await sizing();
    // AWS's example: 256 MiB less memory (7.75 GiB + 256 MiB = 8 GiB) fits 1 vCPU / 8 GB.
    expect(s.render).toMatchObject({
      status: "step_down",
      recommended_vcpu: 1,
      recommended_memory_gib: 8,
      recommended_cpu_request_cores: 1,
      recommended_memory_request_bytes: BigInt(7.75 * 1024 ** 3),
    });
    expect(s.render!.monthly_savings_usd).toBeCloseTo((1 * VCPU + 1 * GB) * MONTH, 8);
    expect(s.step).toMatchObject({
      status: "step_down",
      recommended_vcpu: 0.5,
      recommended_memory_gib: 1,
      recommended_cpu_request_cores: 0.5,
      recommended_memory_request_bytes: 768n * 1024n ** 2n,
    });
    expect(s.step!.reason).toBe(
      "requests of 500m CPU and 768 Mi (from 550m and 1024 Mi) are billed as 0.5 vCPU / 1 GB instead of 1 vCPU / 2 GB",
    );
    expect(s.step!.counted_savings_usd).toBeCloseTo((0.5 * VCPU + 1 * GB) * MONTH, 8);
    // The init container holds migrate at 2 vCPU: a 10 % cut of it is not the pod's to make.
    expect(s.migrate!.status).toBe("no_change");
    expect(s.empty!.status).toBe("no_change");
    // The sidecar's 1 GiB with the app's: 2.25 GiB needs 3 GB; 256 MiB less fits 2 GB.
    expect(s.proxy).toMatchObject({ status: "step_down", recommended_vcpu: 1, recommended_memory_gib: 2 });
    expect(s.proxy!.monthly_savings_usd).toBeCloseTo(1 * GB * MONTH, 8);
  });

  it("says an annotation that does not parse is unparseable, not that it differs, and bills the computed size", async () => {
    await scenario("0.192");
    const s = await sizing();
    expect(s.odd).toMatchObject({
      annotation_status: "unparseable",
      billed_basis: "computed",
      billed_vcpu: 0.25,
    });
    expect(s.odd!.reason).toContain("its CapacityProvisioned annotation is unparseable");
    expect(s.render!.annotation_status).toBe("matches");
    expect(s.migrate!.annotation_status).toBe("absent");
  });

  it("never renders an unparseable annotation as markup, in HTML or Markdown; recommendations.json keeps it verbatim", async () => {
    const run = await scenario("0.192");
    const out = mkdtempSync(join(tmpdir(), "capacity-fargate-"));
    await report(testContext(), store, run, out, ["html", "md", "json", "csv"]);
    const html = readFileSync(join(out, "report.html"), "utf8");
    const md = readFileSync(join(out, "report.md"), "utf8");
    for (const text of [html, md]) {
      expect(text).not.toContain("<b>2vCPU");
      expect(text).not.toContain("javascript:alert");
      expect(text).toContain("unparseable");
    }
    const json = JSON.parse(readFileSync(join(out, "recommendations.json"), "utf8"));
    const odd = json.fargate.find((p: { pod: string }) => p.pod === "odd-x1");
    expect(odd).toMatchObject({
      annotation: "<b>2vCPU</b> [x](javascript:alert(1)) 9GB",
      annotationStatus: "unparseable",
    });
    const csv = readFileSync(join(out, "fargate.csv"), "utf8").split("\n");
    expect(csv[0]).toContain("cluster,namespace,pod_name");
    expect(csv.filter((l) => l.includes("step_down"))).toHaveLength(3);
  });
});

describe("Fargate or EC2", () => {
  const ec2 = (usdPerHour: number, cores: number, gib: number, hours: number) =>
    // The split's rates (9:1), grossed up by the DaemonSet's 1/9 per resource.
    ((cores * 9 * usdPerHour) / 52 + (gib * usdPerHour) / 52) * (10 / 9) * hours * (MONTH / 4);

  it("sends a large steady Fargate workload to a cheaper EC2 pool, its DaemonSet overhead included", async () => {
    await scenario("0.192");
    const rows = await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_fargate_placement ORDER BY workload_name",
    );
    const render = rows.find((r) => r.workload_name === "render")!;
    expect(render.daemonset_cpu_overhead).toBeCloseTo(1 / 9, 10);
    expect(render.ec2_monthly_usd).toBeCloseTo(ec2(0.192, 1, 8, 4), 8);
    expect(render.fargate_monthly_usd).toBeCloseTo((2 * VCPU + 9 * GB) * MONTH, 8);
    expect(render).toMatchObject({
      status: "move_to_ec2",
      runs_on: "fargate",
      ec2_pool: "nodes/m5.xlarge/on-demand",
    });
    expect(render.monthly_savings_usd).toBeCloseTo((2 * VCPU + 9 * GB) * MONTH - ec2(0.192, 1, 8, 4), 8);
    // Small (0.25 vCPU): stays, however steady.
    expect(rows.find((r) => r.workload_name === "empty")).toMatchObject({ status: "stay_on_fargate" });
    // The CronJob is bursty but dearer on Fargate at these prices: it stays, and says why.
    const nightly = rows.find((r) => r.workload_name === "nightly")!;
    expect(nightly).toMatchObject({ status: "stay_on_ec2", runs_on: "ec2", duty_cycle: 0.25 });
    expect(nightly.reason).toContain("Fargate would not save enough");
    expect(rows.some((r) => r.workload_kind === "DaemonSet")).toBe(false);
  });

  it("sends a rarely running CronJob to Fargate when its share of a node costs more", async () => {
    await scenario("1.00");
    const rows = await store.all<Record<string, unknown>>("SELECT * FROM mart_fargate_placement");
    const nightly = rows.find((r) => r.workload_name === "nightly")!;
    const fargate = (1 * VCPU + 2 * GB) * 1 * (MONTH / 4);
    expect(nightly).toMatchObject({ status: "move_to_fargate" });
    expect(nightly.monthly_savings_usd).toBeCloseTo(ec2(1, 1, 1, 1) - fargate, 8);
    expect(nightly.reason).toContain("a CronJob (pods in 25% of the hours)");
    expect(rows.find((r) => r.workload_name === "render")).toMatchObject({ status: "stay_on_fargate" });
  });
});

describe("the Fargate savings category", () => {
  it("says why none was computed when there is no Fargate pod and no Fargate price", async () => {
    const mapped = EC2_PODS.map(k8sPod);
    await writeScenario(store, WINDOW, {
      k8s_nodes: [node(EC2_NODE, "m5.xlarge")],
      k8s_pods: mapped.map((m) => m.pod),
      k8s_containers: mapped.flatMap((m) => m.containers),
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "0.192")],
    });
    const run = await analyze(testContext(), store);
    const out = mkdtempSync(join(tmpdir(), "capacity-fargate-"));
    await report(testContext(), store, run, out, ["json"]);
    const json = JSON.parse(readFileSync(join(out, "recommendations.json"), "utf8"));
    expect(json.summary.savingsByCategoryUsd.fargate).toEqual({
      usd: null,
      status: "not_computed",
      reason:
        "no Fargate pods, and no workload priced on both Fargate and EC2 (no Fargate price for the region, or no priced EC2 pool)",
      confidence: null,
    });
    expect(json.fargate).toEqual([]);
  });
});
