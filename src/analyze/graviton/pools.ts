/**
 * The graviton analyzer's compute step: per EC2 pool of x86 nodes, its pods packed by the node
 * simulator on the pool's types (before), and with the workloads whose images are known to run on
 * arm64 moved to the Arm equivalents of those types (after); pods keep their requests (an Arm vCPU
 * is taken to do the work of an x86 one). Writes mart_graviton_pools.
 */
import type { InstancePrice } from "../../core/eks/instance-types.js";
import { pack } from "../../core/eks/packing.js";
import type { PackResult, SimPod } from "../../core/eks/packing-types.js";
import type { LabelledNodesPool } from "../../core/eks/pools.js";
import type { ComputeInput } from "../analyzer.js";
import { poolOf, readPoolInputs, rightsizedPods } from "../rightsizing/repack-input.js";

const EQUIVALENTS = {
  cluster: "string",
  instance_type: "string",
  arm_instance_type: "string",
  on_demand_usd_per_hour: "number?",
  arm_on_demand_usd_per_hour: "number?",
  arm_on_demand_source: "string?",
  spot_usd_per_hour: "number?",
  arm_spot_usd_per_hour: "number?",
} as const;

const READINESS = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  status: "string",
} as const;

const list = (text: string) => text.split(",").filter(Boolean);

export async function computeGravitonPools({
  tables,
}: ComputeInput<unknown>): Promise<Record<string, ReadonlyArray<Record<string, unknown>>>> {
  const { pools, containers, daemonSets, catalogue, prices } = await readPoolInputs(tables);
  const equivalents = await tables.read("int_graviton_equivalents", EQUIVALENTS, [
    "cluster",
    "instance_type",
  ]);
  const readiness = await tables.read("mart_graviton_workloads", READINESS);
  const statusOf = new Map(
    readiness.map((r) => [`${r.cluster}/${r.namespace}/${r.workloadKind}/${r.workloadName}`, r.status]),
  );
  const archOf = new Map(catalogue.map((t) => [t.name, t.arch]));
  const out: Array<Record<string, unknown>> = [];
  for (const row of pools) {
    const mine = <T extends { cluster: string; capacityPool: string }>(rows: readonly T[]) =>
      rows.filter((r) => r.cluster === row.cluster && r.capacityPool === row.capacityPool);
    const types = list(row.instanceTypes);
    const x86 = types.filter((t) => archOf.get(t) === "amd64");
    const base = {
      cluster: row.cluster,
      capacity_pool: row.capacityPool,
      capacity_type: row.capacityType,
      instance_types: x86.join(","),
    };
    const ds = rightsizedPods(
      mine(daemonSets).map((d) => ({ ...d, podName: d.workloadName, workloadKind: "DaemonSet" })),
      new Map(),
    );
    const dsNotReady = [
      ...new Set(
        mine(daemonSets)
          .filter(
            (d) => statusOf.get(`${d.cluster}/${d.namespace}/DaemonSet/${d.workloadName}`) !== "arm_ready",
          )
          .map((d) => `${d.namespace}/${d.workloadName}`),
      ),
    ].sort();
    const { pool } = poolOf(
      row,
      ds.map((d) => ({ name: d.group, cpuCores: d.cpuCores, memoryBytes: d.memoryBytes })),
    );
    const pods = rightsizedPods(mine(containers), new Map());
    const groupStatus = (group: string) => statusOf.get(`${row.cluster}/${group}`) ?? "unknown";
    const count = (s: string) =>
      new Set(pods.filter((p) => groupStatus(p.group) === s).map((p) => p.group)).size;
    const counts = {
      ready_workloads: count("arm_ready"),
      unknown_workloads: count("unknown"),
      pinned_workloads: count("pinned_amd64"),
    };
    const mine2 = equivalents.filter((e) => e.cluster === row.cluster && x86.includes(e.instanceType));
    const empty = {
      arm_instance_types: mine2.map((e) => `${e.instanceType}→${e.armInstanceType}`).join(", "),
      pods: pods.length,
      ready_pods: pods.filter((p) => groupStatus(p.group) === "arm_ready").length,
      ...counts,
      daemonsets_not_ready: dsNotReady.length ? dsNotReady.join(", ") : null,
      nodes_before: null,
      nodes_after_x86: null,
      nodes_after_arm: null,
      usd_per_hour_before: null,
      usd_per_hour_after: null,
      usd_per_hour_all_arm: null,
      arm_price_source: null,
      monthly_savings_usd: 0,
      monthly_all_arm_savings_usd: null,
    };
    if (x86.length === 0) {
      out.push({ ...base, ...empty, status: "on_arm", reason: "its nodes are arm64 already" });
      continue;
    }
    if (mine2.length === 0) {
      out.push({
        ...base,
        ...empty,
        status: "no_equivalent",
        reason: `no Graviton type of the same category and size in data/reference for ${x86.join(", ")}`,
      });
      continue;
    }
    const spot = row.capacityType === "spot";
    const armPrices: InstancePrice[] = mine2.flatMap((e) => {
      const usd = spot ? e.armSpotUsdPerHour : e.armOnDemandUsdPerHour;
      return usd === null
        ? []
        : [{ instanceType: e.armInstanceType, capacityType: spot ? "spot" : "on-demand", usdPerHour: usd }];
    });
    if (armPrices.length === 0) {
      out.push({
        ...base,
        ...empty,
        status: "unpriced",
        reason: spot
          ? `no spot price for ${mine2.map((e) => e.armInstanceType).join(", ")}: the spot history holds only the types the cluster runs; nothing is estimated`
          : `no on-demand price for ${mine2.map((e) => e.armInstanceType).join(", ")} in the run or the snapshot`,
      });
      continue;
    }
    const instancePrices = prices
      .filter((p) => p.cluster === row.cluster)
      .map((p) => ({
        instanceType: p.instanceType,
        capacityType: (p.capacityType === "spot" ? "spot" : "on-demand") as "spot" | "on-demand",
        usdPerHour: p.usdPerHour,
      }));
    const armPool: LabelledNodesPool = {
      name: `${row.capacityPool}-arm`,
      kind: "nodes",
      zones: pool.zones,
      daemonSets: pool.daemonSets,
      labels: {},
      instanceTypes: mine2.map((e) => e.armInstanceType),
      capacityType: spot ? "spot" : "on-demand",
      maxSize: null,
    };
    const sim = (pods: SimPod[]): PackResult => pack({ pool, catalogue, prices: instancePrices, pods });
    const simArm = (pods: SimPod[]): PackResult =>
      pack({ pool: armPool, catalogue, prices: armPrices, pods });
    const ready = pods.filter((p) => groupStatus(p.group) === "arm_ready");
    const rest = pods.filter((p) => groupStatus(p.group) !== "arm_ready");
    const before = sim(pods);
    const afterX86 = sim(rest);
    const afterArm = simArm(ready);
    const allArm = simArm(pods);
    const after = afterX86.totals.usdPerHour + afterArm.totals.usdPerHour;
    const saved = ready.length ? (before.totals.usdPerHour - after) * row.hoursPerMonth : 0;
    const status = ready.length === 0 ? "no_ready_workload" : saved > 0 ? "move_ready" : "no_saving";
    out.push({
      ...base,
      ...empty,
      nodes_before: before.totals.nodes,
      nodes_after_x86: afterX86.totals.nodes,
      nodes_after_arm: afterArm.totals.nodes,
      usd_per_hour_before: before.totals.usdPerHour,
      usd_per_hour_after: after,
      usd_per_hour_all_arm: allArm.totals.usdPerHour,
      arm_price_source: spot
        ? "spot-history"
        : [...new Set(mine2.map((e) => e.armOnDemandSource))].join(",") || null,
      monthly_savings_usd: Math.max(0, saved),
      monthly_all_arm_savings_usd: (before.totals.usdPerHour - allArm.totals.usdPerHour) * row.hoursPerMonth,
      status,
      reason:
        status === "no_ready_workload"
          ? `no workload of the pool has evidence of arm64 images (${counts.unknown_workloads} unknown, ${counts.pinned_workloads} pinned to amd64)`
          : `${counts.ready_workloads} arm_ready workloads (${ready.length} pods) move to ${armPool.instanceTypes.join(", ")}: ${before.totals.nodes} x86 nodes become ${afterX86.totals.nodes} x86 + ${afterArm.totals.nodes} Arm${status === "no_saving" ? ", which costs no less" : ""}${counts.pinned_workloads ? `; ${counts.pinned_workloads} pinned to amd64 stay` : ""}${counts.unknown_workloads ? `; ${counts.unknown_workloads} unknown stay until their images are checked` : ""}${dsNotReady.length ? `; DaemonSets without arm64 evidence must run there too: ${dsNotReady.join(", ")}` : ""}`,
    });
  }
  return { mart_graviton_pools: out };
}
