/**
 * EBS beyond size (issue #16): a PVC's provisioned IOPS and throughput above what its volume type
 * includes are priced per PVC from its StorageClass, prorated like its GB-month (one EBS rule),
 * charged to the workload that mounts it, and set against the bill's EBS:VolumeP-* lines on the
 * storage line; the reconciliation names them only when a PVC has them.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { martReader } from "../../src/analyze/marts.js";
import type { ClusterReconciliation } from "../../src/analyze/reconciliation/explain.js";
import { reconciliation } from "../../src/analyze/reconciliation/index.js";
import { analyze } from "../../src/services/analyze.js";
import { latestRun } from "../../src/store/runs.js";
import { Store } from "../../src/store/store.js";
import { costLine, GIB, node, pod, price, testContext, writeScenario } from "../fixtures/scenario.js";

const DAY = { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" };
const MONTH_HOURS = 30 * 24; // November

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

const pvc = (name: string, storageClass: string, size: bigint) => ({
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
});
const storageClass = (name: string, parameters: Record<string, string>) => ({
  cluster: "test",
  name,
  provisioner: "ebs.csi.aws.com",
  parameters,
  created_at: "2026-01-01T00:00:00Z",
});
const prices = [
  price("ec2", "m5.xlarge", "Hrs", "1.00"),
  price("eks", null, "Hrs", "0.10"),
  price("ebs", "gp3", "GB-Mo", "0.08"),
  price("ebs", "io2", "GB-Mo", "0.125"),
  price("ebs-iops", "gp3", "IOPS-Mo", "0.005"),
  price("ebs-throughput", "gp3", "MiBps-Mo", "0.04"),
  price("ebs-iops", "io2", "IOPS-Mo", "0.065"),
  price("ebs-iops", "io2-tier2", "IOPS-Mo", "0.046"),
  price("ebs-iops", "io2-tier3", "IOPS-Mo", "0.032"),
];

async function cluster(withClasses: boolean, bill: ReturnType<typeof costLine>[] = []): Promise<void> {
  await writeScenario(store, DAY, {
    k8s_nodes: [node("ip-a", "m5.xlarge")],
    k8s_pods: [
      pod("data", "db-0", "ip-a", {
        workload_kind: "StatefulSet",
        workload_name: "db",
        pvc_names: ["data-db-0"],
      }),
      pod("data", "ledger-0", "ip-a", {
        workload_kind: "StatefulSet",
        workload_name: "ledger",
        pvc_names: ["data-ledger-0"],
      }),
      pod("data", "cache-0", "ip-a", {
        workload_kind: "StatefulSet",
        workload_name: "cache",
        pvc_names: ["data-cache-0"],
      }),
    ],
    k8s_pvcs: [
      pvc("data-db-0", "fast", 100n),
      pvc("data-ledger-0", "ledger", 200n),
      pvc("data-cache-0", "gp3", 50n),
    ],
    k8s_storage_classes: withClasses
      ? [
          storageClass("fast", { type: "gp3", iops: "6000", throughput: "250" }),
          // io2 priced by its tiers: 32,000 at the first rate, 8,000 at the second.
          storageClass("ledger", { type: "io2", iopsPerGB: "200" }),
          storageClass("gp3", { type: "gp3" }),
        ]
      : [],
    aws_prices: prices,
    aws_costs: [
      costLine("BoxUsage:m5.xlarge", "24", { metric: "UsageQuantity" }),
      costLine("BoxUsage:m5.xlarge", "24.00"),
      costLine("USE1-AmazonEKS-Hours:perCluster", "2.40"),
      ...bill,
    ],
  });
  await analyze(testContext(), store);
}

async function explanations(): Promise<string[]> {
  const run = (await latestRun(store))!;
  const section = await reconciliation.section({
    marts: martReader(store, run.run_id),
    run,
    config: testContext().config,
    settings: undefined,
  });
  return (section.view as { clusters: (ClusterReconciliation & { explanations: string[] })[] }).clusters[0]!
    .explanations;
}

describe("EBS beyond size", () => {
  it("prices gp3 IOPS above 3,000 and throughput above 125 MiB/s, and io2 IOPS by tier, per PVC by the hour of the month", async () => {
    await cluster(true);
    const lines = Object.fromEntries(
      (
        await store.all<{ capacity_pool: string; workload_name: string; cost_usd: number }>(
          "SELECT capacity_pool, workload_name, sum(cost_usd) AS cost_usd FROM int_cost_lines_daily WHERE capacity_type = 'storage' GROUP BY ALL",
        )
      ).map((r) => [`${r.workload_name} ${r.capacity_pool}`, r.cost_usd]),
    );
    const day = 24 / MONTH_HOURS;
    expect(lines["db ebs-gp3"]).toBeCloseTo(100 * 0.08 * day, 10);
    expect(lines["db ebs-gp3-iops"]).toBeCloseTo(3000 * 0.005 * day, 10);
    expect(lines["db ebs-gp3-throughput"]).toBeCloseTo(125 * 0.04 * day, 10);
    expect(lines["ledger ebs-io2"]).toBeCloseTo(200 * 0.125 * day, 10);
    expect(lines["ledger ebs-io2-iops"]).toBeCloseTo((32000 * 0.065 + 8000 * 0.046) * day, 10);
    // A gp3 class at its baseline has no IOPS or throughput line.
    expect(lines["cache ebs-gp3"]).toBeCloseTo(50 * 0.08 * day, 10);
    expect(Object.keys(lines).filter((k) => k.startsWith("cache "))).toEqual(["cache ebs-gp3"]);
    const db = await store.one<{ storage_cost_usd: number }>(
      "SELECT storage_cost_usd FROM mart_cost_allocation WHERE workload_name = 'db'",
    );
    expect(db!.storage_cost_usd * (24 / MONTH_HOURS)).toBeGreaterThan(0);
  });

  it("compares the bill's EBS:VolumeP-IOPS and -Throughput lines with the PVCs on the storage line and names them", async () => {
    const day = 24 / MONTH_HOURS;
    const iops = (3000 * 0.005 + 32000 * 0.065 + 8000 * 0.046) * day;
    const throughput = 125 * 0.04 * day;
    await cluster(true, [
      costLine("EBS:VolumeP-IOPS.gp3", (3000 * 0.005 * day).toFixed(6)),
      costLine("EBS:VolumeP-IOPS.io2", ((32000 * 0.065 + 8000 * 0.046) * day).toFixed(6)),
      costLine("EBS:VolumeP-Throughput.gp3", throughput.toFixed(6)),
    ]);
    const r = await store.one<{
      billed_storage_usd: number;
      modeled_storage_usd: number;
      billed_other_usd: number | null;
    }>("SELECT billed_storage_usd, modeled_storage_usd, billed_other_usd FROM mart_reconciliation");
    expect(r!.billed_storage_usd).toBeCloseTo(iops + throughput, 5);
    expect(r!.billed_other_usd).toBeNull();
    expect(await store.all("SELECT * FROM mart_bill_lines")).toEqual([]);
    const lines = await explanations();
    expect(lines.filter((l) => l.startsWith("EBS beyond size"))).toEqual([
      expect.stringContaining(`2 PVC(s) are provisioned`),
    ]);
  });

  it("names no IOPS line when no PVC is provisioned beyond its baseline, and says so when the StorageClasses were not read", async () => {
    await cluster(false);
    const perf = await store.all("SELECT * FROM int_cost_lines_daily WHERE capacity_pool LIKE 'ebs-%-%'");
    expect(perf).toEqual([]);
    const lines = await explanations();
    expect(lines.some((l) => l.startsWith("EBS beyond size"))).toBe(false);
    // Only data-cache-0 is known to be EBS without its class (by its class name, gp3); the others
    // are not priced at all, so not counted.
    expect(lines).toContainEqual(expect.stringContaining("1 EBS PVC(s) have no StorageClass collected"));
  });
});
