-- materialized: table
-- Per scalable workload and hour of the window: the replicas it held and their requests, its CPU
-- usage, and the replicas that usage needed at the current request per pod and the HPA's CPU
-- target (offpeak_target_utilization without one): ceil(usage ÷ (request per pod × target)),
-- at least 1. No CPU request: replicas_needed is NULL (utilisation cannot be computed).
-- Read from the pod-hours of the usage history on their keys (a row per pod and hour, so the
-- replicas held are the rows), names joined back per workload-hour: a request no pod of the
-- workload-hour had stays NULL (`*_request_unset`), as a sum over the containers would leave it.
with usage as (
  select
    workload_key,
    hour,
    count(*) as pods,
    sum(cpu_usage_cores) as cpu_usage_cores,
    sum(cpu_request_cores) filter (where not cpu_request_unset) as cpu_request_cores,
    sum(memory_request_gib) filter (where not memory_request_unset) * 1073741824.0 as memory_request_bytes
  from int_pod_hours_keyed
  where from_usage
  group by workload_key, hour
)
select
  w.cluster,
  w.namespace,
  w.workload_kind,
  w.workload_name,
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
from usage as u
join int_workload_keys as w using (workload_key)
left join int_workload_hpas as h using (cluster, namespace, workload_kind, workload_name)
where w.workload_kind not in ('DaemonSet', 'CronJob', 'Job', 'Pod')
