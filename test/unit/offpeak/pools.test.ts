/**
 * The off-peak pool step on a real DuckDB: a managed node group of m6i.xlarge (3.92 allocatable
 * CPU: three 1-CPU pods a node) holding 8 pods all day, whose workload needs 2 from 00:00 to
 * 06:00 UTC: 3 nodes become 1 for 6 hours, 12 node-hours a day, unless the min size keeps them.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tableReader } from "../../../src/analyze/marts.js";
import { computeOffpeakPools } from "../../../src/analyze/offpeak/pools.js";
import { memoryLogger } from "../../../src/core/logger.js";
import { loadReference } from "../../../src/store/reference.js";
import { Store } from "../../../src/store/store.js";

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", memoryLogger());
  await loadReference(store);
});
afterEach(() => store.close());

async function scenario(minSize: number | null, clusterAutoscaler = true): Promise<void> {
  const sql = [
    `CREATE TEMP TABLE int_rightsizing_pools AS SELECT 'c' AS cluster, 'ng' AS capacity_pool, 'managed-node-group' AS pool_kind,
       'm6i.xlarge' AS instance_types, 'on-demand' AS capacity_types, 'us-east-1a' AS zones, 'on-demand' AS capacity_type,
       3 AS nodes_observed, NULL::VARCHAR AS nodepool_requirements, NULL::VARCHAR AS nodepool_limits,
       NULL::VARCHAR AS nodepool_disruption, ${clusterAutoscaler} AS cluster_autoscaler, 730.0 AS hours_per_month,
       ${minSize ?? "NULL"}::INTEGER AS min_size, NULL::INTEGER AS max_size`,
    `CREATE TEMP TABLE int_rightsizing_pool_pods AS SELECT 'c' AS cluster, 'ng' AS capacity_pool, 'shop' AS namespace,
       'web-' || i AS pod_name, 'Deployment' AS workload_kind, 'web' AS workload_name, 'web' AS container_name,
       'regular' AS container_type, 1.0 AS cpu_request_cores, 1073741824.0 AS memory_request_bytes FROM range(8) t(i)`,
    `CREATE TEMP TABLE int_rightsizing_pool_daemonsets (cluster VARCHAR, capacity_pool VARCHAR, namespace VARCHAR,
       workload_name VARCHAR, container_name VARCHAR, container_type VARCHAR, cpu_request_cores DOUBLE, memory_request_bytes DOUBLE)`,
    `CREATE TEMP TABLE stg_reference__instance_types AS SELECT instance_type, family, vcpu::DOUBLE AS vcpu,
       memory_gib::DOUBLE AS memory_gib, arch, gpu_count, max_pods_eni, default_enis, ipv4_per_eni
       FROM ref_ec2_instance_types WHERE instance_type = 'm6i.xlarge'`,
    `CREATE TEMP TABLE int_rightsizing_instance_prices AS SELECT 'c' AS cluster, 'm6i.xlarge' AS instance_type,
       'on-demand' AS capacity_type, 0.192 AS usd_per_hour, 'snapshot' AS price_source`,
    `CREATE TEMP TABLE int_offpeak_profile AS SELECT 'c' AS cluster, 'shop' AS namespace, 'Deployment' AS workload_kind,
       'web' AS workload_name, h AS hour_of_day, 8.0 AS replicas_held FROM range(24) t(h)`,
    `CREATE TEMP TABLE mart_offpeak_workloads AS SELECT 'c' AS cluster, 'shop' AS namespace, 'Deployment' AS workload_kind,
       'web' AS workload_name, 'flat_offpeak' AS status, 2 AS recommended_offpeak_replicas, '0,1,2,3,4,5' AS offpeak_hours_of_day`,
    `CREATE TEMP TABLE int_offpeak_pool_hours AS SELECT 'c' AS cluster, 'ng' AS capacity_pool, h AS hour_of_day,
       3.0 AS nodes_held FROM range(24) t(h)`,
    `CREATE TEMP TABLE int_offpeak_pool_blockers AS SELECT 'c' AS cluster, 'ng' AS capacity_pool, 0 AS pinned_nodes,
       0 AS pinned_pods, 0 AS local_storage_pods, ${minSize === null ? "NULL::INTEGER" : minSize} AS min_size`,
  ];
  for (const s of sql) await store.run(s);
}

const run = async () => {
  const out = await computeOffpeakPools({
    tables: tableReader(store),
    run: {} as never,
    settings: undefined,
  });
  return { pool: out.mart_offpeak_pools![0]!, hours: out.mart_offpeak_pool_hours! };
};

// 2 nodes × 6 hours a day × $0.192 × 730 ÷ 24
const MONTHLY = 2 * 6 * 0.192 * (730 / 24);

describe("off-peak nodes per pool", () => {
  it("re-packs each hour: 8 pods on 3 nodes, 2 pods on 1, for the 6 off-peak hours", async () => {
    await scenario(null);
    const { pool, hours } = await run();
    expect(hours.map((h) => h.nodes_packed_needed)).toEqual([1, 1, 1, 1, 1, 1, ...Array(18).fill(3)]);
    expect(hours.every((h) => h.nodes_packed_held === 3)).toBe(true);
    expect(pool).toMatchObject({
      status: "scale_down",
      node_hours_held_per_day: 72,
      node_hours_needed_per_day: 60,
      node_hours_saved_per_day: 12,
      node_hours_blocked_per_day: 0,
      fewest_nodes_needed: 1,
      offpeak_hours_of_day: "0,1,2,3,4,5",
    });
    expect(pool.monthly_savings_usd as number).toBeCloseTo(MONTHLY, 6);
  });

  it("counts nothing when the node group's min size keeps the nodes, and says what it keeps", async () => {
    await scenario(3);
    const { pool } = await run();
    expect(pool).toMatchObject({
      status: "blocked_min_size",
      min_size: 3,
      node_hours_saved_per_day: 0,
      node_hours_blocked_per_day: 12,
      monthly_savings_usd: 0,
    });
    expect(pool.monthly_blocked_usd as number).toBeCloseTo(MONTHLY, 6);
    expect(pool.reason).toContain("min size (3)");
  });

  it("counts only the node-hours above the min size when it keeps some", async () => {
    await scenario(2);
    const { pool } = await run();
    expect(pool).toMatchObject({
      status: "scale_down",
      node_hours_saved_per_day: 6,
      node_hours_blocked_per_day: 6,
    });
    expect(pool.monthly_savings_usd as number).toBeCloseTo(MONTHLY / 2, 6);
  });

  it("counts nothing where no autoscaler removes the nodes", async () => {
    await scenario(null, false);
    const { pool } = await run();
    expect(pool).toMatchObject({
      status: "no_autoscaler",
      monthly_savings_usd: 0,
      node_hours_blocked_per_day: 12,
    });
  });
});
