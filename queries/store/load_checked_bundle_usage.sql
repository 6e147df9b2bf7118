-- Loads the sound rows of a bundle's usage CSV, checked cell by cell, into prom_usage_hourly
-- (bundle_usage_macros.sql):
-- $1 run, $2 cluster, $3 the file, $4 and $5 the window's start and end.
insert into prom_usage_hourly (
  run_id, cluster, hour, namespace, pod, container, node, workload_kind, workload_name,
  cpu_avg_cores, cpu_p95_cores, cpu_max_cores, memory_avg_bytes, memory_max_bytes,
  cpu_request_cores, memory_request_bytes, cpu_throttled_ratio, oom_kills, restarts, samples
)
select
  $1, $2, hour, namespace, pod, container, node, workload_kind, workload_name,
  cpu_avg_cores, cpu_p95_cores, cpu_max_cores, memory_avg_bytes, memory_max_bytes,
  cpu_request_cores, memory_request_bytes, cpu_throttled_ratio, oom_kills, restarts, samples
from checked_bundle_usage($3, $4::timestamp, $5::timestamp)
where len(problems) = 0
