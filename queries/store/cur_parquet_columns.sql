-- The top-level column names of a Parquet file ($1), to check a CUR 2.0 object for the columns
-- load_cur_split.sql reads before it is read (a missing column is named with its object).
select distinct name
from parquet_schema($1)
where name <> 'schema'
order by name
