-- Managed node groups as their autoscaler sees them: the EKS API's sizes against the nodes running,
-- the pods waiting at the snapshot, and the pending-pod history (kube_pod_status_phase, per hour,
-- each pod on the pool its workload runs on: int_autoscaling_pool_hours).
--   at_max_pending: for hours_at_max_pending hours of the window the group had maxSize nodes up
--     while pods that land on it were Pending (or it is at max now with pods waiting): Cluster
--     Autoscaler could add no node; suggested_max_size adds the nodes the most CPU that waited at
--     once needs, at the group's allocatable per node;
--   fixed_size: min = max, nothing scales it;
--   at_max: desired = max (the next pod that needs a node waits);
--   no_autoscaler: no Cluster Autoscaler runs, its size changes only by hand; ok otherwise.
-- The max size is today's (the EKS API): a group whose max was raised during the window is judged
-- on the new one.
with snapshot_pending as (
  select p.cluster, w.capacity_pool, count(*) as pending_pods
  from stg_kubernetes__pods as p
  left join int_autoscaling_workload_pools as w using (cluster, namespace, workload_kind, workload_name)
  where p.phase = 'Pending' and p.node_name is null
  group by all
),
nodes as (
  select cluster, capacity_pool, count(*) as nodes, avg(cpu_allocatable_cores) as cpu_allocatable_cores
  from stg_kubernetes__nodes
  group by all
),
history as (
  select
    h.cluster, h.capacity_pool,
    count(*) filter (where h.nodes >= g.max_size and h.pending_pods > 0) as hours_at_max_pending,
    coalesce(sum(h.pending_pod_hours) filter (where h.nodes >= g.max_size), 0) as pending_pod_hours_at_max,
    coalesce(max(h.pending_pods) filter (where h.nodes >= g.max_size), 0) as peak_pending_pods_at_max,
    coalesce(max(h.pending_cpu_request_cores) filter (where h.nodes >= g.max_size), 0) as peak_pending_cpu_cores_at_max,
    min(h.hour) filter (where h.nodes >= g.max_size and h.pending_pods > 0) as first_hour_at_max_pending,
    max(h.hour) filter (where h.nodes >= g.max_size and h.pending_pods > 0) as last_hour_at_max_pending
  from int_autoscaling_pool_hours as h
  join stg_eks__nodegroups as g on g.cluster = h.cluster and g.nodegroup = h.capacity_pool
  group by all
),
autoscaler as (
  select cluster, bool_or(cluster_autoscaler) as present
  from int_rightsizing_pools
  group by all
),
groups as (
  select
    g.*,
    coalesce(n.nodes, 0) as nodes,
    -- Pods waiting now that land on this group, and those whose pool cannot be told.
    coalesce(p.pending_pods, 0) + coalesce(u.pending_pods, 0) as pending_pods,
    coalesce(h.hours_at_max_pending, 0) as hours_at_max_pending,
    coalesce(h.pending_pod_hours_at_max, 0) as pending_pod_hours_at_max,
    coalesce(h.peak_pending_pods_at_max, 0) as peak_pending_pods_at_max,
    h.first_hour_at_max_pending,
    h.last_hour_at_max_pending,
    g.max_size + ceil(coalesce(h.peak_pending_cpu_cores_at_max, 0) / nullif(n.cpu_allocatable_cores, 0))::integer as suggested_max_size,
    coalesce(a.present, false) as cluster_autoscaler
  from stg_eks__nodegroups as g
  left join nodes as n on n.cluster = g.cluster and n.capacity_pool = g.nodegroup
  left join snapshot_pending as p on p.cluster = g.cluster and p.capacity_pool = g.nodegroup
  left join snapshot_pending as u on u.cluster = g.cluster and u.capacity_pool is null
  left join history as h on h.cluster = g.cluster and h.capacity_pool = g.nodegroup
  left join autoscaler as a on a.cluster = g.cluster
)
select
  cluster,
  nodegroup,
  min_size,
  max_size,
  desired_size,
  nodes,
  pending_pods,
  cluster_autoscaler,
  hours_at_max_pending,
  pending_pod_hours_at_max,
  peak_pending_pods_at_max,
  case when hours_at_max_pending > 0 then greatest(suggested_max_size, max_size + 1) end as suggested_max_size,
  case
    when hours_at_max_pending > 0 or (desired_size >= max_size and pending_pods > 0) then 'at_max_pending'
    when min_size = max_size then 'fixed_size'
    when desired_size >= max_size then 'at_max'
    when not cluster_autoscaler then 'no_autoscaler'
    else 'ok'
  end as finding,
  case
    when hours_at_max_pending > 0
      then format('at its max size ({}) for {} hours of the window while pods that land on it were Pending ({} pod-hours, up to {} at once, {} to {}): Cluster Autoscaler could add no node; raise maxSize to {} or add a node group',
        max_size, hours_at_max_pending, round(pending_pod_hours_at_max, 1), peak_pending_pods_at_max,
        strftime(first_hour_at_max_pending, '%Y-%m-%d %H:00'), strftime(last_hour_at_max_pending, '%Y-%m-%d %H:00'),
        greatest(suggested_max_size, max_size + 1))
    when desired_size >= max_size and pending_pods > 0
      then format('at its max size ({}) while {} pods wait unscheduled: raise maxSize or add a node group', max_size, pending_pods)
    when min_size = max_size then format('min = max = {}: no autoscaler can change its size', min_size)
    when desired_size >= max_size then format('at its max size ({}): the next pod that needs a node will wait', max_size)
    when not cluster_autoscaler then 'no Cluster Autoscaler runs in the cluster: its size changes only by hand'
    else format('{} nodes between min {} and max {}', desired_size, min_size, max_size)
  end as reason
from groups
