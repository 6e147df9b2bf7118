-- One row per capacity pool of EC2 nodes, as the right-sizing re-pack describes it: its kind (a
-- managed node group, a Karpenter NodePool, or nodes of neither), the instance types, capacity
-- types and zones its nodes have now, how many nodes it runs, the NodePool's requirements,
-- limits and disruption (JSON, when the collector listed NodePools), a managed node group's
-- min/max size (when the EKS API described it: null otherwise, and the re-pack is unbounded), and
-- whether the cluster runs Cluster Autoscaler (a Deployment of that name), which is what removes a
-- node group's freed nodes.
with pools as (
  select
    cluster,
    capacity_pool,
    case
      when bool_or(nodegroup is not null) then 'managed-node-group'
      when bool_or(nodepool is not null) then 'karpenter'
      else 'nodes'
    end as pool_kind,
    string_agg(distinct instance_type, ',' order by instance_type) as instance_types,
    string_agg(distinct capacity_type, ',' order by capacity_type) as capacity_types,
    string_agg(distinct zone, ',' order by zone) as zones,
    mode(capacity_type) as capacity_type,
    count(*) as nodes_observed
  from stg_kubernetes__nodes
  where compute_type <> 'fargate' and instance_type is not null
  group by all
),
nodepools as (
  select cluster, name as capacity_pool, requirements, limits, disruption
  from stg_kubernetes__karpenter
  where kind = 'NodePool'
),
nodegroups as (
  select cluster, nodegroup as capacity_pool, min_size, max_size
  from stg_eks__nodegroups
),
autoscalers as (
  select cluster, bool_or(workload_name like '%cluster-autoscaler%') as cluster_autoscaler
  from stg_kubernetes__workloads
  where workload_kind = 'Deployment'
  group by all
)
select
  p.*,
  n.requirements as nodepool_requirements,
  n.limits as nodepool_limits,
  n.disruption as nodepool_disruption,
  case when p.pool_kind = 'managed-node-group' then g.min_size end as min_size,
  case when p.pool_kind = 'managed-node-group' then g.max_size end as max_size,
  coalesce(a.cluster_autoscaler, false) as cluster_autoscaler,
  hours_per_month() as hours_per_month
from pools as p
left join nodepools as n using (cluster, capacity_pool)
left join nodegroups as g using (cluster, capacity_pool)
left join autoscalers as a using (cluster)
