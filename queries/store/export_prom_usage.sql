-- Writes a run's hourly usage of one cluster as the bundle's CSV (docs/bundle.md), gzipped:
-- $1 run, $2 cluster, $3 the file.
copy (
  select
    strftime(hour, '%Y-%m-%dT%H:%M:%SZ') as hour,
    namespace,
    pod,
    container,
    node,
    workload_kind,
    workload_name,
    cpu_avg_cores,
    cpu_p95_cores,
    cpu_max_cores,
    memory_avg_bytes,
    memory_max_bytes,
    cpu_request_cores,
    memory_request_bytes,
    cpu_throttled_ratio,
    oom_kills,
    restarts,
    samples
  from prom_usage_hourly
  where run_id = $1 and cluster = $2
  order by namespace, pod, container, hour
) to $3 (format csv, header true, compression gzip)
