/**
 * What the forecast reads of a run besides the hourly history: the run's SQL models built in the
 * connection's temp catalog (as `analyze` builds them, keeping nothing), the pools with their
 * DaemonSets and node group sizes, prices, Fargate, the workloads' specs and the lead-time samples.
 */
import { readFileSync } from "node:fs";
import { tableReader, typedRows } from "../analyze/marts.js";
import { ANALYZERS } from "../analyze/registry.js";
import {
  asCapacity,
  catalogueOf,
  DAEMONSETS,
  INSTANCE_TYPES,
  POD_CONTAINERS,
  POOLS,
  PRICES,
  poolOf,
} from "../analyze/rightsizing/repack-input.js";
import { discoverMacros, discoverModels, planModels, runModels } from "../analyze/runner.js";
import { modelVariables } from "../analyze/variables.js";
import type { Context } from "../core/context.js";
import { podNeed } from "../core/eks/fargate.js";
import type { Pool } from "../core/eks/pools.js";
import { projectPath } from "../core/paths.js";
import { workloadSpecs } from "../forecast/inputs.js";
import type { NodeClassRef } from "../forecast/manifests.js";
import { loadReference } from "../store/reference.js";
import type { StoredRun } from "../store/runs.js";
import type { Store } from "../store/store.js";

export const forecastSql = (name: string) =>
  readFileSync(projectPath("queries", "forecast", `${name}.sql`), "utf8");
const sql = forecastSql;
/** A managed node group's sizes, when the EKS API described it (else the pool's max is unknown: not flagged). */
const NODEGROUPS = {
  cluster: "string",
  nodegroup: "string",
  min_size: "number",
  max_size: "number",
} as const;

const FARGATE_RATES = {
  cluster: "string",
  usd_per_vcpu_hour: "number?",
  usd_per_gb_hour: "number?",
} as const;

const WORKLOADS = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  hpa_name: "string?",
  hpa_min_replicas: "number?",
  hpa_max_replicas: "number?",
  hpa_metrics: "string?",
  pdb_name: "string?",
  pdb_min_available: "number?",
  pdb_max_unavailable: "number?",
} as const;

const LEAD_SAMPLES = {
  capacity_pool: "string",
  sample_kind: "string",
  lead_seconds: "number",
} as const;

const CLASS_REFS = { nodepool: "string", node_class_ref: "string" } as const;

/** Each collected NodePool's node class (k8s_karpenter.node_class_ref), for a static NodePool beside it. */
async function nodeClassRefsOf(store: Store, cluster: string): Promise<Record<string, NodeClassRef>> {
  const rows = typedRows(
    "forecast/nodepool_class_refs.sql",
    Object.keys(CLASS_REFS),
    CLASS_REFS,
    await store.all(sql("nodepool_class_refs"), [cluster]),
  );
  const refs: Record<string, NodeClassRef> = {};
  for (const r of rows) {
    const ref = JSON.parse(r.nodeClassRef) as Partial<NodeClassRef> | null;
    if (ref && typeof ref.name === "string") refs[r.nodepool] = ref as NodeClassRef;
  }
  return refs;
}

const SPOT = { workload_key: "string", spot_ready: "boolean", status: "string", reason: "string" } as const;

const SUBNETS = { zone: "string", free_ip_count: "number", subnet_count: "number" } as const;
const EKS_SOURCE = { status: "string", error: "string" } as const;

/** Each zone's free addresses, or why there are none (the eks source's note, naming the action refused). */
async function subnetsOf(store: Store, cluster: string) {
  const zones = typedRows(
    "forecast/subnets.sql",
    Object.keys(SUBNETS),
    SUBNETS,
    await store.all(sql("subnets"), [cluster]),
  ).map((z) => ({ zone: z.zone, freeIps: z.freeIpCount, subnets: z.subnetCount }));
  if (zones.length) return { subnets: zones, subnetsNote: undefined };
  const source = typedRows(
    "forecast/eks_source.sql",
    Object.keys(EKS_SOURCE),
    EKS_SOURCE,
    await store.all(sql("eks_source"), [cluster]),
  )[0];
  const subnetsNote = !source
    ? "the run did not read the EKS API (no eks source), so the cluster's subnets are unknown"
    : source.error
      ? `the eks source was ${source.status}: ${source.error}`
      : "the run holds no subnet of the cluster";
  return { subnets: null, subnetsNote };
}

/** The run's lead-time samples by pool (lead_time_samples.sql), in lead-time.ts's shape. */
function samplesOf(rows: readonly { capacityPool: string; sampleKind: string; leadSeconds: number }[]) {
  const pools: Record<string, { nodeReadySeconds: number[]; podStartSeconds: number[] }> = {};
  const fargatePodSeconds: number[] = [];
  for (const r of rows) {
    if (r.sampleKind === "fargate_pod") {
      fargatePodSeconds.push(r.leadSeconds);
      continue;
    }
    const pool = pools[r.capacityPool] ?? { nodeReadySeconds: [], podStartSeconds: [] };
    pools[r.capacityPool] = pool;
    (r.sampleKind === "node_ready" ? pool.nodeReadySeconds : pool.podStartSeconds).push(r.leadSeconds);
  }
  return { pools, fargatePodSeconds };
}

/** The run's temp models (as `analyze` builds them) and what the forecast reads of them. */
export async function inventory(ctx: Context, store: Store, run: StoredRun, cluster: string) {
  const extraRoots = ANALYZERS.flatMap((a) => (a.queries ? [a.queries] : []));
  await loadReference(store);
  await store.setVariables(modelVariables(ctx.config, run));
  await runModels(
    store,
    planModels(discoverModels(projectPath("queries"), ...extraRoots)),
    ctx.logger,
    discoverMacros(),
  );
  const tables = tableReader(store);
  const mine = <T extends { cluster: string }>(rows: T[]) => rows.filter((r) => r.cluster === cluster);
  const pools = mine(await tables.read("int_rightsizing_pools", POOLS, ["cluster", "capacity_pool"]));
  const containers = mine(
    await tables.read("int_rightsizing_pool_pods", POD_CONTAINERS, [
      "cluster",
      "capacity_pool",
      "namespace",
      "pod_name",
      "container_name",
    ]),
  );
  const daemonSets = mine(
    await tables.read("int_rightsizing_pool_daemonsets", DAEMONSETS, [
      "cluster",
      "capacity_pool",
      "namespace",
      "workload_name",
      "container_name",
    ]),
  );
  const workloads = mine(
    await tables.read("stg_kubernetes__workloads", WORKLOADS, [
      "namespace",
      "workload_kind",
      "workload_name",
    ]),
  );
  const catalogue = catalogueOf(
    await tables.read("stg_reference__instance_types", INSTANCE_TYPES, ["instance_type"]),
  );
  const prices = mine(
    await tables.read("int_rightsizing_instance_prices", PRICES, [
      "cluster",
      "instance_type",
      "capacity_type",
    ]),
  ).map((p) => ({
    instanceType: p.instanceType,
    capacityType: asCapacity(p.capacityType),
    usdPerHour: p.usdPerHour,
  }));
  const sizes = new Map(
    mine(await tables.read("stg_eks__nodegroups", NODEGROUPS, ["cluster", "nodegroup"])).map((g) => [
      g.nodegroup,
      g,
    ]),
  );
  const simPools: Pool[] = pools.map((row) => {
    const ds = daemonSets.filter((d) => d.capacityPool === row.capacityPool);
    const byDaemonSet = new Map<string, typeof ds>();
    for (const d of ds) {
      const key = `${d.namespace}/DaemonSet/${d.workloadName}`;
      byDaemonSet.set(key, [...(byDaemonSet.get(key) ?? []), d]);
    }
    const perNode = [...byDaemonSet].map(([name, cs]) => {
      const need = podNeed(
        cs.map((c) => ({
          type: c.containerType === "init" || c.containerType === "sidecar" ? c.containerType : "regular",
          cpuCores: c.cpuRequestCores,
          memoryBytes: c.memoryRequestBytes,
        })),
      );
      return { name, cpuCores: need.cpuCores, memoryBytes: need.memoryBytes };
    });
    const { pool } = poolOf(row, perNode);
    const size = sizes.get(pool.name);
    return pool.kind === "managed-node-group" && size
      ? { ...pool, minSize: size.minSize, maxSize: size.maxSize }
      : pool;
  });
  // Fargate: one pool where each pod is billed its own size (fargate_pods.sql, fargate_prices.sql).
  const fargatePods = typedRows(
    "forecast/fargate_pods.sql",
    Object.keys(POD_CONTAINERS),
    POD_CONTAINERS,
    await store.all(sql("fargate_pods")),
  ).filter((r) => r.cluster === cluster);
  const rates = typedRows(
    "forecast/fargate_prices.sql",
    Object.keys(FARGATE_RATES),
    FARGATE_RATES,
    await store.all(sql("fargate_prices")),
  ).find((r) => r.cluster === cluster);
  const configurations = await tables.read(
    "stg_reference__fargate_configurations",
    { vcpu: "number", memory_gib: "number" },
    ["vcpu", "memory_gib"],
  );
  const fargate =
    fargatePods.length && rates?.usdPerVcpuHour != null && rates.usdPerGbHour != null
      ? { configurations, usdPerVcpuHour: rates.usdPerVcpuHour, usdPerGbHour: rates.usdPerGbHour }
      : undefined;
  if (fargatePods.length && fargate)
    simPools.push({ kind: "fargate", name: "fargate", zones: [], daemonSets: [] });
  const samples = samplesOf(
    typedRows(
      "forecast/lead_time_samples.sql",
      Object.keys(LEAD_SAMPLES),
      LEAD_SAMPLES,
      await store.all(sql("lead_time_samples"), [cluster]),
    ),
  );
  const specs = workloadSpecs(workloads, fargate ? [...containers, ...fargatePods] : containers);
  if (fargatePods.length && !fargate)
    specs.notes.push("Fargate pods are left out: the run has no Fargate price");
  return {
    pools: simPools,
    catalogue,
    prices,
    fargate,
    samples,
    ...(await subnetsOf(store, cluster)),
    nodeClassRefs: await nodeClassRefsOf(store, cluster),
    spotVerdicts: typedRows(
      "forecast/spot_readiness.sql",
      Object.keys(SPOT),
      SPOT,
      await store.all(sql("spot_readiness"), [cluster]),
    ),
    ...specs,
  };
}
