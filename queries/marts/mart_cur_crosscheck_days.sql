-- mart_cur_crosscheck summed per cluster and whole UTC day, with what the cross-check leaves
-- out on our side: the idle no pod was there to take (AWS spreads all of a node's unused cost
-- over its pods; we keep it on the (idle) lines) — int_cost_lines_daily's idle rows that day.
with idle as (
  select cluster, date, sum(cost_usd + idle_share_usd) as ours_idle_kept_usd
  from int_cost_lines_daily
  where workload_kind = idle_kind()
  group by all
)
select
  c.cluster,
  c.date,
  sum(c.aws_pods) as aws_pods,
  sum(c.our_pods) as our_pods,
  sum(c.aws_total_usd) as aws_total_usd,
  sum(c.ours_total_usd) as ours_total_usd,
  sum(c.difference_usd) as difference_usd,
  sum(c.only_aws_usd) as only_aws_usd,
  sum(c.only_ours_usd) as only_ours_usd,
  sum(c.node_basis_usd) as node_basis_usd,
  sum(c.split_usd) as split_usd,
  coalesce(any_value(i.ours_idle_kept_usd), 0) as ours_idle_kept_usd
from mart_cur_crosscheck as c
left join idle as i using (cluster, date)
group by c.cluster, c.date
