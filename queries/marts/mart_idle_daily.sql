-- Idle cost per cluster, day and capacity pool: what each pool's EC2 nodes cost that day beyond
-- what their pods were charged (the idle lines of int_cost_lines_daily, one per pool). The
-- report's idle cost over time. A row per day and pool, kept per run.
select
  cluster,
  date,
  coalesce(capacity_pool, workload_name) as capacity_pool,
  exact_usd_sum(cost_usd) as idle_usd
from int_cost_lines_daily
where workload_kind = idle_kind()
group by all
