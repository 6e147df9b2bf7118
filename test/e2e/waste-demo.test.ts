/**
 * The waste families on the demo cluster (planted by scripts/demo/waste.ts), through the real
 * CLI: every planted finding is found with its number, worked out here from the plant (gp3 at
 * $0.08 per GB-month prorated over November's 720 hours, a month of 730 hours; an NLB at
 * $0.0225 an hour plus $0.005 per public IPv4 address-hour in each of the nodes' 3 zones), and
 * each savings family gives a figure or the reason there is none.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./cli.js";

const out = mkdtempSync(join(tmpdir(), "capacity-waste-"));
// biome-ignore lint/suspicious/noExplicitAny: the JSON document under test.
let recommendations: any;
// biome-ignore lint/suspicious/noExplicitAny: its idle rows.
const idle = (kind: string, name: string): any =>
  // biome-ignore lint/suspicious/noExplicitAny: its idle rows.
  recommendations.idle.find((r: any) => r.kind === kind && r.name === name);

beforeAll(() => {
  const result = cli(["demo", "--out", out]);
  if (result.code !== 0) throw new Error(`demo failed (${result.code}):\n${result.stderr}`);
  recommendations = JSON.parse(readFileSync(join(out, "recommendations.json"), "utf8"));
}, 600_000);

const gp3Monthly = (gib: number) => ((gib * 0.08) / 720) * 730;
// data-kafka-3's StorageClass (kafka-gp3, scripts/demo/billlines.ts) provisions 4,500 IOPS: 1,500
// above gp3's 3,000 at $0.005 an IOPS-month, prorated like its GB-month.
const kafkaIopsMonthly = ((1500 * 0.005) / 720) * 730;
// An NLB or an ALB: $0.0225 an hour, and a public IPv4 address in each of the nodes' 3 zones.
const publicLbMonthly = (0.0225 + 3 * 0.005) * 730;

describe("the waste families on the demo", () => {
  it("prices the Released volume, the PVC nothing mounts, and the EBS no PV references", () => {
    expect(idle("pv", "pvc-5b1e7c2a-93d4-4f0e-8a61-2c7d9e0f4b13").monthlyCostUsd).toBeCloseTo(
      gp3Monthly(200),
      3,
    );
    expect(idle("pvc", "data-preview-db-0").monthlyCostUsd).toBeCloseTo(gp3Monthly(20), 3);
    const ebs = idle("ebs", "EBS volumes no PV accounts for");
    expect(ebs.monthlyCostUsd).toBeCloseTo(gp3Monthly(100), 3);
    expect(ebs.reason).toContain("GetCostAndUsageWithResources");
  });

  it("prices the load balancers with no ready endpoint at their type's hour and their public addresses", () => {
    for (const name of ["legacy-storefront", "preview-api"]) {
      const lb = idle("load-balancer", name);
      expect(lb.monthlyCostUsd).toBeCloseTo(publicLbMonthly, 3);
      expect(lb.reason).toContain("a Network load balancer at $0.0225/hour (snapshot of 2025");
    }
  });

  it("prices the ALB of an Ingress whose Services have no ready endpoint, and leaves the one that serves", () => {
    const alb = idle("load-balancer", "ingress/preview-web");
    expect(alb.monthlyCostUsd).toBeCloseTo(publicLbMonthly, 3);
    expect(alb.reason).toContain("an Application load balancer at $0.0225/hour (snapshot of 2025");
    expect(idle("load-balancer", "ingress/storefront")).toBeUndefined();
  });

  it("finds the workloads scaled to zero with what they hold, and the namespace with no running pod that still costs", () => {
    expect(idle("workload", "Deployment/preview-api")).toMatchObject({
      namespace: "staging-old",
      reason: "scaled to zero replicas, still holding 1 LoadBalancer Service(s) (preview-api)",
    });
    expect(idle("workload", "Deployment/preview-api").monthlyCostUsd).toBeCloseTo(publicLbMonthly, 3);
    expect(idle("workload", "StatefulSet/preview-db").reason).toBe(
      "scaled to zero replicas, still holding 1 PVC(s) (priced on their own rows)",
    );
    expect(idle("namespace", "staging-old").monthlyCostUsd).toBeCloseTo(
      gp3Monthly(20) + 2 * publicLbMonthly,
      3,
    );
  });

  it("flags the cluster in extended support with the date and what upgrading saves", () => {
    const cluster = idle("cluster", "demo-shop");
    expect(cluster.monthlyCostUsd).toBeCloseTo(0.5 * 730, 6);
    expect(cluster.reason).toContain(
      "Kubernetes 1.31 is in extended support: its standard support ended 2025-11-26",
    );
  });

  it("reads the Savings Plan's coverage and utilisation, and says what it does to the spot move", () => {
    const [c] = recommendations.spot.commitments;
    // The bill's plan (scripts/demo/bill.ts): 240 or 200 of the day's m6i.xlarge hours covered, on
    // alternate days, at the $0.192 list price; committed for 240 hours a day at $0.1344.
    expect(c).toMatchObject({ cluster: "demo-shop", status: "covered" });
    expect(c.savingsPlansUtilization).toBeCloseTo(220 / 240, 3);
    expect(c.reason).toContain(`($${((220 * 0.192 * 730) / 24).toFixed(2)} a month)`);
    // The answers carry cents per day: the month of unused commitment is within a cent a day.
    expect(Math.abs(c.savingsPlansUnusedMonthlyUsd - (20 * 0.1344 * 730) / 24)).toBeLessThan(0.01 * 31);
    expect(c.strandedCommitmentMonthlyUsd).toBe(0);
  });

  it("lets a workload's capacity.io/spot-ready annotation decide", () => {
    // biome-ignore lint/suspicious/noExplicitAny: its spot rows.
    const coupon = recommendations.spot.workloads.find((w: any) => w.workloadName === "coupon-service");
    expect(coupon).toMatchObject({ spotReady: true, status: "ready" });
    expect(coupon.reason).toContain('capacity.io/spot-ready is "true"');
  });

  it("gives every savings family a figure or the reason there is none", () => {
    const categories = recommendations.summary.savingsByCategoryUsd;
    expect(Object.keys(categories).sort()).toEqual([
      "autoscaling",
      "fargate",
      "graviton",
      "idle",
      "offpeak",
      "rightsizing",
      "spot",
    ]);
    for (const c of Object.values(categories) as Array<{ usd: number | null; reason: string }>) {
      expect(c.reason.length).toBeGreaterThan(10);
      if (c.usd === null) expect(c.reason).not.toBe("");
    }
    // Idle: the nearly idle node plus each object nothing uses, once.
    const objects =
      gp3Monthly(500) + kafkaIopsMonthly + gp3Monthly(20) + gp3Monthly(200) + 3 * publicLbMonthly + 365;
    const nodes = (
      recommendations.idle as Array<{ kind: string; reason: string; monthlyCostUsd: number }>
    ).filter((r) => r.kind === "node" && r.reason.includes("counted here"));
    expect(nodes).toHaveLength(1);
    expect(categories.idle.usd).toBeCloseTo(nodes[0]!.monthlyCostUsd + objects, 2);
  });
});
