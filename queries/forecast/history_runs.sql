-- The runs of the cluster ($1) whose hours the forecast reads, up to the run forecast from ($2):
-- what the forecast says its history rests on.
select
  r.run_id,
  r.window_start,
  r.window_end,
  count(u.hour) as usage_rows
from runs as r
join prom_usage_hourly as u using (run_id)
where u.cluster = $1
  and r.window_start < $2
group by all
order by r.window_start, r.run_id
