-- materialized: table
-- Per EC2 node-hour that had pods: the node's price and rates, and what its pods were charged.
-- Each pod is charged max(request, usage) per resource; when the charged cores (or GiB) exceed
-- the node's size, every pod's share is scaled down by `cpu_scale` (or `memory_scale`) so that the
-- node is never charged more than its price (AWS split cost allocation uses the allocated total as
-- the denominator when a node is oversubscribed). Idle is the node's cost per resource minus the
-- allocated dollars; `*_idle_per_usd` spreads it over the pods in proportion to their charges
-- (AWS's "unused cost" in the total split cost). The pods' requests are summed too, for the
-- right-sizing's consolidation estimate.
with charged as (
  select
    p.cluster,
    p.node_name,
    p.hour,
    greatest(p.cpu_request_cores, coalesce(p.cpu_usage_cores, 0)) as cpu_charged_cores,
    greatest(p.memory_request_gib, coalesce(p.memory_usage_gib, 0)) as memory_charged_gib,
    least(p.pod_hours, n.node_hours) as hours,
    p.cpu_request_cores,
    p.memory_request_gib
  from int_pod_hours as p
  join int_node_hours_priced as n
    on n.cluster = p.cluster
    and n.node_name = p.node_name
    and n.hour = p.hour
),
totals as (
  select
    cluster,
    node_name,
    hour,
    count(*) as pods,
    sum(cpu_charged_cores) as cpu_total,
    sum(memory_charged_gib) as memory_total,
    sum(cpu_charged_cores * hours) as cpu_core_hours,
    sum(memory_charged_gib * hours) as memory_gib_hours,
    sum(cpu_request_cores) as cpu_requested_cores,
    sum(memory_request_gib) as memory_requested_gib
  from charged
  group by all
),
scaled as (
  select
    n.*,
    t.pods,
    t.cpu_requested_cores,
    t.memory_requested_gib,
    least(1.0, n.vcpu / nullif(t.cpu_total, 0)) as cpu_scale,
    least(1.0, n.memory_gib / nullif(t.memory_total, 0)) as memory_scale,
    coalesce(least(1.0, n.vcpu / nullif(t.cpu_total, 0)) * t.cpu_core_hours, 0) * n.usd_per_core_hour as cpu_allocated_usd,
    coalesce(least(1.0, n.memory_gib / nullif(t.memory_total, 0)) * t.memory_gib_hours, 0) * n.usd_per_gib_hour
      as memory_allocated_usd
  from int_node_hours_priced as n
  join totals as t using (cluster, node_name, hour)
)
select
  *,
  (usd_per_core_hour * vcpu * node_hours - cpu_allocated_usd) / nullif(cpu_allocated_usd, 0) as cpu_idle_per_usd,
  (usd_per_gib_hour * memory_gib * node_hours - memory_allocated_usd) / nullif(memory_allocated_usd, 0) as memory_idle_per_usd
from scaled
