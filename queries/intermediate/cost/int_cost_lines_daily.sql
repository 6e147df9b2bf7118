-- materialized: table
-- The cost lines summed per day: what every mart reads (allocation, roll-ups, summary, node
-- costs, reconciliation), so the hourly chain is computed once and never kept. One row per pod
-- (or idle pool, fee, volume), node, kind of capacity, price source and day; `min_hour_cost_usd`
-- keeps the smallest hourly line so that checks on single hours (idle never negative) still can.
-- EC2 pod lines are grouped on their keys and named after (int_pod_keys, int_workload_keys,
-- int_node_keys): a day holds 24 times fewer rows than the hours do. They are grouped apart
-- from the other lines (which have no pod key, so no group holds both), straight from
-- int_pod_hours_charged and on their seven keys alone rather than with six name columns that
-- are null on every one of them: the largest group-by of the models, about an eighth cheaper.
with ec2_daily as (
  select
    pod_key,
    workload_key,
    node_key,
    capacity_type,
    capacity_pool,
    price_source,
    hour::date as date,
    -- The sums of the lines below (int_cost_lines_hourly gives an EC2 pod line no other cost).
    exact_usd_sum(cpu_cost_usd) as cpu_cost_usd,
    exact_usd_sum(memory_cost_usd) as memory_cost_usd,
    0.0 as other_cost_usd,
    exact_usd_sum(cpu_cost_usd + memory_cost_usd) as cost_usd,
    exact_usd_sum(idle_share_usd) as idle_share_usd,
    min(cpu_cost_usd + memory_cost_usd) as min_hour_cost_usd,
    count(usd_per_core_hour) as ec2_pod_hours,
    sum(usd_per_core_hour) as sum_usd_per_core_hour,
    sum(usd_per_gib_hour) as sum_usd_per_gib_hour
  from int_pod_hours_charged
  group by pod_key, workload_key, node_key, capacity_type, capacity_pool, price_source, date
),
daily as (
  select
    pod_key,
    workload_key,
    node_key,
    cluster,
    namespace,
    workload_kind,
    workload_name,
    pod_name,
    node_name,
    capacity_type,
    capacity_pool,
    price_source,
    hour::date as date,
    -- Exact sums (queries/macros/money.sql): a day's figure does not depend on the order of its hours.
    exact_usd_sum(cpu_cost_usd) as cpu_cost_usd,
    exact_usd_sum(memory_cost_usd) as memory_cost_usd,
    exact_usd_sum(other_cost_usd) as other_cost_usd,
    exact_usd_sum(cost_usd) as cost_usd,
    exact_usd_sum(idle_share_usd) as idle_share_usd,
    min(cost_usd) as min_hour_cost_usd,
    -- EC2 pod-hours and the sums of their nodes' rates, for rates averaged over pod-hours.
    count(usd_per_core_hour) as ec2_pod_hours,
    sum(usd_per_core_hour) as sum_usd_per_core_hour,
    sum(usd_per_gib_hour) as sum_usd_per_gib_hour
  from int_cost_lines_hourly
  where pod_key is null
  group by all
  union all by name
  select * from ec2_daily
)
select
  coalesce(p.cluster, d.cluster) as cluster,
  coalesce(p.namespace, d.namespace) as namespace,
  coalesce(w.workload_kind, d.workload_kind) as workload_kind,
  coalesce(w.workload_name, d.workload_name) as workload_name,
  coalesce(p.pod_name, d.pod_name) as pod_name,
  coalesce(n.node_name, d.node_name) as node_name,
  d.capacity_type,
  d.capacity_pool,
  d.price_source,
  -- The kind of cost the bill prices it as (mart_reconciliation, mart_bill_scale): other EC2
  -- capacity types (reserved, capacity blocks) count with on-demand.
  case when d.capacity_type in ('spot', 'fargate', 'control-plane', 'storage') then d.capacity_type else 'on-demand' end
    as cost_kind,
  d.date,
  d.cpu_cost_usd,
  d.memory_cost_usd,
  d.other_cost_usd,
  d.cost_usd,
  d.idle_share_usd,
  d.min_hour_cost_usd,
  d.ec2_pod_hours,
  d.sum_usd_per_core_hour,
  d.sum_usd_per_gib_hour
from daily as d
left join int_pod_keys as p using (pod_key)
left join int_workload_keys as w using (workload_key)
left join int_node_keys as n using (node_key)
