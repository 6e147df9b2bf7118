-- The exported `runs` rows back into a roll-up's scratch database, once per run: $1 the glob of
-- the exported files (…/runs/**/*.parquet).
insert into runs
select distinct
  run_id, command, status, started_at, finished_at, window_start, window_end, clusters, tool_version
from read_parquet($1, hive_partitioning = true, hive_types = {'cluster': varchar, 'run_date': date})
