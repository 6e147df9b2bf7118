/**
 * The planted cases of issue #21 in the demo (scripts/demo/offpeak.ts) through the real CLI:
 * off-peak scale-down, autoscaler health and Graviton in recommendations.json, checked against
 * figures computed here from the bundle's own usage CSV and the generator's traffic curve, and
 * the pools' monthly figures re-added from their hour-by-hour mart.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { DEMO_WINDOW, traffic } from "../../scripts/demo/generate.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { Store } from "../../src/store/store.js";
import { cli } from "./cli.js";

const out = mkdtempSync(join(tmpdir(), "capacity-offpeak-"));
// biome-ignore lint/suspicious/noExplicitAny: the JSON document under test.
let rec: any;
let store: Store;

beforeAll(async () => {
  const result = cli(["demo", "--out", out]);
  if (result.code !== 0) throw new Error(`demo failed (${result.code}):\n${result.stderr}`);
  rec = JSON.parse(readFileSync(join(out, "recommendations.json"), "utf8"));
  store = await Store.open(join(out, "capacity.duckdb"), memoryLogger());
}, 600_000);
afterAll(() => store?.close());

interface UsageRow {
  hour: string;
  pod: string;
  workload: string;
  cpuAvg: number;
}

function usage(): UsageRow[] {
  const text = gunzipSync(
    readFileSync(projectPath("data", "demo", "prometheus", "demo-shop", "usage_hourly.csv.gz")),
  ).toString("utf8");
  const [header, ...lines] = text.trimEnd().split("\n");
  const cols = header!.split(",");
  const at = (name: string) => cols.indexOf(name);
  return lines.map((l) => {
    const f = l.split(",");
    return {
      hour: f[at("hour")]!,
      pod: f[at("pod")]!,
      workload: `${f[at("namespace")]}/${f[at("workload_name")]}`,
      cpuAvg: Number(f[at("cpu_avg_cores")]),
    };
  });
}

/** DuckDB's quantile_cont: linear interpolation between the order statistics. */
function quantileCont(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

describe("off-peak scale-down on the demo", () => {
  it("finds shop/storefront-ssr held flat at 8 replicas through the night, and the replicas its curve needs", () => {
    const rows = usage().filter((r) => r.workload === "shop/storefront-ssr");
    const byHour = new Map<string, number>();
    for (const r of rows) byHour.set(r.hour, (byHour.get(r.hour) ?? 0) + r.cpuAvg);
    const byHourOfDay = new Map<number, number[]>();
    for (const [hour, cpu] of byHour) {
      const h = new Date(hour).getUTCHours();
      byHourOfDay.set(h, [...(byHourOfDay.get(h) ?? []), cpu]);
    }
    const demand = new Map([...byHourOfDay].map(([h, v]) => [h, quantileCont(v, 0.9)]));
    const peak = Math.max(...demand.values());
    const offpeak = [...demand]
      .filter(([, d]) => d < 0.4 * peak)
      .map(([h]) => h)
      .sort((a, b) => a - b);
    // No HPA: sized for 70 % of its 1-CPU request per pod.
    const needed = Math.max(...offpeak.map((h) => Math.ceil(demand.get(h)! / 0.7)));
    // The generator's curve: 0.6 + 0.4 cos(2π(h − 19)/24) is below 40 % of its peak where the
    // cosine is below −0.5, hours 04–10 UTC (03 and 11 sit on the boundary).
    expect(offpeak).toEqual([4, 5, 6, 7, 8, 9, 10]);

    const w = rec.offpeak.workloads.find(
      (x: { workloadName: string }) => x.workloadName === "storefront-ssr",
    );
    expect(w).toMatchObject({
      capacityPool: "spot-general",
      status: "flat_offpeak",
      cause: "no_hpa",
      offpeakHoursOfDay: offpeak,
      replicasHeldAtPeak: 8,
      replicasHeldOffpeak: 8,
      replicasNeededOffpeak: needed,
      recommendedOffpeakReplicas: Math.max(2, needed),
      schedule: { startHourUtc: 4, endHourUtc: 11 },
    });
    expect(w.peakDemandCores).toBeCloseTo(peak, 3);
    // Day of week: each day's average hourly demand; Saturday and Sunday against the weekdays.
    const byDay = new Map<number, number[]>();
    for (const [hour, cpu] of byHour) {
      const d = (new Date(hour).getUTCDay() + 6) % 7; // Monday 0
      byDay.set(d, [...(byDay.get(d) ?? []), cpu]);
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const days = Array.from({ length: 7 }, (_, d) => mean(byDay.get(d)!));
    const busiest = Math.max(...days);
    expect(w.demandByDayOfWeek).toEqual(days.map((d) => Math.round((d / busiest) * 1000) / 1000));
    expect(w.weekendDemandRatio).toBeCloseTo(mean(days.slice(5)) / mean(days.slice(0, 5)), 4);
    const docs = parseAllDocuments(w.cronJobs).map((d) => d.toJS());
    const jobs = docs.filter((d) => d.kind === "CronJob");
    expect(jobs.map((j) => j.spec.schedule)).toEqual(["0 4 * * *", "0 11 * * *"]);
    expect(jobs.map((j) => j.spec.jobTemplate.spec.template.spec.containers[0].command.at(-1))).toEqual([
      `--replicas=${Math.max(2, needed)}`,
      "--replicas=8",
    ]);
    expect(docs.map((d) => d.kind)).toEqual(["ServiceAccount", "Role", "RoleBinding", "CronJob", "CronJob"]);
    const keda = parse(w.kedaScaledObject);
    expect(keda.spec).toMatchObject({ minReplicaCount: Math.max(2, needed), maxReplicaCount: 8 });
    expect(keda.spec.triggers[0]).toMatchObject({
      type: "cron",
      metadata: { start: "0 11 * * *", end: "0 4 * * *", desiredReplicas: "8" },
    });
  });

  it("says which HPA's minReplicas holds a workload up", () => {
    const w = rec.offpeak.workloads.find((x: { workloadName: string }) => x.workloadName === "catalog");
    expect(w).toMatchObject({ status: "flat_offpeak", cause: "hpa_min_too_high", hpa: { minReplicas: 3 } });
    const jobs = parseAllDocuments(w.cronJobs)
      .map((d) => d.toJS())
      .filter((d) => d.kind === "CronJob");
    expect(jobs.map((j) => j.spec.jobTemplate.spec.template.spec.containers[0].command.at(-1))).toEqual([
      '{"spec":{"minReplicas":2}}',
      '{"spec":{"minReplicas":3}}',
    ]);
  });

  it("prices each pool's off-peak node-hours as the sum of its hours re-packed, only where the autoscaler can remove them", async () => {
    const hours = await store.all<{
      capacity_pool: string;
      nodes_packed_held: number;
      nodes_packed_needed: number;
      nodes_floor: number;
      usd_per_hour_held: number;
      usd_per_hour_needed: number;
    }>("SELECT * FROM mart_offpeak_pool_hours WHERE run_id = $1 ORDER BY capacity_pool, hour_of_day", [
      rec.runId,
    ]);
    for (const pool of rec.offpeak.pools) {
      const mine = hours.filter((h) => h.capacity_pool === pool.pool);
      expect(mine).toHaveLength(24);
      const saved = mine.reduce(
        (a, h) =>
          a + Math.max(h.nodes_packed_held, h.nodes_floor) - Math.max(h.nodes_packed_needed, h.nodes_floor),
        0,
      );
      const usd = mine.reduce((a, h) => a + h.usd_per_hour_held - h.usd_per_hour_needed, 0) * (730 / 24);
      if (pool.status === "scale_down") {
        expect(pool.nodeHoursSavedPerDay).toBe(saved);
        expect(pool.monthlySavingsUsd).toBeCloseTo(usd, 3);
      } else {
        expect(pool.monthlySavingsUsd).toBe(0);
      }
    }
    const byName = Object.fromEntries(rec.offpeak.pools.map((p: { pool: string }) => [p.pool, p]));
    expect(byName["spot-general"]).toMatchObject({ autoscaler: "karpenter", status: "scale_down" });
    expect(byName["spot-general"].nodeHoursSavedPerDay).toBeGreaterThan(0);
    // Cluster Autoscaler is planted; the EKS API gives the groups' min sizes (3 and 2).
    expect(byName["general-od"]).toMatchObject({ autoscaler: "cluster-autoscaler", minSize: 3 });
    expect(byName["graviton-od"]).toMatchObject({ minSize: 2, status: "nothing_offpeak" });
    const total = rec.offpeak.pools.reduce(
      (a: number, p: { monthlySavingsUsd: number }) => a + p.monthlySavingsUsd,
      0,
    );
    expect(rec.summary.savingsByCategoryUsd.offpeak.usd).toBeCloseTo(total, 3);
  });
});

describe("autoscaler health on the demo", () => {
  const finding = (name: string) =>
    rec.autoscaling.hpas.filter((h: { workloadName: string }) => h.workloadName === name);

  it("finds the HPA of shop/price-alerts unable to scale: its container has no CPU request, and its status says so", () => {
    expect(finding("price-alerts")).toEqual([
      expect.objectContaining({ finding: "no_request", minReplicas: 2, maxReplicas: 6, monthlyUsd: null }),
      expect.objectContaining({
        finding: "scaling_inactive",
        minReplicas: 2,
        maxReplicas: 6,
        monthlyUsd: null,
      }),
    ]);
  });

  it("finds shop/live-chat at its maxReplicas in the hours the generator's curve asks for more than 4", () => {
    // desired = ceil(0.3 × 4 × traffic ÷ (0.25 × 0.7)) ≥ 4 ⇔ traffic > 0.4375
    const start = Date.parse(DEMO_WINDOW.start);
    const hours = (Date.parse(DEMO_WINDOW.end) - start) / 3_600_000;
    let atMax = 0;
    for (let h = 0; h < hours; h++) if (Math.ceil((0.3 * 4 * traffic(h)) / (0.25 * 0.7)) >= 4) atMax++;
    const [f] = finding("live-chat");
    expect(f).toMatchObject({ finding: "at_max", maxReplicas: 4 });
    expect(f.reason).toContain(`for ${atMax} of ${hours} hours`);
    expect(f.monthlyUsd).toBeGreaterThan(0);
    // A reliability cost: not in the savings.
    expect(rec.summary.savingsByCategoryUsd.autoscaling.reason).toContain("not counted");
  });

  it("finds the node kept by a pod no controller owns, idle every hour, and counts it once (under idle)", () => {
    const node = rec.autoscaling.idleNodes.find((n: { blockers: string[] }) =>
      n.blockers.some((b) => b.includes("default/debug-shell")),
    );
    expect(node).toMatchObject({
      idleHours: 336,
      hours: 336,
      countedUnderIdle: true,
      instanceType: "m6i.xlarge",
    });
    // 336 idle hours at the rate paid for m6i.xlarge: the demo's Savings Plan (scripts/demo/bill.ts)
    // covers 240 or 200 of the type's 432 daily hours at $0.1344, the rest at the $0.192 list price.
    const rate = 0.192 - (220 / 432) * (0.192 - 0.1344);
    expect(node.monthlyIdleUsd).toBeCloseTo(rate * 730, 2);
  });

  it("reads the node groups' sizes from the EKS API", () => {
    expect(
      rec.autoscaling.nodeGroups.map((g: { nodegroup: string; minSize: number }) => [g.nodegroup, g.minSize]),
    ).toEqual([
      ["batch-od", 3],
      ["ci-od", 1],
      ["general-od", 3],
      ["graviton-od", 2],
    ]);
  });
});

describe("Graviton on the demo", () => {
  const workload = (name: string) =>
    rec.graviton.workloads.find((w: { workloadName: string }) => w.workloadName === name);

  it("takes shop/image-resizer as Arm-ready because its image runs on the Graviton node group", () => {
    expect(workload("image-resizer")).toMatchObject({ status: "arm_ready", capacityPool: "general-od" });
    expect(workload("image-resizer").reason).toContain("image-resizer-canary");
  });

  it("keeps payments/hsm-bridge on x86: its pods select kubernetes.io/arch=amd64", () => {
    expect(workload("hsm-bridge")).toMatchObject({ status: "pinned_amd64", capacityPool: "general-od" });
  });

  it("says unknown, with the command to check, where no evidence exists", () => {
    const unknown = rec.graviton.workloads.find((w: { status: string }) => w.status === "unknown");
    expect(unknown.reason).toMatch(/docker manifest inspect .+ \(or crane manifest .+\)/);
  });

  it("moves the ready pods of general-od to m7g.xlarge: one m6i.xlarge ($0.192) becomes one m7g.xlarge ($0.1632)", () => {
    const pool = rec.graviton.pools.find((p: { pool: string }) => p.pool === "general-od");
    expect(pool).toMatchObject({
      status: "move_ready",
      armEquivalents: ["m6i.xlarge→m7g.xlarge"],
      readyPods: 6,
      pinnedWorkloads: 1,
      armPriceSource: "snapshot",
    });
    expect(pool.nodesBefore - pool.nodesAfterX86).toBe(1);
    expect(pool.nodesAfterArm).toBe(1);
    expect(pool.monthlySavingsUsd).toBeCloseTo((0.192 - 0.1632) * 730, 4);
    expect(rec.summary.savingsByCategoryUsd.graviton.usd).toBeCloseTo((0.192 - 0.1632) * 730, 4);
  });

  it("never estimates an Arm spot price, and says Fargate has no Arm on EKS", () => {
    const spot = rec.graviton.pools.find((p: { pool: string }) => p.pool === "spot-general");
    expect(spot).toMatchObject({ status: "unpriced", monthlySavingsUsd: 0 });
    expect(spot.reason).toContain("no spot price");
    const fargate = rec.graviton.workloads.find((w: { status: string }) => w.status === "fargate");
    expect(fargate.reason).toContain("x86 only");
  });
});
