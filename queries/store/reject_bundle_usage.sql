-- Lists the rows of a bundle's usage CSV that load_checked_bundle_usage.sql left out, one row per broken
-- cell, in rejected_objects: $1 run, $2 cluster, $3 the file, $4 and $5 the window's start and
-- end, $6 the file as the bundle names it (for the location, with the line).
insert into rejected_objects (run_id, cluster, source, location, object, field, value, rule, message)
select $1, $2, 'prometheus', $6 || ' line ' || line, object, p.field, p.value, p.rule, p.message
from (
  select line, object, unnest(problems) as p
  from checked_bundle_usage($3, $4::timestamp, $5::timestamp)
  where len(problems) > 0
)
