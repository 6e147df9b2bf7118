-- The tables a Parquet export writes: every table of the file with a run_id column (the raw
-- tables of the collectors, the sources and rejections, the analyses, the marts kept per run),
-- by name, and whether it has a cluster column to partition by. `runs` is written apart
-- (export_runs.sql: one row per run and cluster).
select table_name, bool_or(column_name = 'cluster') as has_cluster
from information_schema.columns
where table_catalog = current_database() and table_schema = 'main' and table_name <> 'runs'
group by table_name
having bool_or(column_name = 'run_id')
order by table_name
