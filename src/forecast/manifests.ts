/**
 * The Kubernetes objects of a pre-scale plan, as plain objects (plan.ts turns them into YAML):
 * a CronJob pair that raises HPAs' `minReplicas` before the event and restores them after (with
 * the ServiceAccount and the per-namespace Role it needs), or the same as a KEDA ScaledObject with
 * a `cron` trigger; the PriorityClass and placeholder (pause) Deployments that hold headroom;
 * merge patches for HPAs and NodePools.
 */

export type K8sObject = Record<string, unknown>;

export interface HpaChange {
  namespace: string;
  /** The HPA's name. */
  hpa: string;
  /** The workload it scales, for KEDA's `scaleTargetRef`. */
  target: { kind: string; name: string; apiVersion: string };
  resource: "cpu" | "memory";
  targetUtilizationPercent: number;
  minReplicas: { from: number; to: number };
  maxReplicas: { from: number; to: number };
}

export interface ManifestOptions {
  /** Namespace of the plan's own objects (the CronJobs, placeholders). */
  namespace: string;
  /** An image whose entrypoint path has `kubectl`. */
  kubectlImage: string;
  pauseImage: string;
}

export const DEFAULT_MANIFESTS: ManifestOptions = {
  namespace: "capacity",
  kubectlImage: "registry.k8s.io/kubectl:v1.33.0",
  pauseImage: "registry.k8s.io/pause:3.10",
};

export const PRIORITY_CLASS = "capacity-headroom";

/** `m h d M *` for a UTC instant (minute precision): CronJobs and KEDA both read it in Etc/UTC. */
export function cronAt(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
}

const restricted = {
  runAsNonRoot: true,
  runAsUser: 65532,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

export const hpaPatch = (change: Partial<{ minReplicas: number; maxReplicas: number }>): K8sObject => ({
  spec: change,
});

function patchJob(
  name: string,
  atMs: number,
  changes: readonly HpaChange[],
  to: "to" | "from",
  o: ManifestOptions,
): K8sObject {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: o.namespace, labels: { "app.kubernetes.io/managed-by": "capacity" } },
    spec: {
      schedule: cronAt(atMs),
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        spec: {
          backoffLimit: 3,
          template: {
            spec: {
              serviceAccountName: "capacity-prescale",
              restartPolicy: "OnFailure",
              containers: changes.map((c, i) => ({
                name: `hpa-${i}`,
                image: o.kubectlImage,
                command: ["kubectl"],
                args: [
                  "patch",
                  "hpa",
                  c.hpa,
                  "--namespace",
                  c.namespace,
                  "--type",
                  "merge",
                  "--patch",
                  JSON.stringify(hpaPatch({ minReplicas: c.minReplicas[to] })),
                ],
                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                securityContext: restricted,
              })),
            },
          },
        },
      },
    },
  };
}

/** The ServiceAccount, a Role and RoleBinding per namespace, and the raise/restore CronJobs. */
export function cronJobPair(
  event: string,
  raiseAtMs: number,
  restoreAtMs: number,
  changes: readonly HpaChange[],
  o: ManifestOptions = DEFAULT_MANIFESTS,
): K8sObject[] {
  const namespaces = [...new Set(changes.map((c) => c.namespace))].sort();
  const rbac = namespaces.flatMap((ns) => [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "capacity-prescale", namespace: ns },
      rules: [
        {
          apiGroups: ["autoscaling"],
          resources: ["horizontalpodautoscalers"],
          resourceNames: [...new Set(changes.filter((c) => c.namespace === ns).map((c) => c.hpa))].sort(),
          verbs: ["get", "patch"],
        },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "capacity-prescale", namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "capacity-prescale" },
      subjects: [{ kind: "ServiceAccount", name: "capacity-prescale", namespace: o.namespace }],
    },
  ]);
  return [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "capacity-prescale", namespace: o.namespace },
    },
    ...rbac,
    patchJob(`prescale-${event}-raise`, raiseAtMs, changes, "to", o),
    patchJob(`prescale-${event}-restore`, restoreAtMs, changes, "from", o),
  ];
}

/**
 * A KEDA ScaledObject taking over the HPA (KEDA's `transfer-hpa-ownership`): its resource trigger
 * as before, plus a `cron` trigger that holds `desiredReplicas` from `startMs` to `endMs`.
 */
export function kedaScaledObject(change: HpaChange, startMs: number, endMs: number): K8sObject {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: {
      name: change.hpa,
      namespace: change.namespace,
      annotations: { "scaledobject.keda.sh/transfer-hpa-ownership": "true" },
    },
    spec: {
      scaleTargetRef: change.target,
      minReplicaCount: change.minReplicas.from,
      maxReplicaCount: change.maxReplicas.to,
      advanced: { horizontalPodAutoscalerConfig: { name: change.hpa } },
      triggers: [
        {
          type: change.resource,
          metricType: "Utilization",
          metadata: { value: String(change.targetUtilizationPercent) },
        },
        {
          type: "cron",
          metadata: {
            timezone: "Etc/UTC",
            start: cronAt(startMs),
            end: cronAt(endMs),
            desiredReplicas: String(change.minReplicas.to),
          },
        },
      ],
    },
  };
}

export function priorityClass(): K8sObject {
  return {
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: { name: PRIORITY_CLASS },
    value: -1,
    globalDefault: false,
    preemptionPolicy: "Never",
    description: "Placeholders that hold spare nodes; any real pod preempts them.",
  };
}

/** Placeholder pods of priority −1, each sized to hold one node of the pool. */
export function headroomDeployment(
  event: string,
  pool: string,
  replicas: number,
  request: { cpuMillicores: number; memoryBytes: number },
  nodeSelector: Readonly<Record<string, string>>,
  o: ManifestOptions = DEFAULT_MANIFESTS,
): K8sObject {
  const name = `headroom-${event}-${pool}`;
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "capacity" };
  const resources = {
    cpu: `${request.cpuMillicores}m`,
    memory: `${Math.floor(request.memoryBytes / 2 ** 20)}Mi`,
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: o.namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          priorityClassName: PRIORITY_CLASS,
          terminationGracePeriodSeconds: 0,
          nodeSelector: { ...nodeSelector },
          containers: [
            {
              name: "pause",
              image: o.pauseImage,
              resources: { requests: resources, limits: resources },
              securityContext: restricted,
            },
          ],
        },
      },
    },
  };
}

/** A NodePool merge patch raising its `limits` (CPU in cores, memory in Gi, rounded up). */
export function nodePoolLimitsPatch(limits: { cpuCores?: number; memoryBytes?: number }): K8sObject {
  const out: Record<string, string> = {};
  if (limits.cpuCores !== undefined) out.cpu = String(Math.ceil(limits.cpuCores));
  if (limits.memoryBytes !== undefined) out.memory = `${Math.ceil(limits.memoryBytes / 2 ** 30)}Gi`;
  return { spec: { limits: out } };
}

/** A NodePool's template.spec.nodeClassRef, as collected (k8s_karpenter.node_class_ref). */
export interface NodeClassRef {
  group?: string;
  kind?: string;
  name: string;
}

/**
 * Karpenter's static capacity: a NodePool with `spec.replicas` keeps that many nodes whatever the
 * pods (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go, since v1.8.0; alpha, behind the
 * `StaticCapacity` feature gate). A NodePool cannot move between static and dynamic, and a static
 * one takes only `limits.nodes` and no `weight`: so this is a new NodePool beside the dynamic one,
 * on its node class, pinned to the types and capacity types the simulation held, deleted after.
 */
export function staticNodePool(
  event: string,
  pool: string,
  replicas: number,
  nodes: { instanceTypes: readonly string[]; capacityTypes: readonly string[]; zones: readonly string[] },
  nodeClassRef: NodeClassRef,
): K8sObject {
  const requirement = (key: string, values: readonly string[]) => ({
    key,
    operator: "In",
    values: [...values],
  });
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: {
      name: staticNodePoolName(event, pool),
      labels: { "app.kubernetes.io/managed-by": "capacity" },
    },
    spec: {
      replicas,
      limits: { nodes: String(replicas) },
      template: {
        spec: {
          nodeClassRef: { ...nodeClassRef },
          requirements: [
            requirement("node.kubernetes.io/instance-type", nodes.instanceTypes),
            requirement("karpenter.sh/capacity-type", nodes.capacityTypes),
            ...(nodes.zones.length ? [requirement("topology.kubernetes.io/zone", nodes.zones)] : []),
          ],
        },
      },
    },
  };
}

export const staticNodePoolName = (event: string, pool: string) => `${pool}-${event}-static`;

/**
 * The same NodePool made from the running one when its node class was not collected: its template
 * copied (node class, taints, labels) by jq, with the replicas, the node limit and the types pinned.
 */
export function staticNodePoolCommand(
  event: string,
  pool: string,
  replicas: number,
  instanceTypes: readonly string[],
) {
  const types = JSON.stringify([...instanceTypes]);
  const jq = `{apiVersion, kind, metadata: {name: "${staticNodePoolName(event, pool)}"}, spec: {replicas: ${replicas}, limits: {nodes: "${replicas}"}, template: (.spec.template | .spec.requirements = ([.spec.requirements[] | select(.key != "node.kubernetes.io/instance-type")] + [{key: "node.kubernetes.io/instance-type", operator: "In", values: ${types}}]))}}`;
  return `kubectl get nodepool ${pool} -o json | jq '${jq}' | kubectl apply -f -`;
}
