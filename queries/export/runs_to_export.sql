-- The runs an export writes: every run of the file, or the one asked for ($1, NULL for all),
-- with the day that names their partition.
select run_id, strftime(started_at, '%Y-%m-%d') as day
from runs
where $1::varchar is null or run_id = $1
order by started_at, run_id
