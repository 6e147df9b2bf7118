-- materialized: table
-- Pods on EC2 nodes charged max(request, usage) per resource and hour at their node's rates.
-- When the charged cores (or GiB) of a node-hour exceed the node's size, every pod's share is
-- scaled down so that the node is never charged more than its price (AWS split cost allocation
-- uses the allocated total as the denominator when a node is oversubscribed).
with charged as (
  select
    p.*,
    greatest(p.cpu_request_cores, coalesce(p.cpu_usage_cores, 0)) as cpu_charged_cores,
    greatest(p.memory_request_gib, coalesce(p.memory_usage_gib, 0)) as memory_charged_gib,
    n.vcpu,
    n.memory_gib,
    n.usd_per_core_hour,
    n.usd_per_gib_hour,
    n.node_hours,
    n.price_source,
    n.capacity_type,
    n.capacity_pool
  from int_pod_hours as p
  join int_node_hours_priced as n
    on n.cluster = p.cluster
    and n.node_name = p.node_name
    and n.hour = p.hour
),
node_totals as (
  select cluster, node_name, hour, sum(cpu_charged_cores) as cpu_total, sum(memory_charged_gib) as memory_total
  from charged
  group by cluster, node_name, hour
)
select
  c.cluster,
  c.namespace,
  c.workload_kind,
  c.workload_name,
  c.pod_name,
  c.node_name,
  c.hour,
  c.basis,
  c.capacity_type,
  c.capacity_pool,
  c.price_source,
  c.cpu_request_cores,
  c.cpu_usage_cores,
  c.memory_request_gib,
  c.memory_usage_gib,
  c.cpu_charged_cores * least(1.0, c.vcpu / nullif(t.cpu_total, 0)) as cpu_allocated_cores,
  c.memory_charged_gib * least(1.0, c.memory_gib / nullif(t.memory_total, 0)) as memory_allocated_gib,
  coalesce(c.cpu_charged_cores * least(1.0, c.vcpu / nullif(t.cpu_total, 0)), 0) * c.usd_per_core_hour * least(c.pod_hours, c.node_hours)
    as cpu_cost_usd,
  coalesce(c.memory_charged_gib * least(1.0, c.memory_gib / nullif(t.memory_total, 0)), 0) * c.usd_per_gib_hour
    * least(c.pod_hours, c.node_hours) as memory_cost_usd
from charged as c
join node_totals as t using (cluster, node_name, hour)
