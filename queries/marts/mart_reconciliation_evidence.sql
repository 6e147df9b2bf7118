-- What the data shows about the compared days (mart_reconciliation's whole, billed days), per
-- cluster: each explanation of a gap is drawn from one of these figures, so a cause the data does
-- not show is never named. Node-hours the usage history has on nodes the inventory lacks (gone
-- before the snapshot), the EC2 node-hours of the inventory (each EC2 node boots from an EBS root
-- volume the PVCs do not include), the EC2 spend billed without the cluster's tag, and the days left out of the comparison with their hours.
with compared_days as (
  select cluster, date from mart_reconciliation where compared
),
unplaced as (
  select
    u.cluster,
    count(*) as unknown_node_hours,
    count(distinct u.node_name) as unknown_nodes,
    string_agg(distinct u.node_name, ', ' order by u.node_name) as unknown_node_names
  from (select distinct cluster, node_name, hour from int_pod_hours_unplaced) as u
  join compared_days as d on d.cluster = u.cluster and d.date = u.hour::date
  group by u.cluster
),
ec2 as (
  select n.cluster, sum(n.node_hours) as ec2_node_hours, count(distinct n.node_name) as ec2_nodes
  from int_node_hours_priced as n
  join compared_days as d on d.cluster = n.cluster and d.date = n.hour::date
  where n.capacity_type <> 'fargate'
  group by n.cluster
),
untagged as (
  select c.cluster, sum(c.amount) as untagged_ec2_usd
  from stg_aws__costs as c
  semi join compared_days using (cluster, date)
  where c.group_by = 'UNTAGGED_EC2' and c.metric = 'UnblendedCost'
  group by c.cluster
),
left_out as (
  select
    cluster,
    count(*) filter (where not compared) as days_left_out,
    string_agg(strftime(date, '%Y-%m-%d') || ' (' || round(window_hours, 2)::varchar || ' h)', ', ' order by date)
      filter (where not compared and not whole_day) as partial_days,
    count(*) filter (where compared) as days_compared
  from mart_reconciliation
  group by cluster
)
select
  l.cluster,
  l.days_compared,
  l.days_left_out,
  l.partial_days,
  coalesce(u.unknown_node_hours, 0) as unknown_node_hours,
  coalesce(u.unknown_nodes, 0) as unknown_nodes,
  u.unknown_node_names,
  coalesce(e.ec2_node_hours, 0) as ec2_node_hours,
  coalesce(e.ec2_nodes, 0) as ec2_nodes,
  t.untagged_ec2_usd
from left_out as l
left join unplaced as u using (cluster)
left join ec2 as e using (cluster)
left join untagged as t using (cluster)
