-- Loads a bundle's usage CSV into prom_usage_hourly read typed, the fast way (bundle_usage_macros.sql):
-- $1 run, $2 cluster, $3 the file, $4 and $5 the window's start and end. A row whose cells do not
-- cast, or that breaks a rule, is left out here; the caller compares the count with the file's.
insert into prom_usage_hourly (
  run_id, cluster, hour, namespace, pod, container, node, workload_kind, workload_name,
  cpu_avg_cores, cpu_p95_cores, cpu_max_cores, memory_avg_bytes, memory_max_bytes,
  cpu_request_cores, memory_request_bytes, cpu_throttled_ratio, oom_kills, restarts, samples
)
select
  $1, $2, hour, namespace, pod, container, node, workload_kind, workload_name,
  cpu_avg_cores, cpu_p95_cores, cpu_max_cores, memory_avg_bytes, memory_max_bytes,
  cpu_request_cores, memory_request_bytes, cpu_throttled_ratio, oom_kills, restarts, samples
from read_csv($3, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
  ignore_errors = true, timestampformat = '%Y-%m-%dT%H:%M:%SZ', columns = {
    'hour': 'TIMESTAMP', 'namespace': 'VARCHAR', 'pod': 'VARCHAR', 'container': 'VARCHAR',
    'node': 'VARCHAR', 'workload_kind': 'VARCHAR', 'workload_name': 'VARCHAR',
    'cpu_avg_cores': 'DOUBLE', 'cpu_p95_cores': 'DOUBLE', 'cpu_max_cores': 'DOUBLE',
    'memory_avg_bytes': 'DOUBLE', 'memory_max_bytes': 'BIGINT', 'cpu_request_cores': 'DOUBLE',
    'memory_request_bytes': 'BIGINT', 'cpu_throttled_ratio': 'DOUBLE', 'oom_kills': 'INTEGER',
    'restarts': 'INTEGER', 'samples': 'INTEGER'
  })
where usage_in_window(hour, $4::timestamp, $5::timestamp)
  and namespace is not null and pod is not null and container is not null
  and workload_kind is not null and workload_name is not null
  and usage_figure_sound(cpu_avg_cores) and usage_figure_sound(cpu_p95_cores)
  and usage_figure_sound(cpu_max_cores) and usage_figure_sound(memory_avg_bytes)
  and usage_figure_sound(memory_max_bytes) and usage_figure_sound(cpu_request_cores)
  and usage_figure_sound(memory_request_bytes) and usage_figure_sound(cpu_throttled_ratio)
  and usage_non_negative(oom_kills) and usage_non_negative(restarts) and usage_non_negative(samples)
