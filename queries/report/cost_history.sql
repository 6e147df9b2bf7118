-- Each analyzed run up to this one, oldest first, with its monthly run-rate by kind of cost:
-- the week-over-week trend.
select
  r.run_id,
  r.window_end,
  sum(s.monthly_compute_usd - s.monthly_fargate_usd) as monthly_nodes_usd,
  sum(s.monthly_fargate_usd) as monthly_fargate_usd,
  sum(s.monthly_control_plane_usd) as monthly_control_plane_usd,
  sum(s.monthly_storage_usd) as monthly_storage_usd,
  sum(s.monthly_total_usd) as monthly_total_usd,
  -- The run-rate's month in hours, as the marts applied it (hours_per_month() at analysis).
  max(s.monthly_total_usd / nullif(s.total_usd, 0) * s.hours_in_window) as hours_per_month
from runs r
join analyses a on a.run_id = r.run_id
join mart_cost_summary s on s.run_id = r.run_id
where r.started_at <= (select started_at from runs where run_id = $run_id)
group by r.run_id, r.started_at, r.window_end
order by r.started_at, r.run_id
