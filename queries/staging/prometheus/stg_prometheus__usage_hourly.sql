-- Hourly usage per container; memory converted to GiB once, here, and the pod, node and workload
-- named by their surrogate keys too (queries/macros/keys.sql) for the hourly grains.
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
from prom_usage_hourly
where run_id = getvariable('run_id')
