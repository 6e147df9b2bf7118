import { describe, expect, it } from "vitest";
import { mapInventory } from "../../../src/collect/kubernetes/inventory.js";
import {
  capacityTypeOf,
  computeTypeOf,
  type Inventory,
  type K8sObject,
  mapNode,
} from "../../../src/collect/kubernetes/map.js";
import { mapClusterObjects } from "../../../src/collect/kubernetes/objects.js";
import { mapPod, ownerIndex, resolveWorkload } from "../../../src/collect/kubernetes/pods.js";
import { resolveIntOrPercent } from "../../../src/collect/kubernetes/workloads.js";
import {
  fargateNode,
  fargatePod,
  karpenterSpotNode,
  managedNodeGroupNode,
  podWithSidecarAndOom,
} from "../../fixtures/kubernetes/eks-objects.js";

const emptyInventory = (): Inventory => ({
  nodes: [],
  pods: [],
  deployments: [],
  replicasets: [],
  statefulsets: [],
  daemonsets: [],
  jobs: [],
  cronjobs: [],
  rollouts: [],
  horizontalpodautoscalers: [],
  poddisruptionbudgets: [],
});

describe("node classification", () => {
  it("reads a managed node group node: on-demand, ec2, its group, instance id and exact quantities", () => {
    const row = mapNode(managedNodeGroupNode, "prod");
    expect(row).toMatchObject({
      name: "ip-192-168-12-34.ec2.internal",
      instance_type: "m6i.xlarge",
      region: "us-east-1",
      zone: "us-east-1b",
      arch: "amd64",
      capacity_type: "on-demand",
      compute_type: "ec2",
      nodegroup: "general-od",
      nodepool: null,
      cpu_capacity_cores: 4,
      memory_capacity_bytes: 15896128n * 1024n,
      cpu_allocatable_cores: 3.92,
      pods_allocatable: 58,
      instance_id: "i-0a1b2c3d4e5f67890",
    });
  });

  it("reads a Karpenter spot node with its NodePool, taints and a region derived from the zone", () => {
    const row = mapNode(karpenterSpotNode, "prod");
    expect(row).toMatchObject({
      capacity_type: "spot",
      nodepool: "spot-general",
      region: "us-east-1",
      instance_id: "i-0fedcba9876543210",
    });
    expect(row.taints).toEqual([{ key: "karpenter.sh/disrupted", value: null, effect: "NoSchedule" }]);
  });

  it("reads a Fargate node as compute type and capacity type fargate, with no instance id", () => {
    const row = mapNode(fargateNode, "prod");
    expect(row).toMatchObject({
      capacity_type: "fargate",
      compute_type: "fargate",
      instance_type: null,
      instance_id: null,
    });
  });

  it.each([
    [{ "eks.amazonaws.com/capacityType": "SPOT" }, "spot"],
    [{ "karpenter.sh/capacity-type": "reserved" }, "reserved"],
    [{ "node.kubernetes.io/lifecycle": "spot" }, "spot"],
    [{ lifecycle: "Ec2Spot" }, "spot"],
    [{}, "unknown"],
  ])("capacity type of %j is %s", (labels, expected) => {
    expect(capacityTypeOf(labels)).toBe(expected);
  });

  it.each([
    [{ "eks.amazonaws.com/compute-type": "auto" }, "auto"],
    [{ "eks.amazonaws.com/compute-type": "hybrid" }, "hybrid"],
    [{}, "ec2"],
  ])("compute type of %j is %s", (labels, expected) => {
    expect(computeTypeOf(labels)).toBe(expected);
  });
});

describe("owner resolution", () => {
  const index = ownerIndex({
    replicasets: [
      {
        metadata: {
          namespace: "shop",
          name: "web-7d9f8c6b5",
          ownerReferences: [{ kind: "Deployment", name: "web", controller: true }],
        },
      },
      {
        metadata: {
          namespace: "shop",
          name: "canary-5f6g7h8j9",
          ownerReferences: [{ kind: "Rollout", name: "canary", controller: true }],
        },
      },
    ],
    jobs: [
      {
        metadata: {
          namespace: "batch",
          name: "nightly-29348160",
          ownerReferences: [{ kind: "CronJob", name: "nightly", controller: true }],
        },
      },
      { metadata: { namespace: "batch", name: "one-off-migration" } },
    ],
  });

  it.each([
    [
      "ReplicaSet → Deployment",
      "shop",
      { kind: "ReplicaSet", name: "web-7d9f8c6b5" },
      { kind: "Deployment", name: "web" },
    ],
    [
      "ReplicaSet → Rollout",
      "shop",
      { kind: "ReplicaSet", name: "canary-5f6g7h8j9" },
      { kind: "Rollout", name: "canary" },
    ],
    [
      "a ReplicaSet no longer listed, by its name",
      "shop",
      { kind: "ReplicaSet", name: "api-5c4b3a2d1f" },
      { kind: "Deployment", name: "api" },
    ],
    [
      "Job → CronJob",
      "batch",
      { kind: "Job", name: "nightly-29348160" },
      { kind: "CronJob", name: "nightly" },
    ],
    [
      "a Job of its own",
      "batch",
      { kind: "Job", name: "one-off-migration" },
      { kind: "Job", name: "one-off-migration" },
    ],
    [
      "a deleted CronJob's Job, by its name",
      "batch",
      { kind: "Job", name: "hourly-29348220" },
      { kind: "CronJob", name: "hourly" },
    ],
    ["StatefulSet", "data", { kind: "StatefulSet", name: "kafka" }, { kind: "StatefulSet", name: "kafka" }],
    [
      "DaemonSet",
      "kube-system",
      { kind: "DaemonSet", name: "aws-node" },
      { kind: "DaemonSet", name: "aws-node" },
    ],
    [
      "a static pod (owned by its Node)",
      "kube-system",
      { kind: "Node", name: "ip-1" },
      { kind: "Pod", name: "the-pod" },
    ],
    ["a bare pod", "default", undefined, { kind: "Pod", name: "the-pod" }],
  ])("%s", (_, namespace, owner, expected) => {
    expect(resolveWorkload(namespace, "the-pod", owner, index)).toEqual(expected);
  });
});

describe("pods and containers", () => {
  const index = ownerIndex({ replicasets: [], jobs: [] });

  it("tells init containers, native sidecars and regular containers apart, with exact quantities and the last OOM kill", () => {
    const { pod, containers } = mapPod(podWithSidecarAndOom, "prod", index);
    expect(pod).toMatchObject({
      namespace: "payments",
      workload_kind: "Deployment",
      workload_name: "ledger",
      has_empty_dir: true,
      pvc_names: ["ledger-data"],
      do_not_disrupt: true,
      termination_grace_seconds: 60,
      labels: { team: "payments" },
    });
    expect(containers.map((c) => [c.container, c.container_type])).toEqual([
      ["migrate", "init"],
      ["proxy", "sidecar"],
      ["ledger", "regular"],
    ]);
    expect(containers[2]).toMatchObject({
      cpu_request_cores: 0.25,
      cpu_limit_cores: null,
      memory_request_bytes: 536870912n,
      memory_limit_bytes: 536870912n,
      ephemeral_request_bytes: 1073741824n,
      restart_count: 7,
      last_termination_reason: "OOMKilled",
      last_termination_at: "2026-11-15T21:44:58.000Z",
    });
  });

  it("reads a Fargate pod's profile and CapacityProvisioned annotation, and copies limits into requests", () => {
    const { pod, containers } = mapPod(fargatePod, "prod", index);
    expect(pod).toMatchObject({
      fargate_profile: "fp-reports",
      capacity_provisioned: "0.25vCPU 0.5GB",
      qos_class: "Guaranteed",
    });
    expect(containers[0]).toMatchObject({
      cpu_request_cores: 0.25,
      memory_request_bytes: 268435456n,
      cpu_limit_cores: 0.25,
    });
  });

  it("reports a malformed quantity with the pod and field, and keeps the other pods", () => {
    const broken: K8sObject = structuredClone(podWithSidecarAndOom);
    broken.metadata!.name = "ledger-7c9d8e-broken";
    broken.spec.containers[0].resources.requests.memory = "512 MB";
    const inventory = { ...emptyInventory(), nodes: [managedNodeGroupNode], pods: [broken, fargatePod] };
    const rows = mapInventory(inventory, "prod");
    expect(rows.k8s_pods.map((p) => p.name)).toEqual(["statement-api-6d8f9c7b5d-x2k4p"]);
    expect(rows.problems).toEqual([
      {
        object: "pod payments/ledger-7c9d8e-broken",
        field: "spec.containers[ledger].resources.requests.memory",
        message: expect.stringContaining('"512 MB" is not a Kubernetes quantity'),
        resource: "pods",
        rule: "kubernetes-quantity",
        value: "512 MB",
      },
    ]);
  });

  it.each([
    ["a negative CPU request", "cpu", "-1", "non-negative", "-1"],
    ["a negative memory request", "memory", "-8Gi", "non-negative", "-8589934592"],
    ["a CPU beyond int64", "cpu", "1e400", "int64", "1e400"],
    ["more than 1,024 cores", "cpu", "2000", "at most 1,024 cores per container", "2000"],
    ["more than 64 TiB", "memory", "65Ti", "at most 64 TiB per container", "71468255805440"],
  ])("leaves out a pod with %s and names the rule", (_, resource, text, rule, value) => {
    const broken: K8sObject = structuredClone(podWithSidecarAndOom);
    broken.spec.containers[0].resources.requests[resource] = text;
    const rows = mapInventory({ ...emptyInventory(), nodes: [managedNodeGroupNode], pods: [broken] }, "prod");
    expect(rows.k8s_pods).toEqual([]);
    expect(rows.k8s_containers).toEqual([]);
    expect(rows.problems).toEqual([
      expect.objectContaining({
        object: "pod payments/ledger-7c9d8e-abcde",
        field: `spec.containers[ledger].resources.requests.${resource}`,
        rule,
        value,
      }),
    ]);
  });

  it("leaves out a pod whose restart count is not an integer (never a zero)", () => {
    const broken: K8sObject = structuredClone(podWithSidecarAndOom);
    broken.status.containerStatuses[0].restartCount = "many";
    const rows = mapInventory({ ...emptyInventory(), nodes: [managedNodeGroupNode], pods: [broken] }, "prod");
    expect(rows.k8s_pods).toEqual([]);
    expect(rows.problems[0]).toMatchObject({ rule: "integer", value: "many", resource: "pods" });
  });

  it("leaves out a node whose CPU is beyond 4,096 cores", () => {
    const broken: K8sObject = structuredClone(managedNodeGroupNode);
    broken.status.allocatable.cpu = "5000";
    const rows = mapInventory({ ...emptyInventory(), nodes: [broken, karpenterSpotNode] }, "prod");
    expect(rows.k8s_nodes).toHaveLength(1);
    expect(rows.problems[0]).toMatchObject({
      field: "status.allocatable.cpu",
      rule: "at most 4,096 cores per node",
      resource: "nodes",
    });
  });

  it("reports a node without capacity instead of storing zeros", () => {
    const broken: K8sObject = structuredClone(managedNodeGroupNode);
    delete broken.status.capacity.cpu;
    const rows = mapInventory({ ...emptyInventory(), nodes: [broken, karpenterSpotNode] }, "prod");
    expect(rows.k8s_nodes).toHaveLength(1);
    expect(rows.problems[0]).toMatchObject({
      object: "node ip-192-168-12-34.ec2.internal",
      field: "status.capacity.cpu",
    });
  });
});

describe("ingresses", () => {
  it("reads an Ingress's class, the Services its rules and default backend send to, and its ALB annotations", () => {
    const rows = mapInventory(emptyInventory(), "prod");
    expect(rows.k8s_workloads).toEqual([]);
    const objects = mapClusterObjects(
      {
        namespaces: [],
        persistentvolumeclaims: [],
        persistentvolumes: [],
        storageclasses: [],
        services: [],
        endpoints: [],
        endpointslices: [],
        nodepools: [],
        nodeclaims: [],
        ingresses: [
          {
            metadata: {
              namespace: "shop",
              name: "storefront",
              annotations: {
                "kubernetes.io/ingress.class": "alb",
                "alb.ingress.kubernetes.io/scheme": "internet-facing",
                "meta.helm.sh/release-name": "shop",
              },
            },
            spec: {
              defaultBackend: { service: { name: "fallback", port: { number: 80 } } },
              rules: [
                {
                  http: {
                    paths: [
                      {
                        path: "/",
                        pathType: "Prefix",
                        backend: { service: { name: "web", port: { number: 80 } } },
                      },
                      {
                        path: "/api",
                        pathType: "Prefix",
                        backend: { service: { name: "api", port: { number: 80 } } },
                      },
                      {
                        path: "/img",
                        pathType: "Prefix",
                        backend: { resource: { kind: "StorageBucket", name: "img" } },
                      },
                    ],
                  },
                },
              ],
            },
            status: {
              loadBalancer: { ingress: [{ hostname: "k8s-shop-storefro-1a2b.us-east-1.elb.amazonaws.com" }] },
            },
          },
        ],
      },
      "prod",
      [],
    );
    expect(objects.k8s_ingresses).toEqual([
      {
        cluster: "prod",
        namespace: "shop",
        name: "storefront",
        ingress_class: "alb",
        backend_services: ["api", "fallback", "web"],
        load_balancer: "k8s-shop-storefro-1a2b.us-east-1.elb.amazonaws.com",
        annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing" },
        created_at: null,
      },
    ]);
  });
});

describe("workloads", () => {
  it("resolves HPA and PDB to the workload they govern, with percentages turned into pods", () => {
    const inventory: Inventory = {
      ...emptyInventory(),
      deployments: [
        {
          metadata: { namespace: "shop", name: "frontend", labels: {} },
          spec: {
            replicas: 5,
            selector: { matchLabels: { app: "frontend" } },
            template: { metadata: { labels: { app: "frontend", tier: "web" } } },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
          },
          status: { readyReplicas: 5 },
        },
      ],
      horizontalpodautoscalers: [
        {
          metadata: { namespace: "shop", name: "frontend" },
          spec: {
            scaleTargetRef: { kind: "Deployment", name: "frontend" },
            minReplicas: 4,
            maxReplicas: 16,
            metrics: [
              {
                type: "Resource",
                resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
              },
            ],
          },
        },
      ],
      poddisruptionbudgets: [
        {
          metadata: { namespace: "shop", name: "frontend" },
          spec: { minAvailable: "50%", selector: { matchLabels: { app: "frontend" } } },
        },
      ],
    };
    const rows = mapInventory(inventory, "prod");
    expect(rows.k8s_workloads[0]).toMatchObject({
      kind: "Deployment",
      name: "frontend",
      replicas_desired: 5,
      hpa_min_replicas: 4,
      hpa_max_replicas: 16,
      hpa_metrics: [{ type: "Resource", name: "cpu", targetType: "Utilization", target: 70 }],
      pdb_name: "frontend",
      pdb_min_available: 3,
      strategy: { type: "RollingUpdate", maxSurge: "25%", maxUnavailable: 0 },
    });
  });

  it("keeps the capacity.io/* annotations of a workload and its pod template (the workload's own decide) and of a pod", () => {
    const inventory: Inventory = {
      ...emptyInventory(),
      deployments: [
        {
          metadata: {
            namespace: "shop",
            name: "checkout",
            annotations: { "capacity.io/spot-ready": "false", "deployment.kubernetes.io/revision": "7" },
          },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: "checkout" } },
            template: {
              metadata: {
                labels: { app: "checkout" },
                annotations: { "capacity.io/spot-ready": "true", "capacity.io/team": "payments" },
              },
            },
          },
          status: { readyReplicas: 2 },
        },
      ],
    };
    const rows = mapInventory(inventory, "prod");
    expect(rows.k8s_workloads[0]!.annotations).toEqual({
      "capacity.io/spot-ready": "false",
      "capacity.io/team": "payments",
    });
    const annotated: K8sObject = structuredClone(fargatePod);
    annotated.metadata!.annotations = {
      ...annotated.metadata!.annotations,
      "capacity.io/spot-ready": "true",
    };
    const { pod } = mapPod(annotated, "prod", ownerIndex({ replicasets: [], jobs: [] }));
    expect(pod.annotations).toEqual({ "capacity.io/spot-ready": "true" });
  });

  it("makes a bare pod a workload of its own", () => {
    const pod: K8sObject = {
      ...structuredClone(fargatePod),
      metadata: { ...fargatePod.metadata, ownerReferences: [] },
    };
    const rows = mapInventory({ ...emptyInventory(), pods: [pod] }, "prod");
    expect(rows.k8s_workloads).toEqual([
      expect.objectContaining({ kind: "Pod", name: "statement-api-6d8f9c7b5d-x2k4p", replicas_desired: 1 }),
    ]);
  });

  it.each([
    [2, 10, 2],
    ["2", 10, 2],
    ["50%", 5, 3],
    ["10%", 3, 1],
  ])("resolves %j of %d replicas to %d pods", (value, replicas, expected) => {
    expect(resolveIntOrPercent(value, replicas, "pdb x", "spec.minAvailable")).toBe(expected);
  });

  it("refuses a PDB value that is neither a count nor a percentage", () => {
    expect(() => resolveIntOrPercent("half", 4, "poddisruptionbudget shop/web", "spec.minAvailable")).toThrow(
      'poddisruptionbudget shop/web: spec.minAvailable: "half" is neither a count nor a percentage',
    );
  });
});

describe("lead-time timestamps (migration 0011)", () => {
  it("reads when a node became Ready: the Ready condition's lastTransitionTime while True, else null", () => {
    const ready = structuredClone(managedNodeGroupNode);
    ready.status.conditions = [
      { type: "MemoryPressure", status: "False", lastTransitionTime: "2026-11-20T10:00:05Z" },
      { type: "Ready", status: "True", lastTransitionTime: "2026-11-20T10:01:12Z" },
    ];
    expect(mapNode(ready, "prod").ready_at).toBe("2026-11-20T10:01:12.000Z");
    ready.status.conditions[1].status = "False";
    expect(mapNode(ready, "prod").ready_at).toBeNull();
    delete ready.status.conditions;
    expect(mapNode(ready, "prod").ready_at).toBeNull();
  });

  it("reads when a pod was scheduled and when its last container started, and no start after a restart", () => {
    const pod = structuredClone(fargatePod);
    pod.status.conditions = [
      { type: "PodScheduled", status: "True", lastTransitionTime: "2026-11-20T10:00:03Z" },
    ];
    pod.status.containerStatuses = [
      { name: "a", restartCount: 0, state: { running: { startedAt: "2026-11-20T10:00:40Z" } } },
      { name: "b", restartCount: 0, state: { running: { startedAt: "2026-11-20T10:00:55Z" } } },
    ];
    const { pod: row } = mapPod(pod, "prod", ownerIndex(emptyInventory()));
    expect(row.scheduled_at).toBe("2026-11-20T10:00:03.000Z");
    expect(row.containers_started_at).toBe("2026-11-20T10:00:55.000Z");
    pod.status.containerStatuses[0].restartCount = 1;
    expect(mapPod(pod, "prod", ownerIndex(emptyInventory())).pod.containers_started_at).toBeNull();
    pod.status.containerStatuses[0] = {
      name: "a",
      restartCount: 0,
      state: { waiting: { reason: "ContainerCreating" } },
    };
    expect(mapPod(pod, "prod", ownerIndex(emptyInventory())).pod.containers_started_at).toBeNull();
  });
});

describe("Karpenter node classes (migration 0011)", () => {
  it("keeps a NodePool's template nodeClassRef, and null when it has none", () => {
    const ref = { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" };
    const pool = (name: string, template: object) => ({
      metadata: { name },
      spec: { template: { spec: template } },
    });
    const rows = mapClusterObjects(
      {
        namespaces: [],
        persistentvolumeclaims: [],
        persistentvolumes: [],
        storageclasses: [],
        services: [],
        endpoints: [],
        endpointslices: [],
        nodepools: [pool("general", { nodeClassRef: ref, requirements: [] }), pool("bare", {})],
        nodeclaims: [],
        ingresses: [],
      },
      "prod",
      [],
    );
    expect(rows.k8s_karpenter.map((r) => [r.name, r.node_class_ref])).toEqual([
      ["general", ref],
      ["bare", null],
    ]);
  });
});
