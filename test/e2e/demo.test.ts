/**
 * `capacity demo` end to end through the real CLI: the four outputs, the automation contract,
 * and the report's total checked against the DuckDB file by an independent computation.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SEED, generateDemo } from "../../scripts/demo/generate.js";
import { readDemoInputs } from "../../scripts/demo/inputs.js";
import { memoryLogger } from "../../src/core/logger.js";
import { projectPath } from "../../src/core/paths.js";
import { Store } from "../../src/store/store.js";
import { cli } from "./cli.js";

const out = mkdtempSync(join(tmpdir(), "capacity-demo-"));
let result: ReturnType<typeof cli>;
let store: Store;
// biome-ignore lint/suspicious/noExplicitAny: the JSON document under test.
let recommendations: any;

beforeAll(async () => {
  result = cli(["demo", "--out", out]);
  if (result.code !== 0) throw new Error(`demo failed (${result.code}):\n${result.stderr}`);
  recommendations = JSON.parse(readFileSync(join(out, "recommendations.json"), "utf8"));
  store = await Store.open(join(out, "capacity.duckdb"), memoryLogger());
}, 120_000);
afterAll(() => store?.close());

interface PricedNode {
  name: string;
  instance_type: string | null;
  zone: string;
  capacity_type: string;
  compute_type: string;
  created_at: Date;
}

/** Prices every EC2 node-hour and Fargate pod-hour straight from the raw tables, in TypeScript. */
async function independentWindowCost(
  runId: string,
): Promise<{ ec2: number; fargate: number; fee: number; storage: number }> {
  const run = (await store.one<{ window_start: Date; window_end: Date }>(
    "SELECT window_start, window_end FROM runs WHERE run_id = $1",
    [runId],
  ))!;
  const start = run.window_start.getTime();
  const end = run.window_end.getTime();
  const nodes = await store.all<PricedNode>(
    "SELECT name, instance_type, zone, capacity_type, compute_type, created_at FROM k8s_nodes WHERE run_id = $1",
    [runId],
  );
  const prices = await store.all<{
    product: string;
    instance_type: string | null;
    unit: string;
    price: string;
  }>("SELECT product, instance_type, unit, price_usd::VARCHAR AS price FROM aws_prices WHERE run_id = $1", [
    runId,
  ]);
  const onDemand = new Map(
    prices.filter((p) => p.product === "ec2").map((p) => [p.instance_type, Number(p.price)]),
  );
  const spot = await store.all<{ instance_type: string; zone: string; price: string; valid_from: Date }>(
    "SELECT instance_type, zone, price_usd::VARCHAR AS price, valid_from FROM aws_spot_prices WHERE run_id = $1",
    [runId],
  );
  const spotAt = (type: string, zone: string, at: number): number | undefined => {
    let best: { t: number; p: number } | undefined;
    for (const s of spot) {
      const t = s.valid_from.getTime();
      if (s.instance_type === type && s.zone === zone && t <= at && (!best || t > best.t))
        best = { t, p: Number(s.price) };
    }
    return best?.p;
  };
  const HOUR = 3_600_000;
  let ec2 = 0;
  for (const n of nodes.filter((x) => x.compute_type !== "fargate")) {
    const from = Math.max(n.created_at.getTime(), start);
    for (let t = Math.floor(from / HOUR) * HOUR; t < end; t += HOUR) {
      const fraction = (Math.min(t + HOUR, end) - Math.max(t, from)) / HOUR;
      const price =
        (n.capacity_type === "spot" ? spotAt(n.instance_type!, n.zone, t) : undefined) ??
        onDemand.get(n.instance_type)!;
      ec2 += price * fraction;
    }
  }
  const rate = (unit: string) =>
    Number(prices.find((p) => p.product === "fargate" && p.unit === unit)!.price);
  const fargatePods = await store.all<{ namespace: string; name: string; capacity_provisioned: string }>(
    "SELECT namespace, name, capacity_provisioned FROM k8s_pods WHERE run_id = $1 AND fargate_profile IS NOT NULL",
    [runId],
  );
  let fargate = 0;
  for (const p of fargatePods) {
    const [, vcpu, gb] = /^(.*?)vCPU (.*?)GB$/.exec(p.capacity_provisioned)!;
    const hours = await store.one<{ n: bigint }>(
      "SELECT count(DISTINCT hour) AS n FROM prom_usage_hourly WHERE run_id = $1 AND namespace = $2 AND pod = $3",
      [runId, p.namespace, p.name],
    );
    fargate += Number(hours!.n) * (Number(vcpu) * rate("vCPU-Hours") + Number(gb) * rate("GB-Hours"));
  }
  // The EKS fee every hour; gp3 PVCs at their GB-month price over the hours of the month (30 in November).
  const windowHours = (end - start) / HOUR;
  const fee = windowHours * Number(prices.find((p) => p.product === "eks")!.price);
  const gp3 = Number(prices.find((p) => p.product === "ebs" && p.instance_type === "gp3")!.price);
  const pvcs = await store.all<{ capacity_bytes: bigint; created_at: Date }>(
    "SELECT capacity_bytes, created_at FROM k8s_pvcs WHERE run_id = $1 AND phase = 'Bound'",
    [runId],
  );
  let storage = 0;
  for (const v of pvcs) {
    const hours = (end - Math.max(start, v.created_at.getTime())) / HOUR;
    storage += ((Number(v.capacity_bytes) / 1024 ** 3) * gp3 * hours) / (30 * 24);
  }
  return { ec2, fargate, fee, storage };
}

describe("capacity demo", () => {
  it("writes the report, the Markdown, recommendations.json and the DuckDB file", () => {
    for (const file of [
      "report.html",
      "report.md",
      "recommendations.json",
      "capacity.duckdb",
      "cost-allocation.csv",
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(result.lines.some((l) => l.msg === "demo finished")).toBe(true);
  });

  it("reports a total equal to the priced node-hours, Fargate pod-hours, EKS fee and PVC storage in the DuckDB file", async () => {
    const { ec2, fargate, fee, storage } = await independentWindowCost(recommendations.runId);
    const hours =
      (Date.parse(recommendations.window.end) - Date.parse(recommendations.window.start)) / 3_600_000;
    const expectedMonthly = ((ec2 + fargate + fee + storage) * 730) / hours;
    expect(ec2).toBeGreaterThan(1000);
    expect(fargate).toBeGreaterThan(50);
    expect(fee).toBeCloseTo(33.6, 6);
    expect(storage).toBeGreaterThan(50);
    expect(recommendations.summary.monthlyCostUsd).toBeCloseTo(expectedMonthly, 3);
    expect(recommendations.summary.monthlyComputeUsd).toBeCloseTo(((ec2 + fargate) * 730) / hours, 3);
    expect(recommendations.summary.monthlyControlPlaneUsd).toBeCloseTo(73, 3);
    expect(recommendations.summary.monthlyStorageUsd).toBeCloseTo((storage * 730) / hours, 3);
    const allocated = recommendations.costAllocation.reduce(
      (a: number, r: { monthlyCostUsd: number }) => a + r.monthlyCostUsd,
      0,
    );
    expect(allocated).toBeCloseTo(expectedMonthly, 1);
    const html = readFileSync(join(out, "report.html"), "utf8");
    const shown = `$${expectedMonthly.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(html).toContain(shown);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain(shown);
  });

  it("rolls the cost up by the pods' team label, adding up to the total, with idle and the EKS fee apart", () => {
    const rows: Array<{
      labelKey: string;
      labelValue: string;
      monthlyCostUsd: number;
      monthlyCostScaledUsd: number | null;
      namespaces: string[];
    }> = recommendations.costByLabel;
    expect(new Set(rows.map((r) => r.labelKey))).toEqual(new Set(["team"]));
    const total = rows.reduce((a, r) => a + r.monthlyCostUsd, 0);
    expect(total).toBeCloseTo(recommendations.summary.monthlyCostUsd, 1);
    const team = (v: string) => rows.find((r) => r.labelValue === v);
    expect(team("(idle)")!.monthlyCostUsd).toBeGreaterThan(0);
    expect(team("(cluster)")!.monthlyCostUsd).toBeCloseTo(73, 2);
    expect(team("storefront")!.namespaces).toContain("shop");
    // The Fargate report renderer belongs to finance.
    expect(team("finance")!.namespaces).toEqual(["reports"]);
    // Without scaleToBill, no scaled figures.
    expect(rows.every((r) => r.monthlyCostScaledUsd === null)).toBe(true);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("## Cost by label");
  });

  it("shows every reconciliation day by its date, in both reports, and no signed zero", () => {
    const html = readFileSync(join(out, "report.html"), "utf8");
    const md = readFileSync(join(out, "report.md"), "utf8");
    for (const text of [html, md]) {
      expect(text).not.toContain("[object");
      expect(text).not.toContain("-$0.00");
    }
    expect(html).toContain("<td>2026-11-02</td>");
    expect(html).toContain('<td>2026-11-15 <span class="muted">(estimated)</span></td>');
    expect(md).toMatch(/^\| 2026-11-02 \| \$/m);
  });

  it("writes a recommendations.json that the published JSON Schema accepts", () => {
    const schema = JSON.parse(readFileSync(projectPath("docs", "recommendations.schema.json"), "utf8"));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const valid = ajv.validate(schema, recommendations);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("finds what was planted: the nearly idle node, the replaced spot nodes, the Fargate boundary", () => {
    expect(recommendations.idle).toEqual([
      expect.objectContaining({
        kind: "node",
        name: "ip-10-0-148-94.ec2.internal",
        reason: expect.stringContaining("m6i.xlarge on-demand"),
      }),
      expect.objectContaining({
        kind: "load-balancer",
        namespace: "shop",
        name: "legacy-storefront",
        monthlyCostUsd: null,
      }),
      expect.objectContaining({
        kind: "pvc",
        namespace: "data",
        name: "data-kafka-3",
        reason: expect.stringContaining("500.0 GiB"),
      }),
    ]);
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("ip-10-0-162-199.ec2.internal");
    expect(md).toContain("ip-10-0-55-100.ec2.internal");
    expect(md).toMatch(
      /report-renderer-[a-z0-9]+-[a-z0-9]+` \| 1 \/ 8 GiB \| 2 vCPU \/ 9 GB \| 2vCPU 9GB \| 2 vCPU \/ 9 GB \|/,
    );
    expect(md).toMatch(
      /tax-export-[a-z0-9-]+` \| 500m \/ 2 GiB \| 0.5 vCPU \/ 3 GB \| 1vCPU 3GB \(differs\) \| 1 vCPU \/ 3 GB \|/,
    );
  });

  it("finds what runs on spot and should not, and the spot pool's narrow diversification", () => {
    type Workload = {
      workloadName: string;
      status: string;
      reasons: string[];
      monthlyCostUsd: number | null;
    };
    const workloads: Workload[] = recommendations.spot.workloads;
    const redis = workloads.find((w) => w.workloadName === "sessions-redis")!;
    expect(redis.status).toBe("at_risk");
    expect(redis.reasons).toContain("a StatefulSet: not interruption-tolerant");
    expect(redis.monthlyCostUsd).toBeGreaterThan(0);
    expect(workloads.find((w) => w.workloadName === "indexer")?.status).toBe("at_risk");
    type Pool = { capacityPool: string; status: string; diversificationRisks: string[] };
    const pools: Pool[] = recommendations.spot.pools;
    const spotGeneral = pools.find((p) => p.capacityPool === "spot-general")!;
    expect(spotGeneral.status).toBe("less_spot");
    expect(spotGeneral.diversificationRisks[0]).toMatch(/^5 instance type\(s\) seen: fewer than 10/);
    // The on-demand pools' types have no spot history: unpriced, and the category says so.
    expect(pools.find((p) => p.capacityPool === "general-od")?.status).toBe("unpriced");
    expect(recommendations.summary.savingsByCategoryUsd.spot).toMatchObject({ usd: 0, status: "computed" });
    expect(recommendations.summary.savingsByCategoryUsd.spot.reason).toContain("2 unpriced");
  });

  it("finds the Fargate boundaries and placements planted: right-sized renderers fit a smaller size, large steady ones belong on EC2", () => {
    type Pod = {
      workloadName: string;
      status: string;
      annotationStatus: string;
      recommended: { vcpu: number; memoryGb: number } | null;
    };
    const pods: Pod[] = recommendations.fargate;
    const renderers = pods.filter((p) => p.workloadName === "report-renderer");
    expect(renderers).toHaveLength(3);
    for (const p of renderers) {
      expect(p).toMatchObject({ status: "rightsize_fits", recommended: { vcpu: 1, memoryGb: 4 } });
    }
    expect(pods.find((p) => p.workloadName === "tax-export")?.annotationStatus).toBe("differs");
    type Placement = { workloadName: string; status: string; monthlySavingsUsd: number };
    const placement: Placement[] = recommendations.fargatePlacement;
    expect(placement.find((w) => w.workloadName === "report-renderer")).toMatchObject({
      status: "move_to_ec2",
    });
    expect(placement.find((w) => w.workloadName === "statement-api")).toMatchObject({
      status: "stay_on_fargate",
    });
    const fargate = recommendations.summary.savingsByCategoryUsd.fargate;
    expect(fargate.status).toBe("computed");
    // Moves count only beyond what right-sizing the same Fargate pods already saves.
    const rightsized = (name: string) =>
      recommendations.fargate
        .filter(
          (p: { workloadName: string; status: string }) =>
            p.workloadName === name && p.status === "rightsize_fits",
        )
        .reduce((a: number, p: { monthlySavingsUsd: number }) => a + p.monthlySavingsUsd, 0);
    const counted = placement
      .filter((w) => w.status === "move_to_ec2")
      .reduce((a, w) => a + Math.max(0, w.monthlySavingsUsd - rightsized(w.workloadName)), 0);
    expect(counted).toBeGreaterThan(0);
    expect(fargate.usd).toBeCloseTo(counted, 2);
  });

  it("right-sizes what was planted: the over-provisioned recommender, the OOM-killed ledger, the HPA-scaled cart", () => {
    const row = (workload: string) =>
      recommendations.rightsizing.find((r: { workloadName: string }) => r.workloadName === workload);
    // shop/recommendations asks 4 cores / 8 GiB and uses a p95 of 420m and at most 768 MiB.
    expect(row("recommendations")).toMatchObject({
      status: "ok",
      recommended: { cpuRequestCores: 0.425, cpuLimitCores: null, memoryRequestBytes: 883 * 1024 ** 2 },
      resources: "resources:\n  requests:\n    cpu: 425m\n    memory: 883Mi\n  limits:\n    memory: 883Mi\n",
    });
    expect(row("recommendations").monthlySavingsUsd).toBeGreaterThan(50);
    // payments/ledger was OOM-killed at its 512 Mi limit: max(512 + 100, 512 × 1.2) = 615 Mi.
    expect(row("ledger")).toMatchObject({
      status: "at_risk",
      usage: { oomKills: 69 },
      recommended: { memoryRequestBytes: 615 * 1024 ** 2, memoryLimitBytes: 615 * 1024 ** 2 },
    });
    expect(row("ledger").reason).toContain("reliability fix");
    expect(row("cart").status).toBe("hpa_managed");
    // Fargate report-renderer: 800m / 3.6 GiB fits 1 vCPU / 4 GB instead of the billed 2 vCPU / 9 GB.
    expect(row("report-renderer")).toMatchObject({ status: "ok", runsOn: "fargate" });
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("## Right-sizing");
    expect(md).toContain("```yaml\nresources:\n  requests:\n    cpu: 425m\n    memory: 883Mi\n");
    expect(recommendations.summary.savingsByCategoryUsd.rightsizing.usd).toBeGreaterThan(0);
  });

  it("reconciles with the bill: the gap is the replaced spot nodes' hours, the fee and storage agree", () => {
    type Day = {
      gapUsd: number;
      billedUsd: number;
      modeled: Record<string, number>;
      billed: Record<string, number>;
    };
    const days: Day[] = recommendations.reconciliation;
    const sum = (f: (d: Day) => number) => days.reduce((a, d) => a + f(d), 0);
    const gap = sum((d) => d.gapUsd);
    expect(gap).toBeGreaterThan(0);
    expect(gap / sum((d) => d.billedUsd)).toBeLessThan(0.05);
    // The EKS fee and the PVC volumes are modeled as billed; on-demand and Fargate to the cent.
    for (const part of ["eksFeeUsd", "storageUsd", "onDemandUsd", "fargateUsd"]) {
      expect(
        sum((d) => d.modeled[part]!),
        part,
      ).toBeCloseTo(
        sum((d) => d.billed[part]!),
        2,
      );
    }
    // The planted remainder: the two spot nodes replaced before the snapshot, billed for hours the
    // inventory lacks. Their missing hours account for nearly all of the gap.
    const byType: Array<{ purchase: string; instanceType: string; hoursGapUsd: number }> =
      recommendations.reconciliationByInstanceType;
    const { facts } = generateDemo(readDemoInputs(DEMO_SEED));
    const missing = byType.filter((g) => g.hoursGapUsd > 0.5);
    expect(missing.map((g) => `${g.purchase} ${g.instanceType}`).sort()).toEqual(
      [...new Set(facts.vanishedNodes.map((v) => `spot ${v.instanceType}`))].sort(),
    );
    const fromHours = missing.reduce((a, g) => a + g.hoursGapUsd, 0);
    expect(fromHours / gap).toBeGreaterThan(0.9);
    expect(fromHours / gap).toBeLessThan(1.1);
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("ran on nodes gone before the snapshot");
    expect(md).toContain("of other billed lines under the cluster's tag");
    expect(recommendations.summary.billedMonthlyCostUsd).toBeGreaterThan(
      recommendations.summary.monthlyComputeUsd + recommendations.summary.monthlyControlPlaneUsd,
    );
  });
});

describe("capacity demo --allocation.scale-to-bill", () => {
  it("shows costs scaled to the bill beside the modeled ones, adding up to the billed compute and fee plus storage", () => {
    const dir = mkdtempSync(join(tmpdir(), "capacity-demo-scaled-"));
    const run = cli(["demo", "--out", dir, "--allocation.scale-to-bill"]);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, "recommendations.json"), "utf8"));
    const scaled = doc.costAllocation.reduce(
      (a: number, r: { monthlyCostScaledUsd: number }) => a + r.monthlyCostScaledUsd,
      0,
    );
    expect(scaled).toBeCloseTo(doc.summary.billedMonthlyCostUsd + doc.summary.monthlyStorageUsd, 1);
    // Only spot carries a gap in the demo: the other kinds scale by 1.
    const factor = (kind: string) =>
      doc.summary.billScale.find((b: { costKind: string }) => b.costKind === kind).factor;
    expect(factor("spot")).toBeGreaterThan(1.01);
    for (const kind of ["on-demand", "fargate", "control-plane"]) expect(factor(kind)).toBeCloseTo(1, 6);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain("Scaled to bill");
    expect(md).toMatch(/Scaled to the bill \(demo-shop\).*spot × 1\.07/);
  }, 120_000);
});
