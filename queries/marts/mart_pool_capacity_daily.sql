-- Per cluster, EC2 capacity pool and day: the CPU cores the pool's nodes could allocate, what
-- its pods requested and what they used, each as the day's average (core-hours over the hours of
-- the day the window holds). Pods on a node count for its pool; Fargate pods have no pool here.
-- Used is from the usage history: pod-hours without it (inventory only) add to requested and not
-- to used, and a day with no usage at all reads NULL. CPU only: this is the one mart here that
-- scans the pod-hours, and memory would double that. The report's requested vs used vs
-- allocatable chart. A row per day and pool, kept per run.
with node_days as (
  select
    h.cluster,
    h.capacity_pool,
    h.node_key,
    h.hour::date as date,
    sum(h.node_hours) as node_hours,
    sum(h.node_hours * n.cpu_allocatable_cores) as cpu_allocatable_core_hours
  from int_node_hours as h
  join stg_kubernetes__nodes as n using (cluster, node_name)
  where h.capacity_pool is not null
  group by all
),
pod_days as (
  select
    node_key,
    hour::date as date,
    sum(cpu_request_cores * pod_hours) as cpu_requested_core_hours,
    sum(cpu_usage_cores * pod_hours) as cpu_used_core_hours
  from int_pod_hours_keyed
  group by all
),
pools as (
  select
    n.cluster,
    n.capacity_pool,
    n.date,
    sum(n.node_hours) as node_hours,
    sum(n.cpu_allocatable_core_hours) as cpu_allocatable_core_hours,
    coalesce(sum(p.cpu_requested_core_hours), 0) as cpu_requested_core_hours,
    sum(p.cpu_used_core_hours) as cpu_used_core_hours
  from node_days as n
  left join pod_days as p using (node_key, date)
  group by all
),
days as (
  select
    p.*,
    (epoch(least(p.date::timestamp + interval 1 day, w.window_end))
      - epoch(greatest(p.date::timestamp, w.window_start))) / 3600.0 as window_hours
  from pools as p
  cross join int_window as w
)
select
  cluster,
  capacity_pool,
  date,
  window_hours,
  node_hours / window_hours as nodes,
  cpu_allocatable_core_hours / window_hours as cpu_allocatable_cores,
  cpu_requested_core_hours / window_hours as cpu_requested_cores,
  cpu_used_core_hours / window_hours as cpu_used_cores
from days
