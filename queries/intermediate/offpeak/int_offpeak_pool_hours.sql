-- The nodes each EC2 capacity pool held, per hour of the day (UTC): its node-hours at that hour
-- of the day over the window, divided by the days of the window (from the node inventory:
-- creation times; nodes removed before the snapshot are not in it).
select
  h.cluster,
  h.capacity_pool,
  hour(h.hour) as hour_of_day,
  sum(h.node_hours) / count(distinct h.hour::date) as nodes_held
from int_node_hours as h
where h.capacity_pool is not null
group by all
