-- The `runs` rows once per cluster each run covered, as a view the export writes like any
-- table (to runs/cluster=<name>/run_date=<day>/): a roll-up picks each cluster's latest run there.
create or replace temp view runs_by_cluster as
select
  r.*,
  c.name as cluster,
  c.region
from runs as r,
  unnest(from_json(r.clusters, '[{"name": "VARCHAR", "region": "VARCHAR"}]')) as u(c)
