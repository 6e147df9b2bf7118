-- The latest run that stored Cost Explorer lines for a cluster ($1): its tag filter and last day.
select c.run_id, any_value(c.tag_filter) as tag_filter, max(c.date)::varchar as stored_through
from aws_costs as c
join runs as r using (run_id)
where c.cluster = $1 and c.group_by = 'SERVICE,USAGE_TYPE'
group by c.run_id, r.started_at
order by r.started_at desc
limit 1
