-- Pods on EC2 nodes charged max(request, usage) per resource and hour at their node's rates,
-- scaled down on an oversubscribed node (int_node_hour_charges), with each pod's share of its
-- node-hour's idle cost beside (`idle_share_usd`). Read once, by the cost lines: never stored.
with charged as (
  select
    p.cluster,
    p.namespace,
    p.workload_kind,
    p.workload_name,
    p.pod_name,
    p.node_name,
    p.hour,
    n.capacity_type,
    n.capacity_pool,
    n.price_source,
    n.usd_per_core_hour,
    n.usd_per_gib_hour,
    greatest(p.cpu_request_cores, coalesce(p.cpu_usage_cores, 0)) * n.cpu_scale as cpu_allocated_cores,
    greatest(p.memory_request_gib, coalesce(p.memory_usage_gib, 0)) * n.memory_scale as memory_allocated_gib,
    least(p.pod_hours, n.node_hours) as hours,
    n.cpu_idle_per_usd,
    n.memory_idle_per_usd
  from int_pod_hours as p
  join int_node_hour_charges as n
    on n.cluster = p.cluster
    and n.node_name = p.node_name
    and n.hour = p.hour
)
select
  * exclude (cpu_allocated_cores, memory_allocated_gib, hours, cpu_idle_per_usd, memory_idle_per_usd),
  coalesce(cpu_allocated_cores, 0) * usd_per_core_hour * hours as cpu_cost_usd,
  coalesce(memory_allocated_gib, 0) * usd_per_gib_hour * hours as memory_cost_usd,
  coalesce(coalesce(cpu_allocated_cores, 0) * usd_per_core_hour * hours * cpu_idle_per_usd, 0)
    + coalesce(coalesce(memory_allocated_gib, 0) * usd_per_gib_hour * hours * memory_idle_per_usd, 0) as idle_share_usd
from charged
