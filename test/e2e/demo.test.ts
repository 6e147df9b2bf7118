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
}, 600_000);
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
    usage_type: string | null;
    unit: string;
    price: string;
  }>(
    "SELECT product, instance_type, usage_type, unit, price_usd::VARCHAR AS price FROM aws_prices WHERE run_id = $1",
    [runId],
  );
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
  // The demo's Savings Plan: per day and instance type, the share of the on-demand hours it
  // covered and its amortized rate, from the bill's PURCHASE_TYPE × INSTANCE_TYPE lines.
  const plan = await store.all<{
    date: string;
    instance_type: string;
    covered: number;
    all_hours: number;
    usd: number;
  }>(
    `SELECT strftime(date, '%Y-%m-%d') AS date, key2 AS instance_type,
       sum(amount::DOUBLE) FILTER (WHERE metric = 'UsageQuantity' AND key1 = 'Savings Plans') AS covered,
       sum(amount::DOUBLE) FILTER (WHERE metric = 'UsageQuantity' AND key1 <> 'Spot Instances') AS all_hours,
       sum(amount::DOUBLE) FILTER (WHERE metric = 'AmortizedCost' AND key1 = 'Savings Plans') AS usd
     FROM aws_costs WHERE run_id = $1 AND group_by = 'PURCHASE_TYPE,INSTANCE_TYPE' GROUP BY ALL`,
    [runId],
  );
  const onDemandAt = (type: string, at: number): number => {
    const list = onDemand.get(type)!;
    const p = plan.find(
      (x) => x.instance_type === type && x.date === new Date(at).toISOString().slice(0, 10),
    );
    if (!p?.covered) return list;
    const share = Math.min(1, p.covered / p.all_hours);
    return share * (p.usd / p.covered) + (1 - share) * list;
  };
  const HOUR = 3_600_000;
  let ec2 = 0;
  for (const n of nodes.filter((x) => x.compute_type !== "fargate")) {
    const from = Math.max(n.created_at.getTime(), start);
    for (let t = Math.floor(from / HOUR) * HOUR; t < end; t += HOUR) {
      const fraction = (Math.min(t + HOUR, end) - Math.max(t, from)) / HOUR;
      const price =
        (n.capacity_type === "spot" ? spotAt(n.instance_type!, n.zone, t) : undefined) ??
        onDemandAt(n.instance_type!, t);
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
  // The EKS fee every hour, and the extended-support surcharge every hour too (the demo cluster is
  // on 1.31, past standard support since 2025-11-26, with an EXTENDED policy); PVCs at their
  // GB-month and IOPS-month prices over the hours of the month (30 in November).
  const windowHours = (end - start) / HOUR;
  const eks = (usage: string) =>
    Number(prices.find((p) => p.product === "eks" && p.usage_type?.endsWith(usage))!.price);
  const fee = windowHours * (eks("perCluster") + eks("extendedSupport"));
  // Each PVC's GB-month and the IOPS its StorageClass provisions above what the type includes
  // (gp3: 3,000 included; io2: every IOPS, all below io2's first 32,000-IOPS tier here).
  const ebs = (product: string, type: string) =>
    Number(prices.find((p) => p.product === product && p.instance_type === type)!.price);
  const pvcs = await store.all<{ capacity_bytes: bigint; created_at: Date; parameters: string | null }>(
    "SELECT p.capacity_bytes, p.created_at, c.parameters FROM k8s_pvcs AS p LEFT JOIN k8s_storage_classes AS c ON c.run_id = p.run_id AND c.name = p.storage_class WHERE p.run_id = $1 AND p.phase = 'Bound'",
    [runId],
  );
  let storage = 0;
  for (const v of pvcs) {
    const hours = (end - Math.max(start, v.created_at.getTime())) / HOUR;
    const params = JSON.parse(v.parameters ?? "{}") as { type?: string; iops?: string };
    const type = params.type ?? "gp3";
    const iops = Number(params.iops ?? (type === "gp3" ? 3000 : 0));
    const extraIops = type === "gp3" ? Math.max(iops - 3000, 0) : iops;
    const monthly =
      (Number(v.capacity_bytes) / 1024 ** 3) * ebs("ebs", type) + extraIops * ebs("ebs-iops", type);
    storage += (monthly * hours) / (30 * 24);
  }
  return { ec2, fargate, fee, storage };
}

describe("capacity demo", () => {
  it("writes the report, the Markdown, recommendations.json and the DuckDB file", () => {
    for (const file of ["report.html", "report.md", "recommendations.json", "capacity.duckdb", "costs.csv"]) {
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
    expect(fee).toBeCloseTo(336 * 0.6, 6);
    expect(storage).toBeGreaterThan(50);
    expect(recommendations.summary.monthlyCostUsd).toBeCloseTo(expectedMonthly, 3);
    expect(recommendations.summary.monthlyComputeUsd).toBeCloseTo(((ec2 + fargate) * 730) / hours, 3);
    expect(recommendations.summary.monthlyControlPlaneUsd).toBeCloseTo(730 * 0.6, 3);
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
    expect(team("(cluster)")!.monthlyCostUsd).toBeCloseTo(730 * 0.6, 2);
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
    // The rest of the idle rows are the waste plants (test/e2e/waste-demo.test.ts).
    expect(recommendations.idle).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "node",
          name: "ip-10-0-148-94.ec2.internal",
          reason: expect.stringContaining("m6i.xlarge on-demand"),
        }),
        expect.objectContaining({
          kind: "load-balancer",
          namespace: "shop",
          name: "legacy-storefront",
          reason: expect.stringContaining("LoadBalancer Service with no ready endpoint"),
        }),
        expect.objectContaining({
          kind: "pvc",
          namespace: "data",
          name: "data-kafka-3",
          reason: expect.stringContaining("500.0 GiB"),
        }),
      ]),
    );
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("ip-10-0-162-199.ec2.internal");
    expect(md).toContain("ip-10-0-55-100.ec2.internal");
    // Markdown: one Fargate row per workload, with the billed size and whether an annotation differs.
    expect(md).toMatch(/\| reports \| Deployment report-renderer \| 3 \| 2 vCPU \/ 9 GB \| {2}\| \$/);
    expect(md).toMatch(/\| reports \| Deployment tax-export \| 1 \| 1 vCPU \/ 3 GB \| differs \| \$/);
    // HTML: every pod, its requests, the size computed, the annotation as written, the size billed.
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toMatch(
      /tax-export-[a-z0-9-]+<\/code><\/td><td class="n">500m \/ 2 GiB<\/td><td>0.5 vCPU \/ 3 GB<\/td><td><code>1vCPU 3GB<\/code> <span class="badge warn">differs<\/span><\/td><td>1 vCPU \/ 3 GB<\/td>/,
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
    const unpriced = pools.filter((p) => p.status === "unpriced").length;
    expect(unpriced).toBeGreaterThanOrEqual(2);
    expect(recommendations.summary.savingsByCategoryUsd.spot.reason).toContain(`${unpriced} unpriced`);
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
    // shop/recommendations asks 4 cores / 8 GiB and uses a p95 of about 435m and at most 766 MiB (× 1.15 = 881 MiB).
    expect(row("recommendations")).toMatchObject({
      status: "ok",
      recommended: { cpuRequestCores: 0.435, cpuLimitCores: null, memoryRequestBytes: 881 * 1024 ** 2 },
      resources: "resources:\n  requests:\n    cpu: 435m\n    memory: 881Mi\n  limits:\n    memory: 881Mi\n",
    });
    expect(row("recommendations").monthlySavingsUsd).toBeGreaterThan(50);
    // payments/ledger was OOM-killed at its 512 Mi limit: max(512 + 100, 512 × 1.2) = 615 Mi.
    expect(row("ledger")).toMatchObject({
      status: "at_risk",
      usage: { oomKills: 70 },
      recommended: { memoryRequestBytes: 615 * 1024 ** 2, memoryLimitBytes: 615 * 1024 ** 2 },
    });
    expect(row("ledger").reason).toContain("reliability fix");
    // cart's HPA scales it on CPU; in this draw its recommendation stays within 10 % of its requests.
    expect(row("cart").status).toBe("no_change");
    // Fargate report-renderer: 800m / 3.6 GiB fits 1 vCPU / 4 GB instead of the billed 2 vCPU / 9 GB.
    expect(row("report-renderer")).toMatchObject({ status: "ok", runsOn: "fargate" });
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("## Right-sizing");
    expect(md).toContain("```yaml\nresources:\n  requests:\n    cpu: 435m\n    memory: 881Mi\n");
    expect(recommendations.summary.savingsByCategoryUsd.rightsizing.usd).toBeGreaterThan(0);
    // kube-proxy is an EKS add-on with no memory limit: the update-addon form, and no limit.
    expect(row("kube-proxy")).toMatchObject({
      eksAddon: "kube-proxy",
      current: { memoryLimitBytes: null },
      recommended: { memoryLimitBytes: null },
    });
    expect(row("kube-proxy").resources).toContain(
      'aws eks update-addon --cluster-name demo-shop --addon-name kube-proxy \\\n  --configuration-values \'{"resources":{"requests":{"cpu":"10m","memory":"32Mi"}}}\'',
    );
    expect(md).toContain("```sh\n# kube-proxy is an EKS add-on");
    expect(row("recommendations").eksAddon).toBeNull();
    // Per workload, a strategic-merge patch with the kubectl commands, under patches/<cluster>/<namespace>/.
    const patch = readFileSync(join(out, "patches", "demo-shop", "shop", "recommendations.yaml"), "utf8");
    expect(patch).toContain(
      "#   kubectl set resources deployment/recommendations -n shop -c recommendations --requests=cpu=435m,memory=881Mi --limits=memory=881Mi\n",
    );
    expect(patch).toContain("kind: Deployment\nmetadata:\n  name: recommendations\n  namespace: shop\n");
    expect(existsSync(join(out, "patches", "demo-shop", "kube-system", "kube-proxy.yaml"))).toBe(false);
  });

  it("re-packs each pool with the recommended requests: the smallest pool's node counts match a brute force over its pods, every pool's at least the bound its totals give", async () => {
    const runId = recommendations.runId as string;
    // From the raw tables and the kept recommendations alone: each running pod's need (the larger of
    // its long-running containers' sum and its largest init container, as the scheduler counts it),
    // now and with the ok and hpa_managed recommendations applied (not the resource an HPA scales on).
    const containers = await store.all<{
      pool: string;
      pod: string;
      daemonset: boolean;
      type: string;
      cpu: number | null;
      mem: number | null;
      rec_cpu: number | null;
      rec_mem: number | null;
    }>(
      `SELECT coalesce(n.nodegroup, n.nodepool, 'unmanaged') AS pool, p.namespace || '/' || p.name AS pod,
         p.workload_kind = 'DaemonSet' AS daemonset, c.container_type AS type,
         c.cpu_request_cores AS cpu, c.memory_request_bytes::DOUBLE AS mem,
         CASE WHEN r.status IN ('ok', 'hpa_managed') AND r.hpa_cpu_target_percent IS NULL THEN r.rec_cpu_request_cores END AS rec_cpu,
         CASE WHEN r.status IN ('ok', 'hpa_managed') AND r.hpa_memory_target_percent IS NULL THEN r.rec_memory_request_bytes::DOUBLE END AS rec_mem
       FROM k8s_pods p
       JOIN k8s_nodes n ON n.run_id = p.run_id AND n.name = p.node_name AND n.compute_type = 'ec2'
       JOIN k8s_containers c ON c.run_id = p.run_id AND c.namespace = p.namespace AND c.pod = p.name
       LEFT JOIN mart_rightsizing r ON r.run_id = p.run_id AND r.namespace = p.namespace
         AND r.workload_kind = p.workload_kind AND r.workload_name = p.workload_name AND r.container_name = c.container
         AND c.container_type <> 'init'
       WHERE p.run_id = $1 AND p.phase = 'Running'`,
      [runId],
    );
    type Need = { cpu: number; mem: number };
    const pods = new Map<string, { pool: string; daemonset: boolean; now: Need; after: Need; init: Need }>();
    for (const c of containers) {
      const p = pods.get(c.pod) ?? {
        pool: c.pool,
        daemonset: c.daemonset,
        now: { cpu: 0, mem: 0 },
        after: { cpu: 0, mem: 0 },
        init: { cpu: 0, mem: 0 },
      };
      if (c.type === "init") {
        p.init = { cpu: Math.max(p.init.cpu, c.cpu ?? 0), mem: Math.max(p.init.mem, c.mem ?? 0) };
      } else {
        p.now = { cpu: p.now.cpu + (c.cpu ?? 0), mem: p.now.mem + (c.mem ?? 0) };
        p.after = {
          cpu: p.after.cpu + (c.rec_cpu ?? c.cpu ?? 0),
          mem: p.after.mem + (c.rec_mem ?? c.mem ?? 0),
        };
      }
      pods.set(c.pod, p);
    }
    const need = (n: Need, init: Need): Need => ({
      cpu: Math.max(n.cpu, init.cpu),
      mem: Math.max(n.mem, init.mem),
    });
    // What a node offers: the allocatable its kubelet reports (the demo's node objects), less one of
    // each DaemonSet's pods (their largest need, now or right-sized), in millicores, bytes and pod slots.
    const allocatable = await store.all<{ pool: string; cpu: number; mem: number; slots: number }>(
      `SELECT coalesce(nodegroup, nodepool) AS pool, min(cpu_allocatable_cores) AS cpu,
         min(memory_allocatable_bytes)::DOUBLE AS mem, min(pods_allocatable) AS slots
       FROM k8s_nodes WHERE run_id = $1 AND compute_type = 'ec2' GROUP BY ALL`,
      [runId],
    );
    const pools = recommendations.rightsizingPools as Array<{
      pool: string;
      nodesBefore: number;
      nodesAfter: number;
      minSize: number | null;
      nodesHeldByMinSize: number;
    }>;
    const free = (pool: string, which: "now" | "after") => {
      const a = allocatable.find((x) => x.pool === pool)!;
      const ds = new Map<string, Need>();
      for (const [name, p] of pods) {
        if (p.pool !== pool || !p.daemonset) continue;
        const key = name.replace(/-[a-z0-9]{5}$/, "");
        const n = need(p[which], p.init);
        const have = ds.get(key) ?? { cpu: 0, mem: 0 };
        ds.set(key, { cpu: Math.max(have.cpu, n.cpu), mem: Math.max(have.mem, n.mem) });
      }
      const dsTotal = [...ds.values()].reduce((t, n) => ({ cpu: t.cpu + n.cpu, mem: t.mem + n.mem }), {
        cpu: 0,
        mem: 0,
      });
      return {
        cpu: Math.round(a.cpu * 1000) - Math.round(dsTotal.cpu * 1000),
        mem: a.mem - dsTotal.mem,
        slots: Number(a.slots) - ds.size,
      };
    };
    const needs = (pool: string, which: "now" | "after") =>
      [...pods.values()]
        .filter((p) => p.pool === pool && !p.daemonset)
        .map((p) => need(p[which], p.init))
        .map((n) => ({ cpu: Math.round(n.cpu * 1000), mem: n.mem }));
    /** The fewest nodes that hold the pods, by trying every assignment to k nodes (k = 1, 2, …). */
    const bruteForce = (items: Array<{ cpu: number; mem: number }>, room: ReturnType<typeof free>) => {
      for (let k = 1; ; k++) {
        const used = Array.from({ length: k }, () => ({ cpu: 0, mem: 0, slots: 0 }));
        const place = (i: number): boolean => {
          if (i === items.length) return true;
          for (let b = 0; b < k; b++) {
            const u = used[b]!;
            const it = items[i]!;
            if (u.cpu + it.cpu > room.cpu || u.mem + it.mem > room.mem || u.slots + 1 > room.slots) continue;
            u.cpu += it.cpu;
            u.mem += it.mem;
            u.slots += 1;
            const ok = place(i + 1);
            u.cpu -= it.cpu;
            u.mem -= it.mem;
            u.slots -= 1;
            if (ok) return true;
            if (u.slots === 0) break; // the other empty nodes are the same node
          }
          return false;
        };
        if (place(0)) return k;
      }
    };
    // The smallest pool, graviton-od (one type, m7g.xlarge): exactly what the brute force finds,
    // and its minSize (2, from the EKS API) keeps the node the recommended pods no longer need.
    const graviton = pools.find((p) => p.pool === "graviton-od")!;
    expect([graviton.nodesBefore, graviton.nodesAfter - graviton.nodesHeldByMinSize]).toEqual([
      bruteForce(needs("graviton-od", "now"), free("graviton-od", "now")),
      bruteForce(needs("graviton-od", "after"), free("graviton-od", "after")),
    ]);
    expect([
      graviton.nodesBefore,
      graviton.nodesAfter,
      graviton.minSize,
      graviton.nodesHeldByMinSize,
    ]).toEqual([2, 2, 2, 1]);
    // The managed node groups (one type each): never fewer nodes than their totals need.
    for (const pool of ["general-od", "graviton-od"]) {
      const row = pools.find((p) => p.pool === pool)!;
      for (const [which, nodes] of [
        ["now", row.nodesBefore],
        ["after", row.nodesAfter],
      ] as const) {
        const n = needs(pool, which);
        const r = free(pool, which);
        const bound = Math.max(
          Math.ceil(n.reduce((a, x) => a + x.cpu, 0) / r.cpu),
          Math.ceil(n.reduce((a, x) => a + x.mem, 0) / r.mem),
          Math.ceil(n.length / r.slots),
        );
        expect(nodes).toBeGreaterThanOrEqual(bound);
      }
    }
    // Before and after per pool, as the closing note of the issue asks.
    expect(pools.map((p) => [p.pool, p.nodesBefore, p.nodesAfter])).toEqual([
      // scripts/demo/autoscale.ts: batch-od's pods fit on 2 nodes but its minSize keeps 3; ci-od's runners need both.
      ["batch-od", 3, 3],
      ["ci-od", 2, 2],
      ["fargate", null, null],
      ["general-od", 15, 11],
      ["graviton-od", 2, 2],
      ["spot-general", 5, 4],
    ]);
    expect(recommendations.summary.savingsByCategoryUsd.rightsizing.usd).toBeCloseTo(
      recommendations.rightsizingPools.reduce(
        (a: number, p: { monthlyNodesSavedUsd: number; monthlyFargateSavingsUsd: number }) =>
          a + p.monthlyNodesSavedUsd + p.monthlyFargateSavingsUsd,
        0,
      ),
      1,
    );
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
    // Planted (scripts/demo/bill.ts, waste.ts): the cluster is in extended support, and the model
    // charges the $0.50 surcharge a cluster-hour too (the support tier from the EKS API and the
    // release calendar), so the fee agrees; and 300 GiB of gp3 no PVC accounts for (a Released PV
    // and a volume no PV references) at $0.08 per GB-month over 14 days of November.
    const feeGap = sum((d) => d.billed.eksFeeUsd!) - sum((d) => d.modeled.eksFeeUsd!);
    expect(feeGap).toBeCloseTo(0, 2);
    expect(sum((d) => d.modeled.eksFeeUsd!)).toBeCloseTo(14 * 24 * 0.6, 2);
    expect(sum((d) => d.billed.storageUsd!) - sum((d) => d.modeled.storageUsd!)).toBeCloseTo(
      (300 * 0.08 * 14) / 30,
      2,
    );
    const gap = sum((d) => d.gapUsd) - feeGap;
    expect(gap).toBeGreaterThan(0);
    expect(gap / sum((d) => d.billedUsd)).toBeLessThan(0.05);
    // On-demand and Fargate are modeled as billed, to the cent.
    for (const part of ["onDemandUsd", "fargateUsd"]) {
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
    // Each cause from its evidence: the usage history holds the vanished nodes' hours.
    expect(md).toMatch(/node-hours on 2 node\(s\) the inventory lacks \([^)]+\), gone before the snapshot/);
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
    // Spot carries a gap in the demo, and the fee: the cluster is in extended support ($0.10 +
    // $0.50 billed a cluster-hour against the $0.10 modeled); the other kinds scale by 1.
    const factor = (kind: string) =>
      doc.summary.billScale.find((b: { costKind: string }) => b.costKind === kind).factor;
    expect(factor("spot")).toBeGreaterThan(1.01);
    expect(factor("control-plane")).toBeCloseTo(1, 6);
    for (const kind of ["on-demand", "fargate"]) expect(factor(kind)).toBeCloseTo(1, 6);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain("Scaled to bill");
    expect(md).toMatch(/Scaled to the bill \(demo-shop\).*spot × 1\.0678/);
  }, 600_000);
});
