-- One run's rows of one table as Parquet, partitioned by cluster and date (hive-style folders
-- cluster=<name>/run_date=<yyyy-mm-dd>/): $1 the table (a name from exportable_tables.sql),
-- $2 the run, $3 the run's start day (the `run_date` partition), $4 the folder.
copy (
  select t.*, $3::date as run_date
  from query_table($1::varchar) as t
  where t.run_id = $2
) to $4 (format parquet, partition_by (cluster, run_date), compression zstd)
