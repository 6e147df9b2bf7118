-- The hourly usage rows a run ($1) of a cluster ($2) reads from earlier runs (prom_usage_reused).
select count(*) as rows
from prom_usage_reused as r
join prom_usage_hourly as u
  on u.run_id = r.from_run_id
  and u.cluster = r.cluster
  and u.hour >= r.hour_start
  and u.hour < r.hour_end
where r.run_id = $1 and r.cluster = $2
