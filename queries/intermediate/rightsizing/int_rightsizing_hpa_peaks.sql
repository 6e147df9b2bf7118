-- For each workload an HPA scales, its busiest hour of the window by CPU: how many pods ran then,
-- their CPU usage and requests summed, the figures the HPA's replica count follows
-- (desired = ceil(replicas × usage ÷ (request × target))). Read from the pod-hours of those
-- workloads only (int_pod_hours_keyed, on the workload's key: queries/macros/keys.sql), so the
-- usage of the others is never summed per hour.
with hpa_workloads as (
  select workload_key(cluster, namespace, workload_kind, workload_name) as workload_key
  from stg_kubernetes__workloads
  where hpa_name is not null
),
hourly as (
  select
    p.workload_key,
    p.hour,
    count(*) as pods,
    sum(p.cpu_usage_cores) as cpu_usage_cores,
    sum(p.cpu_request_cores) as cpu_request_cores
  from int_pod_hours_keyed as p
  semi join hpa_workloads as h using (workload_key)
  where p.from_usage
  group by p.workload_key, p.hour
)
select
  w.cluster,
  w.namespace,
  w.workload_kind,
  w.workload_name,
  -- Hours of equal usage: the latest is the peak (arg_max alone picks any, run to run).
  arg_max(h.pods, (h.cpu_usage_cores, h.hour)) as peak_pods,
  max(h.cpu_usage_cores) as peak_cpu_usage_cores,
  arg_max(h.cpu_request_cores, (h.cpu_usage_cores, h.hour)) as peak_cpu_request_cores
from hourly as h
join int_workload_keys as w using (workload_key)
group by all
