-- The EC2 capacity pool each workload's pods land on: the pool most of its pod-hours ran on over the
-- window (from the hourly usage and the node inventory), and what one of its pods asks for (the
-- CPU and memory requests of its containers today, int_container_specs). A Pending pod of the
-- workload would land there too.
with pod_hours as (
  select u.cluster, u.namespace, u.workload_kind, u.workload_name, n.capacity_pool, count(*) as pod_hours
  from stg_prometheus__usage_hourly as u
  join stg_kubernetes__nodes as n on n.cluster = u.cluster and n.node_name = u.node_name
  where n.compute_type <> 'fargate'
  group by all
),
requests as (
  select cluster, namespace, workload_kind, workload_name,
    sum(coalesce(cpu_request_cores, 0)) as cpu_request_per_pod_cores,
    sum(coalesce(memory_request_bytes, 0))::double as memory_request_per_pod_bytes
  from int_container_specs
  group by all
)
select
  p.cluster, p.namespace, p.workload_kind, p.workload_name,
  arg_max(p.capacity_pool, (p.pod_hours, p.capacity_pool)) as capacity_pool,
  any_value(r.cpu_request_per_pod_cores) as cpu_request_per_pod_cores,
  any_value(r.memory_request_per_pod_bytes) as memory_request_per_pod_bytes
from pod_hours as p
left join requests as r using (cluster, namespace, workload_kind, workload_name)
group by all
