-- materialized: table
-- The cost lines summed per day: what every mart reads (allocation, roll-ups, summary, node
-- costs, reconciliation), so the hourly chain is computed once and never kept. One row per pod
-- (or idle pool, fee, volume), node, kind of capacity, price source and day; `min_hour_cost_usd`
-- keeps the smallest hourly line so that checks on single hours (idle never negative) still can.
select
  cluster,
  namespace,
  workload_kind,
  workload_name,
  pod_name,
  node_name,
  capacity_type,
  capacity_pool,
  price_source,
  -- The kind of cost the bill prices it as (mart_reconciliation, mart_bill_scale): other EC2
  -- capacity types (reserved, capacity blocks) count with on-demand.
  case when capacity_type in ('spot', 'fargate', 'control-plane', 'storage') then capacity_type else 'on-demand' end
    as cost_kind,
  hour::date as date,
  sum(cpu_cost_usd) as cpu_cost_usd,
  sum(memory_cost_usd) as memory_cost_usd,
  sum(other_cost_usd) as other_cost_usd,
  sum(cost_usd) as cost_usd,
  sum(idle_share_usd) as idle_share_usd,
  min(cost_usd) as min_hour_cost_usd,
  -- EC2 pod-hours and the sums of their nodes' rates, for rates averaged over pod-hours.
  count(usd_per_core_hour) as ec2_pod_hours,
  sum(usd_per_core_hour) as sum_usd_per_core_hour,
  sum(usd_per_gib_hour) as sum_usd_per_gib_hour
from int_cost_lines_hourly
group by all
