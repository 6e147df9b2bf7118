/**
 * The EKS Auto Mode management fee (issue #16): per instance-hour, by instance type, on the nodes
 * Auto Mode manages only (eks.amazonaws.com/compute-type=auto), on its own line beside the EKS fee
 * and in the reconciliation; a cluster without Auto Mode nodes shows neither.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { martReader } from "../../src/analyze/marts.js";
import type { ClusterReconciliation } from "../../src/analyze/reconciliation/explain.js";
import { reconciliation } from "../../src/analyze/reconciliation/index.js";
import { analyze } from "../../src/services/analyze.js";
import { latestRun } from "../../src/store/runs.js";
import { Store } from "../../src/store/store.js";
import { costLine, node, price, testContext, writeScenario } from "../fixtures/scenario.js";

const DAY = { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" };

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

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

const feeRows = () =>
  store.all<{ workload_name: string; cost_usd: number }>(
    "SELECT workload_name, sum(cost_usd) AS cost_usd FROM int_cost_lines_daily WHERE capacity_pool = 'eks-auto-mode' GROUP BY ALL",
  );

describe("EKS Auto Mode management fee", () => {
  it("charges the fee per instance-hour on Auto Mode nodes only, on its own line, and names it in the reconciliation", async () => {
    await writeScenario(store, DAY, {
      k8s_nodes: [node("i-auto-1", "m5.xlarge", { compute_type: "auto" }), node("ip-managed", "m5.xlarge")],
      aws_prices: [
        price("ec2", "m5.xlarge", "Hrs", "0.192"),
        price("eks", null, "Hrs", "0.10"),
        price("eks-auto-mode", "m5.xlarge", "Hrs", "0.02304"),
      ],
      aws_costs: [
        costLine("BoxUsage:m5.xlarge", "48", { metric: "UsageQuantity" }),
        costLine("BoxUsage:m5.xlarge", (48 * 0.192).toFixed(4)),
        costLine("USE1-AmazonEKS-Hours:perCluster", "2.40"),
      ],
    });
    await analyze(testContext(), store);
    expect(await feeRows()).toEqual([
      { workload_name: "EKS Auto Mode fee", cost_usd: expect.closeTo(24 * 0.02304, 10) },
    ]);
    const r = await store.one<{ modeled_eks_fee_usd: number }>(
      "SELECT modeled_eks_fee_usd FROM mart_reconciliation",
    );
    expect(r!.modeled_eks_fee_usd).toBeCloseTo(2.4 + 24 * 0.02304, 10);
    expect(await explanations()).toContainEqual(
      expect.stringMatching(/^EKS Auto Mode: 24 node-hours .* is \$0\.55 on its own line/),
    );
  });

  it("shows no fee and no Auto Mode line when no node is managed by Auto Mode", async () => {
    await writeScenario(store, DAY, {
      k8s_nodes: [node("ip-managed", "m5.xlarge")],
      aws_prices: [
        price("ec2", "m5.xlarge", "Hrs", "0.192"),
        price("eks", null, "Hrs", "0.10"),
        price("eks-auto-mode", "m5.xlarge", "Hrs", "0.02304"),
      ],
      aws_costs: [
        costLine("BoxUsage:m5.xlarge", "24", { metric: "UsageQuantity" }),
        costLine("BoxUsage:m5.xlarge", (24 * 0.192).toFixed(4)),
        costLine("USE1-AmazonEKS-Hours:perCluster", "2.40"),
      ],
    });
    await analyze(testContext(), store);
    expect(await feeRows()).toEqual([]);
    expect((await explanations()).some((l) => l.startsWith("EKS Auto Mode"))).toBe(false);
  });
});
