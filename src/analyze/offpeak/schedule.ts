/**
 * Off-peak schedules as pure functions: the off-peak window of a set of hours of the day, and
 * the YAML or commands to paste: an HPA whose minReplicas drops off-peak (KEDA's cron trigger),
 * a CronJob pair that scales a workload down and back, a node group's minimum size, a NodePool's
 * disruption settings.
 */

import { stringify } from "yaml";
import { nodegroupScalingCommand } from "../../core/eks/nodegroup-command.js";

/** `[start, end)` in hours of the day (UTC); end may be below start when the window wraps midnight. */
export interface HourWindow {
  start: number;
  end: number;
  hours: number;
}

/** The longest run of consecutive hours (wrapping midnight) in `hours`; null when there are none. */
export function hourWindow(hours: readonly number[]): HourWindow | null {
  const set = new Set(hours.filter((h) => Number.isInteger(h) && h >= 0 && h < 24));
  if (set.size === 0) return null;
  if (set.size === 24) return { start: 0, end: 0, hours: 24 };
  let best: HourWindow | null = null;
  for (let start = 0; start < 24; start++) {
    // A run starts where the hour before it is not off-peak.
    if (!set.has(start) || set.has((start + 23) % 24)) continue;
    let n = 0;
    while (set.has((start + n) % 24)) n++;
    if (!best || n > best.hours) best = { start, end: (start + n) % 24, hours: n };
  }
  return best;
}

/** `0 22 * * *`: every day at that hour, UTC. */
export const cronAt = (hour: number): string => `0 ${hour} * * *`;

export interface WorkloadRef {
  namespace: string;
  kind: string;
  name: string;
}

const dns = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 40)
    .replace(/-+$/, "");

/**
 * A KEDA ScaledObject that keeps `peakReplicas` outside the off-peak window (a cron trigger from
 * its end to its start) and lets the workload go down to `offpeakReplicas` inside it; with the
 * HPA's CPU target as a second trigger when it has one (KEDA then owns the HPA: remove the old one).
 */
export function kedaScaledObject(
  w: WorkloadRef,
  window: HourWindow,
  offpeakReplicas: number,
  peakReplicas: number,
  maxReplicas: number,
  cpuTargetPercent: number | null,
): string {
  const triggers: object[] = [
    {
      type: "cron",
      metadata: {
        timezone: "Etc/UTC",
        start: cronAt(window.end),
        end: cronAt(window.start),
        desiredReplicas: String(peakReplicas),
      },
    },
  ];
  if (cpuTargetPercent !== null)
    triggers.push({ type: "cpu", metricType: "Utilization", metadata: { value: String(cpuTargetPercent) } });
  return stringify({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: dns(`${w.name}-offpeak`), namespace: w.namespace },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: w.kind, name: w.name },
      minReplicaCount: offpeakReplicas,
      maxReplicaCount: Math.max(maxReplicas, peakReplicas),
      triggers,
    },
  });
}

/**
 * Two CronJobs that scale the workload (`kubectl scale`, or `kubectl patch` of its HPA's
 * minReplicas when it has one) at the window's start and restore it at its end, with the
 * ServiceAccount and Role they need.
 */
export function cronJobPair(
  w: WorkloadRef,
  window: HourWindow,
  offpeakReplicas: number,
  peakReplicas: number,
  hpaName: string | null,
): string {
  const sa = dns(`${w.name}-offpeak-scaler`);
  const command = (replicas: number) =>
    hpaName
      ? [
          "kubectl",
          "patch",
          "hpa",
          hpaName,
          "-n",
          w.namespace,
          "--type=merge",
          "-p",
          `{"spec":{"minReplicas":${replicas}}}`,
        ]
      : [
          "kubectl",
          "scale",
          `${w.kind.toLowerCase()}/${w.name}`,
          "-n",
          w.namespace,
          `--replicas=${replicas}`,
        ];
  const cronJob = (suffix: string, hour: number, replicas: number) => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: dns(`${w.name}-${suffix}`), namespace: w.namespace },
    spec: {
      schedule: cronAt(hour),
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          template: {
            spec: {
              serviceAccountName: sa,
              restartPolicy: "OnFailure",
              containers: [
                { name: "scale", image: "registry.k8s.io/kubectl:v1.33.0", command: command(replicas) },
              ],
            },
          },
        },
      },
    },
  });
  const role = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: sa, namespace: w.namespace },
    rules: [
      hpaName
        ? {
            apiGroups: ["autoscaling"],
            resources: ["horizontalpodautoscalers"],
            resourceNames: [hpaName],
            verbs: ["get", "patch"],
          }
        : {
            apiGroups: ["apps"],
            resources: [`${w.kind.toLowerCase()}s`, `${w.kind.toLowerCase()}s/scale`],
            resourceNames: [w.name],
            verbs: ["get", "patch"],
          },
    ],
  };
  const docs = [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: sa, namespace: w.namespace } },
    role,
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: sa, namespace: w.namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: sa },
      subjects: [{ kind: "ServiceAccount", name: sa, namespace: w.namespace }],
    },
    cronJob("offpeak-down", window.start, offpeakReplicas),
    cronJob("offpeak-up", window.end, peakReplicas),
  ];
  return docs.map((d) => stringify(d)).join("---\n");
}

/** The node group's minimum lowered so that off-peak nodes can go. */
export const nodegroupMinSizeCommand = (cluster: string, nodegroup: string, minSize: number): string =>
  nodegroupScalingCommand(cluster, nodegroup, { minSize });

/** A NodePool's disruption block that lets Karpenter remove under-used nodes. */
export const nodePoolDisruption = (nodepool: string): string =>
  stringify({
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: nodepool },
    spec: { disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "5m" } },
  });
