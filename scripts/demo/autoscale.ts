/**
 * PLANTED for issue 21 (autoscaler health, the off-peak floor): objects added to the generated demo
 * bundle by generate.ts once the cluster's own are written, with their own random stream so that
 * nothing the generator drew before moves. Asserted by test/e2e/autoscale-demo.test.ts.
 *
 * - node group `batch-od` (3 × m6i.large, minSize 3): `batch/export-worker`, 8 replicas of 500m
 *   held flat through the night while its demand follows the shop's daily curve; the off-peak
 *   re-pack needs one node at night, and the node group's minimum keeps the other two;
 * - `batch/queue-consumer` there too, scaled by an HPA on an external metric that no adapter
 *   serves: ScalingActive=False, FailedGetExternalMetric (external.metrics.k8s.io is missing);
 * - node group `ci-od` (2 × m6i.large, maxSize 2): `ci/build-runner`, an HPA that wants more
 *   runners than two nodes hold at the busy hours; the ones that do not fit stay Pending, as
 *   kube_pod_status_phase{phase="Pending"} records them (prometheus/<cluster>/pending_pods_hourly.csv);
 * - every HPA's status conditions as the controller sets them (AbleToScale, ScalingActive,
 *   ScalingLimited); shop/price-alerts has no CPU request: ScalingActive=False,
 *   FailedGetResourceMetric.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { allocatable, kubeReservedCpuCores } from "../../src/core/eks/allocatable.js";
import { podNeed } from "../../src/core/eks/fargate.js";
import { parseBytes, parseCores } from "../../src/core/quantity.js";
import type { DemoInputs, DemoNode, DemoPeriod } from "./generate.js";
import { traffic } from "./generate.js";
import { seeded } from "./random.js";

type Files = Map<string, string | Buffer>;
// biome-ignore lint/suspicious/noExplicitAny: Kubernetes documents.
type Doc = any;

const HOUR_MS = 3_600_000;
const GI = 1024 ** 3;
const NODE_TYPE = "m6i.large";
const CREATED = "2026-10-05T08:14:00Z";
/** The teams the planted workloads belong to: `batch` is the data team's namespace already. */
const TEAMS: Record<string, string> = { batch: "data", ci: "platform" };

/** The planted node groups: their EKS sizes and how many nodes run. */
export const AUTOSCALE_NODEGROUPS = {
  "batch-od": { nodes: 3, minSize: 3, maxSize: 6 },
  "ci-od": { nodes: 2, minSize: 1, maxSize: 2 },
} as const;

/** The flat workload of batch-od: replicas, CPU request and CPU use per pod at traffic 1.0. */
export const EXPORT_WORKER = { replicas: 8, cpuRequestCores: 0.5, cpuPerPodCores: 0.35 } as const;
/** build-runner's HPA and what its runners need: CPU cores of demand at traffic 1.0. */
export const BUILD_RUNNER = {
  min: 2,
  max: 8,
  cpuUtilization: 70,
  cpuRequestCores: 0.75,
  demandCores: 2.2,
} as const;

/** The replicas build-runner's HPA asks for at hour h of the window (desired = ceil(demand / (request × target))). */
export function buildRunnersWanted(h: number, period: DemoPeriod): number {
  const perPod = (BUILD_RUNNER.cpuRequestCores * BUILD_RUNNER.cpuUtilization) / 100;
  const desired = Math.ceil((BUILD_RUNNER.demandCores * traffic(h, period)) / perPod - 1e-9);
  return Math.min(BUILD_RUNNER.max, Math.max(BUILD_RUNNER.min, desired));
}

interface Planted {
  /** The planted nodes, for the bill. */
  nodes: DemoNode[];
  /** Pods added to pods.json. */
  pods: number;
  /** Adds the planted node groups to the EKS answers (after generate.ts wrote them). */
  addNodegroups(files: Files): void;
}

export function plantAutoscale(
  files: Files,
  g: {
    cluster: { name: string; region: string };
    start: number;
    end: number;
    period: DemoPeriod;
    inputs: DemoInputs;
    seed: number;
  },
): Planted {
  const rnd = seeded(g.seed + 21);
  const k8s = `kubernetes/${g.cluster.name}`;
  const HOURS = (g.end - g.start) / HOUR_MS;
  const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
  const uid = () => `${rnd.hex(8)}-${rnd.hex(4)}-4${rnd.hex(3)}-a${rnd.hex(3)}-${rnd.hex(12)}`;
  const edit = (resource: string, change: (doc: Doc) => void) => {
    const path = `${k8s}/${resource}.json`;
    const doc = JSON.parse(files.get(path) as string);
    change(doc);
    files.set(path, `${JSON.stringify(doc, null, 1)}\n`);
  };
  const items = (resource: string): Doc[] => JSON.parse(files.get(`${k8s}/${resource}.json`) as string).items;
  const usagePath = `prometheus/${g.cluster.name}/usage_hourly.csv.gz`;
  const usage = gunzipSync(files.get(usagePath) as Buffer)
    .toString("utf8")
    .trimEnd()
    .split("\n");
  const f = (x: number) => (Math.round(x * 1e5) / 1e5).toString();

  // --- nodes ----------------------------------------------------------------------------------
  const spec = g.inputs.instanceTypes.get(NODE_TYPE)!;
  const memoryBytes = Math.floor((spec.memoryGib * 1024 * 1024 * 0.9465) / 4) * 4 * 1024;
  const alloc = allocatable({ vcpu: spec.vcpu, memoryBytes, maxPods: spec.maxPodsMng });
  const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
  const nodes: DemoNode[] = [];
  const groupOf = new Map<string, string>();
  const onNodes = (group: string) => nodes.filter((n) => groupOf.get(n.name) === group);
  for (const [group, size] of Object.entries(AUTOSCALE_NODEGROUPS)) {
    for (let i = 0; i < size.nodes; i++) {
      const name = `ip-10-0-${rnd.int(192, 223)}-${rnd.int(2, 254)}.ec2.internal`;
      groupOf.set(name, group);
      nodes.push({
        name,
        pool: "od",
        instanceType: NODE_TYPE,
        zone: zones[i % 3]!,
        createdAt: Date.parse(CREATED) + i * 7 * 60_000,
        capacityType: "on-demand",
        cpu: spec.vcpu,
        memoryBytes,
        allocCpu: spec.vcpu - kubeReservedCpuCores(spec.vcpu),
        allocMemory: alloc.memoryBytes,
        maxPods: spec.maxPodsMng,
        freeCpu: 0,
        freeMemory: 0,
        freePods: 0,
        instanceId: `i-0${rnd.hex(16)}`,
      });
    }
  }
  edit("nodes", (doc) => {
    const template = doc.items.find(
      (n: Doc) => n.metadata.labels["eks.amazonaws.com/nodegroup"] === "general-od",
    );
    for (const n of nodes) {
      const labels = {
        ...template.metadata.labels,
        "kubernetes.io/hostname": n.name,
        "topology.kubernetes.io/zone": n.zone,
        "node.kubernetes.io/instance-type": NODE_TYPE,
        "beta.kubernetes.io/instance-type": NODE_TYPE,
        "eks.amazonaws.com/nodegroup": groupOf.get(n.name),
      };
      doc.items.push({
        ...template,
        metadata: { name: n.name, uid: uid(), creationTimestamp: iso(n.createdAt), labels },
        spec: { providerID: `aws:///${n.zone}/${n.instanceId}` },
        status: {
          ...template.status,
          capacity: {
            ...template.status.capacity,
            cpu: String(n.cpu),
            memory: `${n.memoryBytes / 1024}Ki`,
            pods: String(n.maxPods),
          },
          allocatable: {
            ...template.status.allocatable,
            cpu: `${Math.round(n.allocCpu * 1000)}m`,
            memory: `${Math.floor(n.allocMemory / 1024)}Ki`,
            pods: String(n.maxPods),
          },
        },
      });
    }
  });

  // --- DaemonSet pods: the ones a general-od node runs, on each planted node too -------------------
  const pods = items("pods");
  const source = items("nodes").find((n) => n.metadata.labels["eks.amazonaws.com/nodegroup"] === "general-od")
    .metadata.name;
  const dsPods = pods.filter(
    (p) => p.metadata.ownerReferences?.[0]?.kind === "DaemonSet" && p.spec.nodeName === source,
  );
  const ds = dsRequests(dsPods);
  const free = new Map(
    nodes.map((n) => [n.name, { cpu: n.allocCpu - ds.cpu, memory: n.allocMemory - ds.memory }]),
  );
  /** The node the scheduler's least-allocated scoring picks among the group's, its requests taken. */
  const place = (group: string, cpu: number, memory: number, what: string) => {
    const fits = onNodes(group).filter(
      (n) => free.get(n.name)!.cpu >= cpu && free.get(n.name)!.memory >= memory,
    );
    if (!fits.length) throw new Error(`demo: no ${group} node fits ${what}`);
    const node = fits.reduce((best, n) => (free.get(n.name)!.cpu > free.get(best.name)!.cpu ? n : best));
    free.get(node.name)!.cpu -= cpu;
    free.get(node.name)!.memory -= memory;
    return node;
  };
  const added: Doc[] = [];
  for (const n of nodes) {
    for (const p of dsPods) {
      const name = `${p.metadata.ownerReferences[0].name}-${rnd.alnum(5)}`;
      added.push({
        ...p,
        metadata: { ...p.metadata, name, uid: uid() },
        spec: { ...p.spec, nodeName: n.name },
        status: {
          ...p.status,
          hostIP: n.name.replace(/^ip-/, "").replace(".ec2.internal", "").replaceAll("-", "."),
        },
      });
      const rows = usage.filter((l) => l.split(",")[2] === p.metadata.name);
      for (const l of rows) {
        const c = l.split(",");
        c[2] = name;
        c[4] = n.name;
        usage.push(c.join(","));
      }
    }
  }
  edit("daemonsets", (doc) => {
    for (const d of doc.items) {
      d.status.desiredNumberScheduled += nodes.length;
      d.status.currentNumberScheduled += nodes.length;
      d.status.numberReady += nodes.length;
    }
  });

  // --- workloads ------------------------------------------------------------------------------
  const deployments: Doc[] = [];
  const replicaSets: Doc[] = [];
  const hpas: Doc[] = [];
  const pending: string[] = [];
  const deployment = (
    namespace: string,
    name: string,
    c: { cpu: number; memoryGi: number; cpuAt: (h: number, running: number) => number },
    replicasAt: (h: number) => number,
    runnable: number,
    hpa?: Doc,
  ) => {
    const hash = rnd.alnum(10);
    const labels = {
      "app.kubernetes.io/name": name,
      "app.kubernetes.io/part-of": namespace,
      team: TEAMS[namespace]!,
    };
    const resources = {
      requests: { cpu: `${Math.round(c.cpu * 1000)}m`, memory: `${c.memoryGi}Gi` },
      limits: { memory: `${c.memoryGi}Gi` },
    };
    const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/${namespace}/${name}:1.${name.length}.0`;
    const now = replicasAt(HOURS - 1);
    const running = Math.min(now, runnable);
    const selector = { matchLabels: { "app.kubernetes.io/name": name } };
    const template = { metadata: { labels }, spec: { containers: [{ name, image, resources }] } };
    deployments.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace, uid: uid(), creationTimestamp: CREATED, labels },
      spec: { replicas: now, selector, template, strategy: { type: "RollingUpdate" } },
      status: { replicas: now, readyReplicas: running, availableReplicas: running },
    });
    replicaSets.push({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${name}-${hash}`,
        namespace,
        uid: uid(),
        creationTimestamp: CREATED,
        labels: { ...labels, "pod-template-hash": hash },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name, uid: uid(), controller: true }],
      },
      spec: { replicas: now, selector },
      status: { replicas: now, readyReplicas: running },
    });
    if (hpa) hpas.push({ ...hpa, metadata: { name, namespace, uid: uid(), creationTimestamp: CREATED } });
    // Each replica slot: a pod from the hour its ordinal is wanted until it is not, on the node
    // its slot was placed on, Pending beyond `runnable` (no node of the group has room).
    const group = namespace === "ci" ? "ci-od" : "batch-od";
    const slots = Math.max(...Array.from({ length: HOURS }, (_, h) => replicasAt(h)));
    for (let ordinal = 0; ordinal < slots; ordinal++) {
      let podName: string | undefined;
      const node =
        ordinal < runnable
          ? place(group, c.cpu, c.memoryGi * GI, `${namespace}/${name} #${ordinal}`)
          : undefined;
      for (let h = 0; h < HOURS; h++) {
        if (ordinal >= replicasAt(h)) {
          podName = undefined;
          continue;
        }
        podName ??= `${name}-${hash}-${rnd.alnum(5)}`;
        const hour = iso(g.start + h * HOUR_MS);
        if (!node) {
          pending.push([hour, namespace, podName, "Deployment", name, "1"].join(","));
          continue;
        }
        const running = Math.min(replicasAt(h), runnable);
        const samples = Array.from({ length: 12 }, () =>
          Math.max(0.0005, c.cpuAt(h, running) * (1 + 0.1 * rnd.normal())),
        );
        const sorted = [...samples].sort((a, b) => a - b);
        const memory = Math.round(c.memoryGi * GI * (0.45 + 0.02 * rnd.next()));
        usage.push(
          [
            hour,
            namespace,
            podName,
            name,
            node.name,
            "Deployment",
            name,
            f(samples.reduce((a, b) => a + b, 0) / samples.length),
            f(sorted[11]!),
            f(sorted[11]!),
            memory,
            memory,
            c.cpu,
            c.memoryGi * GI,
            "",
            0,
            0,
            12,
          ].join(","),
        );
        if (h === HOURS - 1)
          added.push({
            apiVersion: "v1",
            kind: "Pod",
            metadata: {
              name: podName,
              namespace,
              uid: uid(),
              creationTimestamp: iso(g.start + h * HOUR_MS - rnd.int(0, 3) * 3_600_000),
              labels: { ...labels, "pod-template-hash": hash },
              annotations: {},
              ownerReferences: [
                {
                  apiVersion: "apps/v1",
                  kind: "ReplicaSet",
                  name: `${name}-${hash}`,
                  uid: uid(),
                  controller: true,
                },
              ],
            },
            spec: {
              containers: [{ name, image, resources }],
              nodeName: node.name,
              schedulerName: "default-scheduler",
              restartPolicy: "Always",
            },
            status: {
              phase: "Running",
              qosClass: "Burstable",
              containerStatuses: [
                {
                  name,
                  image,
                  ready: true,
                  restartCount: 0,
                  started: true,
                  state: { running: { startedAt: iso(g.start + h * HOUR_MS) } },
                },
              ],
            },
          });
      }
    }
  };

  // PLANTED: held flat at 8 replicas (no HPA) while its demand follows the daily curve.
  deployment(
    "batch",
    "export-worker",
    {
      cpu: EXPORT_WORKER.cpuRequestCores,
      memoryGi: 1,
      cpuAt: (h) => EXPORT_WORKER.cpuPerPodCores * traffic(h, g.period),
    },
    () => EXPORT_WORKER.replicas,
    EXPORT_WORKER.replicas,
  );
  // PLANTED: an HPA on an external metric no adapter serves: it never computes a replica count.
  deployment("batch", "queue-consumer", { cpu: 0.25, memoryGi: 0.5, cpuAt: () => 0.06 }, () => 2, 2, {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "queue-consumer" },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: "External",
          external: {
            metric: {
              name: "sqs_approximate_number_of_messages_visible",
              selector: { matchLabels: { queue: "exports" } },
            },
            target: { type: "AverageValue", averageValue: "30" },
          },
        },
      ],
    },
    status: { currentReplicas: 2, desiredReplicas: 2 },
  });
  // PLANTED: two nodes (maxSize 2) hold four runners; the HPA wants up to eight at the busy hours.
  const perNode = Math.floor(
    Math.min(
      (nodes[0]!.allocCpu - ds.cpu) / BUILD_RUNNER.cpuRequestCores,
      (nodes[0]!.allocMemory - ds.memory) / GI,
    ),
  );
  const runnable = perNode * AUTOSCALE_NODEGROUPS["ci-od"].nodes;
  const wanted = (h: number) => buildRunnersWanted(h, g.period);
  // The snapshot holds no Pending runner: only the history shows them.
  if (wanted(HOURS - 1) > runnable) throw new Error("demo: build-runner must fit at the snapshot hour");
  deployment(
    "ci",
    "build-runner",
    {
      cpu: BUILD_RUNNER.cpuRequestCores,
      memoryGi: 1,
      cpuAt: (h, running) => (BUILD_RUNNER.demandCores * traffic(h, g.period)) / running,
    },
    wanted,
    runnable,
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "build-runner" },
        minReplicas: BUILD_RUNNER.min,
        maxReplicas: BUILD_RUNNER.max,
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: { type: "Utilization", averageUtilization: BUILD_RUNNER.cpuUtilization },
            },
          },
        ],
      },
      status: { currentReplicas: wanted(HOURS - 1), desiredReplicas: wanted(HOURS - 1) },
    },
  );

  edit("deployments", (doc) => doc.items.push(...deployments));
  edit("replicasets", (doc) => doc.items.push(...replicaSets));
  edit("pods", (doc) => doc.items.push(...added));
  edit("namespaces", (doc) => {
    const known = new Set(doc.items.map((n: Doc) => n.metadata.name));
    for (const name of Object.keys(TEAMS).filter((n) => !known.has(n)))
      doc.items.push({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, uid: uid(), labels: { "kubernetes.io/metadata.name": name } },
        status: { phase: "Active" },
      });
    doc.items.sort((a: Doc, b: Doc) => a.metadata.name.localeCompare(b.metadata.name));
  });
  edit("horizontalpodautoscalers", (doc) => {
    doc.items.push(...hpas);
    const deploymentsNow = [...items("deployments"), ...deployments];
    for (const hpa of doc.items) hpa.status.conditions = conditionsOf(hpa, deploymentsNow, pods);
  });
  files.set(usagePath, gzipSync(`${usage.join("\n")}\n`, { level: 9 }));
  files.set(
    `prometheus/${g.cluster.name}/pending_pods_hourly.csv`,
    `${["hour,namespace,pod,workload_kind,workload_name,pending_ratio", ...pending].join("\n")}\n`,
  );

  return {
    nodes,
    pods: added.length,
    addNodegroups(out) {
      const path = `aws/${g.cluster.name}/eks.json`;
      const answers = JSON.parse(out.get(path) as string);
      const template = answers.nodegroups[0];
      for (const [name, size] of Object.entries(AUTOSCALE_NODEGROUPS)) {
        answers.nodegroups.push({
          ...template,
          nodegroupName: name,
          nodegroupArn: template.nodegroupArn.replace("/general-od/", `/${name}/`),
          createdAt: "2026-10-05T08:02:11.000Z",
          scalingConfig: { minSize: size.minSize, maxSize: size.maxSize, desiredSize: size.nodes },
          instanceTypes: [NODE_TYPE],
        });
      }
      out.set(path, `${JSON.stringify(answers, null, 1)}\n`);
    },
  };
}

/** What a node's DaemonSet pods reserve, as the scheduler counts each pod (init containers included). */
function dsRequests(pods: Doc[]): { cpu: number; memory: number } {
  const where = { object: "demo DaemonSet pod", field: "requests" };
  let cpu = 0;
  let memory = 0;
  for (const p of pods) {
    const containers = [
      ...(p.spec.initContainers ?? []).map((c: Doc) => ({
        c,
        type: c.restartPolicy === "Always" ? "sidecar" : "init",
      })),
      ...p.spec.containers.map((c: Doc) => ({ c, type: "regular" })),
    ];
    const need = podNeed(
      containers.map(({ c, type }: Doc) => ({
        type,
        cpuCores: c.resources?.requests?.cpu ? parseCores(c.resources.requests.cpu, where) : 0,
        memoryBytes: c.resources?.requests?.memory
          ? Number(parseBytes(c.resources.requests.memory, where))
          : 0,
      })),
    );
    cpu += need.cpuCores;
    memory += need.memoryBytes;
  }
  return { cpu, memory };
}

/**
 * The conditions the HPA controller sets: AbleToScale (it could read and set the scale),
 * ScalingActive (it computed a replica count from its metrics, or why not) and ScalingLimited
 * (the count it wanted was clamped to min or max).
 */
function conditionsOf(hpa: Doc, deployments: Doc[], pods: Doc[]): Doc[] {
  const at = hpa.metadata.creationTimestamp;
  const target = deployments.find(
    (d) =>
      d.metadata.namespace === hpa.metadata.namespace && d.metadata.name === hpa.spec.scaleTargetRef.name,
  );
  const containers: Doc[] = target?.spec.template.spec.containers ?? [];
  const external = hpa.spec.metrics.find((m: Doc) => m.type === "External");
  const noCpuRequest = containers.find((c) => !c.resources?.requests?.cpu);
  const pod = pods.find(
    (p) =>
      p.metadata.namespace === hpa.metadata.namespace &&
      p.metadata.name.startsWith(`${hpa.spec.scaleTargetRef.name}-`),
  );
  const active = external
    ? {
        status: "False",
        reason: "FailedGetExternalMetric",
        message: `the HPA was unable to compute the replica count: unable to get external metric ${hpa.metadata.namespace}/${external.external.metric.name}/&LabelSelector{MatchLabels:map[string]string{queue: exports,},MatchExpressions:[]LabelSelectorRequirement{},}: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${external.external.metric.name}.external.metrics.k8s.io)`,
      }
    : noCpuRequest
      ? {
          status: "False",
          reason: "FailedGetResourceMetric",
          message: `the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container ${noCpuRequest.name} of Pod ${pod?.metadata.name ?? hpa.spec.scaleTargetRef.name}`,
        }
      : {
          status: "True",
          reason: "ValidMetricFound",
          message:
            "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
        };
  const current = hpa.status.currentReplicas;
  const limited =
    active.status === "False"
      ? {
          status: "False",
          reason: "DesiredWithinRange",
          message: "the desired count is within the acceptable range",
        }
      : current >= hpa.spec.maxReplicas
        ? {
            status: "True",
            reason: "TooManyReplicas",
            message: "the desired replica count is more than the maximum replica count",
          }
        : current <= (hpa.spec.minReplicas ?? 1)
          ? {
              status: "True",
              reason: "TooFewReplicas",
              message: "the desired replica count is less than the minimum replica count",
            }
          : {
              status: "False",
              reason: "DesiredWithinRange",
              message: "the desired count is within the acceptable range",
            };
  return [
    {
      type: "AbleToScale",
      status: "True",
      lastTransitionTime: at,
      reason: "ReadyForNewScale",
      message: "recommended size matches current size",
    },
    { type: "ScalingActive", lastTransitionTime: at, ...active },
    { type: "ScalingLimited", lastTransitionTime: at, ...limited },
  ];
}
