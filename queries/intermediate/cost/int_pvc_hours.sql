-- The EBS cost of each priced PVC, hour by hour of the window: its GB-month price prorated over
-- the hours of that calendar month, as EBS bills (queries/macros/ebs.sql), from the PVC's creation
-- when it is in the window. Every PVC figure is a sum of these: its allocation line, the
-- unused-objects table and the storage total, all as monthly run-rates like any other cost.
with hours as (
  select unnest(generate_series(window_start, window_end - interval 1 hour, interval 1 hour)) as hour
  from int_window
)
select
  v.cluster,
  v.namespace,
  v.pvc_name,
  v.volume_type,
  v.workload_kind,
  v.workload_name,
  v.pod_name,
  v.price_source,
  h.hour,
  ebs_usd_per_hour(v.size_gib, v.usd_per_gb_month, h.hour)
    -- The hour the PVC was created in counts from its creation.
    * least(1.0, greatest(0.0, (epoch(h.hour + interval 1 hour) - epoch(coalesce(v.created_at, h.hour))) / 3600.0))
    as cost_usd
from int_pvc_volumes as v
join hours as h on v.created_at is null or h.hour + interval 1 hour > v.created_at
where v.usd_per_gb_month is not null
