-- The exported `runs` rows back into a roll-up's scratch database, once per run: $1 the glob of
-- the exported files (…/runs/**/*.parquet).
insert into runs by name
select distinct * exclude (cluster, region, run_date)
from read_parquet($1, hive_partitioning = true, union_by_name = true, hive_types = {'cluster': varchar, 'run_date': date})
