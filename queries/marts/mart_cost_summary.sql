-- One row per cluster: the priced total (EC2 node-hours + Fargate pod-hours + the EKS fee + PVC
-- storage), what workloads were charged, idle, and the split by kind of capacity, over the window
-- and as monthly run-rates. `idle_share` is idle ÷ the EC2 node-hours' cost (compute without
-- Fargate), as queries/macros/idle.sql defines it.
with lines as (
  select
    cluster,
    sum(cost_usd) as total_usd,
    sum(cost_usd) filter (where capacity_type not in ('storage', 'control-plane')) as compute_usd,
    sum(cost_usd) filter (where not is_shared_kind(workload_kind)) as allocated_usd,
    sum(cost_usd) filter (where workload_kind = idle_kind()) as idle_usd,
    sum(cost_usd) filter (where capacity_type = 'on-demand') as on_demand_usd,
    sum(cost_usd) filter (where capacity_type = 'spot') as spot_usd,
    sum(cost_usd) filter (where capacity_type = 'fargate') as fargate_usd,
    sum(cost_usd) filter (where capacity_type = 'storage') as storage_usd,
    sum(cost_usd) filter (where capacity_type = 'control-plane') as control_plane_usd,
    sum(cost_usd) filter (where capacity_type not in ('on-demand', 'spot', 'fargate', 'storage', 'control-plane')) as other_usd
  from int_cost_lines_daily
  group by cluster
)
select
  l.cluster,
  w.window_start,
  w.window_end,
  w.hours_in_window,
  l.total_usd,
  coalesce(l.compute_usd, 0) as compute_usd,
  coalesce(l.allocated_usd, 0) as allocated_usd,
  coalesce(l.idle_usd, 0) as idle_usd,
  coalesce(l.on_demand_usd, 0) as on_demand_usd,
  coalesce(l.spot_usd, 0) as spot_usd,
  coalesce(l.fargate_usd, 0) as fargate_usd,
  coalesce(l.storage_usd, 0) as storage_usd,
  coalesce(l.control_plane_usd, 0) as control_plane_usd,
  coalesce(l.other_usd, 0) as other_usd,
  l.total_usd * w.monthly_factor as monthly_total_usd,
  coalesce(l.allocated_usd, 0) * w.monthly_factor as monthly_allocated_usd,
  coalesce(l.idle_usd, 0) * w.monthly_factor as monthly_idle_usd,
  coalesce(l.compute_usd, 0) * w.monthly_factor as monthly_compute_usd,
  coalesce(l.fargate_usd, 0) * w.monthly_factor as monthly_fargate_usd,
  coalesce(l.storage_usd, 0) * w.monthly_factor as monthly_storage_usd,
  coalesce(l.control_plane_usd, 0) * w.monthly_factor as monthly_control_plane_usd,
  idle_share(coalesce(l.idle_usd, 0), l.compute_usd - coalesce(l.fargate_usd, 0)) as idle_share
from lines as l
cross join int_window as w
