-- materialized: table
-- Per EC2 node and hour it was up: the CPU requests of the pods on it that hour (DaemonSets
-- aside, from the hourly usage history), its allocatable CPU, and whether the hour was idle
-- (requests below autoscaling_idle_node_share of allocatable), with the node-hour's price.
with requested as (
  select cluster, node_name, hour, sum(cpu_request_cores) as cpu_requested_cores, count(distinct pod_name) as pods
  from stg_prometheus__usage_hourly
  where workload_kind <> 'DaemonSet' and node_name is not null
  group by all
)
select
  h.cluster,
  h.node_name,
  h.capacity_pool,
  h.instance_type,
  h.hour,
  h.node_hours,
  h.cost_usd,
  n.cpu_allocatable_cores,
  coalesce(r.cpu_requested_cores, 0) as cpu_requested_cores,
  coalesce(r.pods, 0) as pods,
  coalesce(r.cpu_requested_cores, 0) < getvariable('autoscaling_idle_node_share') * n.cpu_allocatable_cores as idle
from int_node_hours_priced as h
join stg_kubernetes__nodes as n using (cluster, node_name)
left join requested as r using (cluster, node_name, hour)
