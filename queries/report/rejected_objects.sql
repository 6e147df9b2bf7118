-- What each source left out of the run and why (rejected_objects): the report's coverage part.
select cluster, source, location, object, field, value, rule, message
from rejected_objects
where run_id = $run_id
order by cluster, source, location, object, field
