/** Pods and their containers to k8s_pods and k8s_containers rows, each pod's owner chain resolved to its workload. */
import { type Workload, workloadOf } from "../../core/eks/workload.js";
import { checkCpuCores, checkMemoryBytes, checkRange } from "../../core/limits.js";
import { parseBytes, parseCores, type Where } from "../../core/quantity.js";
import {
  capacityAnnotations,
  conditionTrueSince,
  count,
  describe,
  type Inventory,
  isoTime,
  type K8sObject,
  required,
  timestamp,
} from "./map.js";
import type { ContainerRow, PodRow } from "./tables.js";

// --- owners -----------------------------------------------------------------------------------

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

/**
 * Resolves a pod's owner chain to the top workload (core/eks/workload.ts, the one rule both
 * collectors use): a pod without a controller stands for itself.
 */
export function resolveWorkload(
  namespace: string,
  podName: string,
  owner: { kind?: string; name?: string } | undefined,
  index: OwnerIndex,
): Workload {
  const ref = owner?.kind && owner.name ? { kind: owner.kind, name: owner.name } : null;
  return workloadOf(podName, ref, (kind, name) =>
    (kind === "ReplicaSet" ? index.replicaSets : index.jobs).get(`${namespace}/${name}`),
  );
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
  restartCount?: unknown;
  lastState?: { terminated?: { reason?: string; finishedAt?: string } };
  state?: { terminated?: { reason?: string; finishedAt?: string } };
}

interface NodeSelectorTermJson {
  matchExpressions?: Array<{ key?: string; operator?: string; values?: unknown[] }>;
}

/**
 * The architectures a pod's spec allows by `nodeSelector` on `kubernetes.io/arch` or a required
 * node affinity `kubernetes.io/arch In […]` (terms are ORed: the union of what they allow, unless
 * one term leaves the architecture free); null when it does not constrain it.
 */
export function archSelector(spec: {
  nodeSelector?: Record<string, unknown>;
  affinity?: {
    nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: unknown[] } };
  };
}): string[] | null {
  const selected = spec.nodeSelector?.["kubernetes.io/arch"];
  const terms = (spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ?.nodeSelectorTerms ?? []) as NodeSelectorTermJson[];
  let fromAffinity: Set<string> | null = null;
  if (terms.length > 0) {
    const allowed = new Set<string>();
    let free = false;
    for (const t of terms) {
      const expressions = Array.isArray(t?.matchExpressions) ? t.matchExpressions : [];
      const e = expressions.find((x) => x?.key === "kubernetes.io/arch" && x.operator === "In");
      if (!e) free = true;
      else for (const v of Array.isArray(e.values) ? e.values : []) if (typeof v === "string") allowed.add(v);
    }
    if (!free) fromAffinity = allowed;
  }
  if (typeof selected === "string") {
    if (fromAffinity && !fromAffinity.has(selected)) return [];
    return [selected];
  }
  return fromAffinity ? [...fromAffinity].sort() : null;
}

export function mapPod(
  pod: K8sObject,
  cluster: string,
  index: OwnerIndex,
): { pod: PodRow; containers: ContainerRow[] } {
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
          : cores(cpuReq, field(requests.cpu === undefined ? "limits.cpu" : "requests.cpu")),
      cpu_limit_cores: limits.cpu === undefined ? null : cores(limits.cpu, field("limits.cpu")),
      memory_request_bytes:
        memReq === undefined
          ? null
          : bytes(memReq, field(requests.memory === undefined ? "limits.memory" : "requests.memory")),
      memory_limit_bytes: limits.memory === undefined ? null : bytes(limits.memory, field("limits.memory")),
      ephemeral_request_bytes:
        ephReq === undefined ? null : storage(ephReq, field("requests.ephemeral-storage")),
      ephemeral_limit_bytes:
        limits["ephemeral-storage"] === undefined
          ? null
          : storage(limits["ephemeral-storage"], field("limits.ephemeral-storage")),
      restart_count:
        status?.restartCount === undefined
          ? 0
          : count(status.restartCount, {
              object,
              field: `status.containerStatuses[${cname}].restartCount`,
            }),
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
      annotations: capacityAnnotations(annotations),
      arch_selector: archSelector(pod.spec ?? {}),
      scheduled_at: conditionTrueSince(pod.status?.conditions, "PodScheduled"),
      containers_started_at: containersStartedAt(pod.status?.containerStatuses),
    },
    containers,
  };
}

/**
 * When the pod's last container started running: the latest `state.running.startedAt` when every
 * container runs and none restarted (a restart moves the time); null otherwise.
 */
export function containersStartedAt(statuses: unknown): string | null {
  if (!Array.isArray(statuses) || statuses.length === 0) return null;
  let latest: string | null = null;
  for (const s of statuses as { restartCount?: unknown; state?: { running?: { startedAt?: unknown } } }[]) {
    const at = isoTime(s?.state?.running?.startedAt);
    if (at === null || (s.restartCount !== undefined && s.restartCount !== 0)) return null;
    if (latest === null || at > latest) latest = at;
  }
  return latest;
}

/** A container's CPU in cores, memory and storage in bytes: parsed exactly, then in range. */
const cores = (value: unknown, where: Where) => checkCpuCores(parseCores(value, where), where);
const bytes = (value: unknown, where: Where) => checkMemoryBytes(parseBytes(value, where), where);
export const storage = (value: unknown, where: Where) => checkRange(parseBytes(value, where), where);
