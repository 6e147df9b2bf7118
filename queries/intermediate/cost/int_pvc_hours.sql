-- The EBS cost of each priced PVC, hour by hour of the window, one line per charge EBS bills:
-- its storage (GB-month), its provisioned IOPS and its throughput beyond what its volume type
-- includes (int_pvc_volumes), each monthly figure prorated over the hours of that calendar month,
-- as EBS bills (queries/macros/ebs.sql), from the PVC's creation when it is in the window. Every
-- PVC figure is a sum of these: its allocation lines, the unused-objects table and the storage
-- total, all as monthly run-rates like any other cost.
with hours as (
  select unnest(generate_series(window_start, window_end - interval 1 hour, interval 1 hour)) as hour
  from int_window
),
charges as (
  select *, 'storage' as ebs_charge, size_gib as quantity, usd_per_gb_month as usd_per_unit_month
  from int_pvc_volumes
  where usd_per_gb_month is not null
  union all by name
  select *, 'iops' as ebs_charge, 1.0 as quantity, iops_usd_per_month as usd_per_unit_month
  from int_pvc_volumes
  where usd_per_gb_month is not null and iops_usd_per_month > 0
  union all by name
  select *, 'throughput' as ebs_charge, 1.0 as quantity, throughput_usd_per_month as usd_per_unit_month
  from int_pvc_volumes
  where usd_per_gb_month is not null and throughput_usd_per_month > 0
)
select
  v.cluster,
  v.namespace,
  v.pvc_name,
  v.volume_type,
  v.ebs_charge,
  v.workload_kind,
  v.workload_name,
  v.pod_name,
  v.price_source,
  h.hour,
  ebs_usd_per_hour(v.quantity, v.usd_per_unit_month, h.hour)
    -- The hour the PVC was created in counts from its creation.
    * least(1.0, greatest(0.0, (epoch(h.hour + interval 1 hour) - epoch(coalesce(v.created_at, h.hour))) / 3600.0))
    as cost_usd
from charges as v
join hours as h on v.created_at is null or h.hour + interval 1 hour > v.created_at
