-- The run a roll-up reads for each cluster: its latest run that was analyzed (has marts), by
-- start time. A run that covered several clusters is one row per cluster, and read once.
with analyzed as (
  select distinct run_id from mart_cost_summary
),
by_cluster as (
  select c.name as cluster, r.run_id, r.started_at
  from runs as r,
    unnest(from_json(r.clusters, '[{"name": "VARCHAR", "region": "VARCHAR"}]')) as u(c)
  where r.run_id in (select run_id from analyzed)
)
select cluster, arg_max(run_id, started_at) as run_id
from by_cluster
group by cluster
order by cluster
