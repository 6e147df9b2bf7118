-- Workload-level hourly totals, the forecast's input: summed CPU and memory usage, the number
-- of pods that ran (replicas), and the requests they held, per workload and hour.
select
  cluster,
  namespace,
  workload_kind,
  workload_name,
  hour,
  count(distinct pod_name) as pods,
  sum(cpu_avg_cores) as cpu_usage_cores,
  max(cpu_max_cores) as cpu_max_container_cores,
  sum(memory_avg_bytes) as memory_usage_bytes,
  sum(cpu_request_cores) as cpu_request_cores,
  sum(memory_request_bytes) as memory_request_bytes,
  sum(oom_kills) as oom_kills
from stg_prometheus__usage_hourly
group by cluster, namespace, workload_kind, workload_name, hour
