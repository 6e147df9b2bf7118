-- Writes a run's pending-pod hours of one cluster as the bundle's pending_pods_hourly.csv
-- (docs/bundle.md), the days an incremental run carried included: $1 run, $2 cluster, $3 the file.
copy (
  select
    strftime(hour, '%Y-%m-%dT%H:%M:%SZ') as hour,
    namespace,
    pod,
    workload_kind,
    workload_name,
    pending_ratio
  from prom_pending_pods_hourly
  where run_id = $1 and cluster = $2
  order by hour, namespace, pod
) to $3 (format csv, header true)
