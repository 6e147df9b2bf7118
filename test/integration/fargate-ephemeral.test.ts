/**
 * Fargate's ephemeral storage (issue #16): 20 GiB is included; what a pod requests above it (up to
 * 175 GiB) is billed per GB-hour ($0.000111 in us-east-1) on the pod's Fargate line, and a pod
 * within the 20 GiB pays nothing for it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import { Store } from "../../src/store/store.js";
import {
  container,
  fargatePrices,
  GIB,
  node,
  pod,
  price,
  testContext,
  writeScenario,
} from "../fixtures/scenario.js";

const WINDOW = { start: "2026-11-01T00:00:00Z", end: "2026-11-01T04:00:00Z" };

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

describe("Fargate ephemeral storage", () => {
  it("bills the requested ephemeral storage above 20 GiB per GB-hour on the pod's line, and nothing within it", async () => {
    const fargate = (name: string) =>
      node(name, null as unknown as string, {
        instance_type: null,
        capacity_type: "fargate",
        compute_type: "fargate",
      });
    await writeScenario(store, WINDOW, {
      k8s_nodes: [fargate("fargate-ip-1"), fargate("fargate-ip-2")],
      k8s_pods: [
        pod("etl", "big-1", "fargate-ip-1", { fargate_profile: "fp", capacity_provisioned: "1vCPU 2GB" }),
        pod("etl", "small-1", "fargate-ip-2", { fargate_profile: "fp", capacity_provisioned: "1vCPU 2GB" }),
      ],
      k8s_containers: [
        container("etl", "big-1", 1, 1n * GIB, { ephemeral_request_bytes: 100n * GIB }),
        container("etl", "small-1", 1, 1n * GIB, { ephemeral_request_bytes: 10n * GIB }),
      ],
      aws_prices: [...fargatePrices(), price("fargate-ephemeral", null, "GB-Hours", "0.000111")],
    });
    await analyze(testContext(), store);
    const lines = Object.fromEntries(
      (
        await store.all<{ pod_name: string; other_cost_usd: number; cost_usd: number }>(
          "SELECT pod_name, sum(other_cost_usd) AS other_cost_usd, sum(cost_usd) AS cost_usd FROM int_cost_lines_daily WHERE capacity_type = 'fargate' GROUP BY ALL",
        )
      ).map((r) => [r.pod_name, r]),
    );
    const compute = 4 * (1 * 0.04048 + 2 * 0.004445);
    expect(lines["big-1"]!.other_cost_usd).toBeCloseTo(4 * 80 * 0.000111, 10);
    expect(lines["big-1"]!.cost_usd).toBeCloseTo(compute + 4 * 80 * 0.000111, 10);
    expect(lines["small-1"]!.other_cost_usd).toBe(0);
    expect(lines["small-1"]!.cost_usd).toBeCloseTo(compute, 10);
  });
});
