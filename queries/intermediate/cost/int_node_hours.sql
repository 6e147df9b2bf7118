-- Every hour each EC2 node of the inventory was up inside the window, with the fraction of the
-- hour it was up (a node created at 10:45 counts 0.25 of the 10:00 hour). Fargate nodes are
-- priced per pod instead (int_fargate_pod_hours).
with alive as (
  select
    n.*,
    greatest(n.created_at, w.window_start) as alive_from,
    w.window_end as alive_to
  from stg_kubernetes__nodes as n
  cross join int_window as w
  where n.compute_type <> 'fargate'
    and n.created_at < w.window_end
)
select
  a.cluster,
  a.node_name,
  node_key(a.cluster, a.node_name) as node_key,
  a.instance_type,
  a.region,
  a.zone,
  a.capacity_type,
  a.capacity_pool,
  a.cpu_capacity_cores,
  a.memory_capacity_gib,
  t.hour,
  (epoch(least(t.hour + interval 1 hour, a.alive_to)) - epoch(greatest(t.hour, a.alive_from))) / 3600.0 as node_hours
from alive as a,
  unnest(range(date_trunc('hour', a.alive_from), a.alive_to, interval 1 hour)) as t(hour)
