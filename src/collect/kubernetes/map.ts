/**
 * Pure functions from Kubernetes API objects (as the API and `kubectl get -o json` return them)
 * to rows of the k8s_* tables. A malformed object is reported with its namespace/name and field
 * and left out; it never aborts the others or turns into zeros. Here: the objects' shape, the
 * field helpers and nodes; pods.ts maps pods and their owners, workloads.ts the controllers,
 * inventory.ts all of it.
 */
import { InputError } from "../../core/errors.js";
import { checkNodeCpuCores, checkNodeMemoryBytes, checkRange } from "../../core/limits.js";
import { parseBytes, parseCores, parseCount, type Where } from "../../core/quantity.js";
import type { ContainerRow, NodeRow, PodRow, WorkloadRow } from "./tables.js";

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

/** An object left out: what, which field, why; the rule broken and the value when one is to blame. */
export interface Problem {
  object: string;
  field: string;
  message: string;
  /** The resource it was listed as (`pods`), which tells the file or request it came from. */
  resource: string;
  rule: string;
  value: string | null;
}

/** A value that breaks a rule of the objects' shape (an integer that is not one, a time out of the window). */
export class RuleError extends InputError {
  constructor(
    where: Where,
    readonly rule: string,
    readonly value: unknown,
    message: string,
  ) {
    super(where.object, where.field, message);
  }
}

const shown = (value: unknown): string | null =>
  value === undefined ? null : typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));

/**
 * The problem an `InputError` describes (a `QuantityError`, `LimitError` or `RuleError` also
 * tells the rule and the value); anything else is not about the input and is thrown again.
 */
export function problemOf(error: unknown, resource: string): Problem {
  if (!(error instanceof InputError)) throw error;
  const told = error as InputError & { rule?: unknown; value?: unknown };
  return {
    object: error.object,
    field: error.field,
    message: error.message,
    resource,
    rule: typeof told.rule === "string" ? told.rule : "required",
    value:
      "value" in told ? shown(typeof told.value === "bigint" ? told.value.toString() : told.value) : null,
  };
}

/** A whole count (restarts, pods) as the API writes it: a non-negative integer. */
export function count(value: unknown, where: Where): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw new RuleError(
      where,
      "integer",
      value,
      `${JSON.stringify(value) ?? String(value)} is not an integer`,
    );
  return checkRange(value, where);
}

export interface KubernetesRows {
  k8s_nodes: NodeRow[];
  k8s_pods: PodRow[];
  k8s_containers: ContainerRow[];
  k8s_workloads: WorkloadRow[];
  problems: Problem[];
}

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob" | "Job" | "Rollout" | "Pod";

/** The capacity.io/* annotations of an object (the ones the analyses read, such as capacity.io/spot-ready). */
export const capacityAnnotations = (
  annotations: Record<string, string> | undefined,
): Record<string, string> =>
  Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => k.startsWith("capacity.io/")));

export const describe = (kind: string, m: ObjectMeta | undefined) =>
  `${kind.toLowerCase()} ${m?.namespace ? `${m.namespace}/` : ""}${m?.name ?? "(unnamed)"}`;

export function required<T>(value: T | undefined | null, object: string, field: string): T {
  if (value === undefined || value === null || value === "") {
    throw new InputError(object, field, "is missing");
  }
  return value;
}

export function timestamp(value: unknown, object: string, field: string): string {
  const iso = isoTime(value);
  if (iso === null) throw new InputError(object, field, `${JSON.stringify(value)} is not an RFC 3339 time`);
  return iso;
}

/** When a condition (`Ready`, `PodScheduled`) became True: its lastTransitionTime while it is True, else null. */
export function conditionTrueSince(conditions: unknown, type: string): string | null {
  if (!Array.isArray(conditions)) return null;
  const c = conditions.find((x: { type?: unknown }) => x?.type === type) as
    | { status?: unknown; lastTransitionTime?: unknown }
    | undefined;
  return c?.status === "True" ? isoTime(c.lastTransitionTime) : null;
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

export function mapNode(node: K8sObject, cluster: string): NodeRow {
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
    cpu_capacity_cores: nodeCores(capacity.cpu, at("status.capacity.cpu")),
    memory_capacity_bytes: nodeBytes(capacity.memory, at("status.capacity.memory")),
    pods_capacity: podCount(capacity.pods, at("status.capacity.pods")),
    cpu_allocatable_cores: nodeCores(allocatable.cpu, at("status.allocatable.cpu")),
    memory_allocatable_bytes: nodeBytes(allocatable.memory, at("status.allocatable.memory")),
    pods_allocatable: podCount(allocatable.pods, at("status.allocatable.pods")),
    taints: (node.spec?.taints ?? []).map((t: { key?: string; value?: string; effect?: string }) => ({
      key: t.key,
      value: t.value ?? null,
      effect: t.effect,
    })),
    labels,
    created_at: timestamp(m?.creationTimestamp, object, "metadata.creationTimestamp"),
    provider_id: providerId ?? null,
    instance_id: instanceId,
    ready_at: conditionTrueSince(node.status?.conditions, "Ready"),
  };
}

const nodeCores = (value: unknown, where: Where) =>
  checkNodeCpuCores(parseCores(required(value, where.object, where.field), where), where);
const nodeBytes = (value: unknown, where: Where) =>
  checkNodeMemoryBytes(parseBytes(required(value, where.object, where.field), where), where);
const podCount = (value: unknown, where: Where) =>
  value === undefined ? null : checkRange(parseCount(value, where), where);
