-- Each hour of the window pods that land on a Karpenter NodePool were Pending (the pending-pod
-- history, each pod on the pool its workload runs on: int_autoscaling_pool_hours), with the
-- nodes the NodePool had up that hour and their capacity. The section compares each hour's
-- capacity with the NodePool's `limits` (quantities, read exactly in TypeScript): the hours at a
-- limit are those Karpenter could launch no node for the pods that waited.
select
  h.cluster,
  h.capacity_pool as nodepool,
  h.hour,
  h.nodes,
  h.cpu_capacity_cores,
  h.memory_capacity_bytes,
  h.pending_pods,
  h.pending_pod_hours
from int_autoscaling_pool_hours as h
join stg_kubernetes__karpenter as k on k.cluster = h.cluster and k.name = h.capacity_pool and k.kind = 'NodePool'
where h.pending_pods > 0
