-- What keeps an EC2 pool's nodes up however few pods it needs: the nodes that run a pod the
-- autoscaler will not evict (karpenter.sh/do-not-disrupt, or Cluster Autoscaler's
-- safe-to-evict "false"), pods with local storage (emptyDir), and the managed node group's minimum
-- size from the EKS API (NULL when the node group was not described).
with pods as (
  select
    n.cluster,
    n.capacity_pool,
    count(distinct n.node_name) filter (where unevictable(p.do_not_disrupt, p.safe_to_evict)) as pinned_nodes,
    count(*) filter (where unevictable(p.do_not_disrupt, p.safe_to_evict)) as pinned_pods,
    count(*) filter (where p.has_empty_dir) as local_storage_pods
  from stg_kubernetes__pods as p
  join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
  where p.phase = 'Running'
    and n.compute_type <> 'fargate'
    and p.workload_kind <> 'DaemonSet'
  group by all
)
select p.*, g.min_size
from pods as p
left join stg_eks__nodegroups as g on g.cluster = p.cluster and g.nodegroup = p.capacity_pool
