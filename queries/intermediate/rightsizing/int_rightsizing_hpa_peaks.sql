-- For each workload an HPA scales, its busiest hour of the window by CPU: how many pods ran then,
-- their CPU usage and requests summed, the figures the HPA's replica count follows
-- (desired = ceil(replicas × usage ÷ (request × target))).
select
  cluster,
  namespace,
  workload_kind,
  workload_name,
  arg_max(pods, cpu_usage_cores) as peak_pods,
  max(cpu_usage_cores) as peak_cpu_usage_cores,
  arg_max(cpu_request_cores, cpu_usage_cores) as peak_cpu_request_cores
from int_workload_usage_hourly
where (cluster, namespace, workload_kind, workload_name) in (
  select (cluster, namespace, workload_kind, workload_name) from stg_kubernetes__workloads where hpa_name is not null
)
group by all
