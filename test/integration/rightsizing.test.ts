/**
 * Right-sizing on small hand-computed scenarios: each strategy's numbers, the VPA recommender's
 * own test cases, the statuses and the savings, through the real store and models.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import type { Row } from "../../src/store/store.js";
import { Store } from "../../src/store/store.js";
import {
  container,
  fargatePrices,
  GIB,
  node,
  pod,
  price,
  testContext,
  usage,
  writeScenario,
} from "../fixtures/scenario.js";

const MIB = 1024 ** 2;
const gib = (n: number) => n * 1024 ** 3;
const START = Date.parse("2026-11-01T00:00:00Z");
const hourAt = (h: number) => new Date(START + h * 3600_000).toISOString();
const A = "ip-a.ec2.internal";

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

interface Series {
  ns?: string;
  pod: string;
  hours: number;
  cpuReq: number;
  memReq: number;
  cpu: (h: number) => number;
  mem: (h: number) => number;
  over?: (h: number) => Row;
  nodeName?: string;
}

function series(s: Series): Row[] {
  return Array.from({ length: s.hours }, (_, h) =>
    usage(
      hourAt(h),
      s.ns ?? "team",
      s.pod,
      s.nodeName ?? A,
      { cpuReq: s.cpuReq, memReq: BigInt(s.memReq), cpu: s.cpu(h), memBytes: s.mem(h) },
      s.over?.(h) ?? {},
    ),
  );
}

async function run(
  rows: Row[],
  extra: {
    pods?: Row[];
    containers?: Row[];
    workloads?: Row[];
    nodes?: Row[];
    prices?: Row[];
    hours?: number;
  } = {},
  config: Record<string, unknown> = {},
) {
  await writeScenario(
    store,
    { start: hourAt(0), end: hourAt(extra.hours ?? 40) },
    {
      k8s_nodes: extra.nodes ?? [node(A, "m5.xlarge")],
      k8s_pods: extra.pods ?? [],
      k8s_containers: extra.containers ?? [],
      k8s_workloads: extra.workloads ?? [],
      prom_usage_hourly: rows,
      aws_prices: extra.prices ?? [price("ec2", "m5.xlarge", "Hrs", "1.00")],
      aws_spot_prices: [],
    },
  );
  await analyze(testContext(config), store);
  return store.all<Record<string, unknown>>(
    "SELECT * FROM mart_rightsizing ORDER BY workload_name, container_name",
  );
}

const rs = (settings: Record<string, unknown>) => ({ analyzers: { rightsizing: settings } });
const workload = (name: string, over: Row = {}): Row => ({
  cluster: "test",
  namespace: "team",
  kind: "Deployment",
  name,
  pvc_templates: "[]",
  labels: "{}",
  ...over,
});

describe("right-sizing, simple strategy (KRR's default)", () => {
  it("asks the p95 of CPU, the peak memory + 15 %, keeps the CPU limit ratio, rounds up, and prices the change", async () => {
    // One pod, 40 hours; hourly CPU p95s 0.01 … 0.40: the p95 (linear interpolation) is
    // 0.38 + 0.05 × 0.01 = 0.3805 → 385m. Memory peak 400 MiB × 1.15 = 460 MiB.
    const rows = await run(
      series({
        pod: "api-1",
        hours: 40,
        cpuReq: 1,
        memReq: gib(1),
        cpu: (h) => (h + 1) / 100,
        mem: (h) => (h === 7 ? 400 * MIB : 100 * MIB),
      }),
      {
        pods: [pod("team", "api-1", A)],
        containers: [
          container("team", "api-1", 1, 1n * GIB, { cpu_limit_cores: 2, memory_limit_bytes: 1n * GIB }),
        ],
      },
    );
    const r = rows[0]!;
    expect(r.status).toBe("ok");
    expect(r.cpu_percentile_cores).toBeCloseTo(0.3805, 12);
    expect(r.rec_cpu_request_cores).toBeCloseTo(0.385, 12);
    expect(r.rec_cpu_limit_cores).toBeCloseTo(0.77, 12); // limit/request ratio 2 kept
    expect(Number(r.rec_memory_request_bytes)).toBe(460 * MIB);
    expect(Number(r.rec_memory_limit_bytes)).toBe(460 * MIB);
    expect(r.reason).toBe("CPU p95 381m, memory peak 400 Mi + 15% over 40 h of 1 pod(s)");
    // m5.xlarge at $1: a core-hour costs 9/52, a GiB-hour 1/52; one replica all window long.
    const perHour = (1 - 0.385) * (9 / 52) + (1 - 460 / 1024) * (1 / 52);
    expect(r.request_savings_usd).toBeCloseTo(perHour * 730, 9);
    // The pod fits one m5.xlarge before (1 core) and after (385m): no node goes away, and the
    // pool says so rather than counting the freed requests as money.
    const [pool] = await store.all<Record<string, unknown>>(
      "SELECT * FROM mart_rightsizing_pools WHERE run_id = (SELECT max(run_id) FROM runs)",
    );
    expect(pool).toMatchObject({
      capacity_pool: "nodes/m5.xlarge/on-demand",
      nodes_before: 1,
      nodes_after: 1,
      nodes_saved_usd: 0,
    });
    expect(pool!.note).toMatch(/^freed 0\.6 vCPU and 0\.6 GiB of requests, not enough to remove a node/);
  });

  it("takes a workload's current request from its latest hour, the largest when its pods asked differently then", async () => {
    // A rollout that never finished: api-1 asks 500m, api-2 asks 1 core, in the same hours, and
    // no container spec is left to say which is current. Every run must show the same one.
    const steady = { hours: 40, memReq: gib(1), cpu: () => 0.2, mem: () => 100 * MIB };
    const rows = await run(
      [
        ...series({ pod: "api-1", cpuReq: 0.5, ...steady }),
        ...series({ pod: "api-2", cpuReq: 1, ...steady }),
      ],
      { pods: [pod("team", "api-1", A), pod("team", "api-2", A)] },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.workload_name).toBe("api");
    expect(rows[0]!.cpu_request_cores).toBe(1);
  });

  it("after an OOM kill raises memory the VPA way: 1000Mi → 1200Mi, 1Mi → 101Mi, as a reliability fix", async () => {
    const oom = (h: number) => (h === 30 ? { oom_kills: 1 } : {});
    const rows = await run(
      [
        ...series({
          pod: "big-1",
          hours: 40,
          cpuReq: 0.1,
          memReq: 1000 * MIB,
          cpu: () => 0.1,
          mem: () => 1000 * MIB,
          over: oom,
        }),
        ...series({
          pod: "tiny-1",
          hours: 40,
          cpuReq: 0.1,
          memReq: 1 * MIB,
          cpu: () => 0.1,
          mem: () => 1 * MIB,
          over: oom,
        }),
      ],
      {
        pods: [pod("team", "big-1", A), pod("team", "tiny-1", A)],
        containers: [
          container("team", "big-1", 0.1, BigInt(1000 * MIB), { memory_limit_bytes: BigInt(1000 * MIB) }),
          container("team", "tiny-1", 0.1, BigInt(MIB), { memory_limit_bytes: BigInt(MIB) }),
        ],
      },
    );
    const [big, tiny] = rows;
    expect(big!.status).toBe("at_risk");
    expect(Number(big!.rec_memory_request_bytes)).toBe(1200 * MIB);
    expect(Number(tiny!.rec_memory_request_bytes)).toBe(101 * MIB);
    expect(String(big!.reason)).toContain("OOM-killed 1 time in the window, peak");
    expect(String(big!.reason)).toContain("a reliability fix, not a saving");
    expect(Number(big!.request_savings_usd)).toBeLessThan(0);
  });
});

describe("right-sizing, vpa strategy", () => {
  // The VPA recommender's histogram test: values 1, 2, 3, 4 with weights 1, 2, 3, 4 in buckets of
  // width 1 give p0.1 = 2, p0.3 = 3, p0.5 = 4, p0.9 = 5 (the end of the bucket reached). CPU
  // samples are weighted by the request, so four pods requesting 1…4 cores in the same hour.
  const samples = () =>
    [1, 2, 3, 4].flatMap((v) =>
      series({ pod: `hist-${v}`, hours: 1, cpuReq: v, memReq: gib(1), cpu: () => v, mem: () => 100 * MIB }),
    );
  const vpa = (cpuPercentile: number) =>
    rs({ strategy: "vpa", vpa: { bucketGrowth: 0, cpuFirstBucketCores: 1, cpuPercentile, margin: 0 } });

  for (const [p, expected] of [
    [0.1, 2],
    [0.3, 3],
    [0.5, 4],
    [0.9, 5],
  ] as const) {
    it(`returns the end of the bucket holding the p${p * 100}: ${expected}`, async () => {
      await run(samples(), { hours: 1 }, vpa(p));
      const e = await store.one<{
        cpu_target_cores: number;
        cpu_lower_cores: number;
        cpu_upper_cores: number;
      }>("SELECT * FROM int_container_vpa_estimates");
      expect(e?.cpu_target_cores).toBe(expected);
      expect(e?.cpu_lower_cores).toBe(4); // VPA's lower bound, p50
      expect(e?.cpu_upper_cores).toBe(5); // VPA's upper bound, p95
    });
  }

  it("adds an OOM sample of max(used + 100Mi, used × 1.2): 1000Mi → 1200Mi, 1Mi → 101Mi", async () => {
    const oom = (h: number) => (h === 0 ? { oom_kills: 1 } : {});
    await run(
      [
        ...series({
          pod: "big-1",
          hours: 1,
          cpuReq: 0.1,
          memReq: 1000 * MIB,
          cpu: () => 0.1,
          mem: () => 500 * MIB,
          over: oom,
        }),
        ...series({
          pod: "tiny-1",
          hours: 1,
          cpuReq: 0.1,
          memReq: MIB,
          cpu: () => 0.1,
          mem: () => MIB / 2,
          over: oom,
        }),
      ],
      { hours: 1 },
      rs({ strategy: "vpa", vpa: { bucketGrowth: 0, memoryFirstBucketBytes: MIB, margin: 0 } }),
    );
    const e = await store.all<{ workload_name: string; memory_target_bytes: number }>(
      "SELECT workload_name, memory_target_bytes FROM int_container_vpa_estimates ORDER BY workload_name",
    );
    // The sample lands in the 1-MiB bucket starting at 1200Mi (101Mi); VPA returns its end.
    expect(e.map((x) => x.memory_target_bytes / MIB)).toEqual([1201, 102]);
  });

  it("applies its margin and the per-pod minimum split across the pod's containers", async () => {
    const rows = await run(
      series({ pod: "api-1", hours: 40, cpuReq: 1, memReq: gib(1), cpu: () => 0.001, mem: () => 10 * MIB }),
      {
        pods: [pod("team", "api-1", A)],
        containers: [
          container("team", "api-1", 1, 1n * GIB),
          container("team", "api-1", 0.1, 64n * 1024n * 1024n, { container: "sidecar" }),
        ],
      },
      rs({ strategy: "vpa" }),
    );
    const main = rows.find((r) => r.container_name === "main")!;
    // 25m and 250 MiB per pod, two containers: 12.5m → 15m (5m steps), 125 MiB.
    expect(main.rec_cpu_request_cores).toBeCloseTo(0.015, 12);
    expect(Number(main.rec_memory_request_bytes)).toBe(125 * MIB);
  });
});

describe("right-sizing, target-utilization strategy (Kubecost)", () => {
  it("divides the peaks by the target: 650m at 65 % → 1 core, 650 MiB → 1000 MiB", async () => {
    const rows = await run(
      series({
        pod: "api-1",
        hours: 40,
        cpuReq: 2,
        memReq: gib(2),
        cpu: (h) => (h === 3 ? 0.65 : 0.2),
        mem: () => 650 * MIB,
      }),
      {},
      rs({ strategy: "target-utilization" }),
    );
    expect(rows[0]!.rec_cpu_request_cores).toBeCloseTo(1, 12);
    expect(Number(rows[0]!.rec_memory_request_bytes)).toBe(1000 * MIB);
    expect(rows[0]!.reason).toBe(
      "peak CPU 650m and memory 650 Mi at 65% target utilisation over 40 h of 1 pod(s)",
    );
  });
});

describe("right-sizing statuses", () => {
  it("says insufficient_data with how much there is, and recommends nothing", async () => {
    const rows = await run(
      series({ pod: "new-1", hours: 10, cpuReq: 1, memReq: gib(1), cpu: () => 0.1, mem: () => 10 * MIB }),
    );
    expect(rows[0]!.status).toBe("insufficient_data");
    expect(rows[0]!.reason).toBe(
      "only 10 h of history and 120 samples of usage (needs 24 h and 100): requests are kept",
    );
    expect(rows[0]!.rec_cpu_request_cores).toBeNull();
    expect(rows[0]!.request_savings_usd).toBe(0);
  });

  it("sizes a CronJob that runs an hour a night for a week for its running time, and prices its saving by its running hours", async () => {
    // 7 nightly runs of one hour, 33 samples each: 7 h of usage, 231 points, 145 h of history.
    const nights = [0, 24, 48, 72, 96, 120, 144];
    const rows = await run(
      nights.map((h) =>
        usage(
          hourAt(h),
          "team",
          `report-${h}`,
          A,
          { cpuReq: 2, memReq: BigInt(gib(2)), cpu: 0.5, memBytes: 500 * MIB },
          { workload_kind: "CronJob", workload_name: "report", samples: 33 },
        ),
      ),
      { hours: 150 },
    );
    const r = rows[0]!;
    expect(r).toMatchObject({ status: "ok", usage_hours: 7n, span_hours: 145, points: 231n });
    expect(r.rec_cpu_request_cores).toBeCloseTo(0.5, 12);
    expect(r.reason).toBe(
      "CPU p95 500m, memory peak 500 Mi + 15% over 7 h of running time in 6 days of history (231 samples) of 7 pod(s): sized for when it runs, its saving priced by its running hours",
    );
    // Running 7 of the window's 150 hours: on average 7/150 of a replica.
    const perHour = (2 - 0.5) * (9 / 52) + (2 - 575 / 1024) * (1 / 52);
    expect(r.request_savings_usd).toBeCloseTo(perHour * (7 / 150) * 730, 6);
  });

  it("marks hpa_managed, counts no CPU saving, and says how scaling changes", async () => {
    const rows = await run(
      series({ pod: "web-1", hours: 40, cpuReq: 1, memReq: gib(1), cpu: () => 0.25, mem: () => 800 * MIB }),
      {
        pods: [pod("team", "web-1", A)],
        containers: [container("team", "web-1", 1, 1n * GIB)],
        workloads: [
          workload("web", {
            hpa_name: "web",
            hpa_min_replicas: 2,
            hpa_max_replicas: 10,
            hpa_metrics: JSON.stringify([
              { type: "Resource", name: "cpu", targetType: "Utilization", target: 70 },
            ]),
          }),
        ],
      },
    );
    const r = rows[0]!;
    expect(r.status).toBe("hpa_managed");
    expect(r.rec_cpu_request_cores).toBeCloseTo(0.25, 12);
    // At its peak one pod used 250m of 1000m (25 % against a 70 % target). With 250m the same
    // load is 143 % of the target: ceil(1 × 1.43) = 2 replicas (within 2..10); 70 % × 1000/250 =
    // 280 % keeps one.
    expect(r).toMatchObject({
      hpa_peak_replicas: 1n,
      hpa_replicas_at_new_request: 2n,
      hpa_max_replicas_reached: false,
      hpa_target_to_keep_replicas_percent: 280n,
    });
    expect(String(r.reason)).toContain(
      "; HPA web scales on CPU at 70% of requests: at the window's peak it ran 1 replica(s); with 250m instead of 1000m and the same target it would run 2, so set its target to 280% with the new request to keep its replicas (no CPU saving is counted)",
    );
    // Only memory counts: 1 GiB → 920 MiB (800 × 1.15) at 1/52 per GiB-hour.
    expect(r.request_savings_usd).toBeCloseTo(((1024 - 920) / 1024) * (1 / 52) * 730, 9);
  });

  it("flags an HPA that would hit maxReplicas at the new request, and says which target keeps its replicas", async () => {
    // 4 pods at 300m of 1000m, target 60 %, max 5. At 300m the load is 1.2 ÷ (4 × 0.3 × 0.6) =
    // 1.67 × the target: the HPA wants ceil(6.67) = 7 replicas, stops at 5. 60 % × 1000/300 = 200 %.
    const rows = await run(
      [1, 2, 3, 4].flatMap((i) =>
        series({
          pod: `web-${i}`,
          hours: 40,
          cpuReq: 1,
          memReq: gib(1),
          cpu: () => 0.3,
          mem: () => 800 * MIB,
        }),
      ),
      {
        pods: [pod("team", "web-1", A)],
        containers: [container("team", "web-1", 1, 1n * GIB)],
        workloads: [
          workload("web", {
            hpa_name: "web",
            hpa_min_replicas: 2,
            hpa_max_replicas: 5,
            hpa_metrics: JSON.stringify([
              { type: "Resource", name: "cpu", targetType: "Utilization", target: 60 },
            ]),
          }),
        ],
      },
    );
    expect(rows[0]).toMatchObject({
      status: "hpa_managed",
      hpa_peak_replicas: 4n,
      hpa_replicas_at_new_request: 5n,
      hpa_max_replicas_reached: true,
      hpa_target_to_keep_replicas_percent: 200n,
    });
    expect(String(rows[0]!.reason)).toContain(
      "it would run 5 (maxReplicas 5 reached: it wants 7, and its pods would run hot), so set its target to 200% with the new request to keep its replicas",
    );
  });

  it("marks at_risk when throttled over 25 % of periods, and recommends removing the CPU limit", async () => {
    const rows = await run(
      series({
        pod: "cpu-1",
        hours: 40,
        cpuReq: 0.5,
        memReq: gib(1),
        cpu: () => 0.5,
        mem: () => 800 * MIB,
        over: () => ({ cpu_throttled_ratio: 0.4 }),
      }),
      {
        pods: [pod("team", "cpu-1", A)],
        containers: [container("team", "cpu-1", 0.5, 1n * GIB, { cpu_limit_cores: 0.5 })],
      },
    );
    expect(rows[0]!.status).toBe("at_risk");
    expect(rows[0]!.rec_cpu_limit_cores).toBeNull();
    expect(rows[0]!.reason).toBe(
      "throttled in 40% of CFS periods under its 500m CPU limit (peak 500m): remove the limit, or raise it well above 500m; the CPU request is not lowered (500m), since throttled usage understates need",
    );
  });

  it("never lowers a throttled container's CPU request (300m stays 300m although its p95 is 290m)", async () => {
    const rows = await run(
      series({
        pod: "cpu-1",
        hours: 40,
        cpuReq: 0.3,
        memReq: gib(1),
        cpu: () => 0.29,
        mem: () => 800 * MIB,
        over: () => ({ cpu_throttled_ratio: 0.5 }),
      }),
      {
        pods: [pod("team", "cpu-1", A)],
        containers: [container("team", "cpu-1", 0.3, 1n * GIB, { cpu_limit_cores: 0.3 })],
      },
    );
    expect(rows[0]).toMatchObject({ status: "at_risk", rec_cpu_limit_cores: null });
    expect(rows[0]!.rec_cpu_request_cores).toBe(0.3);
    expect(rows[0]!.reason).toContain("under its 300m CPU limit");
  });

  it("says a throttled container's bursts are shorter than the rate window when its peak rate stays under its limit", async () => {
    const rows = await run(
      series({
        pod: "cpu-1",
        hours: 40,
        cpuReq: 0.5,
        memReq: gib(1),
        cpu: () => 0.3,
        mem: () => 800 * MIB,
        over: () => ({ cpu_throttled_ratio: 0.4 }),
      }),
      {
        pods: [pod("team", "cpu-1", A)],
        containers: [container("team", "cpu-1", 0.5, 1n * GIB, { cpu_limit_cores: 1 })],
      },
    );
    expect(rows[0]!.reason).toBe(
      "throttled in 40% of CFS periods under its 1000m CPU limit (peak 300m): remove the limit, or raise it well above 1000m; its bursts are shorter than the rate window we read (its peak rate stays under the limit), so the data cannot show how high they go; the CPU request is not lowered (500m), since throttled usage understates need",
    );
  });

  it("says a throttled container without a CPU limit in its spec ran with one, never 'remove the limit' of none", async () => {
    const rows = await run(
      series({
        pod: "cpu-1",
        hours: 40,
        cpuReq: 0.5,
        memReq: gib(1),
        cpu: () => 0.2,
        mem: () => 800 * MIB,
        over: () => ({ cpu_throttled_ratio: 0.3 }),
      }),
      {
        pods: [pod("team", "cpu-1", A)],
        containers: [container("team", "cpu-1", 0.5, 1n * GIB)],
      },
    );
    expect(rows[0]!.status).toBe("at_risk");
    expect(rows[0]!.rec_cpu_request_cores).toBe(0.5);
    expect(rows[0]!.reason).toBe(
      "throttled in 30% of CFS periods though its spec sets no CPU limit (peak 200m): the pods ran with one (a LimitRange default, or an earlier spec): check the limit they get and remove it; the CPU request is not lowered (500m), since throttled usage understates need",
    );
    expect(rows[0]!.reason).not.toMatch(/under a |its CPU limit:/);
  });

  it("keeps requests within 10 % of the recommendation: no_change, no saving", async () => {
    const rows = await run(
      series({
        pod: "ok-1",
        hours: 40,
        cpuReq: 0.5,
        memReq: gib(1),
        cpu: () => 0.47,
        mem: () => 850 * MIB,
      }),
    );
    expect(rows[0]!.status).toBe("no_change");
    expect(rows[0]!.rec_cpu_request_cores).toBe(0.5);
    expect(Number(rows[0]!.rec_memory_request_bytes)).toBe(gib(1));
    expect(rows[0]!.request_savings_usd).toBe(0);
  });
});

describe("right-sizing on Fargate", () => {
  it("prices the change as the step between Fargate sizes: 2 vCPU / 9 GB → 0.5 vCPU / 4 GB", async () => {
    const f = "fargate-ip-f.ec2.internal";
    const rows = await run(
      series({
        ns: "reports",
        pod: "render-1",
        hours: 40,
        cpuReq: 1,
        memReq: gib(8),
        cpu: () => 0.3,
        mem: () => 3 * gib(1),
        nodeName: f,
      }),
      {
        nodes: [
          node(f, null as unknown as string, {
            instance_type: null,
            capacity_type: "fargate",
            compute_type: "fargate",
          }),
        ],
        pods: [pod("reports", "render-1", f, { fargate_profile: "fp", capacity_provisioned: "2vCPU 9GB" })],
        containers: [container("reports", "render-1", 1, 8n * GIB)],
        prices: [...fargatePrices()],
      },
    );
    const r = rows[0]!;
    expect(r.runs_on).toBe("fargate");
    // 300m, 3 GiB × 1.15 = 3533 MiB (+256 MiB) → the smallest size that fits: 0.5 vCPU / 4 GB.
    expect([r.fargate_new_vcpu, r.fargate_new_memory_gib]).toEqual([0.5, 4]);
    const perHour = (2 - 0.5) * 0.04048 + (9 - 4) * 0.004445;
    expect(r.request_savings_usd).toBeCloseTo(perHour * 730, 9);
    // Fargate bills the pod's size: the pool's saving is the billed-size change, at once.
    const [pool] = await store.all<Record<string, unknown>>("SELECT * FROM mart_rightsizing_pools");
    expect(pool).toMatchObject({ capacity_pool: "fargate", nodes_saved_usd: 0 });
    expect(pool!.fargate_savings_usd).toBeCloseTo(perHour * 730, 9);
  });

  const F = "fargate-ip-f.ec2.internal";
  const fargateNode = () =>
    node(F, null as unknown as string, {
      instance_type: null,
      capacity_type: "fargate",
      compute_type: "fargate",
    });

  it("saves $0 on a pod its init container holds at its size: the size after counts the init container as the billed size does", async () => {
    // init 2 vCPU / 1 GiB, app 1 vCPU / 2 GiB: the pod needs 2 vCPU and 2 GiB + 256 MiB → 2 vCPU / 4 GB.
    // After right-sizing the app to 300m / 1178 MiB the init container still needs 2 vCPU: 2 vCPU / 4 GB.
    const rows = await run(
      series({
        ns: "reports",
        pod: "render-1",
        hours: 40,
        cpuReq: 1,
        memReq: gib(2),
        cpu: () => 0.3,
        mem: () => gib(1),
        nodeName: F,
      }),
      {
        nodes: [fargateNode()],
        pods: [pod("reports", "render-1", F, { fargate_profile: "fp", capacity_provisioned: "2vCPU 4GB" })],
        containers: [
          container("reports", "render-1", 1, 2n * GIB),
          container("reports", "render-1", 2, 1n * GIB, { container: "migrate", container_type: "init" }),
        ],
        prices: [...fargatePrices()],
      },
    );
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.status).toBe("ok");
    expect(r.rec_cpu_request_cores).toBeCloseTo(0.3, 12);
    expect([r.fargate_billed_vcpu, r.fargate_billed_memory_gib]).toEqual([2, 4]);
    expect([r.fargate_new_vcpu, r.fargate_new_memory_gib]).toEqual([2, 4]);
    expect(r.request_savings_usd).toBe(0);
  });

  it("gives the pod's whole saving to the containers with a recommendation: a sibling without usage data does not halve it", async () => {
    // app 1 vCPU / 8 GiB and a log shipper 250m / 512 MiB with no usage history: 1.25 vCPU and
    // 8.5 GiB + 256 MiB → 2 vCPU / 9 GB. After: 300m + 250m, 3533 + 512 + 256 MiB → 1 vCPU / 5 GB.
    const rows = await run(
      series({
        ns: "reports",
        pod: "render-1",
        hours: 40,
        cpuReq: 1,
        memReq: gib(8),
        cpu: () => 0.3,
        mem: () => 3 * gib(1),
        nodeName: F,
      }),
      {
        nodes: [fargateNode()],
        pods: [pod("reports", "render-1", F, { fargate_profile: "fp", capacity_provisioned: "2vCPU 9GB" })],
        containers: [
          container("reports", "render-1", 1, 8n * GIB),
          container("reports", "render-1", 0.25, 512n * 1024n * 1024n, { container: "shipper" }),
        ],
        prices: [...fargatePrices()],
      },
    );
    const [app, shipper] = rows;
    expect([app!.container_name, app!.status]).toEqual(["main", "ok"]);
    expect([shipper!.container_name, shipper!.status]).toEqual(["shipper", "insufficient_data"]);
    expect([app!.fargate_new_vcpu, app!.fargate_new_memory_gib]).toEqual([1, 5]);
    const perHour = (2 - 1) * 0.04048 + (9 - 5) * 0.004445;
    expect(app!.request_savings_usd).toBeCloseTo(perHour * 730, 9);
    expect(shipper!.request_savings_usd).toBe(0);
  });

  it("counts a native sidecar with the long-running containers in the size after, as in the billed size", async () => {
    // app 1 vCPU / 2 GiB, sidecar (init, restartPolicy Always) 1 vCPU / 1 GiB, no usage data for
    // it: 2 vCPU, 3 GiB + 256 MiB → 2 vCPU / 4 GB. After: 300m + 1 vCPU = 1.3 → 2 vCPU; saving $0.
    const rows = await run(
      series({
        ns: "reports",
        pod: "render-1",
        hours: 40,
        cpuReq: 1,
        memReq: gib(2),
        cpu: () => 0.3,
        mem: () => gib(1),
        nodeName: F,
      }),
      {
        nodes: [fargateNode()],
        pods: [pod("reports", "render-1", F, { fargate_profile: "fp" })],
        containers: [
          container("reports", "render-1", 1, 2n * GIB),
          container("reports", "render-1", 1, 1n * GIB, { container: "mesh", container_type: "sidecar" }),
        ],
        prices: [...fargatePrices()],
      },
    );
    const app = rows.find((r) => r.container_name === "main")!;
    expect([app.fargate_billed_vcpu, app.fargate_billed_memory_gib]).toEqual([2, 4]);
    expect([app.fargate_new_vcpu, app.fargate_new_memory_gib]).toEqual([2, 4]);
    expect(app.request_savings_usd).toBe(0);
  });
});
