-- Writes a run's hourly usage of one cluster as the bundle's CSV (docs/bundle.md), gzipped: its own
-- rows and those it refers to in earlier runs (prom_usage_reused). $1 run, $2 cluster, $3 the file.
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
  from (
    select * from prom_usage_hourly where run_id = $1 and cluster = $2
    union all
    select u.*
    from prom_usage_reused as r
    join prom_usage_hourly as u
      on u.run_id = r.from_run_id and u.cluster = r.cluster and u.hour >= r.hour_start and u.hour < r.hour_end
    where r.run_id = $1 and r.cluster = $2
  )
  order by namespace, pod, container, hour
) to $3 (format csv, header true, compression gzip)
