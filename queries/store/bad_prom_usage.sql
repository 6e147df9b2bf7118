-- The hourly usage values of one spool (its usage answers, $1: see load_prom_usage.sql) that no
-- container can have: not a finite number (NaN, ±Inf), negative, or beyond the bounds of
-- src/core/limits.ts (the variables max_cpu_cores and max_memory_bytes, set from its LIMITS). One
-- row per container, hour and column, with the rule broken; load_prom_usage.sql leaves out the
-- whole container-hour, and the collector lists these rows as rejected objects.
with answers as (
  select day_end, "column", unnest(answer.data.result) as s
  from read_json($1, format = 'newline_delimited', auto_detect = false, columns = {
    day_end: 'BIGINT',
    "column": 'VARCHAR',
    answer: 'STRUCT(data STRUCT(result STRUCT(metric STRUCT(namespace VARCHAR, pod VARCHAR, container VARCHAR), "values" VARCHAR[][])[]))'
  })
),

points as (
  select
    "column",
    s.metric.namespace as namespace,
    s.metric.pod as pod,
    s.metric.container as container,
    unnest(s."values") as point
  from answers
),

checked as (
  select
    namespace,
    pod,
    container,
    "column",
    round(point[1]::double)::bigint as hour_end,
    point[2] as value,
    try_cast(point[2] as double) as v
  from points
  where pod is not null and container is not null
)

select
  namespace,
  pod,
  container,
  "column",
  make_timestamp((hour_end - 3600) * 1000000) as hour,
  value,
  case
    when v is null or not isfinite(v) then 'finite'
    when v < 0 then 'non-negative'
    when "column" like 'cpu%' then 'at most ' || getvariable('max_cpu_says')
    else 'at most ' || getvariable('max_memory_says')
  end as rule
from checked
where v is null
  or not isfinite(v)
  or v < 0
  or ("column" like 'cpu%' and v > getvariable('max_cpu_cores'))
  or ("column" like 'memory%' and v > getvariable('max_memory_bytes'))
order by namespace, pod, container, hour, "column"
