-- Cost by cluster, namespace and workload over the window, with the monthly run-rate
-- (cost × hours_per_month() / hours in the window): compute (CPU + memory) plus the EBS storage of the PVCs
-- its pods mount. Idle capacity has its own rows (namespace idle_namespace(), kind idle_kind(), one
-- per capacity pool), so do the EKS fee (control_plane_namespace(), control_plane_kind()) and PVCs
-- no pod mounts (unmounted_pvc_kind()); see queries/macros/kinds.sql. `cost_with_idle_usd` adds each pod's share of its nodes'
-- idle cost (AWS's total split cost); idle rows then keep only what no pod was there to take.
-- With allocation.scaleToBill, `monthly_cost_scaled_usd` is the row's compute and fee scaled to
-- what Cost Explorer billed for each kind (mart_bill_scale), plus its storage unscaled.
select
  l.cluster,
  l.namespace,
  l.workload_kind,
  l.workload_name,
  -- Exact sums (queries/macros/money.sql): the same figures whatever order the days are added in.
  exact_usd_sum(l.cost_usd) as cost_usd,
  exact_usd_sum(l.cpu_cost_usd) as cpu_cost_usd,
  exact_usd_sum(l.memory_cost_usd) as memory_cost_usd,
  exact_usd_sum(l.cost_usd) * any_value(w.monthly_factor) as monthly_cost_usd,
  exact_usd_sum(l.cpu_cost_usd) * any_value(w.monthly_factor) as monthly_cpu_cost_usd,
  exact_usd_sum(l.memory_cost_usd) * any_value(w.monthly_factor) as monthly_memory_cost_usd,
  coalesce(exact_usd_sum(case when l.capacity_type = 'storage' then l.other_cost_usd end), 0) as storage_cost_usd,
  coalesce(exact_usd_sum(case when l.capacity_type = 'storage' then l.other_cost_usd end), 0) * any_value(w.monthly_factor) as monthly_storage_cost_usd,
  case when getvariable('allocation_scale_to_bill')::boolean then
    sum(l.cost_usd * coalesce(b.factor, 1)) * any_value(w.monthly_factor)
  end as monthly_cost_scaled_usd,
  exact_usd_sum(l.cost_usd + l.idle_share_usd) as cost_with_idle_usd,
  exact_usd_sum(l.cost_usd + l.idle_share_usd) * any_value(w.monthly_factor) as monthly_cost_with_idle_usd,
  count(distinct l.pod_name) filter (where l.capacity_type <> 'storage') as pods,
  string_agg(distinct l.capacity_type, ', ' order by l.capacity_type) as capacity_types,
  string_agg(distinct l.price_source, ', ' order by l.price_source) as price_sources
from int_cost_lines_daily as l
cross join int_window as w
-- Each line scales by the factor of its kind of cost; storage (no factor) stays as modeled.
left join mart_bill_scale as b
  on b.cluster = l.cluster
  and b.cost_kind = l.cost_kind
group by l.cluster, l.namespace, l.workload_kind, l.workload_name
