-- A table's columns and types as an empty Parquet file (`_schema/<table>.parquet`): the export's
-- documented schema, what a roll-up creates a table from when no run wrote a row to it, and what
-- the Athena tables in deploy/athena/ are checked against. $1 the table, $2 the file.
copy (
  select t.*, null::date as run_date
  from query_table($1::varchar) as t
  limit 0
) to $2 (format parquet)
