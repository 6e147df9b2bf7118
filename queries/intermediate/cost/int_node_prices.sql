-- Each EC2 node's on-demand price and its instance size (vCPU, GiB) from the reference data;
-- the node's own capacity when the type is unknown there. A Windows node (`kubernetes.io/os=windows`)
-- takes its type's Windows price (product ec2-windows), never the Linux one: without it the node
-- is unpriced. Arm and x86 differ by instance type (m7g vs m7i), so the type's price covers both.
select
  n.cluster,
  n.node_name,
  p.price_usd as on_demand_usd_per_hour,
  p.price_source as on_demand_source,
  p.as_of as on_demand_as_of,
  coalesce(t.vcpu, n.cpu_capacity_cores) as vcpu,
  coalesce(t.memory_gib, n.memory_capacity_gib) as memory_gib
from stg_kubernetes__nodes as n
left join stg_aws__prices as p
  on p.cluster = n.cluster
  and p.product = case when n.os = 'windows' then 'ec2-windows' else 'ec2' end
  and p.instance_type = n.instance_type
  and p.region = n.region
left join stg_reference__instance_types as t on t.instance_type = n.instance_type
where n.compute_type <> 'fargate'
