-- Compute that ran and was billed but that the tool cannot price, one row per object: EC2 nodes
-- without a price (no instance-type label, or a type no price source knows in the region), and
-- Fargate pods no Fargate size holds (beyond 16 vCPU / 120 GB, or with no request to size).
-- Their cost is not guessed: the report lists them with their hours and the share of the
-- cluster's compute hours (node-hours and Fargate pod-hours) they stand for.
with nodes as (
  select
    h.cluster,
    'node' as object_kind,
    cast(null as varchar) as namespace,
    h.node_name as name,
    h.instance_type,
    case
      when h.instance_type is null then 'no instance type: the node has no node.kubernetes.io/instance-type label'
      -- A Windows node is never priced as Linux (int_node_prices).
      when n.os = 'windows' then 'no Windows price for ' || h.instance_type
        || ' in the region (Price List operatingSystem=Windows; the snapshot has no sourced Windows price): not priced as Linux'
      else 'no price for ' || h.instance_type || ' in the region (Pricing API, bundle or snapshot)'
    end as reason,
    sum(h.node_hours) as hours
  from int_node_hours_priced as h
  left join stg_kubernetes__nodes as n on n.cluster = h.cluster and n.node_name = h.node_name
  where h.price_source = 'unpriced'
  group by all
),
fargate_pods as (
  select distinct p.cluster, p.namespace, p.pod_name
  from stg_kubernetes__pods as p
  left join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
  where n.compute_type = 'fargate' or p.fargate_profile is not null
),
oversized as (
  select
    f.cluster,
    'fargate-pod' as object_kind,
    f.namespace,
    f.pod_name as name,
    cast(null as varchar) as instance_type,
    'no Fargate size holds its requests (the largest is 16 vCPU and 120 GB)' as reason,
    sum(h.pod_hours) as hours
  from fargate_pods as f
  anti join int_fargate_pod_sizes as s using (cluster, namespace, pod_name)
  join int_pod_hours_keyed as h on h.pod_key = pod_key(f.cluster, f.namespace, f.pod_name)
  group by all
),
unpriced as (
  select * from nodes
  union all
  select * from oversized
),
compute_hours as (
  select cluster, sum(hours) as hours
  from (
    select cluster, node_hours as hours from int_node_hours
    union all
    select cluster, pod_hours as hours from int_fargate_pod_hours
    union all
    select cluster, hours from oversized
  )
  group by cluster
)
select
  u.cluster,
  u.object_kind,
  u.namespace,
  u.name,
  u.instance_type,
  u.reason,
  u.hours,
  u.hours / nullif(c.hours, 0) as share_of_compute_hours
from unpriced as u
left join compute_hours as c using (cluster)
order by u.cluster, u.object_kind, u.namespace, u.name
