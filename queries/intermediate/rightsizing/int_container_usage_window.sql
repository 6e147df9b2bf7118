-- materialized: table
-- Usage of every container of every workload over the window, from the hourly history of all of
-- its pods (deleted ones included): what every right-sizing strategy starts from. The CPU
-- percentile is taken over the hourly p95s of 5-minute rates of all the workload's pods (KRR's
-- `simple` takes each pod's p95 and keeps the highest; hourly p95s keep short peaks in view and
-- err on the generous side). History counts as span and points: a CronJob that runs an hour a
-- night has a few hours of usage over days of history, and is sized for its running hours.
-- Grouped on the workload's and counted on the pod's surrogate keys (queries/macros/keys.sql:
-- a pod's key is unique within its workload), the names joined back per workload.
with usage as (
  select
    workload_key,
    container_name,
    count(distinct hour) as usage_hours,
    -- From the first hour with usage to the end of the last one.
    (epoch(max(hour)) - epoch(min(hour))) / 3600 + 1 as span_hours,
    coalesce(sum(samples), 0) as points,
    count(distinct pod_key) as pods_seen,
    quantile_cont(cpu_p95_cores, getvariable('rightsizing_cpu_percentile')::double) as cpu_percentile_cores,
    max(cpu_max_cores) as cpu_max_cores,
    max(memory_max_bytes) as memory_peak_bytes,
    coalesce(sum(oom_kills), 0) as oom_kills,
    coalesce(sum(restarts), 0) as restarts,
    avg(cpu_throttled_ratio) as cpu_throttled_ratio,
    -- The latest hour's request; pods of that hour asking differently (a rollout): the largest,
    -- the same one every run (arg_max on the hour alone picks any of them).
    arg_max(cpu_request_cores, (hour, cpu_request_cores)) as last_cpu_request_cores,
    arg_max(memory_request_bytes, (hour, memory_request_bytes)) as last_memory_request_bytes
  from stg_prometheus__usage_hourly
  where workload_name is not null
  group by workload_key, container_name
)
select
  w.cluster,
  w.namespace,
  w.workload_kind,
  w.workload_name,
  u.* exclude (workload_key)
from usage as u
join int_workload_keys as w using (workload_key)
