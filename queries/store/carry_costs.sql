-- Copies a previous run's Cost Explorer lines for the days not fetched again into this run:
-- $1 this run, $2 the previous run, $3 cluster, $4 first day, $5 day after the last.
insert into aws_costs (run_id, cluster, date, group_by, key1, key2, metric, amount, unit, estimated, tag_filter, source)
select $1, cluster, date, group_by, key1, key2, metric, amount, unit, estimated, tag_filter, source
from aws_costs
where run_id = $2 and cluster = $3 and date >= $4::date and date < $5::date
