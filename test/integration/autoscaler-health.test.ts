/**
 * The HPA findings of the autoscaling analyzer on a small hand-made cluster, through the real
 * models: an HPA pinned by min = max, one whose replicas never move while usage swings fivefold,
 * one on CPU over containers whose limit equals their request, and one whose own status says
 * AbleToScale=False.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import type { Row } from "../../src/store/store.js";
import { Store } from "../../src/store/store.js";
import { container, GIB, node, pod, price, testContext, usage, writeScenario } from "../fixtures/scenario.js";

const HOURS = 24;
const START = Date.parse("2026-11-01T00:00:00Z");
const hourAt = (h: number) => new Date(START + h * 3_600_000).toISOString();
const cpuHpa = JSON.stringify([{ type: "Resource", name: "cpu", targetType: "Utilization", target: 70 }]);

function workload(name: string, min: number, max: number, over: Row = {}): Row {
  return {
    cluster: "test",
    namespace: "ns",
    kind: "Deployment",
    name,
    replicas_desired: 3,
    hpa_name: name,
    hpa_min_replicas: min,
    hpa_max_replicas: max,
    hpa_metrics: cpuHpa,
    pvc_templates: "[]",
    labels: "{}",
    ...over,
  };
}

let store: Store;
beforeAll(async () => {
  const pods: Row[] = [];
  const containers: Row[] = [];
  const rows: Row[] = [];
  // Three pods each; `swinging`'s usage per pod goes from 0.1 (night) to 0.5 cores (day): a 5×
  // swing its HPA never follows. The others use a steady 0.2.
  for (const name of ["pinned", "swinging", "throttled", "stuck"]) {
    for (let i = 0; i < 3; i++) {
      const podName = `${name}-${"abc"[i]}`;
      pods.push(pod("ns", podName, "ip-1.ec2.internal", { workload_name: name }));
      containers.push(
        container("ns", podName, 0.5, GIB, name === "throttled" ? { cpu_limit_cores: 0.5 } : {}),
      );
      for (let h = 0; h < HOURS; h++) {
        const cpu = name === "swinging" ? (h % 24 < 12 ? 0.1 : 0.5) : 0.2;
        rows.push(
          usage(
            hourAt(h),
            "ns",
            podName,
            "ip-1.ec2.internal",
            { cpuReq: 0.5, memReq: GIB, cpu, memBytes: 3e8 },
            {
              workload_name: name,
            },
          ),
        );
      }
    }
  }
  store = await Store.open(":memory:", testContext().logger);
  await writeScenario(
    store,
    { start: hourAt(0), end: hourAt(HOURS) },
    {
      k8s_nodes: [
        node("ip-1.ec2.internal", "m5.4xlarge", { cpu_capacity_cores: 16, cpu_allocatable_cores: 15.8 }),
      ],
      k8s_pods: pods,
      k8s_containers: containers,
      k8s_workloads: [
        workload("pinned", 3, 3),
        workload("swinging", 2, 6),
        workload("throttled", 2, 6),
        workload("stuck", 2, 6, {
          hpa_conditions: JSON.stringify([
            {
              type: "AbleToScale",
              status: "False",
              reason: "FailedGetScale",
              message: 'deployments/scale.apps "stuck" not found',
            },
            { type: "ScalingActive", status: "True", reason: "ValidMetricFound", message: "ok" },
          ]),
        }),
        {
          ...workload("metrics-server", 1, 1),
          hpa_name: null,
          hpa_min_replicas: null,
          hpa_max_replicas: null,
          hpa_metrics: null,
        },
      ],
      prom_usage_hourly: rows,
      aws_prices: [price("ec2", "m5.4xlarge", "Hrs", "0.768")],
    },
  );
  await analyze(testContext(), store);
}, 600_000);
afterAll(() => store?.close());

const findings = async () =>
  (
    await store.all<{ workload_name: string; finding: string; reason: string }>(
      "SELECT workload_name, finding, reason FROM mart_autoscaler_hpas WHERE finding <> 'ok' ORDER BY workload_name, finding",
    )
  ).map((r) => [r.workload_name, r.finding, r.reason]);

describe("autoscaler health of HPAs", () => {
  it("finds min = max, replicas that never move under a 5× swing, limits at requests and AbleToScale=False, and nothing else", async () => {
    const rows = await findings();
    expect(rows.map(([w, f]) => [w, f])).toEqual([
      ["pinned", "min_equals_max"],
      ["stuck", "unable_to_scale"],
      ["swinging", "never_moves"],
      ["throttled", "limits_near_requests"],
    ]);
    const reason = (w: string) => rows.find((r) => r[0] === w)![2];
    expect(reason("pinned")).toBe("minReplicas = maxReplicas = 3: it never scales");
    // 3 pods × 0.5 at day over 3 pods × 0.1 at night: 5×.
    expect(reason("swinging")).toBe("3 replicas every hour of the window while its CPU usage swung 5.0×");
    expect(reason("throttled")).toContain("CPU limits are at most 1.0× the requests");
    expect(reason("stuck")).toContain(
      'AbleToScale=False (FailedGetScale): deployments/scale.apps "stuck" not found',
    );
    expect(reason("stuck")).toContain("check scaleTargetRef");
  });
});
