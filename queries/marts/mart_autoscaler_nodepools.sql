-- Karpenter NodePools with the capacity of their nodes at the snapshot beside their `limits`
-- (JSON, quantities as written: the section reads them exactly, through core/eks/nodepool.ts):
-- Karpenter launches no node that would take the NodePool's nodes past a limit, counted on
-- capacity, so a NodePool at its limit leaves pods pending. From the pending-pod history: the
-- hours pods that land on it were Pending and their pod-hours (mart_autoscaler_nodepool_hours
-- has each of those hours with the capacity up then, for the hours at a limit).
with capacity as (
  select cluster, nodepool, count(*) as nodes, sum(cpu_capacity_cores) as cpu_capacity_cores,
    sum(memory_capacity_bytes)::double as memory_capacity_bytes
  from stg_kubernetes__nodes
  where nodepool is not null
  group by all
),
pending as (
  select cluster, capacity_pool as nodepool,
    count(*) filter (where pending_pods > 0) as pending_hours,
    sum(pending_pod_hours) as pending_pod_hours
  from int_autoscaling_pool_hours
  group by all
)
select
  k.cluster,
  k.name as nodepool,
  k.limits,
  coalesce(c.nodes, 0) as nodes,
  coalesce(c.cpu_capacity_cores, 0) as cpu_capacity_cores,
  coalesce(c.memory_capacity_bytes, 0) as memory_capacity_bytes,
  coalesce(p.pending_hours, 0) as pending_hours,
  coalesce(p.pending_pod_hours, 0) as pending_pod_hours
from stg_kubernetes__karpenter as k
left join capacity as c on c.cluster = k.cluster and c.nodepool = k.name
left join pending as p on p.cluster = k.cluster and p.nodepool = k.name
where k.kind = 'NodePool'
