-- Writes a run's CUR split lines of one cluster as the bundle's Parquet file
-- (aws/<cluster>/cur-split.parquet): what was read, not the export. $1 run, $2 cluster, $3 file.
copy (
  select * exclude (run_id)
  from aws_cur_split_lines
  where run_id = $1 and cluster = $2
  order by usage_start, pod_arn, usage_type
) to $3 (format parquet)
