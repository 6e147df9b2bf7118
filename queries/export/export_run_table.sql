-- One run's rows of a table without a cluster column (the run's analyses record, the price
-- sources) as Parquet, partitioned by day only (run_date=<yyyy-mm-dd>/): $1 the table, $2 the
-- run, $3 the run's start day, $4 the folder.
copy (
  select t.*, $3::date as run_date
  from query_table($1::varchar) as t
  where t.run_id = $2
) to $4 (format parquet, partition_by (run_date), compression zstd)
