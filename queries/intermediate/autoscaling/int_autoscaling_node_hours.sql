-- materialized: table
-- Per EC2 node and hour it was up: the CPU requests of the pods on it that hour (DaemonSets
-- aside, from the hourly usage history), its allocatable CPU, and whether the hour was idle
-- (requests below autoscaling_idle_node_share of allocatable), with the node-hour's price.
-- The pods are the usage's pod-hours on their keys (int_pod_hours_keyed: one row a pod-hour,
-- grouped on integers), not the usage's container rows again.
with requested as (
  select p.node_key, p.hour, sum(p.cpu_request_cores) as cpu_requested_cores, count(*) as pods
  from int_pod_hours_keyed as p
  join int_workload_keys as w using (workload_key)
  where p.from_usage and w.workload_kind <> 'DaemonSet' and p.node_key is not null
  group by p.node_key, p.hour
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
left join requested as r using (node_key, hour)
