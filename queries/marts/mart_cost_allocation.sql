-- Cost by cluster, namespace and workload over the window, with the monthly run-rate
-- (cost × 730 / hours in the window): compute (CPU + memory) plus the EBS storage of the PVCs
-- its pods mount. Idle capacity has its own rows (namespace '(idle)', kind 'Idle', one per
-- capacity pool), so do the EKS fee (namespace '(cluster)', kind 'ControlPlane') and PVCs no pod
-- mounts (kind 'PersistentVolumeClaim'). `cost_with_idle_usd` adds each pod's share of its nodes'
-- idle cost (AWS's total split cost); idle rows then keep only what no pod was there to take.
select
  l.cluster,
  l.namespace,
  l.workload_kind,
  l.workload_name,
  sum(l.cost_usd) as cost_usd,
  sum(l.cpu_cost_usd) as cpu_cost_usd,
  sum(l.memory_cost_usd) as memory_cost_usd,
  sum(l.cost_usd) * any_value(w.monthly_factor) as monthly_cost_usd,
  sum(l.cpu_cost_usd) * any_value(w.monthly_factor) as monthly_cpu_cost_usd,
  sum(l.memory_cost_usd) * any_value(w.monthly_factor) as monthly_memory_cost_usd,
  coalesce(sum(l.other_cost_usd) filter (where l.capacity_type = 'storage'), 0) as storage_cost_usd,
  coalesce(sum(l.other_cost_usd) filter (where l.capacity_type = 'storage'), 0) * any_value(w.monthly_factor) as monthly_storage_cost_usd,
  sum(l.cost_usd + l.idle_share_usd) as cost_with_idle_usd,
  sum(l.cost_usd + l.idle_share_usd) * any_value(w.monthly_factor) as monthly_cost_with_idle_usd,
  count(distinct l.pod_name) filter (where l.capacity_type <> 'storage') as pods,
  string_agg(distinct l.capacity_type, ', ' order by l.capacity_type) as capacity_types,
  string_agg(distinct l.price_source, ', ' order by l.price_source) as price_sources
from int_cost_lines_hourly as l
cross join int_window as w
group by l.cluster, l.namespace, l.workload_kind, l.workload_name
