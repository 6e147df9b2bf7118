/**
 * Provisioned Control Plane (issue #16): a cluster whose DescribeCluster reports a scaling tier
 * other than standard is named in the reconciliation (its tier's charge has no sourced price, so
 * it is not modeled); a standard cluster gets no such line.
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

async function explain(tier: string | null): Promise<string[]> {
  await writeScenario(store, DAY, {
    k8s_nodes: [node("ip-a", "m5.xlarge")],
    eks_clusters: [
      {
        cluster: "test",
        eks_name: "test",
        version: "1.33",
        support_type: "STANDARD",
        auto_mode_enabled: false,
        control_plane_tier: tier,
        status: "ACTIVE",
        created_at: "2026-01-01T00:00:00Z",
        tags: {},
      },
    ],
    aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00"), price("eks", null, "Hrs", "0.10")],
    aws_costs: [costLine("BoxUsage:m5.xlarge", "24.00"), costLine("USE1-AmazonEKS-Hours:perCluster", "2.40")],
  });
  await analyze(testContext(), store);
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

describe("Provisioned Control Plane", () => {
  it("names a provisioned tier the EKS API reports, and says its charge is not modeled", async () => {
    expect(await explain("tier-xl")).toContainEqual(
      expect.stringMatching(/^EKS Provisioned Control Plane: .* tier-xl scaling tier .* not modeled/),
    );
  });

  it("names nothing for a standard control plane", async () => {
    expect((await explain(null)).some((l) => l.includes("Provisioned Control Plane"))).toBe(false);
  });
});
