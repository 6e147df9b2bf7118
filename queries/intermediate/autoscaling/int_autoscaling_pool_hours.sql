-- Per EC2 capacity pool and hour of the window: the nodes it had up (from the node inventory) and
-- their capacity, and the pods Pending that hour that would land on it, with their CPU requests.
-- A Pending pod lands where its workload's other pods ran (int_autoscaling_workload_pools); a pod
-- whose workload never ran on an EC2 node has no pool and counts for the cluster only
-- (pool_known = false, capacity_pool NULL).
with pending as (
  select p.cluster, w.capacity_pool, p.hour,
    count(distinct p.pod_name) as pending_pods,
    sum(p.pending_ratio) as pending_pod_hours,
    sum(coalesce(w.cpu_request_per_pod_cores, 0)) as pending_cpu_request_cores
  from stg_prometheus__pending_pods_hourly as p
  left join int_autoscaling_workload_pools as w using (cluster, namespace, workload_kind, workload_name)
  group by all
),
nodes as (
  select cluster, capacity_pool, hour,
    count(*) as nodes,
    sum(cpu_capacity_cores) as cpu_capacity_cores,
    sum(memory_capacity_gib) * 1073741824.0 as memory_capacity_bytes
  from int_node_hours
  group by all
)
select
  coalesce(n.cluster, p.cluster) as cluster,
  coalesce(n.capacity_pool, p.capacity_pool) as capacity_pool,
  coalesce(n.hour, p.hour) as hour,
  coalesce(n.nodes, 0) as nodes,
  coalesce(n.cpu_capacity_cores, 0) as cpu_capacity_cores,
  coalesce(n.memory_capacity_bytes, 0) as memory_capacity_bytes,
  coalesce(p.pending_pods, 0) as pending_pods,
  coalesce(p.pending_pod_hours, 0) as pending_pod_hours,
  coalesce(p.pending_cpu_request_cores, 0) as pending_cpu_request_cores,
  coalesce(n.capacity_pool, p.capacity_pool) is not null as pool_known
from nodes as n
full join pending as p on p.cluster = n.cluster and p.capacity_pool = n.capacity_pool and p.hour = n.hour
