-- What each source delivered for the run: the report's data coverage table and caveats.
select cluster, source, status, origin, rows, error
from run_sources
where run_id = $run_id
order by cluster, source
