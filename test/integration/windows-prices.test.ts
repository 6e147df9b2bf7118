/**
 * Linux and Windows prices per node from its labels (issue #16): a node labelled
 * `kubernetes.io/os=windows` takes its instance type's Windows price; without one it is unpriced
 * and named, never priced as Linux. Arm and x86 differ by instance type, so each type's own price
 * covers them.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import { Store } from "../../src/store/store.js";
import { node, price, testContext, writeScenario } from "../fixtures/scenario.js";

const WINDOW = { start: "2026-11-01T00:00:00Z", end: "2026-11-01T04:00:00Z" };

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

const nodeCost = async () =>
  Object.fromEntries(
    (
      await store.all<{ node_name: string; cost_usd: number; price_source: string }>(
        "SELECT node_name, sum(node_hours * price_usd_per_hour) AS cost_usd, any_value(price_source) AS price_source FROM int_node_hours_priced GROUP BY ALL",
      )
    ).map((r) => [r.node_name, r]),
  );

describe("Windows and Linux prices per node", () => {
  it("prices a Windows node at its type's Windows price and a Linux node of the same type at the Linux one", async () => {
    await writeScenario(store, WINDOW, {
      k8s_nodes: [
        node("ip-linux", "m5.xlarge", { os: "linux" }),
        node("ip-win", "m5.xlarge", { os: "windows", labels: { "kubernetes.io/os": "windows" } }),
        node("ip-arm", "m7g.xlarge", { os: "linux", arch: "arm64" }),
      ],
      aws_prices: [
        price("ec2", "m5.xlarge", "Hrs", "0.192"),
        price("ec2-windows", "m5.xlarge", "Hrs", "0.376"),
        price("ec2", "m7g.xlarge", "Hrs", "0.1632"),
      ],
    });
    await analyze(testContext(), store);
    const cost = await nodeCost();
    expect(cost["ip-linux"]!.cost_usd).toBeCloseTo(4 * 0.192, 10);
    expect(cost["ip-win"]!.cost_usd).toBeCloseTo(4 * 0.376, 10);
    expect(cost["ip-arm"]!.cost_usd).toBeCloseTo(4 * 0.1632, 10);
    expect(await store.all("SELECT * FROM mart_unpriced")).toEqual([]);
  });

  it("leaves a Windows node without a Windows price unpriced and names it, never at the Linux price", async () => {
    await writeScenario(store, WINDOW, {
      k8s_nodes: [
        node("ip-linux", "m5.xlarge", { os: "linux" }),
        node("ip-win", "m5.xlarge", { os: "windows" }),
      ],
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "0.192")],
    });
    await analyze(testContext(), store);
    const cost = await nodeCost();
    expect(cost["ip-linux"]!.cost_usd).toBeCloseTo(4 * 0.192, 10);
    expect(cost["ip-win"]!.price_source).toBe("unpriced");
    const unpriced = await store.all<{ name: string; reason: string; hours: number }>(
      "SELECT name, reason, hours FROM mart_unpriced",
    );
    expect(unpriced).toEqual([
      { name: "ip-win", reason: expect.stringContaining("no Windows price for m5.xlarge"), hours: 4 },
    ]);
  });
});
