-- Replays a bundle's CUR split lines (export_cur_split.sql's file, $3) into the run ($1) for the
-- cluster ($2), by column name (its columns are checked first against the table's).
insert into aws_cur_split_lines by name
select * exclude (cluster), $1 as run_id, $2 as cluster
from read_parquet($3)
