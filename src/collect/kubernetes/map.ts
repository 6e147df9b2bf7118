/**
 * Pure functions from Kubernetes API objects (as the API and `kubectl get -o json` return them)
 * to rows of the k8s_* tables. A malformed object is reported with its namespace/name and field
 * and left out; it never aborts the others or turns into zeros.
 */
import { InputError } from "../../core/errors.js";
import { parseBytes, parseCores, parseCount, type Where } from "../../core/quantity.js";

// The parts of the API objects we read. Everything is optional: input is checked, not trusted.
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ kind?: string; name?: string; controller?: boolean }>;
}
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  // biome-ignore lint/suspicious/noExplicitAny: API objects are read field by field and checked.
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  status?: any;
}

export interface Inventory {
  nodes: K8sObject[];
  pods: K8sObject[];
  deployments: K8sObject[];
  replicasets: K8sObject[];
  statefulsets: K8sObject[];
  daemonsets: K8sObject[];
  jobs: K8sObject[];
  cronjobs: K8sObject[];
  rollouts: K8sObject[];
  horizontalpodautoscalers: K8sObject[];
  poddisruptionbudgets: K8sObject[];
}

export const INVENTORY_RESOURCES = [
  "nodes",
  "pods",
  "deployments",
  "replicasets",
  "statefulsets",
  "daemonsets",
  "jobs",
  "cronjobs",
  "rollouts",
  "horizontalpodautoscalers",
  "poddisruptionbudgets",
] as const satisfies ReadonlyArray<keyof Inventory>;

export interface Problem {
  object: string;
  field: string;
  message: string;
}

export interface KubernetesRows {
  k8s_nodes: Array<Record<string, unknown>>;
  k8s_pods: Array<Record<string, unknown>>;
  k8s_containers: Array<Record<string, unknown>>;
  k8s_workloads: Array<Record<string, unknown>>;
  problems: Problem[];
}

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob" | "Job" | "Rollout" | "Pod";

const describe = (kind: string, m: ObjectMeta | undefined) =>
  `${kind.toLowerCase()} ${m?.namespace ? `${m.namespace}/` : ""}${m?.name ?? "(unnamed)"}`;

function required<T>(value: T | undefined | null, object: string, field: string): T {
  if (value === undefined || value === null || value === "") {
    throw new InputError(object, field, "is missing");
  }
  return value;
}

function timestamp(value: unknown, object: string, field: string): string {
  const iso = isoTime(value);
  if (iso === null) throw new InputError(object, field, `${JSON.stringify(value)} is not an RFC 3339 time`);
  return iso;
}

/** One spelling for every time (the API writes `…:00Z`, the client's serializer `…:00.000Z`). */
export function isoTime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== "string" || Number.isNaN(Date.parse(value))) return null;
  return new Date(value).toISOString();
}

// --- nodes ------------------------------------------------------------------------------------

export function capacityTypeOf(labels: Record<string, string>): string {
  if (labels["eks.amazonaws.com/compute-type"] === "fargate") return "fargate";
  const mng = labels["eks.amazonaws.com/capacityType"];
  if (mng === "SPOT") return "spot";
  if (mng === "ON_DEMAND") return "on-demand";
  const karpenter = labels["karpenter.sh/capacity-type"];
  if (karpenter === "spot" || karpenter === "on-demand" || karpenter === "reserved") return karpenter;
  const lifecycle = labels["node.kubernetes.io/lifecycle"] ?? labels.lifecycle;
  if (lifecycle === "spot" || lifecycle === "Ec2Spot" || lifecycle === "EC2Spot") return "spot";
  if (lifecycle === "normal" || lifecycle === "on-demand" || lifecycle === "OnDemand") return "on-demand";
  return "unknown";
}

export function computeTypeOf(labels: Record<string, string>): string {
  const value = labels["eks.amazonaws.com/compute-type"];
  if (value === "fargate" || value === "auto" || value === "hybrid") return value;
  return "ec2";
}

export function mapNode(node: K8sObject, cluster: string): Record<string, unknown> {
  const m = node.metadata;
  const object = describe("node", m);
  const name = required(m?.name, object, "metadata.name");
  const labels = m?.labels ?? {};
  const capacity = node.status?.capacity ?? {};
  const allocatable = node.status?.allocatable ?? {};
  const at = (field: string): Where => ({ object, field });
  const providerId: string | undefined = node.spec?.providerID;
  const instanceId = providerId?.match(/\/(i-[0-9a-f]+)$/)?.[1] ?? null;
  const zone =
    labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? null;
  return {
    cluster,
    name,
    instance_type:
      labels["node.kubernetes.io/instance-type"] ?? labels["beta.kubernetes.io/instance-type"] ?? null,
    region:
      labels["topology.kubernetes.io/region"] ??
      labels["failure-domain.beta.kubernetes.io/region"] ??
      zone?.replace(/[a-z]$/, "") ??
      null,
    zone,
    arch: labels["kubernetes.io/arch"] ?? node.status?.nodeInfo?.architecture ?? null,
    os: labels["kubernetes.io/os"] ?? node.status?.nodeInfo?.operatingSystem ?? null,
    capacity_type: capacityTypeOf(labels),
    compute_type: computeTypeOf(labels),
    nodegroup: labels["eks.amazonaws.com/nodegroup"] ?? null,
    nodepool: labels["karpenter.sh/nodepool"] ?? null,
    cpu_capacity_cores: parseCores(
      required(capacity.cpu, object, "status.capacity.cpu"),
      at("status.capacity.cpu"),
    ),
    memory_capacity_bytes: parseBytes(
      required(capacity.memory, object, "status.capacity.memory"),
      at("status.capacity.memory"),
    ),
    pods_capacity: capacity.pods === undefined ? null : parseCount(capacity.pods, at("status.capacity.pods")),
    cpu_allocatable_cores: parseCores(
      required(allocatable.cpu, object, "status.allocatable.cpu"),
      at("status.allocatable.cpu"),
    ),
    memory_allocatable_bytes: parseBytes(
      required(allocatable.memory, object, "status.allocatable.memory"),
      at("status.allocatable.memory"),
    ),
    pods_allocatable:
      allocatable.pods === undefined ? null : parseCount(allocatable.pods, at("status.allocatable.pods")),
    taints: (node.spec?.taints ?? []).map((t: { key?: string; value?: string; effect?: string }) => ({
      key: t.key,
      value: t.value ?? null,
      effect: t.effect,
    })),
    labels,
    created_at: timestamp(m?.creationTimestamp, object, "metadata.creationTimestamp"),
    provider_id: providerId ?? null,
    instance_id: instanceId,
  };
}

// --- owners -----------------------------------------------------------------------------------

/** A ReplicaSet's name is its Deployment's name plus `-<pod-template-hash>`. */
const REPLICASET_SUFFIX = /-[a-z0-9]{5,10}$/;

export interface OwnerIndex {
  replicaSets: Map<string, { kind: string; name: string } | null>;
  jobs: Map<string, { kind: string; name: string } | null>;
}

export function ownerIndex(inv: Pick<Inventory, "replicasets" | "jobs">): OwnerIndex {
  const controllerOf = (o: K8sObject) => {
    const ref = o.metadata?.ownerReferences?.find((r) => r.controller) ?? o.metadata?.ownerReferences?.[0];
    return ref?.kind && ref.name ? { kind: ref.kind, name: ref.name } : null;
  };
  const key = (o: K8sObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  return {
    replicaSets: new Map(inv.replicasets.map((rs) => [key(rs), controllerOf(rs)])),
    jobs: new Map(inv.jobs.map((j) => [key(j), controllerOf(j)])),
  };
}

/** Resolves a pod's owner chain to the top workload: Pod → ReplicaSet → Deployment/Rollout, Pod → Job → CronJob. */
export function resolveWorkload(
  namespace: string,
  podName: string,
  owner: { kind?: string; name?: string } | undefined,
  index: OwnerIndex,
): { kind: WorkloadKind; name: string } {
  if (!owner?.kind || !owner.name) return { kind: "Pod", name: podName };
  switch (owner.kind) {
    case "ReplicaSet": {
      const parent = index.replicaSets.get(`${namespace}/${owner.name}`);
      if (parent?.kind === "Deployment") return { kind: "Deployment", name: parent.name };
      if (parent?.kind === "Rollout") return { kind: "Rollout", name: parent.name };
      if (parent === null) return { kind: "Deployment", name: owner.name }; // a ReplicaSet of its own
      // The ReplicaSet is gone (or was not listed): its name still tells the Deployment.
      return { kind: "Deployment", name: owner.name.replace(REPLICASET_SUFFIX, "") };
    }
    case "Job": {
      const parent = index.jobs.get(`${namespace}/${owner.name}`);
      if (parent?.kind === "CronJob") return { kind: "CronJob", name: parent.name };
      if (parent === undefined && /-\d{8,}$/.test(owner.name)) {
        return { kind: "CronJob", name: owner.name.replace(/-\d{8,}$/, "") };
      }
      return { kind: "Job", name: owner.name };
    }
    case "StatefulSet":
    case "DaemonSet":
    case "Rollout":
      return { kind: owner.kind, name: owner.name };
    default:
      // Node (static/mirror pods) and custom controllers: the pod stands for itself.
      return { kind: "Pod", name: podName };
  }
}

// --- pods and containers ----------------------------------------------------------------------

interface ContainerJson {
  name?: string;
  image?: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}
interface ContainerStatusJson {
  name?: string;
  restartCount?: number;
  lastState?: { terminated?: { reason?: string; finishedAt?: string } };
  state?: { terminated?: { reason?: string; finishedAt?: string } };
}

export function mapPod(
  pod: K8sObject,
  cluster: string,
  index: OwnerIndex,
): { pod: Record<string, unknown>; containers: Array<Record<string, unknown>> } {
  const m = pod.metadata;
  const object = describe("pod", m);
  const namespace = required(m?.namespace, object, "metadata.namespace");
  const name = required(m?.name, object, "metadata.name");
  const owner = m?.ownerReferences?.find((r) => r.controller) ?? m?.ownerReferences?.[0];
  const workload = resolveWorkload(namespace, name, owner, index);
  const annotations = m?.annotations ?? {};
  const labels = m?.labels ?? {};
  const volumes: Array<Record<string, unknown>> = pod.spec?.volumes ?? [];
  const statuses = new Map<string, ContainerStatusJson>();
  for (const s of [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ] as ContainerStatusJson[]) {
    if (s.name) statuses.set(s.name, s);
  }

  const containerRow = (c: ContainerJson, type: "init" | "sidecar" | "regular", path: string) => {
    const cname = required(c.name, object, `${path}.name`);
    const field = (f: string) => ({ object, field: `${path}[${cname}].resources.${f}` });
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    // Kubernetes copies a limit into the request when only the limit is set.
    const cpuReq = requests.cpu ?? limits.cpu;
    const memReq = requests.memory ?? limits.memory;
    const ephReq = requests["ephemeral-storage"] ?? limits["ephemeral-storage"];
    const status = statuses.get(cname);
    const terminated = status?.lastState?.terminated ?? status?.state?.terminated;
    return {
      cluster,
      namespace,
      pod: name,
      container: cname,
      container_type: type,
      image: c.image ?? null,
      cpu_request_cores:
        cpuReq === undefined
          ? null
          : parseCores(cpuReq, field(requests.cpu === undefined ? "limits.cpu" : "requests.cpu")),
      cpu_limit_cores: limits.cpu === undefined ? null : parseCores(limits.cpu, field("limits.cpu")),
      memory_request_bytes:
        memReq === undefined
          ? null
          : parseBytes(memReq, field(requests.memory === undefined ? "limits.memory" : "requests.memory")),
      memory_limit_bytes:
        limits.memory === undefined ? null : parseBytes(limits.memory, field("limits.memory")),
      ephemeral_request_bytes:
        ephReq === undefined ? null : parseBytes(ephReq, field("requests.ephemeral-storage")),
      ephemeral_limit_bytes:
        limits["ephemeral-storage"] === undefined
          ? null
          : parseBytes(limits["ephemeral-storage"], field("limits.ephemeral-storage")),
      restart_count: status?.restartCount ?? 0,
      last_termination_reason: terminated?.reason ?? null,
      last_termination_at: isoTime(terminated?.finishedAt),
    };
  };
  const containers = [
    ...((pod.spec?.initContainers ?? []) as ContainerJson[]).map((c) =>
      containerRow(c, c.restartPolicy === "Always" ? "sidecar" : "init", "spec.initContainers"),
    ),
    ...(required(pod.spec?.containers, object, "spec.containers") as ContainerJson[]).map((c) =>
      containerRow(c, "regular", "spec.containers"),
    ),
  ];

  return {
    pod: {
      cluster,
      namespace,
      name,
      uid: m?.uid ?? null,
      phase: pod.status?.phase ?? "Unknown",
      node_name: pod.spec?.nodeName ?? null,
      qos_class: pod.status?.qosClass ?? null,
      priority_class: pod.spec?.priorityClassName ?? null,
      owner_kind: owner?.kind ?? null,
      owner_name: owner?.name ?? null,
      workload_kind: workload.kind,
      workload_name: workload.name,
      created_at: timestamp(m?.creationTimestamp, object, "metadata.creationTimestamp"),
      has_empty_dir: volumes.some((v) => v.emptyDir !== undefined),
      has_host_path: volumes.some((v) => v.hostPath !== undefined),
      pvc_names: volumes
        .map((v) => (v.persistentVolumeClaim as { claimName?: string } | undefined)?.claimName)
        .filter((n): n is string => typeof n === "string"),
      termination_grace_seconds: pod.spec?.terminationGracePeriodSeconds ?? null,
      capacity_provisioned: annotations.CapacityProvisioned ?? null,
      fargate_profile: labels["eks.amazonaws.com/fargate-profile"] ?? null,
      do_not_disrupt: annotations["karpenter.sh/do-not-disrupt"] === "true",
      safe_to_evict: annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"] ?? null,
      labels,
    },
    containers,
  };
}

// --- workloads --------------------------------------------------------------------------------

/** `5`, `"5"` or `"50%"` of `replicas`, rounded up as the disruption controller does. */
export function resolveIntOrPercent(value: unknown, replicas: number, object: string, field: string): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string") {
    const pct = /^(\d+)%$/.exec(value);
    if (pct) return Math.ceil((Number(pct[1]) * replicas) / 100);
    if (/^\d+$/.test(value)) return Number(value);
  }
  throw new InputError(object, field, `${JSON.stringify(value)} is neither a count nor a percentage`);
}

function selectorMatches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

interface HpaMetricBody {
  name?: string;
  metric?: { name?: string };
  target?: { type?: string; averageUtilization?: number; averageValue?: string; value?: string };
}
type HpaMetric = { type?: string } & Record<string, HpaMetricBody | string | undefined>;

export function mapWorkloads(
  inv: Inventory,
  cluster: string,
  problems: Problem[],
): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  const hpaByTarget = new Map<string, K8sObject>();
  for (const hpa of inv.horizontalpodautoscalers) {
    const ref = hpa.spec?.scaleTargetRef;
    if (ref?.kind && ref.name) hpaByTarget.set(`${hpa.metadata?.namespace}/${ref.kind}/${ref.name}`, hpa);
  }
  const cronJobNames = new Set(inv.cronjobs.map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`));

  const push = (
    kind: WorkloadKind,
    o: K8sObject,
    replicasDesired: number | null,
    replicasReady: number | null,
  ) => {
    const m = o.metadata;
    const object = describe(kind, m);
    try {
      const namespace = required(m?.namespace, object, "metadata.namespace");
      const name = required(m?.name, object, "metadata.name");
      const templateLabels: Record<string, string> =
        o.spec?.template?.metadata?.labels ?? o.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
      const hpa = hpaByTarget.get(`${namespace}/${kind}/${name}`);
      const pdb = inv.poddisruptionbudgets.find(
        (p) =>
          p.metadata?.namespace === namespace &&
          selectorMatches(p.spec?.selector?.matchLabels, templateLabels),
      );
      const replicas = replicasDesired ?? 1;
      const pdbObject = pdb ? describe("PodDisruptionBudget", pdb.metadata) : "";
      const strategy = o.spec?.strategy ?? o.spec?.updateStrategy ?? null;
      rows.push({
        cluster,
        namespace,
        kind,
        name,
        replicas_desired: replicasDesired,
        replicas_ready: replicasReady,
        selector: o.spec?.selector?.matchLabels ?? null,
        hpa_name: hpa?.metadata?.name ?? null,
        hpa_min_replicas: hpa ? (hpa.spec?.minReplicas ?? 1) : null,
        hpa_max_replicas: hpa?.spec?.maxReplicas ?? null,
        hpa_metrics: hpa
          ? (hpa.spec?.metrics ?? []).map((metric: HpaMetric) => {
              const key = String(metric.type).charAt(0).toLowerCase() + String(metric.type).slice(1);
              const found = metric[key];
              const body: HpaMetricBody = typeof found === "object" ? found : {};
              return {
                type: metric.type,
                name: body.name ?? body.metric?.name ?? null,
                targetType: body.target?.type ?? null,
                target:
                  body.target?.averageUtilization ?? body.target?.averageValue ?? body.target?.value ?? null,
              };
            })
          : null,
        pdb_name: pdb?.metadata?.name ?? null,
        pdb_min_available:
          pdb?.spec?.minAvailable === undefined
            ? null
            : resolveIntOrPercent(pdb.spec.minAvailable, replicas, pdbObject, "spec.minAvailable"),
        pdb_max_unavailable:
          pdb?.spec?.maxUnavailable === undefined
            ? null
            : resolveIntOrPercent(pdb.spec.maxUnavailable, replicas, pdbObject, "spec.maxUnavailable"),
        strategy: strategy
          ? {
              type: strategy.type ?? null,
              maxSurge: strategy.rollingUpdate?.maxSurge ?? null,
              maxUnavailable: strategy.rollingUpdate?.maxUnavailable ?? null,
            }
          : null,
        pvc_templates: (o.spec?.volumeClaimTemplates ?? []).map((t: K8sObject) => ({
          name: t.metadata?.name ?? null,
          storageClass: t.spec?.storageClassName ?? null,
          bytes:
            t.spec?.resources?.requests?.storage === undefined
              ? null
              : parseBytes(t.spec.resources.requests.storage, {
                  object,
                  field: `spec.volumeClaimTemplates[${t.metadata?.name}].spec.resources.requests.storage`,
                }).toString(),
        })),
        labels: m?.labels ?? {},
        created_at: isoTime(m?.creationTimestamp),
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push({ object: error.object, field: error.field, message: error.message });
    }
  };

  for (const d of inv.deployments) push("Deployment", d, d.spec?.replicas ?? 1, d.status?.readyReplicas ?? 0);
  for (const r of inv.rollouts) push("Rollout", r, r.spec?.replicas ?? 1, r.status?.readyReplicas ?? 0);
  for (const s of inv.statefulsets)
    push("StatefulSet", s, s.spec?.replicas ?? 1, s.status?.readyReplicas ?? 0);
  for (const d of inv.daemonsets)
    push("DaemonSet", d, d.status?.desiredNumberScheduled ?? null, d.status?.numberReady ?? null);
  for (const c of inv.cronjobs) push("CronJob", c, null, null);
  for (const j of inv.jobs) {
    const parent = j.metadata?.ownerReferences?.find((r) => r.kind === "CronJob");
    if (parent && cronJobNames.has(`${j.metadata?.namespace}/${parent.name}`)) continue;
    push("Job", j, j.spec?.parallelism ?? 1, j.status?.active ?? 0);
  }
  return rows;
}

// --- all of it --------------------------------------------------------------------------------

function recorder(problems: Problem[]) {
  return (error: unknown) => {
    if (!(error instanceof InputError)) throw error;
    problems.push({ object: error.object, field: error.field, message: error.message });
  };
}

export interface PodRows {
  k8s_pods: Array<Record<string, unknown>>;
  k8s_containers: Array<Record<string, unknown>>;
}

/** Maps pods into `out` (a page at a time, so that a large cluster's pod objects need not be kept). */
export function mapPodsInto(
  pods: Iterable<K8sObject>,
  cluster: string,
  index: OwnerIndex,
  out: PodRows,
  problems: Problem[],
): void {
  const record = recorder(problems);
  for (const pod of pods) {
    try {
      const mapped = mapPod(pod, cluster, index);
      out.k8s_pods.push(mapped.pod);
      for (const c of mapped.containers) out.k8s_containers.push(c);
    } catch (error) {
      record(error);
    }
  }
}

/** Nodes and workloads from the inventory, with the pods already mapped (bare pods become workloads). */
export function assembleInventory(
  inv: Omit<Inventory, "pods">,
  pods: PodRows,
  cluster: string,
  problems: Problem[],
): KubernetesRows {
  const record = recorder(problems);
  const k8s_nodes: Array<Record<string, unknown>> = [];
  for (const node of inv.nodes) {
    try {
      k8s_nodes.push(mapNode(node, cluster));
    } catch (error) {
      record(error);
    }
  }
  const k8s_workloads = mapWorkloads({ ...inv, pods: [] }, cluster, problems);
  // Bare pods (and pods whose controller was not listed) are workloads of their own.
  const known = new Set(k8s_workloads.map((w) => `${w.namespace}/${w.kind}/${w.name}`));
  for (const pod of pods.k8s_pods) {
    const key = `${pod.namespace}/${pod.workload_kind}/${pod.workload_name}`;
    if (known.has(key)) continue;
    known.add(key);
    k8s_workloads.push({
      cluster,
      namespace: pod.namespace,
      kind: pod.workload_kind,
      name: pod.workload_name,
      replicas_desired: pod.workload_kind === "Pod" ? 1 : null,
      replicas_ready: null,
      selector: null,
      hpa_name: null,
      hpa_min_replicas: null,
      hpa_max_replicas: null,
      hpa_metrics: null,
      pdb_name: null,
      pdb_min_available: null,
      pdb_max_unavailable: null,
      strategy: null,
      pvc_templates: [],
      labels: pod.labels,
      created_at: pod.created_at,
    });
  }
  return { k8s_nodes, ...pods, k8s_workloads, problems };
}

export function mapInventory(inv: Inventory, cluster: string): KubernetesRows {
  const problems: Problem[] = [];
  const pods: PodRows = { k8s_pods: [], k8s_containers: [] };
  mapPodsInto(inv.pods, cluster, ownerIndex(inv), pods, problems);
  return assembleInventory(inv, pods, cluster, problems);
}
