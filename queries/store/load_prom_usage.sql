-- Loads one spool of Prometheus answers into prom_usage_hourly (src/collect/prometheus/spool.ts):
-- $1 run, $2 cluster, and three NDJSON files: $3 the hourly usage answers (each the text of a
-- Prometheus matrix answer, with the day it covers and the column it fills), $4 the facts (a
-- pod's node, or a container's requests, throttling, restarts and OOM kills; for the whole day,
-- or per hour for the pods whose day changed), $5 each pod's workload. The point at T summarises
-- the hour (T-1h, T], stored as the hour starting at T-1h. Two scrape jobs of one container give
-- their higher value, as `max by (namespace, pod, container)` would. A container-hour with a value
-- no container can have (not finite, negative, beyond src/core/limits.ts: the variables
-- max_cpu_cores and max_memory_bytes) is left out whole: queries/store/bad_prom_usage.sql lists it.
insert into prom_usage_hourly (
  run_id, cluster, hour, namespace, pod, container, node, workload_kind, workload_name,
  cpu_avg_cores, cpu_p95_cores, cpu_max_cores, memory_avg_bytes, memory_max_bytes,
  cpu_request_cores, memory_request_bytes, cpu_throttled_ratio, oom_kills, restarts, samples
)
with answers as (
  select day_end, "column", unnest(answer.data.result) as s
  from read_json($3, format = 'newline_delimited', auto_detect = false, columns = {
    day_end: 'BIGINT',
    "column": 'VARCHAR',
    answer: 'STRUCT(data STRUCT(result STRUCT(metric STRUCT(namespace VARCHAR, pod VARCHAR, container VARCHAR), "values" VARCHAR[][])[]))'
  })
),

points as (
  select
    day_end,
    "column",
    s.metric.namespace as namespace,
    s.metric.pod as pod,
    s.metric.container as container,
    unnest(s."values") as point
  from answers
),

usage as (
  select
    namespace,
    pod,
    container,
    day_end,
    round(point[1]::double)::bigint as hour_end,
    max(v) filter (where "column" = 'cpu_avg_cores') as cpu_avg_cores,
    max(v) filter (where "column" = 'cpu_p95_cores') as cpu_p95_cores,
    max(v) filter (where "column" = 'cpu_max_cores') as cpu_max_cores,
    max(v) filter (where "column" = 'memory_avg_bytes') as memory_avg_bytes,
    max(v) filter (where "column" = 'memory_max_bytes') as memory_max_bytes,
    max(v) filter (where "column" = 'samples') as samples,
    bool_or(
      v is null
      or not isfinite(v)
      or v < 0
      or ("column" like 'cpu%' and v > getvariable('max_cpu_cores'))
      or ("column" like 'memory%' and v > getvariable('max_memory_bytes'))
    ) as broken
  from (select *, try_cast(point[2] as double) as v from points)
  where pod is not null and container is not null
  group by all
),

facts as (
  select *
  from read_json($4, format = 'newline_delimited', auto_detect = false, columns = {
    namespace: 'VARCHAR',
    pod: 'VARCHAR',
    container: 'VARCHAR',
    day_end: 'BIGINT',
    hour_end: 'BIGINT',
    node: 'VARCHAR',
    cpu_request_cores: 'DOUBLE',
    memory_request_bytes: 'DOUBLE',
    cpu_throttled_ratio: 'DOUBLE',
    restarts: 'INTEGER',
    oom_kills: 'INTEGER'
  })
),

day_nodes as (select * from facts where container is null and hour_end is null),
hour_nodes as (select * from facts where container is null and hour_end is not null),
day_containers as (select * from facts where container is not null and hour_end is null),
hour_containers as (select * from facts where container is not null and hour_end is not null),

pods as (
  select *
  from read_json($5, format = 'newline_delimited', auto_detect = false, columns = {
    namespace: 'VARCHAR',
    pod: 'VARCHAR',
    workload_kind: 'VARCHAR',
    workload_name: 'VARCHAR'
  })
)

-- The day's facts, or the hour's own for the pods read hour by hour (a pod has one or the other).
select
  $1,
  $2,
  make_timestamp((u.hour_end - 3600) * 1000000),
  u.namespace,
  u.pod,
  u.container,
  coalesce(hn.node, dn.node),
  coalesce(p.workload_kind, 'Pod'),
  coalesce(p.workload_name, u.pod),
  u.cpu_avg_cores,
  u.cpu_p95_cores,
  u.cpu_max_cores,
  u.memory_avg_bytes,
  round(u.memory_max_bytes)::bigint,
  coalesce(hc.cpu_request_cores, dc.cpu_request_cores),
  round(coalesce(hc.memory_request_bytes, dc.memory_request_bytes))::bigint,
  coalesce(hc.cpu_throttled_ratio, dc.cpu_throttled_ratio),
  coalesce(hc.oom_kills, dc.oom_kills, 0),
  coalesce(hc.restarts, dc.restarts, 0),
  coalesce(round(u.samples), 0)::integer
from usage as u
left join day_nodes as dn on dn.namespace = u.namespace and dn.pod = u.pod and dn.day_end = u.day_end
left join hour_nodes as hn on hn.namespace = u.namespace and hn.pod = u.pod and hn.hour_end = u.hour_end
left join day_containers as dc
  on dc.namespace = u.namespace and dc.pod = u.pod and dc.container = u.container and dc.day_end = u.day_end
left join hour_containers as hc
  on hc.namespace = u.namespace and hc.pod = u.pod and hc.container = u.container and hc.hour_end = u.hour_end
left join pods as p on p.namespace = u.namespace and p.pod = u.pod
-- Usage needs samples inside the hour: a CPU rate (two samples at least), or a working set with
-- at least two raw samples (one scrape says little of an hour). A gauge seen only through
-- Prometheus' 5-minute lookback after its pod ended (no staleness marker, as in imported or
-- remote-read data) is not usage of that hour.
where not u.broken
  and (u.cpu_avg_cores is not null or (u.memory_avg_bytes is not null and u.samples >= 2))
