/**
 * The EKS cluster fee by support tier: the standard fee every cluster-hour, and the
 * extended-support surcharge (Price List AmazonEKS-Hours:extendedSupport, on top of it) on its own
 * line for the hours the cluster's version is past standard support in the release calendar
 * (data/reference/eks-kubernetes-versions.csv) and its upgrade policy is EXTENDED.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import { Store } from "../../src/store/store.js";
import { costLine, node, price, testContext, writeScenario } from "../fixtures/scenario.js";

// Kubernetes 1.33 leaves standard support on 2026-07-29 (the calendar): one day each side.
const WINDOW = { start: "2026-07-28T00:00:00Z", end: "2026-07-30T00:00:00Z" };

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

const cluster = (version: string, supportType: string) => ({
  cluster: "test",
  eks_name: "test",
  arn: "arn:aws:eks:us-east-1:123456789012:cluster/test",
  version,
  platform_version: "eks.9",
  support_type: supportType,
  auto_mode_enabled: false,
  status: "ACTIVE",
  created_at: "2025-06-01T00:00:00Z",
  tags: {},
});

async function run(version: string, supportType: string) {
  await writeScenario(store, WINDOW, {
    k8s_nodes: [node("ip-a", "m5.xlarge")],
    eks_clusters: [cluster(version, supportType)],
    aws_prices: [
      price("ec2", "m5.xlarge", "Hrs", "1.00"),
      price("eks", null, "Hrs", "0.10", { usage_type: "USE1-AmazonEKS-Hours:perCluster" }),
      price("eks", null, "Hrs", "0.50", { usage_type: "USE1-AmazonEKS-Hours:extendedSupport" }),
    ],
    aws_costs: [
      ...["2026-07-28", "2026-07-29"].flatMap((date) => [
        costLine("BoxUsage:m5.xlarge", "24.00", { date }),
        costLine("USE1-AmazonEKS-Hours:perCluster", "2.40", { date }),
      ]),
      ...(supportType === "EXTENDED"
        ? [costLine("USE1-AmazonEKS-Hours:extendedSupport", "12.00", { date: "2026-07-29" })]
        : []),
    ],
  });
  await analyze(testContext(), store);
  const fee = await store.all<{ workload_name: string; cost_usd: number }>(
    "SELECT workload_name, cost_usd FROM mart_cost_allocation WHERE workload_kind = 'ControlPlane' ORDER BY 1",
  );
  const days = await store.all<{ date: string; modeled_eks_fee_usd: number; billed_eks_fee_usd: number }>(
    "SELECT strftime(date, '%Y-%m-%d') AS date, modeled_eks_fee_usd, billed_eks_fee_usd FROM mart_reconciliation ORDER BY date",
  );
  return { fee, days };
}

describe("EKS cluster fee by support tier", () => {
  it("adds the extended-support surcharge from the day the version leaves standard support, on its own line, and matches the bill", async () => {
    const { fee, days } = await run("1.33", "EXTENDED");
    expect(fee.map((f) => f.workload_name)).toEqual(["EKS cluster fee", "EKS extended support"]);
    expect(fee[0]!.cost_usd).toBeCloseTo(48 * 0.1, 10);
    expect(fee[1]!.cost_usd).toBeCloseTo(24 * 0.5, 10);
    expect(days.map((d) => [d.date, Number(d.modeled_eks_fee_usd.toFixed(6)), d.billed_eks_fee_usd])).toEqual(
      [
        ["2026-07-28", 2.4, 2.4],
        ["2026-07-29", 14.4, 14.4],
      ],
    );
    const tiers = await store.all<{ support_tier: string; hours: number }>(
      "SELECT support_tier, count(*)::int AS hours FROM int_eks_support_hours GROUP BY 1 ORDER BY 1",
    );
    expect(tiers).toEqual([
      { support_tier: "extended", hours: 24 },
      { support_tier: "standard", hours: 24 },
    ]);
    expect(
      await store.one(
        "SELECT eks_version, eks_support_type, extended_support_hours::int AS h FROM mart_reconciliation_evidence",
      ),
    ).toEqual({ eks_version: "1.33", eks_support_type: "EXTENDED", h: 24 });
  });

  it("charges no extended support to a cluster whose upgrade policy is STANDARD (AWS upgrades it instead)", async () => {
    const { fee } = await run("1.33", "STANDARD");
    expect(fee.map((f) => f.workload_name)).toEqual(["EKS cluster fee"]);
  });

  it("calls a version the release calendar does not list unknown and prices only the standard fee", async () => {
    const { fee } = await run("1.99", "EXTENDED");
    expect(fee.map((f) => f.workload_name)).toEqual(["EKS cluster fee"]);
    const tier = await store.one<{ support_tier: string }>(
      "SELECT DISTINCT support_tier FROM int_eks_support_hours",
    );
    expect(tier?.support_tier).toBe("unknown");
    expect(
      await store.one("SELECT unknown_support_hours::int AS h FROM mart_reconciliation_evidence"),
    ).toEqual({ h: 48 });
  });
});
