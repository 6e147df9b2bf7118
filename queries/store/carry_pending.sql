-- Copies a previous run's pending-pod hours of the hours not asked for again into this run, as
-- carry_usage.sql does for the usage: $1 this run, $2 the previous run, $3 cluster, $4 first
-- hour, $5 the hour after the last.
insert into prom_pending_pods_hourly (
  run_id, cluster, hour, namespace, pod, workload_kind, workload_name, pending_ratio
)
select $1, cluster, hour, namespace, pod, workload_kind, workload_name, pending_ratio
from prom_pending_pods_hourly
where run_id = $2 and cluster = $3 and hour >= $4::timestamp and hour < $5::timestamp
