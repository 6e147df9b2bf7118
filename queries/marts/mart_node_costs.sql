-- Cost, allocation and idle per EC2 node over the window. A node whose pods were charged less
-- than analyzers.idle.nodeUtilizationThreshold of its cost is flagged as nearly idle; its
-- `idle_share` is the one queries/macros/idle.sql defines (idle ÷ the node's cost).
with lines as (
  select
    cluster,
    node_name,
    sum(cost_usd) filter (where workload_kind <> idle_kind()) as allocated_usd,
    sum(cost_usd) filter (where workload_kind = idle_kind()) as idle_usd,
    count(distinct pod_name) filter (where workload_kind <> idle_kind()) as pods
  from int_cost_lines_daily
  where node_name is not null
  group by cluster, node_name
),
nodes as (
  select
    cluster,
    node_name,
    any_value(instance_type) as instance_type,
    any_value(zone) as zone,
    any_value(capacity_type) as capacity_type,
    any_value(capacity_pool) as capacity_pool,
    sum(node_hours) as node_hours,
    sum(cost_usd) as cost_usd,
    sum(cost_usd) / nullif(sum(node_hours), 0) as avg_usd_per_hour,
    string_agg(distinct price_source, ', ' order by price_source) as price_sources
  from int_node_hours_priced
  group by cluster, node_name
)
select
  n.*,
  coalesce(l.allocated_usd, 0) as allocated_usd,
  coalesce(l.idle_usd, 0) as idle_usd,
  coalesce(l.pods, 0) as pods,
  coalesce(l.allocated_usd, 0) / nullif(n.cost_usd, 0) as allocated_share,
  idle_share(coalesce(l.idle_usd, 0), n.cost_usd) as idle_share,
  n.cost_usd * w.monthly_factor as monthly_cost_usd,
  coalesce(l.idle_usd, 0) * w.monthly_factor as monthly_idle_usd,
  coalesce(l.allocated_usd, 0) / nullif(n.cost_usd, 0) < getvariable('idle_node_utilization_threshold')::double as nearly_idle
from nodes as n
left join lines as l using (cluster, node_name)
cross join int_window as w
