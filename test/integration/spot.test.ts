/**
 * The spot family on a hand-computed scenario: m5.xlarge nodes (4 vCPU, 16 GiB) at $1.00 an hour
 * on-demand and $0.25 on spot in us-east-1a ($0.30 in us-east-1b), four hours of window (a month
 * is 730 hours: × 182.5), pods priced at their requests (no usage history).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import { type Row, Store } from "../../src/store/store.js";
import { container, GIB, node, pod, price, testContext, writeScenario } from "../fixtures/scenario.js";

const WINDOW = { start: "2026-11-01T00:00:00Z", end: "2026-11-01T04:00:00Z" };
const OD = "ip-od.ec2.internal";
const SPOT = "ip-spot.ec2.internal";
const FLEX = "ip-flex.ec2.internal";

function workload(namespace: string, kind: string, name: string, over: Row = {}): Row {
  return { cluster: "test", namespace, kind, name, pvc_templates: [], labels: {}, ...over };
}

function spotPrice(zone: string, usd: string): Row {
  return {
    cluster: "test",
    region: "us-east-1",
    zone,
    instance_type: "m5.xlarge",
    product_description: "Linux/UNIX",
    price_usd: usd,
    valid_from: "2026-10-31T00:00:00Z",
    source: "spot-history",
  };
}

/** `n` pods of a workload on a node, each with one container of the given requests. */
function pods(
  ns: string,
  name: string,
  nodeName: string,
  n: number,
  cpu: number,
  gib: bigint,
  over: Row = {},
) {
  const list = Array.from({ length: n }, (_, i) => `${name}-${i}`);
  return {
    pods: list.map((p) => pod(ns, p, nodeName, { workload_name: name, ...over })),
    containers: list.map((p) => container(ns, p, cpu, gib * GIB)),
  };
}

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

async function scenario(extra: Record<string, Row[]> = {}): Promise<void> {
  const groups = [
    pods("shop", "web", OD, 3, 0.5, 1n, { termination_grace_seconds: 30 }),
    // Two more pods from 02:00: the burst above the pool's baseline.
    pods("shop", "burst", OD, 2, 1, 1n, {
      created_at: "2026-11-01T02:00:00Z",
      termination_grace_seconds: 30,
    }),
    pods("shop", "strict", OD, 4, 0.25, 1n, { termination_grace_seconds: 30 }),
    pods("shop", "api", SPOT, 1, 1, 2n, { termination_grace_seconds: 30 }),
    pods("shop", "db", SPOT, 1, 0.5, 1n, {
      workload_kind: "StatefulSet",
      pvc_names: ["data-db-0"],
      termination_grace_seconds: 300,
      safe_to_evict: "false",
    }),
    pods("shop", "pinned", FLEX, 2, 0.25, 1n, { do_not_disrupt: true, termination_grace_seconds: 30 }),
    pods("shop", "cache", FLEX, 1, 0.25, 1n, {
      workload_kind: "StatefulSet",
      // The override is an annotation: a label of the same name is not read.
      annotations: { "capacity.io/spot-ready": "true" },
      labels: { "capacity.io/spot-ready": "false" },
      termination_grace_seconds: 30,
    }),
    pods("shop", "report", FLEX, 1, 0.25, 1n, { workload_kind: "CronJob", termination_grace_seconds: 30 }),
    pods("shop", "scratch", FLEX, 2, 0.25, 1n, { has_empty_dir: true }),
    pods("kube-system", "coredns", FLEX, 2, 0.1, 1n, { termination_grace_seconds: 30 }),
  ];
  await writeScenario(store, WINDOW, {
    k8s_nodes: [
      node(OD, "m5.xlarge", { nodegroup: "od" }),
      node(SPOT, "m5.xlarge", { nodegroup: "spot", capacity_type: "spot" }),
      node(FLEX, "m5.xlarge", { nodepool: "flex", capacity_type: "spot", zone: "us-east-1b" }),
    ],
    k8s_pods: groups.flatMap((g) => g.pods),
    k8s_containers: groups.flatMap((g) => g.containers),
    k8s_workloads: [
      workload("shop", "Deployment", "web", { replicas_desired: 3, pdb_name: "web", pdb_min_available: 1 }),
      workload("shop", "Deployment", "burst", { replicas_desired: 2 }),
      workload("shop", "Deployment", "strict", {
        replicas_desired: 4,
        pdb_name: "strict",
        pdb_min_available: 3,
      }),
      workload("shop", "Deployment", "api", { replicas_desired: 1 }),
      workload("shop", "StatefulSet", "db", { replicas_desired: 1 }),
      workload("shop", "Deployment", "pinned", { replicas_desired: 2 }),
      workload("shop", "Deployment", "scratch", { replicas_desired: 2 }),
      workload("kube-system", "Deployment", "coredns", { replicas_desired: 2 }),
    ],
    k8s_karpenter: [
      {
        cluster: "test",
        kind: "NodePool",
        name: "flex",
        requirements: [
          { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
          {
            key: "node.kubernetes.io/instance-type",
            operator: "In",
            values: Array.from(
              { length: 12 },
              (_, i) => `m${5 + (i % 3)}.${["large", "xlarge", "2xlarge", "4xlarge"][i % 4]}`,
            ),
          },
        ],
      },
    ],
    aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00")],
    aws_spot_prices: [spotPrice("us-east-1a", "0.25"), spotPrice("us-east-1b", "0.30")],
    ...extra,
  });
  await analyze(testContext(), store);
}

type Readiness = {
  workload_name: string;
  spot_ready: boolean;
  blockers: string[];
  warnings: string[];
  status: string;
  reason: string;
  monthly_cost_usd: number | null;
};

async function readiness(): Promise<Record<string, Readiness>> {
  const rows = await store.all<Readiness>("SELECT * FROM mart_spot_readiness");
  return Object.fromEntries(rows.map((r) => [r.workload_name, r]));
}

describe("spot readiness", () => {
  it("lists every reason a workload is not spot-ready", async () => {
    await scenario();
    const r = await readiness();
    expect(r.web).toMatchObject({ spot_ready: true, blockers: [], status: "ready" });
    expect(r.burst).toMatchObject({ spot_ready: true, status: "ready" });
    expect(r.db!.blockers).toEqual([
      "a StatefulSet: not interruption-tolerant",
      "mounts a PVC (an EBS volume is zonal and re-attaches slowly)",
      "terminationGracePeriodSeconds 300 s is longer than the two-minute notice",
      'cluster-autoscaler.kubernetes.io/safe-to-evict is "false"',
    ]);
    expect(r.strict!.blockers).toEqual(["PDB strict keeps 3 of 4 replicas available (more than 50%)"]);
    expect(r.api!.blockers).toEqual(["1 replica(s): an interruption takes it down"]);
    expect(r.pinned!.blockers).toEqual(["karpenter.sh/do-not-disrupt is set"]);
    expect(r.coredns!.blockers).toEqual(["runs in kube-system"]);
  });

  it("lets the override annotation decide, exempts Jobs and CronJobs from the replica rule, and flags emptyDir and an unknown grace", async () => {
    await scenario();
    const r = await readiness();
    expect(r.cache).toMatchObject({ spot_ready: true, status: "ready" });
    expect(r.cache!.reason).toBe(
      'capacity.io/spot-ready is "true" (over: a StatefulSet: not interruption-tolerant)',
    );
    expect(r.report).toMatchObject({ spot_ready: true, blockers: [] });
    expect(r.scratch).toMatchObject({ spot_ready: true });
    expect(r.scratch!.warnings).toEqual([
      "uses an emptyDir: what it holds is lost on interruption",
      "termination grace not collected: unknown",
    ]);
  });

  it("prices what runs on spot and should not as the on-demand premium to move it", async () => {
    await scenario();
    const r = await readiness();
    expect(r.api!.status).toBe("at_risk");
    // 1 vCPU and 2 GiB of a $0.25 node: (9 × 1 + 2) × 0.25 / 52 an hour, × (1.00 / 0.25 − 1) to move.
    expect(r.api!.monthly_cost_usd).toBeCloseTo(((11 * 0.25) / 52) * 3 * 730, 8);
    expect(r.db!.status).toBe("at_risk");
    expect(r.pinned!.status).toBe("at_risk");
    expect(r.web!.monthly_cost_usd).toBeNull();
  });
});

describe("the spot mix per pool", () => {
  it("moves the spot-ready burst above the baseline to spot, priced with the spot history", async () => {
    await scenario();
    const od = await store.one<Record<string, unknown>>(
      "SELECT * FROM mart_spot_pools WHERE capacity_pool = 'od'",
    );
    // Requested vCPU by hour: 2.5, 2.5, 4.5, 4.5 → p10 2.5, average 3.5: a burst of 1/3.5, all spot-ready
    // (10 of the 14 requested core-hours are; strict's 4 are not).
    expect(od!.baseline_cores).toBeCloseTo(2.5, 10);
    expect(od!.avg_requested_cores).toBeCloseTo(3.5, 10);
    expect(od!.spot_ready_share).toBeCloseTo(10 / 14, 10);
    expect(od!.recommended_spot_share).toBeCloseTo(1 / 3.5, 10);
    expect(od!.status).toBe("more_spot");
    expect(od!.spot_price_source).toBe("spot-history");
    // 16 vCPU-hours × 182.5 at $0.25 a vCPU-hour on-demand, $0.0625 on spot.
    expect(od!.current_monthly_usd).toBeCloseTo(730, 8);
    expect(od!.monthly_savings_usd).toBeCloseTo(730 * (1 / 3.5) * 0.75, 8);
    expect(od!.recommended_spot_node_hours).toBeCloseTo(730 / 3.5, 8);
    expect(od!.reason).toContain("add a spot node group beside it");
  });

  it("moves load that is not spot-ready off spot, as a cost", async () => {
    await scenario();
    const spot = await store.one<Record<string, unknown>>(
      "SELECT * FROM mart_spot_pools WHERE capacity_pool = 'spot'",
    );
    expect(spot).toMatchObject({ status: "less_spot", recommended_spot_share: 0, current_spot_share: 1 });
    expect(spot!.monthly_savings_usd).toBeCloseTo(-(4 * 182.5 * 4 * (0.25 - 0.0625)), 8);
  });

  it("flags pools with few instance types or one zone, and NodePools too narrow for spot-to-spot consolidation", async () => {
    await scenario();
    const rows = await store.all<{
      capacity_pool: string;
      instance_types: number;
      diversification_risks: string[];
    }>(
      "SELECT capacity_pool, instance_types, diversification_risks FROM mart_spot_pools ORDER BY capacity_pool",
    );
    const flex = rows.find((r) => r.capacity_pool === "flex")!;
    expect(flex.instance_types).toBe(12);
    expect(flex.diversification_risks).toEqual([
      "fewer than 15 instance types: Karpenter does no spot-to-spot consolidation",
      "a single zone",
    ]);
    expect(rows.find((r) => r.capacity_pool === "spot")!.diversification_risks).toEqual([
      "1 instance type(s) seen: fewer than 10, so spot interruptions hit its nodes together",
      "a single zone",
    ]);
  });
});

/** One day of Savings Plans coverage and utilisation, as the collector stores them. */
function commitmentDay(
  coveredUsd: string,
  onDemandUsd: string,
  commitmentUsd: string,
  usedUsd: string,
): Row[] {
  const day = {
    cluster: "test",
    period_start: "2026-11-01",
    period_end: "2026-11-02",
    source: "cost-explorer",
  };
  return [
    {
      ...day,
      commitment: "savings-plans",
      measure: "coverage",
      covered_usd: coveredUsd,
      on_demand_usd: onDemandUsd,
    },
    {
      ...day,
      commitment: "savings-plans",
      measure: "utilization",
      commitment_usd: commitmentUsd,
      used_usd: usedUsd,
      unused_usd: String(Number(commitmentUsd) - Number(usedUsd)),
    },
  ];
}

describe("Savings Plans against the spot mix", () => {
  // The od pool moves 1/3.5 of its $730 a month of on-demand to spot: M = $208.57 of on-demand
  // spend, priced saving S = M × 0.75 = $156.43.
  const moved = 730 / 3.5;
  const priced = moved * 0.75;

  it("takes back the part of the move that lands on covered hours, and says the commitment is left under-used", async () => {
    // $4.80 a day uncovered = $146 a month (730 / 24 × 4.8): the move goes $62.57 beyond it.
    await scenario({ aws_commitments: commitmentDay("20.0", "4.8", "16.0", "16.0") });
    const c = await store.one<Record<string, unknown>>("SELECT * FROM mart_spot_commitments");
    expect(c!.status).toBe("covered");
    expect(c!.sp_coverage_share).toBeCloseTo(20 / 24.8, 10);
    expect(c!.sp_utilization_share).toBeCloseTo(1, 10);
    expect(c!.uncovered_monthly_usd).toBeCloseTo(146, 8);
    expect(c!.moved_on_demand_monthly_usd).toBeCloseTo(moved, 8);
    expect(c!.priced_savings_monthly_usd).toBeCloseTo(priced, 8);
    expect(c!.stranded_commitment_monthly_usd).toBeCloseTo(moved - 146, 8);
    expect(c!.realised_savings_monthly_usd).toBeCloseTo(priced - (moved - 146), 8);
    expect(c!.reason).toContain("saves nothing until the commitment expires and leaves it under-used");
    expect(c!.reason).toContain("Savings Plans cover 80.6%");
  });

  it("keeps the priced saving when the move stays within the uncovered on-demand spend", async () => {
    // $12 a day uncovered = $365 a month, more than the $208.57 moved.
    await scenario({ aws_commitments: commitmentDay("20.0", "12.0", "16.0", "12.0") });
    const c = await store.one<Record<string, unknown>>("SELECT * FROM mart_spot_commitments");
    expect(c!.stranded_commitment_monthly_usd).toBe(0);
    expect(c!.realised_savings_monthly_usd).toBeCloseTo(priced, 8);
    expect(c!.sp_utilization_share).toBeCloseTo(0.75, 10);
    expect(c!.reason).toContain("stays within the uncovered spend");
  });

  it("says when no coverage was read, and keeps the priced saving", async () => {
    await scenario();
    const c = await store.one<Record<string, unknown>>("SELECT * FROM mart_spot_commitments");
    expect(c).toMatchObject({ status: "no_data", stranded_commitment_monthly_usd: 0 });
    expect(c!.realised_savings_monthly_usd).toBeCloseTo(priced, 8);
    expect(c!.reason).toContain("spot savings assume no commitment");
  });
});
