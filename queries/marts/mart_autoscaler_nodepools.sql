-- Karpenter NodePools with the capacity of their nodes at the snapshot beside their `limits`
-- (JSON, quantities as written: the section reads them exactly, through core/eks/nodepool.ts):
-- Karpenter launches no node that would take the NodePool's nodes past a limit, counted on
-- capacity, so a NodePool at its limit leaves pods pending.
with capacity as (
  select cluster, nodepool, count(*) as nodes, sum(cpu_capacity_cores) as cpu_capacity_cores,
    sum(memory_capacity_bytes)::double as memory_capacity_bytes
  from stg_kubernetes__nodes
  where nodepool is not null
  group by all
)
select
  k.cluster,
  k.name as nodepool,
  k.limits,
  coalesce(c.nodes, 0) as nodes,
  coalesce(c.cpu_capacity_cores, 0) as cpu_capacity_cores,
  coalesce(c.memory_capacity_bytes, 0) as memory_capacity_bytes
from stg_kubernetes__karpenter as k
left join capacity as c on c.cluster = k.cluster and c.nodepool = k.name
where k.kind = 'NodePool'
