/**
 * Karpenter NodePools whose `limits` were reached while pods that land on them were Pending, on a
 * small hand-made cluster through the real models (pending-pod history, node inventory, NodePool
 * objects) and the autoscaling section.
 *
 * The window is 2026-11-01 00:00–24:00 UTC. Each workload runs one pod on its pool's first node
 * all day, so its Pending pods land on that pool.
 *   batch   limits cpu 16000m (16 vCPU). Node b1 (8 vCPU) up all day, b2 (8 vCPU) from 06:00.
 *           Pending: job-p1 at 02:00 (1.0) and 03:00 (0.5) while the pool had 8 vCPU (below the
 *           limit: Karpenter was launching b2); job-p2 and job-p3 from 10:00 to 13:00 with 16 vCPU
 *           up (at the limit): 10:00 1.0 + 1.0, 11:00 1.0 + 0.5, 12:00 0.25, 13:00 1.0.
 *           → limit_reached_pending for 4 hours (10–13), 2 + 1.5 + 0.25 + 1 = 4.75 pod-hours,
 *             16 vCPU of its 16; in all it had pods Pending 6 hours, 4.75 + 1.5 = 6.25 pod-hours.
 *   mem     limits cpu 1000, memory 32Gi. Nodes m1, m2 (4 vCPU, 16 GiB each) up all day: 32 GiB.
 *           Pending: cache-p1 at 05:00 (1.0).
 *           → limit_reached_pending on memory for 1 hour, 1 pod-hour, 32 GiB of 32 GiB (8 vCPU
 *             of 1000: the CPU limit is not what stopped it).
 *   roomy   limits cpu 100. Node r1 (8 vCPU). Pending: web-p1 at 07:00 and 08:00 (1.0 each).
 *           → below its limits: no finding.
 *   open    no limits. Node o1 (8 vCPU). Pending: api-p1 at 09:00 (1.0).
 *           → no limits: no finding.
 *   gpu     limits nvidia.com/gpu 4 only. Node g1 (8 vCPU). Pending: train-p1 at 15:00 (1.0).
 *           → no finding, and the reason says the GPU limit is not compared (no GPU capacity in
 *             the node inventory).
 *   late    limits cpu 8. Node l1 (8 vCPU) from 12:00 (the workload runs there from 12:00).
 *           Pending: etl-p1 at 04:00 (1.0), when the pool had no node.
 *           → limit_reached (at the snapshot), not while pods were Pending.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoscaling } from "../../src/analyze/autoscaling/index.js";
import { autoscalingSettings } from "../../src/analyze/autoscaling/settings.js";
import { martReader } from "../../src/analyze/marts.js";
import { projectPath } from "../../src/core/paths.js";
import { analyze } from "../../src/services/analyze.js";
import { latestRun } from "../../src/store/runs.js";
import type { Row } from "../../src/store/store.js";
import { Store } from "../../src/store/store.js";
import { container, GIB, node, pod, price, testContext, usage, writeScenario } from "../fixtures/scenario.js";

const START = Date.parse("2026-11-01T00:00:00Z");
const hourAt = (h: number) => new Date(START + h * 3_600_000).toISOString();

function nodePool(name: string, limits: Record<string, string>): Row {
  return {
    cluster: "test",
    kind: "NodePool",
    name,
    nodepool: null,
    node_name: null,
    instance_type: null,
    capacity_type: null,
    zone: null,
    requirements: [],
    limits,
    disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized" },
    weight: null,
    created_at: "2026-10-01T00:00:00Z",
  };
}

const poolNode = (name: string, pool: string, type: string, over: Row = {}) =>
  node(name, type, { nodepool: pool, labels: { "karpenter.sh/nodepool": pool }, ...over });
const xl = { cpu_capacity_cores: 4, memory_capacity_bytes: 16n * GIB };
const x2 = { cpu_capacity_cores: 8, memory_capacity_bytes: 32n * GIB };

/** [workload, node it runs on, first hour it runs, pending rows as [pod, hour, share]]. */
const WORKLOADS: Array<[string, string, number, Array<[string, number, number]>]> = [
  [
    "job",
    "b1",
    0,
    [
      ["job-p1", 2, 1],
      ["job-p1", 3, 0.5],
      ["job-p2", 10, 1],
      ["job-p3", 10, 1],
      ["job-p2", 11, 1],
      ["job-p3", 11, 0.5],
      ["job-p2", 12, 0.25],
      ["job-p2", 13, 1],
    ],
  ],
  ["cache", "m1", 0, [["cache-p1", 5, 1]]],
  [
    "web",
    "r1",
    0,
    [
      ["web-p1", 7, 1],
      ["web-p1", 8, 1],
    ],
  ],
  ["api", "o1", 0, [["api-p1", 9, 1]]],
  ["train", "g1", 0, [["train-p1", 15, 1]]],
  ["etl", "l1", 12, [["etl-p1", 4, 1]]],
];

let store: Store;
beforeAll(async () => {
  const pods: Row[] = [];
  const containers: Row[] = [];
  const usageRows: Row[] = [];
  const pending: Row[] = [];
  for (const [name, nodeName, from, waits] of WORKLOADS) {
    const podName = `${name}-a`;
    pods.push(pod("ns", podName, nodeName));
    containers.push(container("ns", podName, 0.5, GIB));
    for (let h = from; h < 24; h++)
      usageRows.push(
        usage(hourAt(h), "ns", podName, nodeName, { cpuReq: 0.5, memReq: GIB, cpu: 0.2, memBytes: 3e8 }),
      );
    for (const [p, h, share] of waits)
      pending.push({
        cluster: "test",
        hour: hourAt(h),
        namespace: "ns",
        pod: p,
        workload_kind: "Deployment",
        workload_name: name,
        pending_ratio: share,
      });
  }
  store = await Store.open(":memory:", testContext().logger);
  await writeScenario(
    store,
    { start: hourAt(0), end: hourAt(24) },
    {
      k8s_nodes: [
        poolNode("b1", "batch", "m5.2xlarge", x2),
        poolNode("b2", "batch", "m5.2xlarge", { ...x2, created_at: hourAt(6) }),
        poolNode("m1", "mem", "m5.xlarge", xl),
        poolNode("m2", "mem", "m5.xlarge", xl),
        poolNode("r1", "roomy", "m5.2xlarge", x2),
        poolNode("o1", "open", "m5.2xlarge", x2),
        poolNode("g1", "gpu", "m5.2xlarge", x2),
        poolNode("l1", "late", "m5.2xlarge", { ...x2, created_at: hourAt(12) }),
      ],
      k8s_pods: pods,
      k8s_containers: containers,
      k8s_karpenter: [
        nodePool("batch", { cpu: "16000m" }),
        nodePool("mem", { cpu: "1000", memory: "32Gi" }),
        nodePool("roomy", { cpu: "100" }),
        nodePool("open", {}),
        nodePool("gpu", { "nvidia.com/gpu": "4" }),
        nodePool("late", { cpu: "8" }),
      ],
      prom_usage_hourly: usageRows,
      prom_pending_pods_hourly: pending,
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "0.192"), price("ec2", "m5.2xlarge", "Hrs", "0.384")],
    },
  );
  await analyze(testContext(), store);
}, 600_000);
afterAll(() => store?.close());

interface NodePoolOut {
  nodepool: string;
  finding: string;
  reason: string;
  pendingHours: number;
  pendingPodHours: number;
  limitReachedWhilePending: boolean;
  hoursAtLimitPending: number;
}

/** The section's NodePool rows (recommendations.json's autoscaling.nodePools). */
async function nodePoolRows(): Promise<NodePoolOut[]> {
  const run = (await latestRun(store))!;
  const section = await autoscaling.section({
    marts: martReader(store, run.run_id),
    run,
    config: testContext().config,
    settings: autoscalingSettings.parse({}),
  });
  return (section.recommendations as { autoscaling: { nodePools: NodePoolOut[] } }).autoscaling.nodePools;
}

/** The same, by name. */
const nodePools = async () => new Map((await nodePoolRows()).map((r) => [r.nodepool, r]));

describe("Karpenter NodePools at their limits while pods were Pending", () => {
  it("finds a CPU limit reached while pods waited, with the hours and pod-hours at the limit only", async () => {
    const batch = (await nodePools()).get("batch")!;
    expect(batch).toMatchObject({
      finding: "limit_reached_pending",
      limitReachedWhilePending: true,
      pendingHours: 6,
      pendingPodHours: 6.25,
      hoursAtLimitPending: 4,
      pendingPodHoursAtLimit: 4.75,
      cpuLimitCores: 16,
      nodes: 2,
      cpuCapacityCores: 16,
    });
    expect(batch.reason).toBe(
      "its nodes' capacity was at its limits (16 vCPU up, cpu limit 16 vCPU) for 4 of the 6 hours pods that land on it were Pending (4.75 pod-hours then, 2026-11-01 10:00 to 2026-11-01 13:00): Karpenter launched no node for them; raise spec.limits",
    );
  });

  it("finds a memory limit reached while pods waited, and names memory as the limit", async () => {
    const mem = (await nodePools()).get("mem")!;
    expect(mem).toMatchObject({
      finding: "limit_reached_pending",
      hoursAtLimitPending: 1,
      pendingPodHoursAtLimit: 1,
      memoryLimitBytes: 32 * 1024 ** 3,
    });
    expect(mem.reason).toBe(
      "its nodes' capacity was at its limits (32 GiB up, memory limit 32 GiB) for 1 of the 1 hours pods that land on it were Pending (1 pod-hours then, 2026-11-01 05:00 to 2026-11-01 05:00): Karpenter launched no node for them; raise spec.limits",
    );
  });

  it("finds nothing for pods Pending below the limits, without limits or with limits only on resources it cannot compare, and only the snapshot's limit when pods waited before it was reached", async () => {
    const pools = await nodePools();
    const names = ["roomy", "open", "gpu", "late"];
    expect(names.map((n) => [n, pools.get(n)!.finding, pools.get(n)!.reason])).toEqual([
      ["roomy", "ok", "below its limits"],
      ["open", "ok", "no limits"],
      [
        "gpu",
        "ok",
        "no cpu or memory limits; its limits on nvidia.com/gpu are not compared (the node inventory has no capacity for them)",
      ],
      [
        "late",
        "limit_reached",
        "its 1 nodes' capacity has reached its limits (8 vCPU up, cpu limit 8 vCPU): Karpenter launches no more nodes and pods that need one wait",
      ],
    ]);
    // Pods waited in each: the history is there, it was not at a limit then.
    expect(names.map((n) => [pools.get(n)!.pendingHours, pools.get(n)!.hoursAtLimitPending])).toEqual([
      [2, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
  });

  it("writes rows the published schema of recommendations.json accepts", async () => {
    const schema = JSON.parse(readFileSync(projectPath("docs", "recommendations.schema.json"), "utf8"));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.validate(schema.properties.autoscaling.properties.nodePools, await nodePoolRows());
    expect(ajv.errors ?? []).toEqual([]);
    expect((await nodePoolRows()).length).toBe(6);
  });
});
