/**
 * Right-sizing per capacity pool, from mart_rightsizing_pools (written by repack.ts): the three
 * figures (requests freed, nodes saved, Fargate's billed-size change), nodes before and after, and
 * each container's part of its pool's nodes saved.
 */
import type { MartReader, RowOf } from "../marts.js";

const POOL_COLUMNS = {
  cluster: "string",
  capacity_pool: "string",
  pool_kind: "string",
  autoscaler: "string",
  instance_types: "string",
  requirements_source: "string",
  nodes_observed: "number",
  pods: "number",
  nodes_before: "number?",
  nodes_after: "number?",
  lower_bound_before: "number?",
  lower_bound_after: "number?",
  unplaced_before: "number",
  unplaced_after: "number",
  nodes_before_by_type: "string?",
  nodes_after_by_type: "string?",
  usd_per_hour_before: "number?",
  usd_per_hour_after: "number?",
  freed_cpu_cores: "number",
  freed_memory_bytes: "number",
  request_savings_usd: "number",
  nodes_saved_usd: "number",
  fargate_savings_usd: "number",
  min_size: "number?",
  max_size: "number?",
  nodes_held_by_min_size: "number",
  min_size_savings_usd: "number",
  price_source: "string?",
  note: "string",
} as const;

export type PoolRow = RowOf<typeof POOL_COLUMNS> & {
  /** Nodes saved plus Fargate's change: what the pool's recommendations are worth. */
  savingsUsd: number;
};

export async function readPools(marts: MartReader): Promise<PoolRow[]> {
  const rows = await marts.read("mart_rightsizing_pools", POOL_COLUMNS, ["cluster", "capacity_pool"]);
  return rows.map((r) => ({ ...r, savingsUsd: r.nodesSavedUsd + r.fargateSavingsUsd }));
}

interface ShareRow {
  cluster: string;
  runsOn: string;
  capacityPool: string | null;
  status: string;
  requestSavingsUsd: number;
}

/**
 * A container's part of what its pool saves: on EC2 its pool's nodes saved, shared in proportion
 * to the request savings of the rows the re-pack applied (ok, hpa_managed); on Fargate its own
 * billed-size change; nothing for a row the re-pack did not apply.
 */
export function poolShare(rows: readonly ShareRow[], pools: readonly PoolRow[]): (row: ShareRow) => number {
  const acted = (r: ShareRow) => r.status === "ok" || r.status === "hpa_managed";
  const sums = new Map<string, number>();
  const k = (cluster: string, pool: string | null) => `${cluster}\u0000${pool ?? ""}`;
  for (const r of rows.filter((x) => acted(x) && x.runsOn === "ec2")) {
    sums.set(
      k(r.cluster, r.capacityPool),
      (sums.get(k(r.cluster, r.capacityPool)) ?? 0) + r.requestSavingsUsd,
    );
  }
  const saved = new Map(
    pools.filter((p) => p.poolKind !== "fargate").map((p) => [k(p.cluster, p.capacityPool), p.nodesSavedUsd]),
  );
  return (r) => {
    if (!acted(r)) return 0;
    if (r.runsOn === "fargate") return r.requestSavingsUsd;
    const total = sums.get(k(r.cluster, r.capacityPool)) ?? 0;
    const pool = saved.get(k(r.cluster, r.capacityPool)) ?? 0;
    return Math.abs(total) < 1e-9 ? 0 : (pool * r.requestSavingsUsd) / total;
  };
}
