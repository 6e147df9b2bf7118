-- Managed node groups as their autoscaler sees them (EKS API sizes against the nodes running and
-- the pods waiting at the snapshot): at_max_pending: desired = max while pods are Pending
-- unscheduled, so Cluster Autoscaler can add no node; fixed_size: min = max, nothing scales it;
-- at_max: desired = max (the next pod that needs a node waits); no_autoscaler: no Cluster
-- Autoscaler runs, its size changes only by hand; ok otherwise. The pending-pod history
-- (kube_pod_status_phase) is not collected: this is the snapshot only.
with pending as (
  select cluster, count(*) as pending_pods
  from stg_kubernetes__pods
  where phase = 'Pending' and node_name is null
  group by all
),
nodes as (
  select cluster, capacity_pool, count(*) as nodes
  from stg_kubernetes__nodes
  group by all
),
autoscaler as (
  select cluster, bool_or(cluster_autoscaler) as present
  from int_rightsizing_pools
  group by all
)
select
  g.cluster,
  g.nodegroup,
  g.min_size,
  g.max_size,
  g.desired_size,
  coalesce(n.nodes, 0) as nodes,
  coalesce(p.pending_pods, 0) as pending_pods,
  coalesce(a.present, false) as cluster_autoscaler,
  case
    when g.desired_size >= g.max_size and coalesce(p.pending_pods, 0) > 0 then 'at_max_pending'
    when g.min_size = g.max_size then 'fixed_size'
    when g.desired_size >= g.max_size then 'at_max'
    when not coalesce(a.present, false) then 'no_autoscaler'
    else 'ok'
  end as finding,
  case
    when g.desired_size >= g.max_size and coalesce(p.pending_pods, 0) > 0
      then format('at its max size ({}) while {} pods wait unscheduled: raise maxSize or add a node group', g.max_size, p.pending_pods)
    when g.min_size = g.max_size then format('min = max = {}: no autoscaler can change its size', g.min_size)
    when g.desired_size >= g.max_size then format('at its max size ({}): the next pod that needs a node will wait', g.max_size)
    when not coalesce(a.present, false) then 'no Cluster Autoscaler runs in the cluster: its size changes only by hand'
    else format('{} nodes between min {} and max {}', g.desired_size, g.min_size, g.max_size)
  end as reason
from stg_eks__nodegroups as g
left join nodes as n on n.cluster = g.cluster and n.capacity_pool = g.nodegroup
left join pending as p on p.cluster = g.cluster
left join autoscaler as a on a.cluster = g.cluster
