import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { PriorityClass } from "kubernetes-models/scheduling.k8s.io/v1/PriorityClass";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { clusterCapacity } from "../../../src/forecast/capacity.js";
import { leadTimes } from "../../../src/forecast/lead-time.js";
import { cronAt } from "../../../src/forecast/manifests.js";
import { prescalePlan } from "../../../src/forecast/plan.js";
import type { WorkloadReplicas, WorkloadSpec } from "../../../src/forecast/replicas.js";
import { catalogue, nodeGroup, nodePool, prices } from "../eks/packing-helpers.js";

const start = Date.parse("2026-11-27T08:00:00Z");
const end = Date.parse("2026-11-27T20:00:00Z");

const web: WorkloadSpec = {
  key: "shop/Deployment/web",
  namespace: "shop",
  kind: "Deployment",
  name: "web",
  pool: "general",
  cpuRequestCores: 1,
  memoryRequestBytes: 2 ** 30,
  hpa: { name: "web", minReplicas: 2, maxReplicas: 10, resource: "cpu", targetUtilizationPercent: 75 },
  pdb: null,
};
const api: WorkloadSpec = {
  ...web,
  key: "shop/Deployment/api",
  name: "api",
  pool: "ng",
  hpa: { name: "api-hpa", minReplicas: 3, maxReplicas: 20, resource: "cpu", targetUtilizationPercent: 70 },
};
const replicasOf = (
  key: string,
  event: number,
  min: number,
  max: number,
  normal: number,
): WorkloadReplicas => ({
  key,
  current: normal,
  hourly: [event],
  normal,
  event,
  minReplicas: min,
  maxReplicas: max,
  flags: [],
});
const replicas = new Map([
  [web.key, replicasOf(web.key, 12, 12, 12, 4)],
  [api.key, replicasOf(api.key, 5, 5, 20, 3)],
]);
const general = nodePool({
  name: "general",
  requirements: { instanceTypes: ["m5.xlarge"] },
  limits: { cpuCores: 8 },
});
const ng = nodeGroup("m5.xlarge", { minSize: 1, maxSize: 3 });
const capacity = clusterCapacity([web, api], replicas, {
  pools: [general, ng],
  catalogue,
  prices,
  zoneLossHeadroom: true,
  windowHours: 12,
});
const plan = prescalePlan({
  event: { name: "sale", window: { startMs: start, endMs: end } },
  workloads: [web, api].map((spec) => ({ spec, replicas: replicas.get(spec.key)! })),
  pools: [
    { pool: general, capacity: capacity[0]! },
    { pool: ng, capacity: capacity[1]! },
  ],
  marginMinutes: 15,
  clusterName: "prod",
});

describe("lead times", () => {
  it("takes the median and the P90 of each pool's own samples, else the documented defaults, and says which", () => {
    const l = leadTimes(
      {
        pools: {
          general: { nodeReadySeconds: [40, 50, 60, 70, 80, 90, 100, 110, 120, 130], podStartSeconds: [5] },
          batch: { nodeReadySeconds: [30, 31, 32], podStartSeconds: [10, 20, 30, 40, 50] },
        },
        fargatePodSeconds: [50, 55, 60, 65, 70, 75],
      },
      [
        { name: "general", fargate: false },
        { name: "batch", fargate: false },
        { name: "fargate", fargate: true },
      ],
    );
    const [general, batch, fargate] = l.pools;
    // P90 of 40..130 by 10: 40 + 0.9 × 9 × 10 = 121; median: (80 + 90) / 2 = 85
    expect(general!.capacity).toMatchObject({
      seconds: 121,
      medianSeconds: 85,
      source: "observed",
      samples: 10,
    });
    expect(general!.capacity.basis).toBe("median 85 s, P90 121 s of 10 nodes");
    expect(general!.podStart).toMatchObject({ seconds: 0, source: "default", samples: 1 });
    expect(general!.podStart.basis).toContain("1 pod starts observed, fewer than 5");
    expect(general!.seconds).toBe(121);
    // three nodes are too few: the default's upper bound; pod starts 10..50: P90 = 10 + 0.9 × 4 × 10 = 46, median 30
    expect(batch!.capacity).toMatchObject({ seconds: 90, source: "default", medianSeconds: null });
    expect(batch!.capacity.basis).toBe(
      "default: a node is Ready 45–90 s after launch, upper bound (3 nodes observed, fewer than 5)",
    );
    expect(batch!.podStart).toMatchObject({ seconds: 46, medianSeconds: 30, source: "observed" });
    expect(batch!.seconds).toBe(136);
    // Fargate 50..75 by 5: P90 = 50 + 0.9 × 5 × 5 = 72.5 → 73 s; median 62.5 → 63 s; no pod start on top
    expect(fargate).toMatchObject({ kind: "fargate", seconds: 73 });
    expect(fargate!.capacity.basis).toBe("median 63 s, P90 73 s of 6 Fargate pods");
    // The cluster's together: 13 nodes (30, 31, 32, 40…130): P90 at index 10.8 = 110 + 0.8 × 10 = 118
    expect(l.node).toMatchObject({ seconds: 118, samples: 13, source: "observed" });
    // six pod starts (5, 10…50): P90 at index 4.5 = 40 + 0.5 × 10 = 45
    expect(l.imagePull).toMatchObject({ seconds: 45, samples: 6 });
  });

  it("falls back to a node's 90 s and a Fargate pod's 60 s with no samples at all", () => {
    const l = leadTimes({}, [
      { name: "ng", fargate: false },
      { name: "fargate", fargate: true },
    ]);
    expect(l.pools.map((p) => [p.pool, p.seconds, p.capacity.source])).toEqual([
      ["ng", 90, "default"],
      ["fargate", 60, "default"],
    ]);
  });

  it("waits for the slowest pool: its node and its pod start", () => {
    const slow = prescalePlan({
      event: { name: "sale", window: { startMs: start, endMs: end } },
      workloads: [],
      pools: [
        { pool: general, capacity: capacity[0]! },
        { pool: ng, capacity: capacity[1]! },
      ],
      samples: {
        pools: {
          [ng.name]: { nodeReadySeconds: [100, 110, 120, 130, 140], podStartSeconds: [20, 20, 20, 20, 20] },
        },
      },
      marginMinutes: 15,
      clusterName: "prod",
    });
    // ng: P90 of 100..140 by 10 = 100 + 0.9 × 4 × 10 = 136, plus 20 s of pod start = 156 s;
    // general (no samples) 90 s. 08:00 − 156 s − 15 min = 07:42:24 → 07:42
    expect(slow.leadSeconds).toBe(156);
    expect(new Date(slow.prescaleAtMs).toISOString()).toBe("2026-11-27T07:42:00.000Z");
  });
});

describe("the pre-scale plan", () => {
  it("asks for capacity the node lead time and the margin before the window", () => {
    // 08:00 − 90 s − 15 min = 07:43:30, down to the minute
    expect(new Date(plan.prescaleAtMs).toISOString()).toBe("2026-11-27T07:43:00.000Z");
    expect(plan.leadSeconds).toBe(90);
    expect(cronAt(plan.prescaleAtMs)).toBe("43 7 27 11 *");
  });

  it("writes a CronJob pair that raises and restores minReplicas, with the RBAC it needs", () => {
    const docs = parseAllDocuments(plan.yaml.cronJobs).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      "ServiceAccount/capacity-prescale",
      "Role/capacity-prescale",
      "RoleBinding/capacity-prescale",
      "CronJob/prescale-sale-raise",
      "CronJob/prescale-sale-restore",
    ]);
    expect(docs[1]).toEqual(
      parse(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: capacity-prescale, namespace: shop }
rules:
  - apiGroups: [autoscaling]
    resources: [horizontalpodautoscalers]
    resourceNames: [api-hpa, web]
    verbs: [get, patch]
`),
    );
    const raise = docs[3];
    expect(raise.spec.schedule).toBe("43 7 27 11 *");
    expect(raise.spec.timeZone).toBe("Etc/UTC");
    expect(
      raise.spec.jobTemplate.spec.template.spec.containers.map((c: { args: string[] }) => c.args),
    ).toEqual([
      [
        "patch",
        "hpa",
        "web",
        "--namespace",
        "shop",
        "--type",
        "merge",
        "--patch",
        '{"spec":{"minReplicas":12}}',
      ],
      [
        "patch",
        "hpa",
        "api-hpa",
        "--namespace",
        "shop",
        "--type",
        "merge",
        "--patch",
        '{"spec":{"minReplicas":5}}',
      ],
    ]);
    const restore = docs[4];
    expect(restore.spec.schedule).toBe("0 20 27 11 *");
    expect(
      restore.spec.jobTemplate.spec.template.spec.containers.map((c: { args: string[] }) => c.args.at(-1)),
    ).toEqual(['{"spec":{"minReplicas":2}}', '{"spec":{"minReplicas":3}}']);
    const models: Record<string, new (d: never) => { validate(): void }> = {
      ServiceAccount,
      Role,
      RoleBinding,
      CronJob,
    } as never;
    for (const d of docs) expect(() => new models[d.kind]!(d as never).validate()).not.toThrow();
  });

  it("writes a KEDA ScaledObject whose cron trigger holds the peak's replicas through the window", () => {
    const docs = parseAllDocuments(plan.yaml.keda).map((d) => d.toJS());
    expect(docs[0]).toEqual(
      parse(`
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: web
  namespace: shop
  annotations: { scaledobject.keda.sh/transfer-hpa-ownership: "true" }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicaCount: 2
  maxReplicaCount: 12
  advanced: { horizontalPodAutoscalerConfig: { name: web } }
  triggers:
    - type: cpu
      metricType: Utilization
      metadata: { value: "75" }
    - type: cron
      metadata: { timezone: Etc/UTC, start: 43 7 27 11 *, end: 0 20 27 11 *, desiredReplicas: "12" }
`),
    );
  });

  it("holds the zone headroom with priority −1 placeholders sized to one node each", () => {
    // web: 12 pods → 4 m5.xlarge; ceil(12 × 3/2) = 18 → 6: 2 spare nodes
    const docs = parseAllDocuments(plan.yaml.headroom).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(["PriorityClass", "Deployment"]);
    expect(docs[0]).toMatchObject({ value: -1, preemptionPolicy: "Never", globalDefault: false });
    const node = capacity[0]!.held.nodes[0]!;
    const pod = docs[1].spec.template.spec;
    expect(docs[1].spec.replicas).toBe(2);
    expect(pod.nodeSelector).toEqual({ "karpenter.sh/nodepool": "general" });
    expect(pod.priorityClassName).toBe("capacity-headroom");
    expect(pod.containers[0].resources.requests).toEqual({
      cpu: "3528m", // 90 % of m5.xlarge's 3.92 allocatable cores
      memory: `${Math.floor((node.allocatable.memoryBytes * 0.9) / 2 ** 20)}Mi`,
    });
    expect(() => new PriorityClass(docs[0]).validate()).not.toThrow();
    expect(() => new Deployment(docs[1]).validate()).not.toThrow();
  });

  it("patches what exists: maxReplicas and NodePool limits before, back after; node group sizes by aws eks", () => {
    expect(plan.commands.before).toEqual([
      `kubectl patch hpa web -n shop --type merge -p '{"spec":{"maxReplicas":12}}'`,
      // 6 m5.xlarge = 24 vCPU against limits.cpu 8
      `kubectl patch nodepool general --type merge -p '{"spec":{"limits":{"cpu":"24"}}}'`,
    ]);
    // api: 5 pods → 2 nodes; ceil(5 × 3/2) = 8 pods → 3 nodes; normal 3 pods → 1 node
    expect(plan.commands.prescale).toEqual([
      // general's node class was not collected: its static NodePool is made from the running one
      `# or, instead of the placeholders: kubectl get nodepool general -o json | jq '{apiVersion, kind, metadata: {name: "general-sale-static"}, spec: {replicas: 2, limits: {nodes: "2"}, template: (.spec.template | .spec.requirements = ([.spec.requirements[] | select(.key != "node.kubernetes.io/instance-type")] + [{key: "node.kubernetes.io/instance-type", operator: "In", values: ["m5.xlarge"]}]))}}' | kubectl apply -f -`,
      "aws eks update-nodegroup-config --cluster-name prod --nodegroup-name ng --scaling-config minSize=3,maxSize=3,desiredSize=3",
    ]);
    expect(plan.commands.after).toEqual([
      `kubectl patch hpa web -n shop --type merge -p '{"spec":{"maxReplicas":10}}'`,
      `kubectl patch nodepool general --type merge -p '{"spec":{"limits":{"cpu":"8"}}}'`,
      "kubectl delete nodepool general-sale-static --ignore-not-found",
      "aws eks update-nodegroup-config --cluster-name prod --nodegroup-name ng --scaling-config minSize=1,maxSize=3,desiredSize=1",
    ]);
  });

  it("offers a static Karpenter NodePool (spec.replicas) on the pool's node class, holding the spare nodes", () => {
    const withClass = prescalePlan({
      event: { name: "sale", window: { startMs: start, endMs: end } },
      workloads: [web, api].map((spec) => ({ spec, replicas: replicas.get(spec.key)! })),
      pools: [
        { pool: general, capacity: capacity[0]! },
        { pool: ng, capacity: capacity[1]! },
      ],
      marginMinutes: 15,
      clusterName: "prod",
      nodeClassRefs: { general: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" } },
    });
    const docs = parseAllDocuments(withClass.yaml.staticNodePools).map((d) => d.toJS());
    // 6 held m5.xlarge on demand, 4 for the event's pods: 2 spare, as the placeholders hold
    expect(docs).toEqual([
      {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "general-sale-static", labels: { "app.kubernetes.io/managed-by": "capacity" } },
        spec: {
          replicas: 2,
          limits: { nodes: "2" },
          template: {
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
              requirements: [
                { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m5.xlarge"] },
                { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
                { key: "topology.kubernetes.io/zone", operator: "In", values: [...general.zones] },
              ],
            },
          },
        },
      },
    ]);
    expect(withClass.commands.prescale.some((c) => c.includes("jq"))).toBe(false);
    expect(withClass.steps.map((s) => s.action)).toContain(
      "general: or, instead of the placeholders, a static NodePool general-sale-static with replicas 2 (Karpenter ≥ 1.8.0 with the StaticCapacity feature gate: alpha)",
    );
    expect(plan.yaml.staticNodePools).toBe("");
  });

  it("lists the steps by phase, each of the prescale ones at the prescale time", () => {
    expect(plan.steps.filter((s) => s.phase === "prescale").every((s) => s.atMs === plan.prescaleAtMs)).toBe(
      true,
    );
    expect(plan.steps.filter((s) => s.phase === "after").every((s) => s.atMs === end)).toBe(true);
    expect(plan.steps.map((s) => s.action)).toContain("HPA shop/web: minReplicas 2 → 12");
    expect(plan.steps.map((s) => s.action)).toContain(
      "general: 2 placeholder pods (priority −1) hold 2 spare nodes for losing a zone",
    );
  });
});
