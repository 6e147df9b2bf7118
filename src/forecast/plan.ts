/**
 * The pre-scale plan: when capacity must be asked for so that it is in place before the event's
 * ramp (the window's start, less the lead time of what must start, less a margin), and what to do,
 * as a checklist and as paste-able YAML: HPA `minReplicas` raised for the window (a CronJob pair,
 * or a KEDA ScaledObject with a `cron` trigger), `maxReplicas` and NodePool `limits` raised where
 * the peak exceeds them, managed node groups' min size, placeholder pods of priority −1 holding
 * the zone-loss headroom on Karpenter and labelled pools, and what to undo after.
 */
import { stringify } from "yaml";
import type { Pool } from "../core/eks/pools.js";
import type { PoolCapacity } from "./capacity.js";
import { type LeadTimeSamples, type LeadTimes, leadTimes } from "./lead-time.js";
import {
  cronJobPair,
  DEFAULT_MANIFESTS,
  type HpaChange,
  headroomDeployment,
  hpaPatch,
  type K8sObject,
  kedaScaledObject,
  type ManifestOptions,
  type NodeClassRef,
  nodePoolLimitsPatch,
  priorityClass,
  staticNodePool,
  staticNodePoolCommand,
  staticNodePoolName,
} from "./manifests.js";
import type { WorkloadReplicas, WorkloadSpec } from "./replicas.js";
import { iso, type Window } from "./series.js";

export interface PlanInput {
  event: { name: string; window: Window };
  workloads: readonly { spec: WorkloadSpec; replicas: WorkloadReplicas }[];
  pools: readonly { pool: Pool; capacity: PoolCapacity }[];
  samples?: LeadTimeSamples;
  /** Slack on top of the lead time. */
  marginMinutes: number;
  /** For the `aws eks` commands of managed node groups. */
  clusterName: string;
  manifests?: ManifestOptions;
  /** Karpenter NodePools' node classes, by NodePool (for a static NodePool on the same class). */
  nodeClassRefs?: Readonly<Record<string, NodeClassRef>>;
}

export interface PlanStep {
  /** When to do it; null: now, ahead of the event. */
  atMs: number | null;
  phase: "before" | "prescale" | "after";
  action: string;
}

export interface PrescalePlan {
  leadTimes: LeadTimes;
  /** What the pre-scale waits for: the slowest pool's (its node or Fargate pod, plus its pod start). */
  leadSeconds: number;
  readyByMs: number;
  prescaleAtMs: number;
  restoreAtMs: number;
  hpaChanges: HpaChange[];
  steps: PlanStep[];
  /** Multi-document YAML for `kubectl apply -f`; empty when there is nothing of the kind. */
  yaml: { cronJobs: string; keda: string; headroom: string; staticNodePools: string };
  /**
   * Commands for changes to objects that exist (`kubectl patch` of HPAs and NodePools, `aws eks`
   * for managed node groups): ahead of the event, at the pre-scale, after.
   */
  commands: { before: string[]; prescale: string[]; after: string[] };
}

export const toYaml = (docs: readonly K8sObject[]): string =>
  docs.map((d) => stringify(d, { lineWidth: 0 })).join("---\n");

const MINUTE_MS = 60_000;

/** `kubectl patch KIND NAME [-n NS] --type merge -p '{…}'` (the JSON has no single quote). */
const kubectlPatch = (kind: string, name: string, namespace: string | null, patch: K8sObject): string =>
  `kubectl patch ${kind} ${name}${namespace ? ` -n ${namespace}` : ""} --type merge -p '${JSON.stringify(patch)}'`;

function nodeSelectorOf(pool: Pool): Record<string, string> | null {
  switch (pool.kind) {
    case "karpenter":
      return { "karpenter.sh/nodepool": pool.name };
    case "nodes":
      return { ...pool.labels };
    default:
      return null;
  }
}

/** Placeholder size: 90 % of what the pool's most used node type offers pods, so each holds one node. */
function placeholderSize(capacity: PoolCapacity): { cpuMillicores: number; memoryBytes: number } | null {
  const count = new Map<string, number>();
  for (const n of capacity.held.nodes) count.set(n.instanceType, (count.get(n.instanceType) ?? 0) + 1);
  const type = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const node = capacity.held.nodes.find((n) => n.instanceType === type);
  if (!node) return null;
  return {
    cpuMillicores: Math.floor((node.allocatable.cpuCores - node.daemonSets.cpuCores) * 900),
    memoryBytes: Math.floor((node.allocatable.memoryBytes - node.daemonSets.memoryBytes) * 0.9),
  };
}

export function prescalePlan(input: PlanInput): PrescalePlan {
  const o = input.manifests ?? DEFAULT_MANIFESTS;
  const lead = leadTimes(
    input.samples,
    input.pools.map(({ pool }) => ({ name: pool.name, fargate: pool.kind === "fargate" })),
  );
  const { name, window } = input.event;
  const leadSeconds = Math.max(0, ...lead.pools.map((p) => p.seconds));
  const readyByMs = window.startMs;
  const prescaleAtMs =
    Math.floor((readyByMs - leadSeconds * 1000 - input.marginMinutes * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  const restoreAtMs = window.endMs;
  const steps: PlanStep[] = [];
  const before = (action: string) => steps.push({ atMs: null, phase: "before", action });
  const prescale = (action: string) => steps.push({ atMs: prescaleAtMs, phase: "prescale", action });
  const after = (action: string) => steps.push({ atMs: restoreAtMs, phase: "after", action });

  const hpaChanges: HpaChange[] = [];
  for (const { spec, replicas } of input.workloads) {
    const { hpa } = spec;
    if (!hpa || replicas.minReplicas === null || replicas.maxReplicas === null) continue;
    if (replicas.minReplicas <= hpa.minReplicas && replicas.maxReplicas <= hpa.maxReplicas) continue;
    hpaChanges.push({
      namespace: spec.namespace,
      hpa: hpa.name,
      target: {
        apiVersion: spec.kind === "Rollout" ? "argoproj.io/v1alpha1" : "apps/v1",
        kind: spec.kind,
        name: spec.name,
      },
      resource: hpa.resource,
      targetUtilizationPercent: hpa.targetUtilizationPercent,
      minReplicas: { from: hpa.minReplicas, to: replicas.minReplicas },
      maxReplicas: { from: hpa.maxReplicas, to: replicas.maxReplicas },
    });
  }
  const commands = { before: [] as string[], prescale: [] as string[], after: [] as string[] };
  const raisedMax = hpaChanges.filter((c) => c.maxReplicas.to > c.maxReplicas.from);
  for (const c of raisedMax) {
    commands.before.push(
      kubectlPatch("hpa", c.hpa, c.namespace, hpaPatch({ maxReplicas: c.maxReplicas.to })),
    );
    commands.after.push(
      kubectlPatch("hpa", c.hpa, c.namespace, hpaPatch({ maxReplicas: c.maxReplicas.from })),
    );
  }
  for (const c of raisedMax)
    before(
      `raise maxReplicas of HPA ${c.namespace}/${c.hpa} from ${c.maxReplicas.from} to ${c.maxReplicas.to} (the peak needs it)`,
    );
  const raisedMin = hpaChanges.filter((c) => c.minReplicas.to > c.minReplicas.from);
  if (raisedMin.length) {
    before(
      `apply the CronJob pair (or the KEDA ScaledObjects) that raise ${raisedMin.length} HPAs' minReplicas at ${iso(prescaleAtMs)} and restore them at ${iso(restoreAtMs)}`,
    );
    for (const c of raisedMin)
      prescale(`HPA ${c.namespace}/${c.hpa}: minReplicas ${c.minReplicas.from} → ${c.minReplicas.to}`);
  }

  const headroom: K8sObject[] = [];
  const staticPools: K8sObject[] = [];
  for (const { pool, capacity } of input.pools) {
    for (const f of capacity.flags.filter((x) => x.kind === "nodepool-limit" || x.kind === "pods-unplaced"))
      before(`${pool.name}: ${f.detail}`);
    if (pool.kind === "karpenter") {
      const cpu = capacity.flags.find((f) => f.kind === "nodepool-limit" && f.resource === "cpu");
      const memory = capacity.flags.find((f) => f.kind === "nodepool-limit" && f.resource === "memory");
      if (cpu || memory) {
        const raise = nodePoolLimitsPatch({
          ...(cpu ? { cpuCores: cpu.needed! } : {}),
          ...(memory ? { memoryBytes: memory.needed! } : {}),
        });
        const restore = nodePoolLimitsPatch({
          ...(cpu ? { cpuCores: pool.limits.cpuCores! } : {}),
          ...(memory ? { memoryBytes: pool.limits.memoryBytes! } : {}),
        });
        commands.before.push(kubectlPatch("nodepool", pool.name, null, raise));
        commands.after.push(kubectlPatch("nodepool", pool.name, null, restore));
        before(`raise NodePool ${pool.name}'s limits to ${JSON.stringify(raise.spec)}`);
        after(`restore NodePool ${pool.name}'s limits to ${JSON.stringify(restore.spec)}`);
      }
    }
    if (pool.kind === "managed-node-group") {
      const held = capacity.held.totals.nodes;
      const base = `aws eks update-nodegroup-config --cluster-name ${input.clusterName} --nodegroup-name ${pool.name}`;
      if (!Number.isFinite(pool.maxSize)) {
        // The group's sizes were not read (no EKS API access): raise it, and say how to restore it.
        commands.before.push(
          `aws eks describe-nodegroup --cluster-name ${input.clusterName} --nodegroup-name ${pool.name} --query nodegroup.scalingConfig`,
        );
        commands.prescale.push(`${base} --scaling-config minSize=${held},desiredSize=${held}`);
        before(
          `node group ${pool.name}: its sizes were not collected; note them (describe-nodegroup) to restore them after, and check its max size is at least ${held}`,
        );
        prescale(`node group ${pool.name}: min size → ${held}`);
        after(`node group ${pool.name}: back to the sizes noted before`);
      } else if (held > pool.minSize) {
        const max = Math.max(pool.maxSize, held);
        const normal = Math.min(pool.maxSize, Math.max(pool.minSize, capacity.normal.totals.nodes));
        commands.prescale.push(`${base} --scaling-config minSize=${held},maxSize=${max},desiredSize=${held}`);
        commands.after.push(
          `${base} --scaling-config minSize=${pool.minSize},maxSize=${pool.maxSize},desiredSize=${normal}`,
        );
        prescale(
          `node group ${pool.name}: min size ${pool.minSize} → ${held}${max > pool.maxSize ? `, max size ${pool.maxSize} → ${max}` : ""}`,
        );
        after(`node group ${pool.name}: back to min ${pool.minSize}, max ${pool.maxSize}`);
      }
    }
    const selector = nodeSelectorOf(pool);
    const spare = capacity.held.totals.nodes - capacity.event.totals.nodes;
    const size = placeholderSize(capacity);
    if (selector && spare > 0 && size) {
      headroom.push(headroomDeployment(name, pool.name, spare, size, selector, o));
      prescale(
        `${pool.name}: ${spare} placeholder pods (priority −1) hold ${spare} spare nodes for losing a zone`,
      );
      after(`${pool.name}: delete the placeholder Deployment headroom-${name}-${pool.name}`);
      if (pool.kind === "karpenter") {
        const types = [...new Set(capacity.held.nodes.map((n) => n.instanceType))].sort();
        const capacityTypes = [...new Set(capacity.held.nodes.map((n) => n.capacityType))].sort();
        const ref = input.nodeClassRefs?.[pool.name];
        const static_ = staticNodePoolName(name, pool.name);
        if (ref)
          staticPools.push(
            staticNodePool(
              name,
              pool.name,
              spare,
              { instanceTypes: types, capacityTypes, zones: pool.zones },
              ref,
            ),
          );
        else
          commands.prescale.push(
            `# or, instead of the placeholders: ${staticNodePoolCommand(name, pool.name, spare, types)}`,
          );
        prescale(
          `${pool.name}: or, instead of the placeholders, a static NodePool ${static_} with replicas ${spare} (Karpenter ≥ 1.8.0 with the StaticCapacity feature gate: alpha)${ref ? "" : ", made from the running NodePool (its node class was not collected)"}`,
        );
        after(`${pool.name}: delete the static NodePool ${static_} if it was used`);
        commands.after.push(`kubectl delete nodepool ${static_} --ignore-not-found`);
      }
    }
  }
  for (const { spec, replicas } of input.workloads)
    for (const f of replicas.flags.filter((x) => x.kind === "pdb-blocks-scale-down"))
      after(`${spec.key}: ${f.detail}`);
  for (const c of raisedMax)
    after(
      `HPA ${c.namespace}/${c.hpa}: maxReplicas back to ${c.maxReplicas.from} if the raise was only for the event`,
    );
  if (raisedMin.length)
    after(
      `minReplicas restored by the restore CronJob (or KEDA's cron end); delete the CronJobs or ScaledObjects: a cron date repeats next year`,
    );

  return {
    leadTimes: lead,
    leadSeconds,
    readyByMs,
    prescaleAtMs,
    restoreAtMs,
    hpaChanges,
    steps,
    yaml: {
      cronJobs: raisedMin.length ? toYaml(cronJobPair(name, prescaleAtMs, restoreAtMs, raisedMin, o)) : "",
      keda: toYaml(raisedMin.map((c) => kedaScaledObject(c, prescaleAtMs, restoreAtMs))),
      headroom: headroom.length ? toYaml([priorityClass(), ...headroom]) : "",
      staticNodePools: toYaml(staticPools),
    },
    commands,
  };
}
