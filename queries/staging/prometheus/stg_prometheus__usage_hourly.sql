-- Hourly usage per container; memory converted to GiB once, here, and the pod, node and workload
-- named by their surrogate keys too (queries/macros/keys.sql) for the hourly grains. A run's hours
-- are its own rows and, where it took hours from an earlier run (prometheus.incremental), that
-- run's rows (prom_usage_reused): every hour of usage is stored once and read once.
with usage as (
  select * from prom_usage_hourly
  where run_id = getvariable('run_id')
  union all
  select u.*
  from prom_usage_reused as r
  join prom_usage_hourly as u
    on u.run_id = r.from_run_id
    and u.cluster = r.cluster
    and u.hour >= r.hour_start
    and u.hour < r.hour_end
  where r.run_id = getvariable('run_id')
)
select
  cluster,
  hour,
  namespace,
  pod as pod_name,
  container as container_name,
  node as node_name,
  workload_kind,
  workload_name,
  cpu_avg_cores,
  cpu_p95_cores,
  cpu_max_cores,
  memory_avg_bytes,
  memory_max_bytes,
  memory_avg_bytes / 1073741824.0 as memory_avg_gib,
  cpu_request_cores,
  memory_request_bytes,
  memory_request_bytes / 1073741824.0 as memory_request_gib,
  cpu_throttled_ratio,
  oom_kills,
  restarts,
  samples,
  pod_key(cluster, namespace, pod) as pod_key,
  node_key(cluster, node) as node_key,
  workload_key(cluster, namespace, workload_kind, workload_name) as workload_key
from usage
