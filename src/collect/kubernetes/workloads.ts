/** Controllers (Deployments, StatefulSets, DaemonSets, CronJobs, Jobs, Rollouts) with their HPA and PDB, to k8s_workloads rows. */
import { InputError } from "../../core/errors.js";
import {
  capacityAnnotations,
  describe,
  type Inventory,
  isoTime,
  type K8sObject,
  type Problem,
  problemOf,
  required,
  timestamp,
  type WorkloadKind,
} from "./map.js";
import { storage } from "./pods.js";
import type { WorkloadRow } from "./tables.js";

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

/** A condition of an HPA's status, as the API reports it (autoscaling/v2 HorizontalPodAutoscalerCondition). */
export interface HpaCondition {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
  lastTransitionTime: string | null;
}

/**
 * An HPA's `status.conditions` (AbleToScale, ScalingActive, ScalingLimited): each needs a type and
 * a status of True, False or Unknown, as the API validates them; a transition time that is not a
 * time is an error naming the condition.
 */
export function hpaConditions(hpa: K8sObject, object: string): HpaCondition[] {
  const conditions: unknown = hpa.status?.conditions ?? [];
  if (!Array.isArray(conditions))
    throw new InputError(object, "status.conditions", "is not a list of conditions");
  return conditions.map((c: Record<string, unknown> | null, i) => {
    const field = `status.conditions[${typeof c?.type === "string" ? c.type : i}]`;
    if (typeof c?.type !== "string" || c.type === "")
      throw new InputError(object, `${field}.type`, "missing");
    if (typeof c.status !== "string" || !["True", "False", "Unknown"].includes(c.status))
      throw new InputError(
        object,
        `${field}.status`,
        `${JSON.stringify(c.status)} is not True, False or Unknown`,
      );
    const at = c.lastTransitionTime;
    return {
      type: c.type,
      status: c.status,
      reason: typeof c.reason === "string" ? c.reason : null,
      message: typeof c.message === "string" ? c.message : null,
      lastTransitionTime:
        at === undefined || at === null ? null : timestamp(at, object, `${field}.lastTransitionTime`),
    };
  });
}

export function mapWorkloads(inv: Inventory, cluster: string, problems: Problem[]): WorkloadRow[] {
  const rows: WorkloadRow[] = [];
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
              : storage(t.spec.resources.requests.storage, {
                  object,
                  field: `spec.volumeClaimTemplates[${t.metadata?.name}].spec.resources.requests.storage`,
                }).toString(),
        })),
        labels: m?.labels ?? {},
        created_at: isoTime(m?.creationTimestamp),
        // The pod template's, then the workload's own (which decide).
        annotations: capacityAnnotations({
          ...(o.spec?.template?.metadata?.annotations ??
            o.spec?.jobTemplate?.spec?.template?.metadata?.annotations),
          ...m?.annotations,
        }),
        hpa_conditions: hpa ? hpaConditions(hpa, describe("HorizontalPodAutoscaler", hpa.metadata)) : null,
      });
    } catch (error) {
      problems.push(problemOf(error, `${kind.toLowerCase()}s`));
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
