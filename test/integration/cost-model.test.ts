/**
 * Given a small cluster whose every dollar was computed by hand, the cost models return exactly
 * those dollars. AWS's split cost allocation example (an m5.xlarge, 4 vCPU and 16 GB, at USD 1
 * per hour) fixes the rates: unit = 1 / (9 × 4 + 16) = 1/52; a core-hour costs 9/52, a GiB-hour 1/52.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import { Store } from "../../src/store/store.js";
import {
  container,
  costLine,
  fargatePrices,
  GIB,
  node,
  pod,
  price,
  testContext,
  usage,
  writeScenario,
} from "../fixtures/scenario.js";

const WINDOW = { start: "2026-11-01T00:00:00Z", end: "2026-11-01T04:00:00Z" };
// The bill is compared over whole UTC days only: scenarios set against a bill span one.
const WHOLE_DAY = { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" };
const H = (h: number) => `2026-11-01T0${h}:00:00Z`;
const gib = (n: number) => n * 1024 ** 3;

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

async function scenario(): Promise<void> {
  const a = "ip-a.ec2.internal";
  const b = "ip-b.ec2.internal";
  const f = "fargate-ip-f.ec2.internal";
  await writeScenario(store, WINDOW, {
    k8s_nodes: [
      node(a, "m5.xlarge"),
      node(b, "c6i.large", {
        capacity_type: "spot",
        cpu_capacity_cores: 2,
        memory_capacity_bytes: 4n * GIB,
        created_at: "2026-11-01T01:30:00Z",
      }),
      node(f, null as unknown as string, {
        instance_type: null,
        capacity_type: "fargate",
        compute_type: "fargate",
        cpu_capacity_cores: 2,
      }),
    ],
    k8s_pods: [
      pod("team-a", "api-1", a),
      pod("reports", "render-1", f, { fargate_profile: "fp", capacity_provisioned: "2vCPU 9GB" }),
    ],
    k8s_containers: [
      container("team-a", "api-1", 1, 4n * GIB),
      container("reports", "render-1", 1, 8n * GIB),
    ],
    k8s_workloads: [],
    prom_usage_hourly: [
      // team-a/api-1 on A for 4 hours: request 1 core / 4 GiB, usage below → charged its request.
      ...[0, 1, 2, 3].map((h) =>
        usage(H(h), "team-a", "api-1", a, { cpuReq: 1, memReq: 4n * GIB, cpu: 0.5, memBytes: gib(2) }),
      ),
      // team-b/burst-1 on A for 2 hours: usage above request → charged usage (2 cores, 1.5 GiB).
      ...[0, 1].map((h) =>
        usage(H(h), "team-b", "burst-1", a, { cpuReq: 0.5, memReq: 1n * GIB, cpu: 2, memBytes: gib(1.5) }),
      ),
      // team-c on spot node B at 02:00, oversubscribed: 3 + 1 cores charged on a 2-vCPU node.
      usage(H(2), "team-c", "hot-1", b, { cpuReq: 1.5, memReq: 1n * GIB, cpu: 3, memBytes: gib(0.5) }),
      usage(H(2), "team-c", "cool-1", b, { cpuReq: 1, memReq: GIB / 2n, cpu: 0.2, memBytes: gib(0.25) }),
      // a pod that ran on a node no longer in the inventory.
      ...[0, 1].map((h) =>
        usage(H(h), "team-d", "gone-1", "ip-gone.ec2.internal", {
          cpuReq: 1,
          memReq: GIB,
          cpu: 1,
          memBytes: gib(1),
        }),
      ),
      // the Fargate pod for 4 hours.
      ...[0, 1, 2, 3].map((h) =>
        usage(H(h), "reports", "render-1", f, { cpuReq: 1, memReq: 8n * GIB, cpu: 0.3, memBytes: gib(3) }),
      ),
    ],
    aws_prices: [
      price("ec2", "m5.xlarge", "Hrs", "1.00"),
      price("ec2", "c6i.large", "Hrs", "0.085"),
      ...fargatePrices(),
    ],
    aws_spot_prices: [
      {
        cluster: "test",
        region: "us-east-1",
        zone: "us-east-1a",
        instance_type: "c6i.large",
        product_description: "Linux/UNIX",
        price_usd: "0.03",
        valid_from: "2026-10-31T20:00:00Z",
        source: "spot-history",
      },
      {
        cluster: "test",
        region: "us-east-1",
        zone: "us-east-1a",
        instance_type: "c6i.large",
        product_description: "Linux/UNIX",
        price_usd: "0.05",
        valid_from: "2026-11-01T02:00:00Z",
        source: "spot-history",
      },
    ],
  });
}

const byNamespace = async () =>
  Object.fromEntries(
    (
      await store.all<{ namespace: string; cost_usd: number }>(
        "SELECT namespace, cost_usd FROM mart_namespace_costs",
      )
    ).map((r) => [r.namespace, r.cost_usd]),
  );

describe("cost model", () => {
  it("splits a node's price the way AWS's example does: 9/52 per core-hour and 1/52 per GiB-hour at $1/hour", async () => {
    await scenario();
    await analyze(testContext(), store);
    const rates = await store.one<{ cpu: number; mem: number }>(
      "SELECT any_value(usd_per_core_hour) AS cpu, any_value(usd_per_gib_hour) AS mem FROM int_node_hours_priced WHERE node_name = 'ip-a.ec2.internal'",
    );
    expect(rates?.cpu).toBeCloseTo(9 / 52, 12);
    expect(rates?.mem).toBeCloseTo(1 / 52, 12);
  });

  it("reproduces AWS's split cost allocation example to the cent: namespaces at $0.42 and $0.59", async () => {
    // AWS Data Exports user guide, "Example of split cost allocation data": one m5.xlarge at $1
    // for one hour, four pods (reserved/used vCPU and GB), CPU oversubscribed to 4.9 vCPU, 2 GB
    // of memory unused and spread back to the pods as "unused cost".
    const a = "ip-a.ec2.internal";
    const pods: Array<[string, string, number, number, number, number]> = [
      ["namespace1", "pod1-a", 1, 0.1, 4, 3],
      ["namespace2", "pod2-a", 1, 1.9, 4, 6],
      ["namespace1", "pod3-a", 1, 0.5, 2, 2],
      ["namespace2", "pod4-a", 1, 0.5, 2, 2],
    ];
    await writeScenario(
      store,
      { start: "2026-11-01T00:00:00Z", end: "2026-11-01T01:00:00Z" },
      {
        k8s_nodes: [node(a, "m5.xlarge")],
        k8s_pods: [],
        k8s_containers: [],
        k8s_workloads: [],
        prom_usage_hourly: pods.map(([ns, name, cpuReq, cpu, memReq, mem]) =>
          usage(H(0), ns, name, a, { cpuReq, memReq: BigInt(memReq) * GIB, cpu, memBytes: gib(mem) }),
        ),
        aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00")],
        aws_spot_prices: [],
      },
    );
    await analyze(testContext(), store);
    const rows = await store.all<{
      namespace: string;
      workload_name: string;
      cost_usd: number;
      cost_with_idle_usd: number;
    }>(
      "SELECT namespace, workload_name, cost_usd, cost_with_idle_usd FROM mart_cost_allocation ORDER BY workload_name",
    );
    const cents = (v: number) => Math.round(v * 100) / 100;
    const pod = (name: string) => rows.find((r) => r.workload_name === name)!;
    // AWS's table: split cost 0.22 / 0.38 / 0.18 / 0.18, total split cost 0.23 / 0.40 / 0.19 / 0.19.
    expect(["pod1", "pod2", "pod3", "pod4"].map((p) => cents(pod(p).cost_usd))).toEqual([
      0.22, 0.38, 0.18, 0.18,
    ]);
    expect(["pod1", "pod2", "pod3", "pod4"].map((p) => cents(pod(p).cost_with_idle_usd))).toEqual([
      0.23, 0.4, 0.19, 0.19,
    ]);
    // AWS sums the rounded pods: Namespace1 = 0.23 + 0.19, Namespace2 = 0.40 + 0.19.
    const namespace = (ns: string) =>
      rows.filter((r) => r.namespace === ns).reduce((sum, r) => sum + cents(r.cost_with_idle_usd), 0);
    expect(cents(namespace("namespace1"))).toBe(0.42);
    expect(cents(namespace("namespace2"))).toBe(0.59);
    // The 2 GB unused (2/52 of the dollar) is the idle line; spread, nothing is left over.
    const idle = rows.find((r) => r.namespace === "(idle)")!;
    expect(idle.cost_usd).toBeCloseTo(2 / 52, 12);
    expect(idle.cost_with_idle_usd).toBeCloseTo(0, 12);
    expect(rows.reduce((sum, r) => sum + r.cost_usd, 0)).toBeCloseTo(1, 12);
    expect(rows.reduce((sum, r) => sum + r.cost_with_idle_usd, 0)).toBeCloseTo(1, 12);
  });

  it("keeps where each reference file came from beside the tables it loads", async () => {
    await scenario();
    await analyze(testContext(), store);
    const sources = await store.all<{ table_name: string; provenance: string }>(
      "SELECT table_name, provenance FROM ref_sources ORDER BY 1",
    );
    expect(sources.map((s) => s.table_name)).toEqual([
      "ref_ec2_instance_types",
      "ref_ec2_prices",
      "ref_eks_versions",
      "ref_fargate_configurations",
      "ref_fargate_prices",
      "ref_service_prices",
    ]);
    expect(sources.find((s) => s.table_name === "ref_ec2_prices")?.provenance).toMatch(
      /karpenter-provider-aws .*as_of 2026-07-20$/,
    );
    expect(sources.every((s) => s.provenance.length > 40 && !s.provenance.startsWith("#"))).toBe(true);
  });

  it("charges pods max(request, usage), prices spot by the hour from the history, and puts the rest on idle", async () => {
    await scenario();
    await analyze(testContext(), store);
    const ns = await byNamespace();
    expect(ns["team-a"]).toBeCloseTo((4 * (9 * 1 + 4)) / 52, 10); // $1.00
    expect(ns["team-b"]).toBeCloseTo((2 * (9 * 2 + 1.5)) / 52, 10); // $0.75
    // Node B at 02:00 costs $0.05 (unit 0.05/22); 4 cores charged on 2 vCPU → every share halved.
    expect(ns["team-c"]).toBeCloseTo((1.5 * 9 + 1) * (0.05 / 22) + (0.5 * 9 + 0.5) * (0.05 / 22), 10);
    // Fargate at the annotated size 2 vCPU / 9 GB for 4 hours.
    expect(ns.reports).toBeCloseTo(4 * (2 * 0.04048 + 9 * 0.004445), 10);
    // Node B: half of the 01:00 hour at $0.03, then two hours at $0.05.
    const nodeB = await store.one<{ cost_usd: number; price_sources: string }>(
      "SELECT cost_usd, price_sources FROM mart_node_costs WHERE node_name = 'ip-b.ec2.internal'",
    );
    expect(nodeB?.cost_usd).toBeCloseTo(0.5 * 0.03 + 0.05 + 0.05, 12);
    expect(nodeB?.price_sources).toBe("spot-history");
    const total = 4 + 0.115 + 4 * (2 * 0.04048 + 9 * 0.004445);
    expect(ns["(idle)"]).toBeCloseTo(total - ns["team-a"]! - ns["team-b"]! - ns["team-c"]! - ns.reports!, 10);
    const summary = await store.one<{ total_usd: number; monthly_total_usd: number; idle_usd: number }>(
      "SELECT * FROM mart_cost_summary",
    );
    expect(summary?.total_usd).toBeCloseTo(total, 10);
    expect(summary?.monthly_total_usd).toBeCloseTo((total * 730) / 4, 8);
  });

  it("averages spot prices weighted by how long each was in effect inside the window", async () => {
    await scenario();
    await analyze(testContext(), store);
    const spot = await store.one<Record<string, unknown>>("SELECT * FROM mart_spot_prices");
    // 0.03 from before the window to 02:00, then 0.05 until the window ends at 04:00.
    expect(spot).toMatchObject({
      instance_type: "c6i.large",
      zone: "us-east-1a",
      min_usd_per_hour: 0.03,
      max_usd_per_hour: 0.05,
      hours_covered: 4,
    });
    expect(spot?.avg_usd_per_hour).toBeCloseTo((2 * 0.03 + 2 * 0.05) / 4, 12);
  });

  it("sums usage per workload and hour for the forecast, counting the pods that ran", async () => {
    await scenario();
    await analyze(testContext(), store);
    const rows = await store.all<Record<string, unknown>>(
      "SELECT hour::VARCHAR AS hour, pods, cpu_usage_cores, memory_usage_bytes, cpu_request_cores FROM int_workload_usage_hourly WHERE workload_name = 'render' ORDER BY hour",
    );
    expect(rows.length).toBe(4);
    expect(rows[0]).toMatchObject({
      hour: "2026-11-01 00:00:00",
      pods: 1n,
      cpu_usage_cores: 0.3,
      memory_usage_bytes: 3 * 1024 ** 3,
      cpu_request_cores: 1,
    });
  });

  it("never charges pods more than the node costs", async () => {
    await scenario();
    await analyze(testContext(), store);
    const idle = await store.one<{ cpu: number; mem: number }>(
      "SELECT cpu_cost_usd AS cpu, memory_cost_usd AS mem FROM int_cost_lines_hourly WHERE workload_kind = 'Idle' AND node_name = 'ip-b.ec2.internal' AND hour = '2026-11-01 02:00:00'",
    );
    expect(idle?.cpu).toBeCloseTo(0, 12);
    expect(idle?.mem).toBeCloseTo(2.5 * (0.05 / 22), 12);
  });

  it("counts pod-hours on nodes gone before the snapshot instead of pricing them", async () => {
    await scenario();
    await analyze(testContext(), store);
    const coverage = await store.one<{ pod_hours_on_unknown_nodes: bigint; unknown_node_names: string }>(
      "SELECT * FROM mart_coverage",
    );
    expect(Number(coverage?.pod_hours_on_unknown_nodes)).toBe(2);
    expect(coverage?.unknown_node_names).toBe("ip-gone.ec2.internal");
  });

  it("sizes a Fargate pod as EKS does: 1 vCPU + 8 GiB needs 8.25 GiB, so 2 vCPU / 9 GB", async () => {
    await scenario();
    await analyze(testContext(), store);
    const f = await store.one<Record<string, unknown>>("SELECT * FROM mart_fargate_pods");
    expect(f).toMatchObject({
      computed_vcpu: 2,
      computed_memory_gib: 9,
      annotation_matches: true,
      billed_vcpu: 2,
      billed_memory_gib: 9,
    });
  });

  it("bills the CapacityProvisioned size when it differs from the computed one, and says so", async () => {
    await writeScenario(store, WINDOW, {
      k8s_nodes: [
        node("fargate-ip-f", "m5.xlarge", {
          instance_type: null,
          capacity_type: "fargate",
          compute_type: "fargate",
        }),
      ],
      k8s_pods: [
        pod("reports", "tax-1", "fargate-ip-f", {
          fargate_profile: "fp",
          capacity_provisioned: "1vCPU 3GB",
          created_at: "2026-11-01T00:00:00Z",
        }),
        pod("reports", "odd-1", "fargate-ip-f", {
          fargate_profile: "fp",
          capacity_provisioned: "3vCPU 7GB",
          created_at: "2026-11-01T00:00:00Z",
        }),
      ],
      k8s_containers: [
        container("reports", "tax-1", 0.5, 2n * GIB),
        container("reports", "odd-1", 0, 0n, { cpu_request_cores: null, memory_request_bytes: null }),
      ],
      aws_prices: [...fargatePrices()],
    });
    await analyze(testContext(), store);
    const rows = await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_fargate_pods ORDER BY pod_name",
    );
    // odd-1 asks for nothing: 0.25 vCPU / 0.5 GB; its annotation is not a valid pair, so the computed size is billed.
    expect(rows[0]).toMatchObject({
      pod_name: "odd-1",
      computed_vcpu: 0.25,
      computed_memory_gib: 0.5,
      annotation_valid: false,
      billed_vcpu: 0.25,
      billed_basis: "computed",
    });
    // tax-1: 0.5 vCPU + 2.25 GiB → 0.5 vCPU / 3 GB computed; AWS provisioned 1 vCPU / 3 GB and bills that.
    expect(rows[1]).toMatchObject({
      pod_name: "tax-1",
      computed_vcpu: 0.5,
      computed_memory_gib: 3,
      annotation_matches: false,
      billed_vcpu: 1,
      billed_memory_gib: 3,
      billed_basis: "annotation",
    });
    expect(rows[1]!.monthly_cost_usd).toBeCloseTo((1 * 0.04048 + 3 * 0.004445) * 730, 8);
  });

  it("with OpenCost's ratio, shifts dollars between CPU and memory but keeps every total", async () => {
    await scenario();
    await analyze(testContext({ allocation: { splitMethod: "opencost-ratio" } }), store);
    const rates = await store.one<{ cpu: number; mem: number }>(
      "SELECT any_value(usd_per_core_hour) AS cpu, any_value(usd_per_gib_hour) AS mem FROM int_node_hours_priced WHERE node_name = 'ip-a.ec2.internal'",
    );
    const ratio = 0.031611 / 0.004237;
    expect(rates?.mem).toBeCloseTo(1 / (ratio * 4 + 16), 12);
    expect(rates?.cpu).toBeCloseTo(ratio / (ratio * 4 + 16), 12);
    const summary = await store.one<{ total_usd: number }>("SELECT total_usd FROM mart_cost_summary");
    expect(summary?.total_usd).toBeCloseTo(4 + 0.115 + 4 * (2 * 0.04048 + 9 * 0.004445), 10);
  });

  it("prices a pod without usage history at its requests for the hours it existed", async () => {
    await writeScenario(store, WINDOW, {
      k8s_nodes: [node("ip-a", "m5.xlarge")],
      k8s_pods: [pod("team-a", "quiet-1", "ip-a", { created_at: "2026-11-01T02:30:00Z" })],
      k8s_containers: [container("team-a", "quiet-1", 1, 4n * GIB)],
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00")],
    });
    await analyze(testContext(), store);
    const ns = await byNamespace();
    expect(ns["team-a"]).toBeCloseTo(1.5 * (13 / 52), 10);
  });

  it("gives a bound PVC no pod mounts one monthly price: the same in the unused table, its allocation line and the storage total", async () => {
    const pvc = (name: string, storageClass: string) => ({
      cluster: "test",
      namespace: "data",
      name,
      storage_class: storageClass,
      phase: "Bound",
      requested_bytes: 500n * GIB,
      capacity_bytes: 500n * GIB,
      access_modes: ["ReadWriteOnce"],
      labels: {},
    });
    await writeScenario(store, WINDOW, {
      k8s_nodes: [node("ip-a", "m5.xlarge")],
      k8s_pods: [pod("data", "kafka-0", "ip-a", { pvc_names: ["data-kafka-0"] })],
      k8s_pvcs: [pvc("data-kafka-0", "gp3"), pvc("data-kafka-3", "gp3"), pvc("scratch", "fast-nvme")],
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00"), price("ebs", "gp3", "GB-Mo", "0.08")],
    });
    await analyze(testContext(), store);
    const rows = await store.all<{ name: string; monthly_cost_usd: number | null }>(
      "SELECT name, monthly_cost_usd FROM mart_unused_objects ORDER BY name",
    );
    expect(rows.map((r) => r.name)).toEqual(["data-kafka-3", "scratch"]);
    // EBS bills the GB-month over the hours of November (720); a month here is 730 hours.
    const monthly = ((500 * 0.08) / 720) * 730;
    expect(rows[0]!.monthly_cost_usd).toBeCloseTo(monthly, 10);
    expect(rows[1]!.monthly_cost_usd).toBeNull(); // no volume type in the class name: no price, not a guess
    const allocation = await store.one<{ monthly_cost_usd: number; monthly_storage_cost_usd: number }>(
      "SELECT monthly_cost_usd, monthly_storage_cost_usd FROM mart_cost_allocation WHERE workload_name = 'data-kafka-3'",
    );
    expect(allocation!.monthly_cost_usd).toBeCloseTo(monthly, 10);
    expect(allocation!.monthly_storage_cost_usd).toBeCloseTo(monthly, 10);
    const summary = await store.one<{ storage_usd: number; hours_in_window: number }>(
      "SELECT storage_usd, hours_in_window FROM mart_cost_summary",
    );
    // data-kafka-0 (mounted) and data-kafka-3 cost the same; the summary's total is both.
    expect((summary!.storage_usd * 730) / summary!.hours_in_window).toBeCloseTo(2 * monthly, 10);
  });

  it("charges PVC storage to the workload that mounts it, by the hour of a 30-day month, and the EKS fee on its own line", async () => {
    const pvc = (name: string, storageClass: string, size: bigint, over: Record<string, unknown> = {}) => ({
      cluster: "test",
      namespace: "data",
      name,
      storage_class: storageClass,
      phase: "Bound",
      requested_bytes: size * GIB,
      capacity_bytes: size * GIB,
      access_modes: ["ReadWriteOnce"],
      labels: {},
      created_at: "2026-10-01T00:00:00Z",
      ...over,
    });
    const pv = (name: string, driver: string) => ({
      cluster: "test",
      name,
      phase: "Bound",
      csi_driver: driver,
    });
    await writeScenario(store, WINDOW, {
      k8s_nodes: [node("ip-a", "m5.xlarge")],
      k8s_pods: [
        pod("data", "kafka-0", "ip-a", {
          workload_kind: "StatefulSet",
          workload_name: "kafka",
          pvc_names: ["data-kafka-0"],
        }),
        pod("data", "shipper-1", "ip-a", { workload_name: "shipper", pvc_names: ["logs", "shared"] }),
      ],
      k8s_pvcs: [
        pvc("data-kafka-0", "gp3", 500n),
        pvc("data-kafka-3", "gp3", 500n),
        // No volume type in the class name: the EBS CSI driver's default (gp3), from 02:30 on.
        pvc("logs", "ebs-sc", 100n, { volume_name: "pv-logs", created_at: "2026-11-01T02:30:00Z" }),
        // EFS is not EBS: left unpriced, not guessed.
        pvc("shared", "efs-sc", 100n, { volume_name: "pv-shared" }),
      ],
      k8s_pvs: [pv("pv-logs", "ebs.csi.aws.com"), pv("pv-shared", "efs.csi.aws.com")],
      aws_prices: [
        price("ec2", "m5.xlarge", "Hrs", "1.00"),
        price("ebs", "gp3", "GB-Mo", "0.08"),
        price("eks", null, "Hrs", "0.10"),
      ],
    });
    await analyze(testContext(), store);
    const rows = Object.fromEntries(
      (
        await store.all<{
          workload_name: string;
          workload_kind: string;
          cost_usd: number;
          storage_cost_usd: number;
        }>("SELECT workload_name, workload_kind, cost_usd, storage_cost_usd FROM mart_cost_allocation")
      ).map((r) => [r.workload_name, r]),
    );
    const hourOf = (gb: number) => (gb * 0.08) / (30 * 24); // November has 720 hours
    expect(rows.kafka!.storage_cost_usd).toBeCloseTo(4 * hourOf(500), 10);
    expect(rows["data-kafka-3"]).toMatchObject({ workload_kind: "PersistentVolumeClaim" });
    expect(rows["data-kafka-3"]!.cost_usd).toBeCloseTo(4 * hourOf(500), 10);
    expect(rows.shipper!.storage_cost_usd).toBeCloseTo(1.5 * hourOf(100), 10);
    expect(rows["EKS cluster fee"]).toMatchObject({ workload_kind: "ControlPlane" });
    expect(rows["EKS cluster fee"]!.cost_usd).toBeCloseTo(0.4, 10);
    const summary = (await store.one<Record<string, number>>(
      "SELECT total_usd, compute_usd, storage_usd, control_plane_usd FROM mart_cost_summary",
    ))!;
    expect(summary.compute_usd).toBeCloseTo(4, 10);
    expect(summary.control_plane_usd).toBeCloseTo(0.4, 10);
    expect(summary.storage_usd).toBeCloseTo(8 * hourOf(500) + 1.5 * hourOf(100), 10);
    expect(summary.total_usd).toBeCloseTo(4 + 0.4 + 8 * hourOf(500) + 1.5 * hourOf(100), 10);
    const shared = await store.one<{ volume_type: string | null; price_source: string }>(
      "SELECT volume_type, price_source FROM int_pvc_volumes WHERE pvc_name = 'shared'",
    );
    expect(shared).toEqual({ volume_type: null, price_source: "unpriced" });
  });

  it("splits the EC2 gap into instance-hours the inventory lacks and price, from Cost Explorer's usage quantities", async () => {
    await writeScenario(store, WHOLE_DAY, {
      k8s_nodes: [node("ip-a", "m5.xlarge")],
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00"), price("eks", null, "Hrs", "0.10")],
      aws_costs: [
        // 26 hours billed at USD 0.95 (a discount), 24 in the inventory at USD 1.00.
        costLine("BoxUsage:m5.xlarge", "26", { metric: "UsageQuantity" }),
        costLine("BoxUsage:m5.xlarge", "24.70"),
        costLine("USE1-AmazonEKS-Hours:perCluster", "2.40"),
        costLine("DataTransfer-Regional-Bytes", "0.25"),
      ],
    });
    await analyze(testContext(), store);
    const gap = await store.one<Record<string, number | string>>(
      "SELECT purchase, instance_type, billed_hours, modeled_hours, gap_usd, hours_gap, hours_gap_usd FROM mart_reconciliation_instances",
    );
    expect(gap).toMatchObject({
      purchase: "on-demand",
      instance_type: "m5.xlarge",
      billed_hours: 26,
      modeled_hours: 24,
    });
    expect(gap!.gap_usd).toBeCloseTo(0.7, 10);
    expect(gap!.hours_gap_usd).toBeCloseTo(2 * 0.95, 10); // the missing hours at the billed rate
    const day = (await store.one<Record<string, number>>(
      "SELECT modeled_usd, billed_usd, gap_usd, modeled_eks_fee_usd, billed_eks_fee_usd, billed_other_usd FROM mart_reconciliation",
    ))!;
    expect(day.modeled_usd).toBeCloseTo(26.4, 10);
    expect(day.billed_usd).toBeCloseTo(27.1, 10);
    expect(day.gap_usd).toBeCloseTo(0.7, 10);
    expect(day.modeled_eks_fee_usd).toBeCloseTo(day.billed_eks_fee_usd!, 10);
    expect(day.billed_other_usd).toBeCloseTo(0.25, 10);
  });

  it("rolls costs up by label: pod, then the workload's other pods, the workload, the namespace, else (none)", async () => {
    const u = { cpuReq: 0.5, memReq: 2n * GIB, cpu: 0.1, memBytes: gib(1) };
    const hours = [0, 1, 2, 3];
    await writeScenario(store, WINDOW, {
      k8s_nodes: [node("ip-a", "m5.xlarge")],
      k8s_namespaces: [
        { cluster: "test", name: "shop", labels: {} },
        { cluster: "test", name: "batch", labels: { team: "data" } },
      ],
      k8s_workloads: [
        {
          cluster: "test",
          namespace: "shop",
          kind: "Deployment",
          name: "search",
          pvc_templates: [],
          labels: { team: "search" },
        },
      ],
      k8s_pods: [
        pod("shop", "web-a1", "ip-a", { labels: { team: "storefront" } }),
        pod("shop", "search-s1", "ip-a"),
        pod("batch", "etl-e1", "ip-a"),
        pod("shop", "misc-m1", "ip-a"),
      ],
      prom_usage_hourly: [
        ...hours.map((h) => usage(H(h), "shop", "web-a1", "ip-a", u)),
        // web-z9 was deleted before the snapshot: its sibling web-a1 says storefront.
        ...hours.map((h) => usage(H(h), "shop", "web-z9", "ip-a", u)),
        ...hours.map((h) => usage(H(h), "shop", "search-s1", "ip-a", u)),
        ...hours.map((h) => usage(H(h), "batch", "etl-e1", "ip-a", u)),
        ...hours.map((h) => usage(H(h), "shop", "misc-m1", "ip-a", u)),
      ],
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00"), price("eks", null, "Hrs", "0.10")],
    });
    await analyze(testContext({ allocation: { labelKeys: ["team"] } }), store);
    const rows = await store.all<{
      label_value: string;
      cost_usd: number;
      workloads: number;
      values_from: string;
    }>("SELECT label_value, cost_usd, workloads, values_from FROM mart_cost_by_label ORDER BY label_value");
    const value = Object.fromEntries(rows.map((r) => [r.label_value, r]));
    expect(Object.keys(value).sort()).toEqual([
      "(cluster)",
      "(idle)",
      "(none)",
      "data",
      "search",
      "storefront",
    ]);
    // A pod at 0.5 core / 2 GiB on an m5.xlarge (4 vCPU, 16 GiB) at $1: (9 × 0.5 + 2) / 52 per hour.
    const podHour = (9 * 0.5 + 2) / 52;
    expect(value.storefront!.cost_usd).toBeCloseTo(2 * 4 * podHour, 10);
    expect(value.storefront!.values_from).toBe("pod, workload pods");
    expect(value.search).toMatchObject({ workloads: 1n, values_from: "workload" });
    expect(value.data).toMatchObject({ values_from: "namespace" });
    expect(value["(none)"]).toMatchObject({ values_from: "none" });
    expect(value["(cluster)"]!.cost_usd).toBeCloseTo(0.4, 10);
    const total = await store.one<{ usd: number }>("SELECT total_usd AS usd FROM mart_cost_summary");
    expect(rows.reduce((a, r) => a + r.cost_usd, 0)).toBeCloseTo(total!.usd, 10);
  });

  it("scales costs to the bill kind by kind when asked, storage unscaled, and shows both figures", async () => {
    await writeScenario(store, WHOLE_DAY, {
      k8s_nodes: [node("ip-a", "m5.xlarge")],
      k8s_pods: [
        pod("data", "kafka-0", "ip-a", {
          workload_kind: "StatefulSet",
          workload_name: "kafka",
          pvc_names: ["d"],
        }),
      ],
      k8s_pvcs: [
        {
          cluster: "test",
          namespace: "data",
          name: "d",
          storage_class: "gp3",
          phase: "Bound",
          capacity_bytes: 720n * GIB,
          access_modes: [],
          labels: {},
        },
      ],
      prom_usage_hourly: [0, 1, 2, 3].map((h) =>
        usage(
          H(h),
          "data",
          "kafka-0",
          "ip-a",
          { cpuReq: 2, memReq: 8n * GIB, cpu: 1, memBytes: gib(4) },
          {
            workload_kind: "StatefulSet",
            workload_name: "kafka",
          },
        ),
      ),
      aws_prices: [
        price("ec2", "m5.xlarge", "Hrs", "1.00"),
        price("eks", null, "Hrs", "0.10"),
        price("ebs", "gp3", "GB-Mo", "0.08"),
      ],
      // On-demand billed 10 % above the model (26.40 for 24.00); the fee as modeled.
      aws_costs: [
        costLine("BoxUsage:m5.xlarge", "26.40"),
        costLine("USE1-AmazonEKS-Hours:perCluster", "2.40"),
      ],
    });
    await analyze(testContext({ allocation: { scaleToBill: true } }), store);
    const scale = await store.all<{ cost_kind: string; factor: number | null }>(
      "SELECT cost_kind, factor FROM mart_bill_scale ORDER BY cost_kind",
    );
    expect(scale.find((s) => s.cost_kind === "on-demand")!.factor).toBeCloseTo(1.1, 10);
    expect(scale.find((s) => s.cost_kind === "control-plane")!.factor).toBeCloseTo(1, 10);
    expect(scale.find((s) => s.cost_kind === "spot")!.factor).toBeNull(); // nothing modeled
    const kafka = (await store.one<{
      cost_usd: number;
      storage_cost_usd: number;
      scaled: number;
      monthly: number;
    }>(
      "SELECT cost_usd, storage_cost_usd, monthly_cost_scaled_usd AS scaled, monthly_cost_usd AS monthly FROM mart_cost_allocation WHERE workload_name = 'kafka'",
    ))!;
    const factor = 730 / 24;
    const storage = (720 * 0.08 * 24) / 720; // 720 GiB for 24 of November's 720 hours
    expect(kafka.storage_cost_usd).toBeCloseTo(storage, 10);
    expect(kafka.scaled).toBeCloseTo(((kafka.cost_usd - storage) * 1.1 + storage) * factor, 8);
    expect(kafka.monthly).toBeCloseTo(kafka.cost_usd * factor, 8); // the modeled figure is kept
    const all = await store.one<{ scaled: number; modeled: number }>(
      "SELECT sum(monthly_cost_scaled_usd) AS scaled, sum(monthly_cost_usd) AS modeled FROM mart_cost_allocation",
    );
    // Scaled: the billed 26.40 + 2.40, and the storage as modeled.
    expect(all!.scaled).toBeCloseTo((26.4 + 2.4 + storage) * factor, 8);
  });

  it("leaves the scaled figures empty unless scaleToBill is asked for", async () => {
    await writeScenario(store, WINDOW, {
      k8s_nodes: [node("ip-a", "m5.xlarge")],
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00")],
    });
    await analyze(testContext(), store);
    const rows = await store.all<{ scaled: number | null }>(
      "SELECT monthly_cost_scaled_usd AS scaled FROM mart_cost_allocation",
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.scaled === null)).toBe(true);
  });

  it("counts pod-hours on a node name reused by a newer node as unpriced, not as the new node's", async () => {
    const u = { cpuReq: 1, memReq: GIB, cpu: 0.5, memBytes: gib(0.5) };
    await writeScenario(store, WINDOW, {
      // AWS reuses private IPs: ip-r served another instance until 02:00, this one since.
      k8s_nodes: [node("ip-r", "m5.xlarge", { created_at: "2026-11-01T02:00:00Z" })],
      prom_usage_hourly: [0, 1, 2, 3].map((h) => usage(H(h), "team-a", "api-1", "ip-r", u)),
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00")],
    });
    await analyze(testContext(), store); // the every-pod-hour-priced data test holds
    const coverage = await store.one<{ n: bigint; names: string }>(
      "SELECT pod_hours_on_unknown_nodes AS n, unknown_node_names AS names FROM mart_coverage",
    );
    expect(coverage).toEqual({ n: 2n, names: "ip-r" });
    const charged = await store.one<{ usd: number }>(
      "SELECT sum(cost_usd) AS usd FROM mart_cost_allocation WHERE namespace = 'team-a'",
    );
    expect(charged!.usd).toBeCloseTo((2 * (9 + 1)) / 52, 10); // 02:00 and 03:00 only
  });

  it("puts beside the bill its tag filter, the untagged EC2 spend and Cost Explorer's forecast", async () => {
    await writeScenario(store, WINDOW, {
      k8s_nodes: [node("ip-a", "m5.xlarge")],
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00")],
      aws_costs: [
        costLine("BoxUsage:m5.xlarge", "24", { date: "2026-10-31" }),
        costLine("BoxUsage:m5.xlarge", "4"),
        costLine(null, "1.25", { date: "2026-10-31", groupBy: "UNTAGGED_EC2" }),
        costLine(null, "0.75", { groupBy: "UNTAGGED_EC2" }),
      ],
      aws_cost_forecast: [
        {
          cluster: "test",
          period_start: "2026-11-02",
          period_end: "2026-12-01",
          metric: "UNBLENDED_COST",
          mean_usd: "700",
          lower_usd: "650",
          upper_usd: "760",
          interval_level: 80,
          tag_filter: "aws:eks:cluster-name=test",
          source: "cost-explorer",
        },
      ],
    });
    await analyze(testContext(), store);
    const bill = await store.one<Record<string, unknown>>("SELECT * FROM mart_bill_context");
    expect(bill).toMatchObject({
      cluster: "test",
      tag_filter: "aws:eks:cluster-name=test",
      billed_days: 2n,
      untagged_ec2_usd: 2,
      untagged_days: 2n,
      forecast_mean_usd: 700,
      forecast_lower_usd: 650,
      forecast_upper_usd: 760,
      forecast_interval_level: 80,
    });
  });

  it("prices a Fargate pod deleted before the snapshot at the size its recorded requests need", async () => {
    await writeScenario(store, WINDOW, {
      // A CronJob's pod ran 01:00–02:59 on its own Fargate node; both were gone by the snapshot.
      prom_usage_hourly: [1, 2].flatMap((h) => [
        usage(
          H(h),
          "batch",
          "export-29001-x7k2p",
          "fargate-ip-10-0-9-9.ec2.internal",
          {
            cpuReq: 1,
            memReq: 6n * GIB,
            cpu: 0.8,
            memBytes: gib(5),
          },
          { workload_kind: "CronJob", workload_name: "export" },
        ),
        usage(
          H(h),
          "batch",
          "export-29001-x7k2p",
          "fargate-ip-10-0-9-9.ec2.internal",
          {
            cpuReq: 0.25,
            memReq: 1n * GIB,
            cpu: 0.1,
            memBytes: gib(0.5),
          },
          { container: "sidecar", workload_kind: "CronJob", workload_name: "export" },
        ),
      ]),
      aws_prices: [...fargatePrices()],
    });
    await analyze(testContext(), store);
    // 1.25 vCPU and 7 GiB + 256 MiB need 2 vCPU / 8 GB, the smallest valid pair that fits.
    const size = await store.one<Record<string, unknown>>(
      "SELECT billed_vcpu, billed_memory_gib, billed_basis, known_from FROM int_fargate_pod_sizes",
    );
    expect(size).toEqual({
      billed_vcpu: 2,
      billed_memory_gib: 8,
      billed_basis: "computed",
      known_from: "usage history",
    });
    const cost = await store.one<{ usd: number }>(
      "SELECT cost_usd AS usd FROM mart_cost_allocation WHERE workload_name = 'export'",
    );
    expect(cost!.usd).toBeCloseTo(2 * (2 * 0.04048 + 8 * 0.004445), 10);
    const coverage = await store.one<{ n: bigint }>(
      "SELECT pod_hours_on_unknown_nodes AS n FROM mart_coverage",
    );
    expect(coverage?.n ?? 0n).toBe(0n);
  });

  it("flags node-hours of an instance type with no price rather than pricing them at zero silently", async () => {
    await writeScenario(store, WINDOW, { k8s_nodes: [node("ip-x", "x9z.huge")] });
    await analyze(testContext(), store);
    const coverage = await store.one<{ unpriced_node_hours: number; unpriced_types: string }>(
      "SELECT * FROM mart_coverage",
    );
    expect(coverage).toMatchObject({ unpriced_node_hours: 4, unpriced_types: "x9z.huge" });
  });

  it("uses one idle share: idle ÷ the EC2 nodes' cost, in the cluster summary and the node table, Fargate left out", async () => {
    await scenario();
    await analyze(testContext(), store);
    const summary = (await store.one<{
      idle_usd: number;
      compute_usd: number;
      fargate_usd: number;
      idle_share: number;
    }>("SELECT idle_usd, compute_usd, fargate_usd, idle_share FROM mart_cost_summary"))!;
    const nodes = await store.all<{ idle_usd: number; cost_usd: number; idle_share: number }>(
      "SELECT idle_usd, cost_usd, idle_share FROM mart_node_costs ORDER BY node_name",
    );
    const nodeCost = nodes.reduce((a, n) => a + n.cost_usd, 0);
    expect(summary.fargate_usd).toBeGreaterThan(0);
    expect(nodeCost).toBeCloseTo(summary.compute_usd - summary.fargate_usd, 10);
    expect(summary.idle_share).toBeCloseTo(summary.idle_usd / nodeCost, 12);
    for (const n of nodes) expect(n.idle_share).toBeCloseTo(n.idle_usd / n.cost_usd, 12);
  });
});
