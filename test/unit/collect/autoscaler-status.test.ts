/**
 * The autoscaler status the collectors read: an HPA's status conditions (the Kubernetes
 * collector) and the pending-pod history (the Prometheus collector: a range answer to rows, and
 * the bundle's CSV read back, each bad row named).
 */
import { describe, expect, it } from "vitest";
import { mapInventory } from "../../../src/collect/kubernetes/inventory.js";
import type { Inventory } from "../../../src/collect/kubernetes/map.js";
import { pendingRows, readPendingCsv } from "../../../src/collect/prometheus/pending.js";
import { pendingPodsQuery } from "../../../src/collect/prometheus/queries.js";

const inventory = (conditions: unknown): Inventory => ({
  nodes: [],
  pods: [],
  deployments: [{ metadata: { namespace: "batch", name: "worker" }, spec: { replicas: 2 } }],
  replicasets: [],
  statefulsets: [],
  daemonsets: [],
  jobs: [],
  cronjobs: [],
  rollouts: [],
  horizontalpodautoscalers: [
    {
      metadata: { namespace: "batch", name: "worker" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "worker" }, minReplicas: 2, maxReplicas: 10 },
      status: { conditions },
    },
  ],
  poddisruptionbudgets: [],
});

describe("HPA status conditions", () => {
  it("keeps each condition's type, status, reason, message and transition time", () => {
    const rows = mapInventory(
      inventory([
        {
          type: "AbleToScale",
          status: "True",
          reason: "SucceededGetScale",
          lastTransitionTime: "2026-11-01T10:00:00Z",
        },
        {
          type: "ScalingActive",
          status: "False",
          reason: "FailedGetResourceMetric",
          message: "the HPA was unable to compute the replica count: failed to get cpu utilization",
          lastTransitionTime: "2026-11-01T10:00:05Z",
        },
      ]),
      "prod",
    );
    expect(rows.problems).toEqual([]);
    expect(rows.k8s_workloads[0]!.hpa_conditions).toEqual([
      {
        type: "AbleToScale",
        status: "True",
        reason: "SucceededGetScale",
        message: null,
        lastTransitionTime: "2026-11-01T10:00:00.000Z",
      },
      {
        type: "ScalingActive",
        status: "False",
        reason: "FailedGetResourceMetric",
        message: "the HPA was unable to compute the replica count: failed to get cpu utilization",
        lastTransitionTime: "2026-11-01T10:00:05.000Z",
      },
    ]);
  });

  it("stores an HPA that reports no condition yet as an empty list, and a workload without HPA as null", () => {
    expect(mapInventory(inventory(undefined), "prod").k8s_workloads[0]!.hpa_conditions).toEqual([]);
    const none = mapInventory({ ...inventory([]), horizontalpodautoscalers: [] }, "prod");
    expect(none.k8s_workloads[0]!.hpa_conditions).toBeNull();
  });

  it("names the HPA and the field of a condition whose status is not True, False or Unknown", () => {
    const rows = mapInventory(inventory([{ type: "ScalingActive", status: "maybe" }]), "prod");
    expect(rows.k8s_workloads).toEqual([]);
    expect(rows.problems).toHaveLength(1);
    expect(JSON.stringify(rows.problems[0])).toContain("status.conditions[ScalingActive].status");
    expect(JSON.stringify(rows.problems[0])).toContain("batch/worker");
  });
});

describe("pending-pod history", () => {
  const owners = {
    pods: new Map([["ci/runner-5d8f7c9b6d-x2x4q", { kind: "ReplicaSet", name: "runner-5d8f7c9b6d" }]]),
    replicaSets: new Map([["ci/runner-5d8f7c9b6d", { kind: "Deployment", name: "runner" }]]),
    jobs: new Map(),
  };

  it("asks for the Pending phase of the namespace's pods, hour by hour, only where it was Pending", () => {
    expect(pendingPodsQuery({ namespace: "ci", clusterLabel: { name: "cluster", value: "prod" } })).toBe(
      'avg_over_time(kube_pod_status_phase{cluster="prod",namespace="ci",phase="Pending"}[59m59s]) > 0',
    );
  });

  it("turns each point into the hour before it, with the pod's workload and its share of the hour", () => {
    const t = Date.parse("2026-11-10T19:00:00Z") / 1000;
    const rows = pendingRows(
      "prod",
      "ci",
      [
        {
          labels: { namespace: "ci", pod: "runner-5d8f7c9b6d-x2x4q", job: "ksm" },
          values: [
            [t, 0.5],
            [t + 3600, 1],
          ],
        },
        // A second kube-state-metrics replica: the higher share of the same hour is kept.
        { labels: { namespace: "ci", pod: "runner-5d8f7c9b6d-x2x4q", job: "ksm-2" }, values: [[t, 0.75]] },
      ],
      owners,
    );
    expect(rows).toEqual([
      {
        cluster: "prod",
        hour: "2026-11-10T18:00:00.000Z",
        namespace: "ci",
        pod: "runner-5d8f7c9b6d-x2x4q",
        workload_kind: "Deployment",
        workload_name: "runner",
        pending_ratio: 0.75,
      },
      {
        cluster: "prod",
        hour: "2026-11-10T19:00:00.000Z",
        namespace: "ci",
        pod: "runner-5d8f7c9b6d-x2x4q",
        workload_kind: "Deployment",
        workload_name: "runner",
        pending_ratio: 1,
      },
    ]);
  });

  it("leaves out, by line, a share beyond the hour, an hour outside the window and a line of the wrong shape", () => {
    const window = { start: new Date("2026-11-02T00:00:00Z"), end: new Date("2026-11-16T00:00:00Z") };
    const text = [
      "hour,namespace,pod,workload_kind,workload_name,pending_ratio",
      "2026-11-10T18:00:00Z,ci,a,Deployment,runner,7",
      "2026-12-10T18:00:00Z,ci,b,Deployment,runner,1",
      "2026-11-10T18:30:00Z,ci,c,Deployment,runner,1",
      "2026-11-10T18:00:00Z,ci,d,Deployment",
      "2026-11-10T19:00:00Z,ci,e,Deployment,runner,1",
    ].join("\n");
    const { rows, problems } = readPendingCsv(text, "prod", window, "p.csv");
    expect(rows.map((r) => r.pod)).toEqual(["e"]);
    expect(problems.map((p) => [p.line, p.field, p.rule])).toEqual([
      [2, "pending_ratio", "within (0, 1]"],
      [3, "hour", "in-window"],
      [4, "hour", "hour"],
      [5, "line", "columns"],
    ]);
    expect(() => readPendingCsv("hour,pod\n", "prod", window, "p.csv")).toThrow(/pending-pod columns/);
  });
});
