/**
 * The demo cluster generator: a seeded simulation of a mid-size EKS cluster in us-east-1 over
 * 14 days, written as a recorded bundle (the format `--from DIR` reads). Everything that later
 * analyses must find is planted on purpose (see catalog.ts, PLANTED) and listed in `facts`.
 *
 * The simulation, hour by hour: shop traffic with a daily and weekly cycle, slow growth and a
 * 3x sale day; HPAs that follow it; pods placed on nodes the way the scheduler's least-allocated
 * scoring would; 12 five-minute samples per container and hour reduced to the hourly aggregates
 * the Prometheus collector stores; a Cost Explorer bill computed from the same node-hours and
 * prices, plus what real bills carry beside compute (EBS, data transfer, the EKS fee) and the
 * node-hours of spot nodes Karpenter replaced before the snapshot.
 */
import { gzipSync } from "node:zlib";
import { allocatable, kubeReservedCpuCores } from "../../src/core/eks/allocatable.js";
import { capacityProvisioned, fargateSize, podNeed } from "../../src/core/eks/fargate.js";
import { parseBytes, parseCores } from "../../src/core/quantity.js";
import { plantAutoscale } from "./autoscale.js";
import { applySavingsPlan, plantedBillLines, purchaseTypePage } from "./bill.js";
import { plantSnapshots } from "./bill4.js";
import { plantBillLines } from "./billlines.js";
import { type ContainerSpec, catalog, type Pool, type WorkloadSpec } from "./catalog.js";
import { readyCondition, scheduledCondition } from "./forecast3.js";
import { eksAnswers } from "./nodes.js";
import { archSelector } from "./offpeak.js";
import { type Random, seeded } from "./random.js";
import { plantWaste } from "./waste.js";

export const DEMO_CLUSTER = { name: "demo-shop", region: "us-east-1" } as const;
export const DEMO_WINDOW = { start: "2026-11-02T00:00:00Z", end: "2026-11-16T00:00:00Z" } as const;
export const DEMO_SEED = 20261116;
/** The past sale: Friday 13 November 2026, 08:00–22:00 UTC. */
export const DEMO_SALE = { start: "2026-11-13T08:00:00Z", end: "2026-11-13T22:00:00Z" } as const;

/** The window a bundle covers and the sales in it: the demo's, or an earlier run's (scripts/demo/forecast.ts). */
export interface DemoPeriod {
  window: { start: string; end: string };
  sales: ReadonlyArray<{ start: string; end: string }>;
}
export const DEMO_PERIOD: DemoPeriod = { window: DEMO_WINDOW, sales: [DEMO_SALE] };

const HOUR_MS = 3_600_000;
const SAMPLES_PER_HOUR = 12;
const MIB = 1024 ** 2;

export interface InstanceType {
  vcpu: number;
  memoryGib: number;
  maxPodsEni: number;
  maxPodsMng: number;
  arch: string;
}

export interface DemoInputs {
  seed: number;
  instanceTypes: ReadonlyMap<string, InstanceType>;
  onDemandUsdPerHour: ReadonlyMap<string, number>;
  fargateUsdPerVcpuHour: number;
  fargateUsdPerGbHour: number;
  fargateConfigurations: ReadonlyArray<{ vcpu: number; memoryGib: number }>;
}

/** Facts the bundle was built to hold, for tests and for the docs. */
export interface DemoFacts {
  nodes: number;
  ec2Nodes: number;
  fargateNodes: number;
  workloads: number;
  namespaces: string[];
  pods: number;
  usageRows: number;
  vanishedNodes: Array<{ name: string; instanceType: string; zone: string; hours: number }>;
  billedComputeUsd: number;
  billedTotalUsd: number;
  nearlyIdleNode: string;
  overProvisioned: { namespace: string; workload: string; container: string };
  oomKilled: { namespace: string; workload: string; container: string; oomKills: number };
  fargateBoundary: { namespace: string; workload: string; billed: string };
  unusedPvc: string;
  emptyLoadBalancer: string;
}

export interface DemoBundle {
  files: Map<string, string | Buffer>;
  facts: DemoFacts;
}

export interface DemoNode {
  name: string;
  pool: Exclude<Pool, "every-ec2">;
  instanceType: string;
  zone: string;
  createdAt: number;
  capacityType: "on-demand" | "spot" | "fargate";
  cpu: number;
  memoryBytes: number;
  allocCpu: number;
  allocMemory: number;
  maxPods: number;
  freeCpu: number;
  freeMemory: number;
  freePods: number;
  instanceId: string;
  /** For spot nodes Karpenter launched mid-window: the node they replaced, gone before the snapshot. */
  replaced?: { name: string; instanceId: string };
  pinnedOnly?: boolean;
}

interface Slot {
  workload: WorkloadSpec;
  ordinal: number;
  node: DemoNode;
}

// ---------------------------------------------------------------------------------------------

/** Shop traffic at hour h of the window: 1.0 is a normal weekday evening peak. */
export function traffic(h: number, period: DemoPeriod = DEMO_PERIOD): number {
  const t = Date.parse(period.window.start) + h * HOUR_MS;
  const date = new Date(t);
  const hod = date.getUTCHours();
  const daily = 0.6 + 0.4 * Math.cos((2 * Math.PI * (hod - 19)) / 24);
  const dow = date.getUTCDay();
  const weekly = dow === 0 || dow === 6 ? 0.8 : 1;
  const growth = 1 + 0.005 * ((t - Date.parse(DEMO_WINDOW.start)) / HOUR_MS / 24);
  let sale = 1;
  for (const s of period.sales)
    if (t >= Date.parse(s.start) && t < Date.parse(s.end)) {
      const into = (t - Date.parse(s.start)) / HOUR_MS;
      const left = (Date.parse(s.end) - t) / HOUR_MS;
      sale = into < 2 || left <= 2 ? 2 : 3;
    }
  return daily * weekly * growth * sale;
}

const q = {
  cpu: (text: string | undefined) =>
    text === undefined ? 0 : parseCores(text, { object: "demo catalog", field: "cpu" }),
  mem: (text: string | undefined) =>
    text === undefined ? 0 : Number(parseBytes(text, { object: "demo catalog", field: "memory" })),
};

/** What the pod needs (src/core/eks/fargate.ts): what the scheduler reserves and Fargate sizes. */
function podRequests(w: WorkloadSpec): { cpu: number; memory: number } {
  const need = podNeed(
    w.containers.map((c: ContainerSpec) => ({
      type: c.role ?? "regular",
      cpuCores: q.cpu(c.cpuRequest),
      memoryBytes: q.mem(c.memoryRequest),
    })),
  );
  return { cpu: need.cpuCores, memory: need.memoryBytes };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

// ---------------------------------------------------------------------------------------------

export function generateDemo(inputs: DemoInputs, period: DemoPeriod = DEMO_PERIOD): DemoBundle {
  const rnd = seeded(inputs.seed);
  const start = Date.parse(period.window.start);
  const end = Date.parse(period.window.end);
  const HOURS = (end - start) / HOUR_MS;
  const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
  const workloads = catalog();
  const uid = () => `${rnd.hex(8)}-${rnd.hex(4)}-4${rnd.hex(3)}-a${rnd.hex(3)}-${rnd.hex(12)}`;

  // --- nodes ----------------------------------------------------------------------------------
  const nodes: DemoNode[] = [];
  const usedIps = new Set<string>();
  const ipName = (prefix: string) => {
    for (;;) {
      const ip = `10-0-${rnd.int(16, 191)}-${rnd.int(2, 254)}`;
      if (!usedIps.has(ip)) {
        usedIps.add(ip);
        return `${prefix}ip-${ip}.ec2.internal`;
      }
    }
  };
  const instanceId = () => `i-0${rnd.hex(16)}`;
  const addNode = (
    pool: DemoNode["pool"],
    type: string,
    createdAt: number,
    capacityType: DemoNode["capacityType"],
  ) => {
    const spec = inputs.instanceTypes.get(type);
    if (!spec) throw new Error(`demo: no instance type ${type} in the reference data`);
    const maxPods = pool === "spot" ? spec.maxPodsEni : spec.maxPodsMng;
    const memoryBytes = Math.floor((spec.memoryGib * 1024 * 1024 * 0.9465) / 4) * 4 * 1024; // what the kubelet reports, in Ki
    const node: DemoNode = {
      name: ipName(""),
      pool,
      instanceType: type,
      zone: zones[nodes.length % 3]!,
      createdAt,
      capacityType,
      cpu: spec.vcpu,
      memoryBytes,
      allocCpu: spec.vcpu - kubeReservedCpuCores(spec.vcpu),
      allocMemory: allocatable({ vcpu: spec.vcpu, memoryBytes, maxPods }).memoryBytes,
      maxPods,
      freeCpu: 0,
      freeMemory: 0,
      freePods: maxPods,
      instanceId: instanceId(),
    };
    node.freeCpu = node.allocCpu;
    node.freeMemory = node.allocMemory;
    nodes.push(node);
    return node;
  };
  const longAgo = (days: number) =>
    start - days * 24 * HOUR_MS - rnd.int(0, 20) * HOUR_MS - rnd.int(0, 59) * 60_000;
  for (let i = 0; i < 18; i++) addNode("od", "m6i.xlarge", longAgo(45), "on-demand");
  for (let i = 0; i < 3; i++) addNode("graviton", "m7g.xlarge", longAgo(30), "on-demand");
  const spotTypes = [
    ...Array(3).fill("c6i.xlarge"),
    ...Array(3).fill("c6i.2xlarge"),
    ...Array(3).fill("m6a.xlarge"),
    ...Array(2).fill("m6a.2xlarge"),
    ...Array(2).fill("m7i.xlarge"),
  ] as string[];
  for (const type of spotTypes) addNode("spot", type, longAgo(rnd.int(6, 20)), "spot");
  // PLANTED: a nearly idle on-demand node (only DaemonSets and a debug pod land there).
  const idleNode = nodes[17]!;
  idleNode.pinnedOnly = true;
  // Two spot nodes Karpenter launched mid-window to replace interrupted ones, gone before the snapshot.
  const replacements = [
    nodes.find((n) => n.instanceType === "c6i.2xlarge")!,
    nodes.find((n) => n.instanceType === "m6a.xlarge")!,
  ];
  // (4 days 03:12:41 and 8 days 16:40:05 into the window)
  replacements[0]!.createdAt = start + (4 * 24 + 3) * HOUR_MS + 12 * 60_000 + 41_000;
  replacements[1]!.createdAt = start + (8 * 24 + 16) * HOUR_MS + 40 * 60_000 + 5_000;
  for (const n of replacements) n.replaced = { name: ipName(""), instanceId: instanceId() };

  // --- placement: least-allocated, as the default scheduler scores ------------------------------
  const slots: Slot[] = [];
  const place = (w: WorkloadSpec, ordinal: number, candidates: DemoNode[]) => {
    const req = podRequests(w);
    const fits = candidates.filter(
      (n) => n.freeCpu >= req.cpu && n.freeMemory >= req.memory && n.freePods >= 1,
    );
    if (fits.length === 0)
      throw new Error(`demo: no ${w.pool} node fits ${w.namespace}/${w.name} #${ordinal}`);
    const score = (n: DemoNode) =>
      (n.freeCpu - req.cpu) / n.allocCpu + (n.freeMemory - req.memory) / n.allocMemory;
    const node = fits.reduce((best, n) => (score(n) > score(best) ? n : best));
    node.freeCpu -= req.cpu;
    node.freeMemory -= req.memory;
    node.freePods -= 1;
    slots.push({ workload: w, ordinal, node });
  };
  const ec2 = nodes.filter((n) => n.pool !== "fargate");
  const slotCount = (w: WorkloadSpec) => (w.hpa ? w.hpa.max : w.replicas);
  for (const w of workloads.filter((w) => w.kind === "DaemonSet")) {
    for (const [i, n] of ec2.entries()) place(w, i, [n]);
  }
  const bySize = workloads
    .filter((w) => w.kind !== "DaemonSet" && w.pool !== "fargate")
    .sort((a, b) => podRequests(b).cpu - podRequests(a).cpu || a.name.localeCompare(b.name));
  for (const w of bySize) {
    const pool = nodes.filter((n) => n.pool === w.pool && !n.pinnedOnly);
    for (let i = 0; i < slotCount(w); i++) place(w, i, w.name === "debug-shell" ? [idleNode] : pool);
  }
  for (const w of workloads.filter((w) => w.pool === "fargate")) {
    for (let i = 0; i < slotCount(w); i++) {
      const node: DemoNode = {
        ...addNode("fargate", "m6i.xlarge", longAgo(rnd.int(2, 9)), "fargate"),
        name: ipName("fargate-"),
        pool: "fargate",
        capacityType: "fargate",
      };
      nodes.pop();
      nodes.push(node);
      node.freeCpu = node.allocCpu = 1e9;
      node.freeMemory = node.allocMemory = 1e15;
      slots.push({ workload: w, ordinal: i, node });
    }
  }

  // --- hourly simulation ----------------------------------------------------------------------
  const header =
    "hour,namespace,pod,container,node,workload_kind,workload_name,cpu_avg_cores,cpu_p95_cores,cpu_max_cores,memory_avg_bytes,memory_max_bytes,cpu_request_cores,memory_request_bytes,cpu_throttled_ratio,oom_kills,restarts,samples";
  const lines: string[] = [header];
  const replicasAt = new Map<WorkloadSpec, number[]>();
  for (const w of workloads) {
    const series = Array.from({ length: HOURS }, (_, h) => {
      const c = w.containers[0]!;
      // An HPA without a CPU request to measure against keeps the replicas it has (offpeak.ts).
      if (!w.hpa || !c.cpuRequest) return w.replicas;
      const demand = c.usage.cpu * w.replicas * traffic(h, period);
      const desired = Math.ceil(demand / ((q.cpu(c.cpuRequest) * w.hpa.cpuUtilization) / 100));
      return Math.min(w.hpa.max, Math.max(w.hpa.min, desired));
    });
    replicasAt.set(w, series);
  }

  interface PodLife {
    name: string;
    slot: Slot;
    firstHour: number;
    lastHour: number;
    rsHash: string | undefined;
    jobName: string | undefined;
    oomKills: number;
    lastOomAt: number | undefined;
    restarts: number;
  }
  const lives: PodLife[] = [];
  const rsHashes = new Map<WorkloadSpec, [string, string]>();
  for (const w of workloads) rsHashes.set(w, [rnd.alnum(10), rnd.alnum(10)]);
  const leakState = new Map<string, number>();
  let oomTotal = 0;

  const podName = (
    slot: Slot,
    h: number,
    incarnation: number,
  ): { name: string; rsHash?: string; jobName?: string } => {
    const w = slot.workload;
    switch (w.kind) {
      case "StatefulSet":
        return { name: `${w.name}-${slot.ordinal}` };
      case "DaemonSet":
        return { name: `${w.name}-${rnd.alnum(5)}` };
      case "Pod":
        return { name: w.name };
      case "CronJob": {
        const scheduled = Math.floor((start + h * HOUR_MS) / 60_000);
        const jobName = `${w.name}-${scheduled}`;
        return { name: `${jobName}-${rnd.alnum(5)}`, jobName };
      }
      default: {
        const hashes = rsHashes.get(w)!;
        const rsHash = w.rolledOutMidWindow && h >= HOURS / 2 ? hashes[1] : hashes[0];
        return { name: `${w.name}-${rsHash}-${rnd.alnum(5)}${incarnation > 0 ? "" : ""}`, rsHash };
      }
    }
  };

  for (const slot of slots) {
    const w = slot.workload;
    let life: PodLife | undefined;
    let incarnation = 0;
    for (let h = 0; h < HOURS; h++) {
      const hourStart = start + h * HOUR_MS;
      let exists: boolean;
      if (w.kind === "CronJob") {
        const hod = new Date(hourStart).getUTCHours();
        exists = w.schedule!.hours.some((s) => hod >= s && hod < s + w.schedule!.runHours);
      } else if (w.kind === "Deployment" && w.hpa) {
        exists = slot.ordinal < replicasAt.get(w)![h]!;
      } else {
        exists = true;
      }
      const newRs = w.rolledOutMidWindow && h === HOURS / 2;
      if (!exists || newRs || (w.kind === "CronJob" && life && !isSameRun(w, life.firstHour, h))) {
        if (life) lives.push(life);
        life = undefined;
        if (!exists) continue;
      }
      const onReplacedNode = slot.node.replaced && hourStart < slot.node.createdAt;
      if (!life) {
        const named = podName(slot, h, incarnation++);
        life = {
          name: named.name,
          slot,
          firstHour: h,
          lastHour: h,
          rsHash: named.rsHash,
          jobName: named.jobName,
          oomKills: 0,
          lastOomAt: undefined,
          restarts: 0,
        };
      }
      life.lastHour = h;
      const nodeName = onReplacedNode ? slot.node.replaced!.name : slot.node.name;
      // A DaemonSet pod or a pod pinned to a replaced node moved when the node was replaced.
      const load = traffic(h, period);
      const replicas = w.kind === "Deployment" && w.hpa ? replicasAt.get(w)![h]! : Math.max(1, w.replicas);
      for (const c of w.containers) {
        if (c.role === "init") continue;
        const cpuLimit = c.cpuLimit === undefined ? Number.POSITIVE_INFINITY : q.cpu(c.cpuLimit);
        const memLimit = c.memoryLimit === undefined ? Number.POSITIVE_INFINITY : q.mem(c.memoryLimit);
        const perPodCpu = c.usage.traffic
          ? w.hpa
            ? (c.usage.cpu * w.replicas * load) / replicas
            : c.usage.cpu * load
          : c.usage.cpu;
        const noise = c.usage.noise ?? 0.12;
        const cpuSamples: number[] = [];
        const memSamples: number[] = [];
        let throttled = 0;
        let ooms = 0;
        const key = `${life.name}/${c.name}`;
        for (let s = 0; s < SAMPLES_PER_HOUR; s++) {
          let cpu = Math.max(0.0005, perPodCpu * (1 + noise * rnd.normal()));
          if (rnd.next() < 0.01) cpu *= 2.5; // a short burst now and then
          if (cpu > cpuLimit * 0.8) throttled += Math.min(1, (cpu - cpuLimit * 0.8) / (cpuLimit * 0.4));
          cpu = Math.min(cpu, cpuLimit);
          cpuSamples.push(cpu);
          let mem = c.usage.memory + (c.usage.memoryPerTraffic ?? 0) * (c.usage.traffic ? load : 1);
          mem *= 1 + 0.02 * rnd.normal();
          if (c.usage.leaksToLimit) {
            const leaked = (leakState.get(key) ?? 0) + (6 * MIB * (1 + 0.3 * rnd.next())) / SAMPLES_PER_HOUR;
            leakState.set(key, leaked);
            mem += leaked;
            if (mem >= memLimit) {
              mem = memLimit;
              ooms++;
              leakState.set(key, 0);
            }
          }
          memSamples.push(Math.min(Math.round(mem), memLimit));
        }
        if (ooms > 0) {
          life.oomKills += ooms;
          life.restarts += ooms;
          life.lastOomAt = hourStart + 45 * 60_000;
          oomTotal += ooms;
        }
        const sorted = [...cpuSamples].sort((a, b) => a - b);
        const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
        const f = (x: number) => (Math.round(x * 1e5) / 1e5).toString();
        lines.push(
          [
            iso(hourStart),
            w.namespace,
            life.name,
            c.name,
            nodeName,
            w.kind === "CronJob" ? "CronJob" : w.kind,
            w.name,
            f(cpuSamples.reduce((a, b) => a + b, 0) / cpuSamples.length),
            f(p95),
            f(sorted[sorted.length - 1]!),
            Math.round(memSamples.reduce((a, b) => a + b, 0) / memSamples.length),
            Math.max(...memSamples),
            c.cpuRequest === undefined ? "" : q.cpu(c.cpuRequest),
            c.memoryRequest === undefined ? "" : q.mem(c.memoryRequest),
            Number.isFinite(cpuLimit) ? f(throttled / SAMPLES_PER_HOUR) : "",
            ooms,
            ooms,
            SAMPLES_PER_HOUR,
          ].join(","),
        );
      }
    }
    if (life) lives.push(life);
  }

  function isSameRun(w: WorkloadSpec, firstHour: number, h: number): boolean {
    return h - firstHour < w.schedule!.runHours;
  }

  // --- Kubernetes objects at the snapshot (window end) -----------------------------------------
  const snapshotHour = HOURS - 1;
  const current = lives.filter((l) => l.lastHour === snapshotHour);
  // The last finished run of each CronJob stays as a Succeeded pod, as Jobs keep them.
  const finishedJobs = new Map<string, PodLife>();
  for (const l of lives)
    if (l.slot.workload.kind === "CronJob" && l.lastHour < snapshotHour)
      finishedJobs.set(l.slot.workload.name, l);

  const fargateAnnotation = (w: WorkloadSpec) => {
    const req = podRequests(w);
    const size = fargateSize({ cpuCores: req.cpu, memoryBytes: req.memory }, inputs.fargateConfigurations);
    if (!size) throw new Error(`demo: no Fargate size holds ${w.namespace}/${w.name}`);
    return capacityProvisioned(size);
  };
  const ownerRef = (apiVersion: string, kind: string, name: string) => ({
    apiVersion,
    kind,
    name,
    uid: uid(),
    controller: true,
    blockOwnerDeletion: true,
  });
  const resources = (c: ContainerSpec) => {
    const requests: Record<string, string> = {};
    const limits: Record<string, string> = {};
    if (c.cpuRequest) requests.cpu = c.cpuRequest;
    if (c.memoryRequest) requests.memory = c.memoryRequest;
    if (c.cpuLimit) limits.cpu = c.cpuLimit;
    if (c.memoryLimit) limits.memory = c.memoryLimit;
    return {
      ...(Object.keys(requests).length ? { requests } : {}),
      ...(Object.keys(limits).length ? { limits } : {}),
    };
  };
  const qos = (w: WorkloadSpec) => {
    const cs = w.containers;
    if (cs.every((c) => !c.cpuRequest && !c.memoryRequest && !c.cpuLimit && !c.memoryLimit))
      return "BestEffort";
    if (
      cs.every(
        (c) =>
          c.cpuLimit && c.memoryLimit && c.cpuRequest === c.cpuLimit && c.memoryRequest === c.memoryLimit,
      )
    ) {
      return "Guaranteed";
    }
    return "Burstable";
  };
  const labelsOf = (w: WorkloadSpec) => ({
    "app.kubernetes.io/name": w.name,
    "app.kubernetes.io/part-of": w.namespace,
    team: w.team,
    ...(w.labels ?? {}),
  });

  const podObject = (l: PodLife, phase: "Running" | "Succeeded") => {
    const w = l.slot.workload;
    const created = start + l.firstHour * HOUR_MS + rnd.int(0, 1800) * 1000;
    const labels: Record<string, string> = { ...labelsOf(w) };
    const annotations: Record<string, string> = {};
    let owner: object | undefined;
    if (w.kind === "Deployment") {
      labels["pod-template-hash"] = l.rsHash!;
      owner = ownerRef("apps/v1", "ReplicaSet", `${w.name}-${l.rsHash}`);
    } else if (w.kind === "StatefulSet") {
      labels["statefulset.kubernetes.io/pod-name"] = l.name;
      owner = ownerRef("apps/v1", "StatefulSet", w.name);
    } else if (w.kind === "DaemonSet") {
      owner = ownerRef("apps/v1", "DaemonSet", w.name);
    } else if (w.kind === "CronJob") {
      labels["batch.kubernetes.io/job-name"] = l.jobName!;
      owner = ownerRef("batch/v1", "Job", l.jobName!);
    }
    const node = l.slot.node;
    if (w.pool === "fargate") {
      labels["eks.amazonaws.com/fargate-profile"] = "fp-reports";
      annotations.CapacityProvisioned = w.fargateAnnotationOverride ?? fargateAnnotation(w);
      annotations.Logging = "LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND";
    }
    if (w.name === "postgres" || w.name === "kafka") annotations["karpenter.sh/do-not-disrupt"] = "true";
    if (w.kind === "StatefulSet") annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"] = "false";
    const volumes: object[] = [
      { name: "kube-api-access", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } },
    ];
    if (w.emptyDir) volumes.push({ name: "cache", emptyDir: { sizeLimit: "1Gi" } });
    if (w.name === "fluent-bit") volumes.push({ name: "varlog", hostPath: { path: "/var/log" } });
    if (w.volumeGiB) volumes.push({ name: "data", persistentVolumeClaim: { claimName: `data-${l.name}` } });
    const status = (c: ContainerSpec) => {
      const restarts = c.usage.leaksToLimit ? l.restarts + rnd.int(0, 2) : 0;
      return {
        name: c.name,
        image: c.image,
        ready: phase === "Running",
        restartCount: restarts,
        started: phase === "Running",
        state:
          phase === "Running"
            ? { running: { startedAt: iso(l.lastOomAt ?? created + 20_000) } }
            : {
                terminated: {
                  exitCode: 0,
                  reason: "Completed",
                  finishedAt: iso(start + (l.lastHour + 1) * HOUR_MS - 600_000),
                },
              },
        lastState:
          l.lastOomAt && c.usage.leaksToLimit
            ? {
                terminated: {
                  exitCode: 137,
                  reason: "OOMKilled",
                  finishedAt: iso(l.lastOomAt - 2000),
                  startedAt: iso(created),
                },
              }
            : {},
      };
    };
    const initContainers = w.containers
      .filter((c) => c.role !== undefined)
      .map((c) => ({
        name: c.name,
        image: c.image,
        resources: resources(c),
        ...(c.role === "sidecar" ? { restartPolicy: "Always" } : {}),
      }));
    const regular = w.containers.filter((c) => c.role === undefined);
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: l.name,
        namespace: w.namespace,
        uid: uid(),
        creationTimestamp: iso(created),
        labels,
        annotations,
        ...(owner ? { ownerReferences: [owner] } : {}),
      },
      spec: {
        ...(initContainers.length ? { initContainers } : {}),
        containers: regular.map((c) => ({ name: c.name, image: c.image, resources: resources(c) })),
        nodeName: node.name,
        schedulerName: w.pool === "fargate" ? "fargate-scheduler" : "default-scheduler",
        priorityClassName: w.namespace === "kube-system" ? "system-node-critical" : undefined,
        terminationGracePeriodSeconds: w.kind === "StatefulSet" ? 120 : 30,
        restartPolicy: w.kind === "CronJob" ? "OnFailure" : "Always",
        volumes,
        ...(w.pool === "spot" ? { nodeSelector: { "karpenter.sh/capacity-type": "spot" } } : {}),
        ...(Object.keys(archSelector(w)).length ? { nodeSelector: archSelector(w) } : {}),
      },
      status: {
        phase,
        qosClass: qos(w),
        hostIP: node.name
          .replace(/^(fargate-)?ip-/, "")
          .replace(".ec2.internal", "")
          .replaceAll("-", "."),
        startTime: iso(created + 2000),
        conditions: [scheduledCondition(l.name, created)],
        ...(initContainers.length
          ? {
              initContainerStatuses: w.containers
                .filter((c) => c.role)
                .map((c) => ({ ...status(c), restartCount: 0 })),
            }
          : {}),
        containerStatuses: regular.map(status),
      },
    };
  };

  const pods = [
    ...current.map((l) => podObject(l, "Running")),
    ...[...finishedJobs.values()].map((l) => podObject(l, "Succeeded")),
  ];

  const nodeObject = (n: DemoNode) => {
    const spec = inputs.instanceTypes.get(n.instanceType)!;
    const fargate = n.pool === "fargate";
    const labels: Record<string, string> = {
      "kubernetes.io/arch": fargate ? "amd64" : spec.arch === "arm64" ? "arm64" : "amd64",
      "kubernetes.io/os": "linux",
      "kubernetes.io/hostname": n.name,
      "topology.kubernetes.io/region": DEMO_CLUSTER.region,
      "topology.kubernetes.io/zone": n.zone,
    };
    if (fargate) {
      labels["eks.amazonaws.com/compute-type"] = "fargate";
      labels["failure-domain.beta.kubernetes.io/zone"] = n.zone;
    } else {
      labels["node.kubernetes.io/instance-type"] = n.instanceType;
      labels["beta.kubernetes.io/instance-type"] = n.instanceType;
    }
    if (n.pool === "od" || n.pool === "graviton") {
      labels["eks.amazonaws.com/nodegroup"] = n.pool === "od" ? "general-od" : "graviton-od";
      labels["eks.amazonaws.com/capacityType"] = "ON_DEMAND";
      labels["eks.amazonaws.com/nodegroup-image"] = "ami-0c3a1b2d4e5f60718";
    }
    if (n.pool === "spot") {
      labels["karpenter.sh/nodepool"] = "spot-general";
      labels["karpenter.sh/capacity-type"] = "spot";
      labels["karpenter.k8s.aws/instance-family"] = n.instanceType.split(".")[0]!;
      labels["karpenter.sh/initialized"] = "true";
    }
    const taints = fargate
      ? [{ key: "eks.amazonaws.com/compute-type", value: "fargate", effect: "NoSchedule" }]
      : n.pinnedOnly
        ? [{ key: "dedicated", value: "reporting", effect: "NoSchedule" }]
        : [];
    const memKi = `${n.memoryBytes / 1024}Ki`;
    const providerID = fargate
      ? `aws:///${n.zone}/${rnd.hex(32)}/${n.name}`
      : `aws:///${n.zone}/${n.instanceId}`;
    const capacity = fargate
      ? { cpu: "2", memory: "4037620Ki", pods: "1", "ephemeral-storage": "30787492Ki" }
      : { cpu: String(n.cpu), memory: memKi, pods: String(n.maxPods), "ephemeral-storage": "83873772Ki" };
    const allocatable = fargate
      ? { cpu: "2", memory: "3935220Ki", pods: "1", "ephemeral-storage": "28373741339" }
      : {
          cpu: `${Math.round(n.allocCpu * 1000)}m`,
          memory: `${Math.floor(n.allocMemory / 1024)}Ki`,
          pods: String(n.maxPods),
          "ephemeral-storage": "76224326324",
        };
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: n.name, uid: uid(), creationTimestamp: iso(n.createdAt), labels },
      spec: { providerID, ...(taints.length ? { taints } : {}) },
      status: {
        capacity,
        allocatable,
        nodeInfo: {
          architecture: labels["kubernetes.io/arch"],
          operatingSystem: "linux",
          kubeletVersion: fargate ? "v1.33.5-eks-113cf36" : "v1.33.5-eks-ba74326",
          osImage: fargate ? "Amazon Linux 2" : "Amazon Linux 2023.9.20251110",
          containerRuntimeVersion: "containerd://1.7.27",
        },
        conditions: [readyCondition(n.name, n.createdAt)],
      },
    };
  };

  // Workload objects.
  const deployments: object[] = [];
  const replicaSets: object[] = [];
  const statefulSets: object[] = [];
  const daemonSets: object[] = [];
  const cronJobs: object[] = [];
  const jobs: object[] = [];
  const hpas: object[] = [];
  const pdbs: object[] = [];
  const pvcs: object[] = [];
  const templateOf = (w: WorkloadSpec) => ({
    metadata: { labels: labelsOf(w) },
    spec: {
      containers: w.containers
        .filter((c) => !c.role)
        .map((c) => ({ name: c.name, image: c.image, resources: resources(c) })),
    },
  });
  const meta = (w: WorkloadSpec, created: number) => ({
    name: w.name,
    namespace: w.namespace,
    uid: uid(),
    creationTimestamp: iso(created),
    labels: labelsOf(w),
  });
  const replicasNow = (w: WorkloadSpec) => (w.hpa ? replicasAt.get(w)![snapshotHour]! : w.replicas);
  const ec2Count = ec2.length;
  for (const w of workloads) {
    const created = start - rnd.int(20, 200) * 24 * HOUR_MS;
    const selector = { matchLabels: { "app.kubernetes.io/name": w.name } };
    if (w.kind === "Deployment") {
      const n = replicasNow(w);
      deployments.push({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: meta(w, created),
        spec: {
          replicas: n,
          selector,
          template: templateOf(w),
          strategy: {
            type: "RollingUpdate",
            rollingUpdate: { maxSurge: "25%", maxUnavailable: w.name === "frontend" ? "10%" : "25%" },
          },
        },
        status: { replicas: n, readyReplicas: n, availableReplicas: n },
      });
      const hashes = rsHashes.get(w)!;
      for (const [i, hash] of (w.rolledOutMidWindow ? hashes : [hashes[0]]).entries()) {
        const live = !w.rolledOutMidWindow || i === 1;
        replicaSets.push({
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          metadata: {
            name: `${w.name}-${hash}`,
            namespace: w.namespace,
            uid: uid(),
            creationTimestamp: iso(i === 1 ? start + (HOURS / 2) * HOUR_MS : created),
            labels: { ...labelsOf(w), "pod-template-hash": hash },
            ownerReferences: [ownerRef("apps/v1", "Deployment", w.name)],
          },
          spec: { replicas: live ? n : 0, selector },
          status: { replicas: live ? n : 0, readyReplicas: live ? n : 0 },
        });
      }
    } else if (w.kind === "StatefulSet") {
      statefulSets.push({
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: meta(w, created),
        spec: {
          replicas: w.replicas,
          selector,
          serviceName: w.name,
          template: templateOf(w),
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
          volumeClaimTemplates: [
            {
              metadata: { name: "data" },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: "gp3",
                resources: { requests: { storage: `${w.volumeGiB}Gi` } },
              },
            },
          ],
        },
        status: { replicas: w.replicas, readyReplicas: w.replicas },
      });
      for (let i = 0; i < w.replicas + (w.name === "kafka" ? 1 : 0); i++) {
        // PLANTED: kafka was scaled from 4 to 3 brokers; data-kafka-3 is bound but no pod uses it.
        pvcs.push({
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: {
            name: `data-${w.name}-${i}`,
            namespace: w.namespace,
            uid: uid(),
            creationTimestamp: iso(created),
            labels: labelsOf(w),
          },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "gp3",
            resources: { requests: { storage: `${w.volumeGiB}Gi` } },
            volumeName: `pvc-${uid()}`,
          },
          status: { phase: "Bound", capacity: { storage: `${w.volumeGiB}Gi` } },
        });
      }
    } else if (w.kind === "DaemonSet") {
      daemonSets.push({
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: meta(w, created),
        spec: {
          selector,
          template: templateOf(w),
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
        },
        status: { desiredNumberScheduled: ec2Count, numberReady: ec2Count, currentNumberScheduled: ec2Count },
      });
    } else if (w.kind === "CronJob") {
      const schedule = `0 ${w.schedule!.hours.join(",")} * * *`;
      cronJobs.push({
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: meta(w, created),
        spec: { schedule, concurrencyPolicy: "Forbid", jobTemplate: { spec: { template: templateOf(w) } } },
        status: {},
      });
      const last = finishedJobs.get(w.name);
      if (last) {
        jobs.push({
          apiVersion: "batch/v1",
          kind: "Job",
          metadata: {
            name: last.jobName,
            namespace: w.namespace,
            uid: uid(),
            creationTimestamp: iso(start + last.firstHour * HOUR_MS),
            labels: labelsOf(w),
            ownerReferences: [ownerRef("batch/v1", "CronJob", w.name)],
          },
          spec: { completions: 1, parallelism: 1, template: templateOf(w) },
          status: { succeeded: 1 },
        });
      }
    }
    if (w.hpa) {
      hpas.push({
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: w.name, namespace: w.namespace, uid: uid(), creationTimestamp: iso(created) },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: w.name },
          minReplicas: w.hpa.min,
          maxReplicas: w.hpa.max,
          metrics: [
            {
              type: "Resource",
              resource: {
                name: "cpu",
                target: { type: "Utilization", averageUtilization: w.hpa.cpuUtilization },
              },
            },
          ],
        },
        status: { currentReplicas: replicasNow(w), desiredReplicas: replicasNow(w) },
      });
    }
    if (w.pdb) {
      pdbs.push({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: w.name, namespace: w.namespace, uid: uid(), creationTimestamp: iso(created) },
        spec: { selector, ...w.pdb },
        status: { expectedPods: replicasNow(w) },
      });
    }
  }

  const services: object[] = [];
  const endpoints: object[] = [];
  for (const w of workloads.filter((w) => w.kind === "Deployment" || w.kind === "StatefulSet")) {
    const type = w.name === "frontend" ? "LoadBalancer" : "ClusterIP";
    services.push(serviceObject(w.namespace, w.name, type, { "app.kubernetes.io/name": w.name }, uid));
    const ready = current.filter((l) => l.slot.workload === w);
    endpoints.push({
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: w.name, namespace: w.namespace },
      subsets: ready.length
        ? [
            {
              addresses: ready.map((l) => ({
                targetRef: { kind: "Pod", name: l.name, namespace: w.namespace },
              })),
              ports: [{ port: 8080, protocol: "TCP" }],
            },
          ]
        : [],
    });
  }
  // PLANTED: a LoadBalancer Service whose selector matches no pod.
  services.push(
    serviceObject("shop", "legacy-storefront", "LoadBalancer", { app: "legacy-storefront" }, uid),
  );
  endpoints.push({
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: "legacy-storefront", namespace: "shop" },
  });

  const namespaces = [...new Set(workloads.map((w) => w.namespace))].sort();
  const list = (kind: string, apiVersion: string, items: object[]) =>
    `${JSON.stringify({ apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" }, items: items.map((i) => ({ apiVersion, kind, ...i })) }, null, 1)}\n`;

  const k8s = `kubernetes/${DEMO_CLUSTER.name}`;
  const files = new Map<string, string | Buffer>();
  files.set(`${k8s}/nodes.json`, list("Node", "v1", nodes.map(nodeObject)));
  files.set(`${k8s}/pods.json`, list("Pod", "v1", pods));
  files.set(`${k8s}/deployments.json`, list("Deployment", "apps/v1", deployments));
  files.set(`${k8s}/replicasets.json`, list("ReplicaSet", "apps/v1", replicaSets));
  files.set(`${k8s}/statefulsets.json`, list("StatefulSet", "apps/v1", statefulSets));
  files.set(`${k8s}/daemonsets.json`, list("DaemonSet", "apps/v1", daemonSets));
  files.set(`${k8s}/cronjobs.json`, list("CronJob", "batch/v1", cronJobs));
  files.set(`${k8s}/jobs.json`, list("Job", "batch/v1", jobs));
  files.set(`${k8s}/horizontalpodautoscalers.json`, list("HorizontalPodAutoscaler", "autoscaling/v2", hpas));
  files.set(`${k8s}/poddisruptionbudgets.json`, list("PodDisruptionBudget", "policy/v1", pdbs));
  files.set(`${k8s}/persistentvolumeclaims.json`, list("PersistentVolumeClaim", "v1", pvcs));
  files.set(`${k8s}/services.json`, list("Service", "v1", services));
  files.set(`${k8s}/endpoints.json`, list("Endpoints", "v1", endpoints));
  files.set(
    `${k8s}/namespaces.json`,
    list(
      "Namespace",
      "v1",
      namespaces.map((name) => ({
        metadata: { name, uid: uid(), labels: { "kubernetes.io/metadata.name": name } },
        status: { phase: "Active" },
      })),
    ),
  );
  files.set(
    `prometheus/${DEMO_CLUSTER.name}/usage_hourly.csv.gz`,
    gzipSync(`${lines.join("\n")}\n`, { level: 9 }),
  );

  // PLANTED for issue 21: two more node groups, their pods, pending runners, HPA conditions.
  const autoscale = plantAutoscale(files, {
    cluster: DEMO_CLUSTER,
    start,
    end,
    period,
    inputs,
    seed: inputs.seed,
  });

  // --- spot price history and the bill --------------------------------------------------------
  const spotNodes = nodes.filter((n) => n.capacityType === "spot");
  const spot = spotHistory(rnd, spotNodes, inputs.onDemandUsdPerHour, start, end);
  files.set(`aws/${DEMO_CLUSTER.name}/spot-price-history.json`, `${JSON.stringify(spot.pages, null, 1)}\n`);

  const vanished = spotNodes
    .filter((n) => n.replaced)
    .map((n) => ({
      name: n.replaced!.name,
      instanceType: n.instanceType,
      zone: n.zone,
      hours: (n.createdAt - start) / HOUR_MS,
    }));
  const bill = billFor({
    rnd,
    nodes: [...nodes, ...autoscale.nodes],
    spot: spot.priceAt,
    onDemand: inputs.onDemandUsdPerHour,
    fargateLives: lives.filter((l) => l.slot.workload.pool === "fargate"),
    fargateBilled: (w) => {
      const text = w.fargateAnnotationOverride ?? fargateAnnotation(w);
      const m = /^(.*?)vCPU (.*?)GB$/.exec(text)!;
      return { vcpu: Number(m[1]), gb: Number(m[2]) };
    },
    fargateRates: { vcpu: inputs.fargateUsdPerVcpuHour, gb: inputs.fargateUsdPerGbHour },
    pvcGiB: pvcs.reduce(
      (a: number, p) =>
        a + Number.parseInt((p as { status: { capacity: { storage: string } } }).status.capacity.storage, 10),
      0,
    ),
    start,
    end,
  });
  files.set(`aws/${DEMO_CLUSTER.name}/cost-and-usage.json`, `${JSON.stringify(bill.pages, null, 1)}\n`);
  const inGroup = (pool: DemoNode["pool"]) => nodes.filter((n) => n.pool === pool).length;
  files.set(
    `aws/${DEMO_CLUSTER.name}/eks.json`,
    eksAnswers(DEMO_CLUSTER, { "general-od": inGroup("od"), "graviton-od": inGroup("graviton") }),
  );
  autoscale.addNodegroups(files);
  plantWaste(files, DEMO_CLUSTER);
  const billLinesUsd = plantBillLines(files, DEMO_CLUSTER);
  plantSnapshots(files, DEMO_CLUSTER);

  const manifest = {
    format: "capacity-bundle/1",
    createdAt: period.window.end,
    window: period.window,
    clusters: [DEMO_CLUSTER],
    generator: { script: "scripts/make-demo.ts", seed: inputs.seed },
    sources: {
      kubernetes: "kubernetes/<cluster>/<resource>.json: kubectl -o json List documents",
      prometheus:
        "prometheus/<cluster>/usage_hourly.csv.gz: hourly aggregates per container; pending_pods_hourly.csv: the hours each pod was Pending (see docs/bundle.md)",
      "cost-explorer": "aws/<cluster>/cost-and-usage.json: GetCostAndUsage responses, one per page",
      "spot-history":
        "aws/<cluster>/spot-price-history.json: DescribeSpotPriceHistory responses, one per page",
      eks: "aws/<cluster>/eks.json: DescribeCluster, DescribeNodegroup and DescribeFargateProfile answers",
    },
  };
  files.set("bundle.json", `${JSON.stringify(manifest, null, 2)}\n`);

  const over = workloads.find((w) => w.name === "recommendations")!;
  const ledger = workloads.find((w) => w.name === "ledger")!;
  return {
    files,
    facts: {
      nodes: nodes.length + autoscale.nodes.length,
      ec2Nodes: ec2.length + autoscale.nodes.length,
      fargateNodes: nodes.length - ec2.length,
      workloads: workloads.length,
      namespaces,
      pods: pods.length + autoscale.pods,
      usageRows: lines.length - 1,
      vanishedNodes: vanished,
      billedComputeUsd: bill.computeUsd,
      billedTotalUsd: bill.totalUsd + billLinesUsd,
      nearlyIdleNode: idleNode.name,
      overProvisioned: {
        namespace: over.namespace,
        workload: over.name,
        container: over.containers[0]!.name,
      },
      oomKilled: {
        namespace: ledger.namespace,
        workload: ledger.name,
        container: "ledger",
        oomKills: oomTotal,
      },
      fargateBoundary: { namespace: "reports", workload: "report-renderer", billed: "2vCPU 9GB" },
      unusedPvc: "data/data-kafka-3",
      emptyLoadBalancer: "shop/legacy-storefront",
    },
  };
}

function serviceObject(
  namespace: string,
  name: string,
  type: string,
  selector: Record<string, string>,
  uid: () => string,
) {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name,
      namespace,
      uid: uid(),
      ...(type === "LoadBalancer"
        ? { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } }
        : {}),
    },
    spec: { type, selector, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] },
    status:
      type === "LoadBalancer"
        ? {
            loadBalancer: {
              ingress: [{ hostname: `k8s-${namespace}-${name}-0123456789.elb.us-east-1.amazonaws.com` }],
            },
          }
        : {},
  };
}

// ---------------------------------------------------------------------------------------------

function spotHistory(
  rnd: Random,
  spotNodes: DemoNode[],
  onDemand: ReadonlyMap<string, number>,
  start: number,
  end: number,
) {
  const points: Array<{
    AvailabilityZone: string;
    InstanceType: string;
    ProductDescription: string;
    SpotPrice: string;
    Timestamp: string;
  }> = [];
  const series = new Map<string, Array<{ at: number; price: number }>>();
  const keys = [...new Set(spotNodes.map((n) => `${n.instanceType}|${n.zone}`))].sort();
  for (const key of keys) {
    const [type, zone] = key.split("|") as [string, string];
    const od = onDemand.get(type);
    if (od === undefined) throw new Error(`demo: no on-demand price for ${type}`);
    let price = od * rnd.between(0.3, 0.42);
    let at = start - rnd.int(2, 40) * HOUR_MS - rnd.int(0, 3599) * 1000;
    const changes: Array<{ at: number; price: number }> = [];
    while (at < end) {
      changes.push({ at, price: Math.round(price * 10000) / 10000 });
      at += rnd.int(18, 60) * HOUR_MS + rnd.int(0, 3599) * 1000;
      price = Math.min(od * 0.6, Math.max(od * 0.25, price * (1 + rnd.between(-0.08, 0.08))));
    }
    series.set(key, changes);
    for (const c of changes) {
      points.push({
        AvailabilityZone: zone,
        InstanceType: type,
        ProductDescription: "Linux/UNIX",
        SpotPrice: c.price.toFixed(6),
        Timestamp: new Date(c.at).toISOString(),
      });
    }
  }
  points.sort(
    (a, b) => b.Timestamp.localeCompare(a.Timestamp) || a.InstanceType.localeCompare(b.InstanceType),
  );
  const half = Math.ceil(points.length / 2);
  const pages = [
    { NextToken: "eyJ2IjoiMiIsImMiOiJkZW1vLXNwb3QtcGFnZS0yIn0=", SpotPriceHistory: points.slice(0, half) },
    { NextToken: "", SpotPriceHistory: points.slice(half) },
  ];
  const priceAt = (type: string, zone: string, at: number): number => {
    const changes = series.get(`${type}|${zone}`)!;
    let current = changes[0]!.price;
    for (const c of changes) if (c.at <= at) current = c.price;
    return current;
  };
  return { pages, priceAt };
}

interface BillInputs {
  rnd: Random;
  nodes: DemoNode[];
  spot: (type: string, zone: string, at: number) => number;
  onDemand: ReadonlyMap<string, number>;
  fargateLives: Array<{ firstHour: number; lastHour: number; slot: Slot }>;
  fargateBilled: (w: WorkloadSpec) => { vcpu: number; gb: number };
  fargateRates: { vcpu: number; gb: number };
  pvcGiB: number;
  start: number;
  end: number;
}

/**
 * The Cost Explorer bill for the cluster's tag, DAILY, grouped by SERVICE × USAGE_TYPE, as two
 * pages of GetCostAndUsage responses. Prices of lines beside compute are the public us-east-1
 * list prices (gp3 USD 0.08 per GB-month prorated over the month's hours, EKS USD 0.10 per
 * cluster-hour, as in data/reference/service-prices.csv; inter-AZ data transfer USD 0.01 per GB,
 * which the model does not price and the reconciliation shows apart).
 */
function billFor(b: BillInputs) {
  const days = (b.end - b.start) / (24 * HOUR_MS);
  type Line = {
    service: string;
    usageType: string;
    usd: number;
    quantity: number;
    unit: string;
    amortizedUsd?: number;
  };
  const perDay: Line[][] = Array.from({ length: days }, () => []);
  const add = (
    day: number,
    service: string,
    usageType: string,
    usd: number,
    quantity: number,
    unit: string,
  ) => {
    const lines = perDay[day]!;
    const line = lines.find((l) => l.usageType === usageType);
    if (line) {
      line.usd += usd;
      line.quantity += quantity;
    } else lines.push({ service, usageType, usd, quantity, unit });
  };
  const EC2 = "Amazon Elastic Compute Cloud - Compute";
  const EKS = "Amazon Elastic Container Service for Kubernetes";
  let computeUsd = 0;
  for (const n of b.nodes.filter((n) => n.pool !== "fargate")) {
    const lives: Array<{ from: number; to: number }> = n.replaced
      ? [
          { from: b.start, to: n.createdAt },
          { from: n.createdAt, to: b.end },
        ]
      : [{ from: Math.max(n.createdAt, b.start), to: b.end }];
    for (const { from, to } of lives) {
      for (let t = Math.floor(from / HOUR_MS) * HOUR_MS; t < to; t += HOUR_MS) {
        const hours = (Math.min(t + HOUR_MS, to) - Math.max(t, from)) / HOUR_MS;
        const day = Math.floor((t - b.start) / (24 * HOUR_MS));
        if (n.capacityType === "spot") {
          const usd = hours * b.spot(n.instanceType, n.zone, t);
          computeUsd += usd;
          add(day, EC2, `SpotUsage:${n.instanceType}`, usd, hours, "Hrs");
        } else {
          const usd = hours * b.onDemand.get(n.instanceType)!;
          computeUsd += usd;
          add(day, EC2, `BoxUsage:${n.instanceType}`, usd, hours, "Hrs");
        }
      }
    }
  }
  for (const life of b.fargateLives) {
    const size = b.fargateBilled(life.slot.workload);
    for (let h = life.firstHour; h <= life.lastHour; h++) {
      const day = Math.floor(h / 24);
      const cpuUsd = size.vcpu * b.fargateRates.vcpu;
      const gbUsd = size.gb * b.fargateRates.gb;
      computeUsd += cpuUsd + gbUsd;
      add(day, EKS, "USE1-Fargate-vCPU-Hours:perCPU", cpuUsd, size.vcpu, "hours");
      add(day, EKS, "USE1-Fargate-GB-Hours", gbUsd, size.gb, "GB-Hours");
    }
  }
  let totalUsd = computeUsd;
  for (let day = 0; day < days; day++) {
    const fee = 24 * 0.1;
    // EBS bills GB-months prorated over the hours of the month the day is in.
    const dayStart = new Date(b.start + day * 24 * HOUR_MS);
    const daysInMonth = new Date(
      Date.UTC(dayStart.getUTCFullYear(), dayStart.getUTCMonth() + 1, 0),
    ).getUTCDate();
    const ebs = (b.pvcGiB * 0.08) / daysInMonth;
    const transferGb = b.rnd.between(40, 90);
    add(day, EKS, "USE1-AmazonEKS-Hours:perCluster", fee, 24, "Hours");
    add(day, "EC2 - Other", "EBS:VolumeUsage.gp3", ebs, b.pvcGiB / daysInMonth, "GB-Mo");
    add(day, "EC2 - Other", "DataTransfer-Regional-Bytes", transferGb * 0.01, transferGb, "GB");
    totalUsd += fee + ebs + transferGb * 0.01;
    for (const l of plantedBillLines(daysInMonth)) {
      add(day, l.service, l.usageType, l.usd, l.quantity, l.unit);
      totalUsd += l.usd;
    }
  }
  const plan = perDay.map((lines, day) => applySavingsPlan(lines, day));
  for (const p of plan) {
    computeUsd -= p.unblendedOffUsd;
    totalUsd -= p.unblendedOffUsd;
  }
  const results = perDay.map((lines, day) => {
    const from = new Date(b.start + day * 24 * HOUR_MS).toISOString().slice(0, 10);
    const to = new Date(b.start + (day + 1) * 24 * HOUR_MS).toISOString().slice(0, 10);
    return {
      TimePeriod: { Start: from, End: to },
      Total: {},
      Groups: lines
        .sort((x, y) => x.service.localeCompare(y.service) || x.usageType.localeCompare(y.usageType))
        .map((l) => {
          const usd = l.usd.toFixed(10);
          return {
            Keys: [l.service, l.usageType],
            Metrics: {
              UnblendedCost: { Amount: usd, Unit: "USD" },
              AmortizedCost: { Amount: (l.amortizedUsd ?? l.usd).toFixed(10), Unit: "USD" },
              NetAmortizedCost: { Amount: (l.amortizedUsd ?? l.usd).toFixed(10), Unit: "USD" },
              UsageQuantity: { Amount: l.quantity.toFixed(10), Unit: l.unit },
            },
          };
        }),
      Estimated: day >= days - 2,
    };
  });
  const groupDefinitions = [
    { Type: "DIMENSION", Key: "SERVICE" },
    { Type: "DIMENSION", Key: "USAGE_TYPE" },
  ];
  const request = {
    TimePeriod: { Start: iso(b.start).slice(0, 10), End: iso(b.end).slice(0, 10) },
    Granularity: "DAILY",
    Metrics: ["UnblendedCost", "AmortizedCost", "NetAmortizedCost", "UsageQuantity"],
    GroupBy: groupDefinitions,
    Filter: { Tags: { Key: "aws:eks:cluster-name", Values: [DEMO_CLUSTER.name], MatchOptions: ["EQUALS"] } },
  };
  const half = Math.ceil(results.length / 2);
  const pages = [
    {
      request,
      response: {
        NextPageToken: "AAMA-EFRSURBSGlBTUFxZ2FkZW1vLXBhZ2UtMg==",
        GroupDefinitions: groupDefinitions,
        ResultsByTime: results.slice(0, half),
        DimensionValueAttributes: [],
      },
    },
    {
      request: { ...request, NextPageToken: "AAMA-EFRSURBSGlBTUFxZ2FkZW1vLXBhZ2UtMg==" },
      response: {
        GroupDefinitions: groupDefinitions,
        ResultsByTime: results.slice(half),
        DimensionValueAttributes: [],
      },
    },
    purchaseTypePage(
      request,
      results,
      plan.map((p) => p.groups),
    ),
  ];
  return { pages, computeUsd, totalUsd };
}
