-- What the numbers stand on: pod-hours that could not be priced because their node is not in
-- the inventory (replaced or scaled away before the snapshot), node-hours without a price, and
-- how many hours of usage history each cluster has.
-- Distinct hours and pods are found by grouping first (in parallel, linear in the rows) and
-- counted after: a count(distinct …) over every usage row in one group ran on one thread.
with usage_hours as (
  select cluster, count(*) as usage_hours
  from (select distinct cluster, hour from stg_prometheus__usage_hourly)
  group by cluster
),
usage_pods as (
  select cluster, count(*) as pods_with_usage
  from (select distinct cluster, namespace, pod_name from int_usage_names)
  group by cluster
),
usage as (
  select cluster, h.usage_hours, p.pods_with_usage
  from usage_hours as h
  join usage_pods as p using (cluster)
),
orphans as (
  select
    cluster,
    count(*) as pod_hours_on_unknown_nodes,
    count(distinct node_name) as unknown_nodes,
    string_agg(distinct node_name, ', ' order by node_name) as unknown_node_names
  from int_pod_hours_unplaced
  group by cluster
),
unpriced as (
  select cluster, sum(node_hours) as unpriced_node_hours, string_agg(distinct instance_type, ', ' order by instance_type) as unpriced_types
  from int_node_hours_priced
  where price_source = 'unpriced'
  group by cluster
),
clusters as (
  select distinct cluster from stg_kubernetes__nodes
  union
  select distinct cluster from int_usage_names
)
select
  c.cluster,
  coalesce(u.usage_hours, 0) as usage_hours,
  coalesce(u.pods_with_usage, 0) as pods_with_usage,
  coalesce(o.pod_hours_on_unknown_nodes, 0) as pod_hours_on_unknown_nodes,
  coalesce(o.unknown_nodes, 0) as unknown_nodes,
  o.unknown_node_names,
  coalesce(x.unpriced_node_hours, 0) as unpriced_node_hours,
  x.unpriced_types
from clusters as c
left join usage as u using (cluster)
left join orphans as o using (cluster)
left join unpriced as x using (cluster)
