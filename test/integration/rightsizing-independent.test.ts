/**
 * An independent check of the SQL right-sizing: a generated cluster of 200 workloads, whose
 * expected recommendations, statuses and savings are computed here in TypeScript straight from
 * the hourly rows, with none of the SQL's code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import type { Row } from "../../src/store/store.js";
import { Store } from "../../src/store/store.js";
import { container, node, pod, price, testContext, usage, writeScenario } from "../fixtures/scenario.js";

const MIB = 1024 ** 2;
const HOURS = 48;
const START = Date.parse("2026-11-01T00:00:00Z");
const hourAt = (h: number) => new Date(START + h * 3600_000).toISOString();

/** mulberry32: a small seeded generator, so that the cluster is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Expected {
  workload: string;
  container: string;
  status: string;
  cpu: number | null;
  memory: number | null;
  savings: number;
}

/** Type-7 quantile (linear interpolation between order statistics), as most statistics tools do. */
function quantile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function generate() {
  const rnd = random(20261122);
  const nodes = Array.from({ length: 10 }, (_, i) => node(`ip-${i}.ec2.internal`, "m5.xlarge"));
  const rows: Row[] = [];
  const pods: Row[] = [];
  const containers: Row[] = [];
  const workloads: Row[] = [];
  const expected: Expected[] = [];
  for (let w = 0; w < 200; w++) {
    const name = `app${w}`;
    const replicas = 1 + Math.floor(rnd() * 3);
    const hours = rnd() < 0.1 ? 12 + Math.floor(rnd() * 10) : HOURS;
    const hpa = rnd() < 0.1;
    if (hpa) {
      workloads.push({
        cluster: "test",
        namespace: "ns",
        kind: "Deployment",
        name,
        hpa_name: name,
        hpa_min_replicas: 1,
        hpa_max_replicas: 5,
        hpa_metrics: JSON.stringify([
          { type: "Resource", name: "cpu", targetType: "Utilization", target: 70 },
        ]),
        pvc_templates: "[]",
        labels: "{}",
      });
    }
    for (const c of rnd() < 0.3 ? ["main", "sidecar"] : ["main"]) {
      const cpuReq = [0.1, 0.25, 0.5, 1, 2][Math.floor(rnd() * 5)]!;
      const memReq = [128, 256, 512, 1024, 2048][Math.floor(rnd() * 5)]! * MIB;
      const memLimit = rnd() < 0.5 ? memReq : null;
      // Every 25th workload is sized right already (no_change); the rest are random.
      const steady = w % 25 === 0;
      const level = rnd() * cpuReq * 1.2;
      const memLevel = rnd() * memReq * 1.1;
      const oomHour = !steady && rnd() < 0.08 ? Math.floor(rnd() * hours) : -1;
      const throttled = !steady && rnd() < 0.08 ? 0.3 + rnd() * 0.5 : rnd() * 0.1;
      const cpuSamples: number[] = [];
      let peak = 0;
      let oomKills = 0;
      let throttleSum = 0;
      let points = 0;
      for (let r = 0; r < replicas; r++) {
        const podName = `${name}-${r}`;
        const nodeName = `ip-${(w + r) % 10}.ec2.internal`;
        if (c === "main") pods.push(pod("ns", podName, nodeName, { workload_name: name }));
        containers.push(
          container("ns", podName, cpuReq, BigInt(memReq), {
            container: c,
            memory_limit_bytes: memLimit === null ? null : BigInt(memLimit),
          }),
        );
        for (let h = 0; h < hours; h++) {
          const cpu = steady ? cpuReq * 0.98 : Math.round(level * (0.5 + rnd()) * 1e6) / 1e6;
          const mem = steady
            ? Math.round((memReq / 1.15) * 0.97)
            : Math.round(memLevel * (0.6 + 0.5 * rnd()));
          const oom = h === oomHour && r === 0 ? 1 : 0;
          cpuSamples.push(cpu);
          peak = Math.max(peak, mem);
          oomKills += oom;
          throttleSum += throttled;
          points += 12;
          rows.push(
            usage(
              hourAt(HOURS - hours + h),
              "ns",
              podName,
              nodeName,
              { cpuReq, memReq: BigInt(memReq), cpu, memBytes: mem },
              {
                container: c,
                workload_name: name,
                oom_kills: oom,
                cpu_throttled_ratio: throttled,
                cpu_p95_cores: cpu,
              },
            ),
          );
        }
      }
      // The documented default strategy, computed from the rows above.
      const distinctHours = hours;
      const insufficient = distinctHours < 24 || points < 100;
      const throttledRisk = throttleSum / (hours * replicas) > 0.25;
      const atRisk = oomKills > 0 || throttledRisk;
      let cpu = Math.ceil(Math.max(quantile(cpuSamples, 0.95), 0.01) * 200 - 1e-9) / 200;
      let memory =
        Math.ceil(
          Math.max(
            peak * 1.15,
            32 * MIB,
            oomKills > 0 ? Math.max(peak + 100 * MIB, (memLimit ?? memReq) * 1.2) : 0,
          ) /
            MIB -
            1e-9,
        ) * MIB;
      const cpuKeep = !atRisk && Math.abs(cpu - cpuReq) <= 0.1 * cpuReq;
      const memKeep = !atRisk && Math.abs(memory - memReq) <= 0.1 * memReq;
      if (cpuKeep) cpu = cpuReq;
      // Throttled usage understates need: a throttled container's CPU request never goes down.
      if (throttledRisk) cpu = Math.max(cpu, cpuReq);
      if (memKeep) memory = memReq;
      const status = insufficient
        ? "insufficient_data"
        : atRisk
          ? "at_risk"
          : cpuKeep && memKeep
            ? "no_change"
            : hpa
              ? "hpa_managed"
              : "ok";
      // m5.xlarge at $1/hour: 9/52 per core-hour, 1/52 per GiB-hour; replicas × hours ÷ window.
      const avgReplicas = (replicas * hours) / HOURS;
      const freedCores = insufficient || hpa ? 0 : cpuReq - cpu;
      const freedGib = insufficient ? 0 : (memReq - memory) / 1024 ** 3;
      expected.push({
        workload: name,
        container: c,
        status,
        cpu: insufficient ? null : cpu,
        memory: insufficient ? null : memory,
        savings: (freedCores * (9 / 52) + freedGib * (1 / 52)) * avgReplicas * 730,
      });
    }
  }
  return { nodes, rows, pods, containers, workloads, expected };
}

let store: Store;
let generated: ReturnType<typeof generate>;
let actual: Map<string, Record<string, unknown>>;

beforeAll(async () => {
  generated = generate();
  store = await Store.open(":memory:", testContext().logger);
  await writeScenario(
    store,
    { start: hourAt(0), end: hourAt(HOURS) },
    {
      k8s_nodes: generated.nodes,
      k8s_pods: generated.pods,
      k8s_containers: generated.containers,
      k8s_workloads: generated.workloads,
      prom_usage_hourly: generated.rows,
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00")],
      aws_spot_prices: [],
    },
  );
  await analyze(testContext(), store);
  actual = new Map(
    (await store.all<Record<string, unknown>>("SELECT * FROM mart_rightsizing")).map((r) => [
      `${r.workload_name}/${r.container_name}`,
      r,
    ]),
  );
}, 600_000);
afterAll(() => store.close());

describe("right-sizing against an independent computation (200 generated workloads)", () => {
  it("has one row per container, and every status occurs", () => {
    expect(actual.size).toBe(generated.expected.length);
    expect(new Set(generated.expected.map((e) => e.status))).toEqual(
      new Set(["ok", "insufficient_data", "at_risk", "no_change", "hpa_managed"]),
    );
  });

  it("agrees on every status, recommendation and saving", () => {
    const mismatches: string[] = [];
    for (const e of generated.expected) {
      const a = actual.get(`${e.workload}/${e.container}`);
      const got = {
        status: a?.status,
        cpu: a?.rec_cpu_request_cores === null ? null : Number(a?.rec_cpu_request_cores),
        memory: a?.rec_memory_request_bytes === null ? null : Number(a?.rec_memory_request_bytes),
        savings: Number(a?.request_savings_usd),
      };
      const same =
        got.status === e.status &&
        (got.cpu === e.cpu || Math.abs((got.cpu ?? Number.NaN) - (e.cpu ?? Number.NaN)) < 1e-9) &&
        got.memory === e.memory &&
        Math.abs(got.savings - e.savings) < 1e-6;
      if (!same)
        mismatches.push(
          `${e.workload}/${e.container}: expected ${JSON.stringify(e)}, got ${JSON.stringify(got)}`,
        );
    }
    expect(mismatches).toEqual([]);
  });
});
