-- materialized: table
-- Per scalable workload and hour of the window: the replicas it held and their requests, its CPU
-- usage, and the replicas that usage needed at the current request per pod and the HPA's CPU
-- target (offpeak_target_utilization without one): ceil(usage ÷ (request per pod × target)),
-- at least 1. No CPU request: replicas_needed is NULL (utilisation cannot be computed).
select
  u.cluster,
  u.namespace,
  u.workload_kind,
  u.workload_name,
  u.hour,
  hour(u.hour) as hour_of_day,
  isodow(u.hour) as day_of_week,
  u.pods as replicas_held,
  u.cpu_usage_cores,
  u.cpu_request_cores / u.pods as cpu_request_per_pod_cores,
  u.memory_request_bytes / u.pods as memory_request_per_pod_bytes,
  coalesce(h.cpu_target_percent / 100.0, getvariable('offpeak_target_utilization')) as target_utilization,
  case
    when u.cpu_request_cores > 0 then greatest(
      1,
      ceil(
        u.cpu_usage_cores
        / (u.cpu_request_cores / u.pods * coalesce(h.cpu_target_percent / 100.0, getvariable('offpeak_target_utilization')))
      )
    )
  end as replicas_needed
from int_workload_usage_hourly as u
left join int_workload_hpas as h using (cluster, namespace, workload_kind, workload_name)
where u.workload_kind not in ('DaemonSet', 'CronJob', 'Job', 'Pod')
