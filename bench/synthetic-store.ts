/**
 * A store filled in SQL with a synthetic cluster, as the models benchmark and the money tests
 * use it: `pods` pods (one container each, Deployments of 5 replicas) on pods ÷ 10 m5.xlarge
 * nodes priced at `nodeUsdPerHour`, `hours` hours of usage from 2026-11-02, pods ÷ 10 gp3 PVCs
 * (mounted by every tenth pod) and a spot price history. One run, `bench`, of cluster `bench`.
 */
import { writeRun } from "../src/store/runs.js";
import type { Store } from "../src/store/store.js";

const SETUP = [
  `INSERT INTO k8s_nodes (run_id, cluster, name, instance_type, region, zone, capacity_type, compute_type, nodepool,
     cpu_capacity_cores, memory_capacity_bytes, cpu_allocatable_cores, memory_allocatable_bytes, taints, labels, created_at)
   SELECT 'bench', 'bench', 'ip-' || i, 'm5.xlarge', 'us-east-1', 'us-east-1a', CASE WHEN i % 3 = 0 THEN 'spot' ELSE 'on-demand' END,
     'ec2', 'pool-' || (i % 4), 4, 16 * 1024 ^ 3, 3.92, 15 * 1024 ^ 3, '[]', '{}', TIMESTAMP '2026-10-01'
   FROM range(getvariable('synthetic_pods') // 10) t(i)`,
  `INSERT INTO k8s_pods (run_id, cluster, namespace, name, phase, node_name, workload_kind, workload_name, created_at,
     has_empty_dir, has_host_path, pvc_names, do_not_disrupt, labels)
   SELECT 'bench', 'bench', 'ns-' || (i // 500), 'app-' || (i // 5) || '-' || (i % 5), 'Running', 'ip-' || (i // 10),
     'Deployment', 'app-' || (i // 5), TIMESTAMP '2026-10-01', false, false, '[]', false, '{"team":"t' || (i % 7) || '"}'
   FROM range(getvariable('synthetic_pods')) t(i)`,
  `INSERT INTO k8s_containers (run_id, cluster, namespace, pod, container, container_type, cpu_request_cores,
     cpu_limit_cores, memory_request_bytes, memory_limit_bytes, restart_count)
   SELECT 'bench', 'bench', 'ns-' || (i // 500), 'app-' || (i // 5) || '-' || (i % 5), 'main', 'regular',
     0.25 * (1 + i % 4), NULL, (256 * (1 + i % 4)) * 1024 * 1024, (256 * (1 + i % 4)) * 1024 * 1024, 0
   FROM range(getvariable('synthetic_pods')) t(i)`,
  `INSERT INTO prom_usage_hourly
   SELECT 'bench', 'bench', TIMESTAMP '2026-11-02' + INTERVAL (h) HOUR, 'ns-' || (i // 500),
     'app-' || (i // 5) || '-' || (i % 5), 'main', 'ip-' || (i // 10), 'Deployment', 'app-' || (i // 5),
     u, u * 1.4, u * 2, m, (m * 1.1)::BIGINT, 0.25 * (1 + i % 4), (256 * (1 + i % 4)) * 1024 * 1024,
     CASE WHEN i % 50 = 0 THEN 0.3 ELSE 0.01 END, CASE WHEN i % 97 = 0 AND h = 100 THEN 1 ELSE 0 END, 0, 12
   FROM (
     SELECT i, h, 0.05 + 0.2 * ((i * 7 + h * 13) % 17) / 17.0 AS u, 64 * 1024 * 1024 * (1 + ((i + h) % 5)) AS m
     FROM range(getvariable('synthetic_pods')) a(i), range(getvariable('synthetic_hours')) b(h)
   )`,
  `INSERT INTO aws_prices (run_id, cluster, region, product, instance_type, unit, price_usd, source, as_of, fetched_at)
   VALUES ('bench', 'bench', 'us-east-1', 'ec2', 'm5.xlarge', 'Hrs', getvariable('synthetic_node_usd_per_hour'), 'snapshot', '2026-07-20', TIMESTAMP '2026-11-16'),
     ('bench', 'bench', 'us-east-1', 'eks', NULL, 'Hrs', 0.10, 'snapshot', 'undated', TIMESTAMP '2026-11-16'),
     ('bench', 'bench', 'us-east-1', 'ebs', 'gp3', 'GB-Mo', 0.08, 'snapshot', '2026-02-24', TIMESTAMP '2026-11-16')`,
  // 1,000 PVCs (gp3, 20 to 200 GiB), mounted by every tenth pod.
  `INSERT INTO k8s_pvcs (run_id, cluster, namespace, name, storage_class, phase, requested_bytes, capacity_bytes,
     volume_name, access_modes, labels, created_at)
   SELECT 'bench', 'bench', 'ns-' || (i * 10 // 500), 'data-' || i, 'gp3', 'Bound', (20 + i % 10 * 20) * 1024 ^ 3,
     (20 + i % 10 * 20) * 1024 ^ 3, 'pv-' || i, '["ReadWriteOnce"]', '{}', TIMESTAMP '2026-10-01'
   FROM range(getvariable('synthetic_pods') // 10) t(i)`,
  `UPDATE k8s_pods SET pvc_names = '["data-' || (regexp_extract(name, 'app-(\\d+)-(\\d+)', 1)::INT * 5
     + regexp_extract(name, 'app-(\\d+)-(\\d+)', 2)::INT) // 10 || '"]'
   WHERE (regexp_extract(name, 'app-(\\d+)-(\\d+)', 1)::INT * 5 + regexp_extract(name, 'app-(\\d+)-(\\d+)', 2)::INT) % 10 = 0`,
  `INSERT INTO aws_spot_prices (run_id, cluster, region, zone, instance_type, product_description, price_usd, valid_from, source)
   SELECT 'bench', 'bench', 'us-east-1', 'us-east-1a', 'm5.xlarge', 'Linux/UNIX', 0.06 + (d % 3) * 0.005,
     TIMESTAMP '2026-11-01' + INTERVAL (d * 6) HOUR, 'spot-history'
   FROM range(64) t(d)`,
];

export async function fillSyntheticStore(
  store: Store,
  options: { pods: number; hours: number; nodeUsdPerHour: number },
): Promise<{ start: Date; end: Date }> {
  const start = new Date("2026-11-02T00:00:00Z");
  const end = new Date(start.getTime() + options.hours * 3_600_000);
  await writeRun(
    store,
    {
      runId: "bench",
      command: "bench",
      startedAt: end,
      windowStart: start,
      windowEnd: end,
      clusters: [{ name: "bench", region: "us-east-1" }],
      toolVersion: "bench",
    },
    async () => {},
    () => end,
  );
  await store.setVariables({
    synthetic_pods: options.pods,
    synthetic_hours: options.hours,
    synthetic_node_usd_per_hour: options.nodeUsdPerHour,
  });
  for (const sql of SETUP) await store.run(sql);
  return { start, end };
}
