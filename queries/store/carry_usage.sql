-- Copies a previous run's hourly usage of the hours not asked for again into this run, so that
-- every run holds its whole window (and pruning older runs never takes a day a newer one needs):
-- $1 this run, $2 the previous run, $3 cluster, $4 first hour, $5 the hour after the last.
insert into prom_usage_hourly (
  run_id, cluster, hour, namespace, pod, container, node, workload_kind, workload_name,
  cpu_avg_cores, cpu_p95_cores, cpu_max_cores, memory_avg_bytes, memory_max_bytes,
  cpu_request_cores, memory_request_bytes, cpu_throttled_ratio, oom_kills, restarts, samples
)
select
  $1, cluster, hour, namespace, pod, container, node, workload_kind, workload_name,
  cpu_avg_cores, cpu_p95_cores, cpu_max_cores, memory_avg_bytes, memory_max_bytes,
  cpu_request_cores, memory_request_bytes, cpu_throttled_ratio, oom_kills, restarts, samples
from prom_usage_hourly
where run_id = $2 and cluster = $3 and hour >= $4::timestamp and hour < $5::timestamp
