-- Pods on EC2 nodes charged max(request, usage) per resource and hour at their node's rates,
-- scaled down on an oversubscribed node (int_node_hour_charges), with each pod's share of its
-- node-hour's idle cost beside (`idle_share_usd`). Pod, workload and node by their keys
-- (queries/macros/keys.sql); read by the cost lines, which name them at the day grain: never stored.
with charged as (
  select
    p.pod_key,
    p.workload_key,
    p.node_key,
    p.hour,
    n.capacity_type,
    n.capacity_pool,
    n.price_source,
    n.usd_per_core_hour,
    n.usd_per_gib_hour,
    coalesce(pod_charged(p.cpu_request_cores, p.cpu_usage_cores) * n.cpu_scale, 0) * n.usd_per_core_hour * least(p.pod_hours, n.node_hours)
      as cpu_cost_usd,
    coalesce(pod_charged(p.memory_request_gib, p.memory_usage_gib) * n.memory_scale, 0) * n.usd_per_gib_hour * least(p.pod_hours, n.node_hours)
      as memory_cost_usd,
    n.cpu_idle_per_usd,
    n.memory_idle_per_usd
  from int_pod_hours_keyed as p
  join int_node_hour_charges as n
    on n.node_key = p.node_key
    and n.hour = p.hour
)
select
  * exclude (cpu_idle_per_usd, memory_idle_per_usd),
  coalesce(cpu_cost_usd * cpu_idle_per_usd, 0) + coalesce(memory_cost_usd * memory_idle_per_usd, 0) as idle_share_usd
from charged
