/**
 * The right-sizing re-pack's pools through the real store and models: nodes of no node group nor
 * NodePool pooled by their type, capacity type and labels (not one `unmanaged` pool), and a
 * managed node group held to the min/max size the EKS API gave (eks_nodegroups).
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import type { Row } from "../../src/store/store.js";
import { Store } from "../../src/store/store.js";
import { container, GIB, node, pod, price, testContext, writeScenario } from "../fixtures/scenario.js";

const WINDOW = { start: "2026-11-01T00:00:00Z", end: "2026-11-02T16:00:00Z" };
const MIB = 1024n ** 2n;

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

async function run(tables: Record<string, Row[]>, config: Record<string, unknown> = {}) {
  await writeScenario(store, WINDOW, {
    k8s_pods: [],
    k8s_containers: [],
    prom_usage_hourly: [],
    aws_prices: [
      price("ec2", "m5.xlarge", "Hrs", "1.00"),
      price("ec2", "c5.large", "Hrs", "0.50"),
      price("ec2", "m5.large", "Hrs", "0.25"),
    ],
    aws_spot_prices: [],
    ...tables,
  });
  await analyze(testContext(config), store);
  return store.all<Record<string, unknown>>(
    "SELECT * FROM mart_rightsizing_pools WHERE pool_kind <> 'fargate' ORDER BY capacity_pool",
  );
}

const labels = (own: Record<string, string>, name: string, zone: string) => ({
  "kubernetes.io/hostname": name,
  "topology.kubernetes.io/zone": zone,
  "node.kubernetes.io/instance-type": "m5.xlarge",
  "kubernetes.io/arch": "amd64",
  ...own,
});
/** What the pool name's hash is made of: the group's labels as sorted key=value pairs. */
const hash = (pairs: string) => createHash("md5").update(pairs).digest("hex").slice(0, 6);

/** `n` small pods (100m, 128 MiB) of one Deployment on `nodeName`. */
function pods(name: string, nodeName: string, n: number) {
  const list = Array.from({ length: n }, (_, i) => `${name}-${i}`);
  return {
    k8s_pods: list.map((p) => pod("team", p, nodeName, { workload_name: name })),
    k8s_containers: list.map((p) => container("team", p, 0.1, 128n * MIB)),
  };
}

describe("plain nodes, pooled by their labels", () => {
  it("makes one pool per instance type, capacity type and label set, whatever the zone or hostname", async () => {
    const rows = await run({
      k8s_nodes: [
        node("a-1", "m5.xlarge", { zone: "us-east-1a", labels: labels({ team: "a" }, "a-1", "us-east-1a") }),
        node("a-2", "m5.xlarge", { zone: "us-east-1b", labels: labels({ team: "a" }, "a-2", "us-east-1b") }),
        node("b-1", "m5.xlarge", { labels: labels({ team: "b" }, "b-1", "us-east-1a") }),
        node("s-1", "m5.xlarge", {
          capacity_type: "spot",
          labels: labels({ team: "a" }, "s-1", "us-east-1a"),
        }),
        node("w-1", "c5.large", {
          labels: { "alpha.eksctl.io/nodegroup-name": "workers", "kubernetes.io/hostname": "w-1" },
        }),
        node("bare", "c5.large"),
      ],
    });
    expect(rows.map((r) => [r.capacity_pool, r.pool_kind, r.nodes_observed])).toEqual(
      [
        [`nodes/c5.large/on-demand`, "nodes", 1],
        [`nodes/m5.xlarge/on-demand/${hash("team=a")}`, "nodes", 2],
        [`nodes/m5.xlarge/on-demand/${hash("team=b")}`, "nodes", 1],
        [`nodes/m5.xlarge/spot/${hash("team=a")}`, "nodes", 1],
        ["workers/c5.large/on-demand", "nodes", 1],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});

describe("a managed node group held to its EKS sizes", () => {
  const group = (over: Row = {}): Row => ({
    cluster: "test",
    nodegroup: "ng",
    instance_types: ["m5.xlarge"],
    capacity_type: "ON_DEMAND",
    ami_type: "AL2023_x86_64_STANDARD",
    release_version: null,
    kubernetes_version: "1.31",
    min_size: 3,
    max_size: 6,
    desired_size: 3,
    labels: {},
    taints: [],
    status: "ACTIVE",
    launch_template: null,
    created_at: null,
    ...over,
  });
  const ngNodes = ["ng-1", "ng-2", "ng-3"].map((n) => node(n, "m5.xlarge", { nodegroup: "ng" }));

  it("never goes below minSize, and says which nodes the minimum holds, the setting and what lowering it saves", async () => {
    const [row] = await run({ k8s_nodes: ngNodes, eks_nodegroups: [group()], ...pods("api", "ng-1", 4) });
    // Four pods of 100m need one m5.xlarge; the minimum keeps two more, empty, at $1 an hour.
    expect(row).toMatchObject({
      capacity_pool: "ng",
      min_size: 3,
      max_size: 6,
      nodes_before: 3,
      nodes_after: 3,
      nodes_held_by_min_size: 2,
      nodes_saved_usd: 0,
    });
    expect(row!.min_size_savings_usd).toBeCloseTo(2 * 1.0 * 730, 6);
    expect(row!.note).toContain(
      "its minSize (3) keeps 2 nodes the pods do not need: lowering it to 1 saves $1460.00 a month more (aws eks update-nodegroup-config --cluster-name test --nodegroup-name ng --scaling-config minSize=1)",
    );
  });

  it("without the EKS API's sizes (eks:DescribeNodegroup refused) the group is unbounded", async () => {
    const [row] = await run({ k8s_nodes: ngNodes, ...pods("api", "ng-1", 4) });
    expect(row).toMatchObject({ min_size: null, max_size: null, nodes_after: 1, nodes_held_by_min_size: 0 });
  });

  it("leaves out the pods beyond maxSize and says the node group's maximum is why", async () => {
    // 30 pods of 1 core: 3 per m5.xlarge (3.9 cores less the kube-reserved), so 10 nodes; max 6.
    const big = pods("batch", "ng-1", 30);
    big.k8s_containers = big.k8s_containers.map((c) => ({
      ...c,
      cpu_request_cores: 1,
      memory_request_bytes: GIB,
    }));
    const [row] = await run({
      k8s_nodes: ngNodes,
      eks_nodegroups: [group({ min_size: 1, max_size: 6 })],
      ...big,
    });
    expect(row!.nodes_before).toBe(6);
    expect(Number(row!.unplaced_before)).toBeGreaterThan(0);
    expect(row!.note).toContain(
      `${row!.unplaced_before} pods do not fit within the node group's maxSize (6)`,
    );
  });
});

describe("a Karpenter NodePool held to its limits", () => {
  it("reads the NodePool's requirements and limits from the stored spec and leaves out the pods beyond its limits", async () => {
    // 30 pods of 1 core need 10 m5.xlarge; limits.cpu 8 lets the pool have 2 (4 vCPU each).
    const big = pods("batch", "np-1", 30);
    big.k8s_containers = big.k8s_containers.map((c) => ({
      ...c,
      cpu_request_cores: 1,
      memory_request_bytes: GIB,
    }));
    const [row] = await run({
      k8s_nodes: [node("np-1", "m5.xlarge", { nodepool: "np" })],
      k8s_karpenter: [
        {
          cluster: "test",
          kind: "NodePool",
          name: "np",
          nodepool: null,
          node_name: null,
          instance_type: null,
          capacity_type: null,
          zone: null,
          requirements: [
            { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m5.xlarge"] },
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
          ],
          limits: { cpu: "8" },
          disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized" },
          weight: null,
          created_at: "2026-10-01T00:00:00Z",
        },
      ],
      ...big,
    });
    expect(row).toMatchObject({
      capacity_pool: "np",
      pool_kind: "karpenter",
      autoscaler: "karpenter",
      requirements_source: "nodepool",
      nodes_before: 2,
    });
    expect(row!.unplaced_before).toBe(24);
    expect(row!.note).toContain("24 pods do not fit within the NodePool's limits");
  });
});

describe("node settings of the re-pack", () => {
  it("packs by prefix delegation's max pods when analyzers.rightsizing.nodes.prefixDelegation says so", async () => {
    // 60 tiny pods on an m5.large node group: 29 pods a node from its ENIs (3 nodes), 110 with prefixes (1).
    const tiny = pods("tiny", "small-1", 60);
    tiny.k8s_containers = tiny.k8s_containers.map((c) => ({
      ...c,
      cpu_request_cores: 0.01,
      memory_request_bytes: 16n * MIB,
    }));
    const tables = { k8s_nodes: [node("small-1", "m5.large", { nodegroup: "small" })], ...tiny };
    const [eni] = await run(tables);
    expect(eni!.nodes_before).toBe(3);
    store.close();
    store = await Store.open(":memory:", testContext().logger);
    const [prefixes] = await run(tables, {
      analyzers: { rightsizing: { nodes: { prefixDelegation: true } } },
    });
    expect(prefixes!.nodes_before).toBe(1);
  });
});
