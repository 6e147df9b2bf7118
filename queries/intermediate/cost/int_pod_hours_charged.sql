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
    coalesce(p.cpu_charged_cores * n.cpu_scale, 0) * n.usd_per_core_hour * least(p.pod_hours, n.node_hours)
      as cpu_cost_usd,
    coalesce(p.memory_charged_gib * n.memory_scale, 0) * n.usd_per_gib_hour * least(p.pod_hours, n.node_hours)
      as memory_cost_usd,
    n.cpu_idle_per_usd,
    n.memory_idle_per_usd
  from int_pod_hours as p
  join int_node_hour_charges as n
    on n.cluster = p.cluster
    and n.node_name = p.node_name
    and n.hour = p.hour
)
select
  * exclude (cpu_idle_per_usd, memory_idle_per_usd),
  coalesce(cpu_cost_usd * cpu_idle_per_usd, 0) + coalesce(memory_cost_usd * memory_idle_per_usd, 0) as idle_share_usd
from charged
