-- materialized: table
-- What each pod reserved and used, hour by hour: from the usage history when there is one
-- (deleted pods included), else from the inventory's requests for the hours the pod has existed.
-- The pod, its node and its workload are surrogate keys (queries/macros/keys.sql): this is the
-- largest grain (a row per pod-hour), so it groups and joins on integers and holds no strings
-- (`from_usage`: true where the row comes from the usage history, false from the inventory's
-- requests); int_pod_hours is the same rows with the names joined back and what the pod is
-- charged (pod_charged, queries/macros/charges.sql), which readers compute rather than store.
with from_usage as (
  select
    pod_key,
    hour,
    any_value(node_key) as node_key,
    any_value(workload_key) as workload_key,
    sum(coalesce(cpu_request_cores, 0)) as cpu_request_cores,
    sum(cpu_avg_cores) as cpu_usage_cores,
    sum(coalesce(memory_request_gib, 0)) as memory_request_gib,
    sum(memory_avg_gib) as memory_usage_gib,
    -- No container of the pod-hour had the request (the sums above count it 0): what
    -- int_offpeak_workload_hours needs to keep a missing request missing.
    count(cpu_request_cores) = 0 as cpu_request_unset,
    count(memory_request_bytes) = 0 as memory_request_unset,
    1.0 as pod_hours,
    true as from_usage
  from stg_prometheus__usage_hourly
  group by pod_key, hour
),
requests as (
  select
    cluster,
    namespace,
    pod_name,
    -- What the scheduler reserves for the pod (queries/macros/fargate.sql: init containers and
    -- native sidecars counted as Kubernetes counts them).
    pod_request(cpu_request_cores, container_type) as cpu_request_cores,
    pod_request(memory_request_bytes, container_type) / 1073741824.0 as memory_request_gib
  from stg_kubernetes__containers
  group by cluster, namespace, pod_name
),
inventory_only as (
  select
    pod_key(p.cluster, p.namespace, p.pod_name) as pod_key,
    node_key(p.cluster, p.node_name) as node_key,
    workload_key(p.cluster, p.namespace, p.workload_kind, p.workload_name) as workload_key,
    r.cpu_request_cores,
    r.memory_request_gib,
    greatest(p.created_at, w.window_start) as alive_from,
    w.window_end as alive_to
  from stg_kubernetes__pods as p
  join requests as r using (cluster, namespace, pod_name)
  cross join int_window as w
  where p.phase in ('Running', 'Pending', 'Unknown')
    and p.node_name is not null
    and not exists (
      select 1 from int_usage_names as u
      where u.cluster = p.cluster and u.namespace = p.namespace and u.pod_name = p.pod_name
    )
),
all_hours as (
  select * from from_usage
  union all by name
  select
    i.pod_key,
    t.hour,
    i.node_key,
    i.workload_key,
    i.cpu_request_cores,
    null::double as cpu_usage_cores,
    i.memory_request_gib,
    null::double as memory_usage_gib,
    false as cpu_request_unset,
    false as memory_request_unset,
    (epoch(least(t.hour + interval 1 hour, i.alive_to)) - epoch(greatest(t.hour, i.alive_from))) / 3600.0 as pod_hours,
    false as from_usage
  from inventory_only as i,
    unnest(range(date_trunc('hour', i.alive_from), i.alive_to, interval 1 hour)) as t(hour)
)
select * from all_hours
