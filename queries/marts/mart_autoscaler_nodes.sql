-- Nodes idle for long stretches that their pool's autoscaler never removed: per EC2 node still
-- in the inventory, the hours of the window its pods' requests (DaemonSets aside) stayed below
-- autoscaling_idle_node_share of its allocatable CPU, at least autoscaling_min_idle_hours; what
-- likely kept it (a pod no controller owns, one that must not be evicted, no autoscaler on the
-- pool) and the idle hours' cost a month. nearly_idle: idle's own nearly-idle flag (its cost is
-- counted there; the autoscaling figure leaves it out).
with idle as (
  select
    cluster, node_name, any_value(capacity_pool) as capacity_pool, any_value(instance_type) as instance_type,
    count(*) as hours,
    count(*) filter (where idle) as idle_hours,
    sum(cost_usd) filter (where idle) as idle_cost_usd
  from int_autoscaling_node_hours
  group by all
),
blockers as (
  select
    p.cluster, p.node_name,
    string_agg(distinct p.namespace || '/' || p.pod_name, ', ' order by p.namespace || '/' || p.pod_name) filter (where p.workload_kind = 'Pod') as bare_pods,
    string_agg(distinct p.namespace || '/' || p.pod_name, ', ' order by p.namespace || '/' || p.pod_name) filter (where unevictable(p.do_not_disrupt, p.safe_to_evict)) as pinned_pods
  from stg_kubernetes__pods as p
  where p.phase = 'Running'
  group by all
),
pools as (
  select cluster, capacity_pool, pool_kind, cluster_autoscaler from int_rightsizing_pools
)
select
  i.cluster,
  i.node_name,
  i.capacity_pool,
  i.instance_type,
  i.hours,
  i.idle_hours,
  i.idle_hours / i.hours as idle_share,
  coalesce(c.nearly_idle, false) as nearly_idle,
  concat_ws('; ',
    case when b.bare_pods is not null then format('a pod no controller owns ({}) blocks its removal', b.bare_pods) end,
    case when b.pinned_pods is not null then format('pods that must not be evicted ({})', b.pinned_pods) end,
    case when p.pool_kind = 'managed-node-group' and not p.cluster_autoscaler then 'no Cluster Autoscaler scales its node group' end,
    case when p.pool_kind = 'nodes' then 'no autoscaler manages it' end
  ) as blockers,
  coalesce(i.idle_cost_usd, 0) * w.monthly_factor as monthly_idle_usd
from idle as i
cross join int_window as w
left join blockers as b using (cluster, node_name)
left join pools as p using (cluster, capacity_pool)
left join mart_node_costs as c using (cluster, node_name)
where i.idle_hours >= getvariable('autoscaling_min_idle_hours')
