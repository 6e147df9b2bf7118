-- The VPA recommender's estimates (kubernetes/autoscaler, vertical-pod-autoscaler/pkg/recommender)
-- for every container of every workload, from the hourly history:
--   CPU: a decaying histogram of usage samples, each weighted by the container's CPU request (at
--     least 0.1 core) × 2^(age ÷ half-life). The store keeps one sample per pod and hour, the
--     hour's p95 of 5-minute rates, where VPA keeps one per minute.
--   Memory: one peak per pod and 24-hour window (the newest rs_vpa_memory_windows of them), each
--     weighted 1 × 2^(age ÷ half-life). An OOM kill makes that window's peak at least
--     max(used + bump, used × ratio), used = max(memory request, peak): VPA's RecordOOM.
--   Buckets grow by rs_vpa_bucket_growth (VPA: 5 %) from a first bucket of 0.01 core / 1e7 bytes
--   up to 1000 cores / 1e12 bytes; growth 0 gives equal buckets. A percentile is the end of the
--   first bucket whose cumulative weight reaches it, as VPA's histogram returns it.
with params as (
  select
    getvariable('rightsizing_vpa_bucket_growth')::double as growth,
    getvariable('rightsizing_vpa_cpu_first_bucket_cores')::double as cpu_first,
    getvariable('rightsizing_vpa_memory_first_bucket_bytes')::double as memory_first,
    getvariable('rightsizing_vpa_half_life_hours')::double * 3600 as half_life_seconds,
    getvariable('rightsizing_vpa_memory_windows')::integer as memory_windows,
    getvariable('rightsizing_vpa_cpu_percentile')::double as cpu_percentile,
    getvariable('rightsizing_vpa_memory_percentile')::double as memory_percentile,
    getvariable('rightsizing_oom_bump_bytes')::double as oom_bump_bytes,
    getvariable('rightsizing_oom_bump_ratio')::double as oom_bump_ratio
),
cpu_samples as (
  select
    u.cluster, u.namespace, u.workload_kind, u.workload_name, u.container_name,
    'cpu' as resource,
    u.cpu_p95_cores as value,
    greatest(coalesce(u.cpu_request_cores, 0), 0.1)
      * pow(2, (epoch(u.hour + interval 1 hour) - epoch(w.window_end)) / p.half_life_seconds) as weight
  from stg_prometheus__usage_hourly as u
  cross join int_window as w
  cross join params as p
  where u.cpu_p95_cores is not null and u.workload_name is not null
    -- Estimated only when the vpa strategy is chosen: other strategies never read them, and the
    -- histograms read every usage row.
    and getvariable('rightsizing_strategy') = 'vpa'
),
memory_windows as (
  select
    u.cluster, u.namespace, u.workload_kind, u.workload_name, u.container_name, u.pod_name,
    floor((epoch(w.window_end) - epoch(u.hour + interval 1 hour)) / 86400)::integer as windows_back,
    max(u.memory_max_bytes) as peak_bytes,
    max(u.memory_request_bytes) as request_bytes,
    coalesce(sum(u.oom_kills), 0) > 0 as oom_killed
  from stg_prometheus__usage_hourly as u
  cross join int_window as w
  where u.workload_name is not null and (u.memory_max_bytes is not null or u.oom_kills > 0)
    and getvariable('rightsizing_strategy') = 'vpa'
  group by all
),
memory_samples as (
  select
    m.cluster, m.namespace, m.workload_kind, m.workload_name, m.container_name,
    'memory' as resource,
    case
      when m.oom_killed then greatest(
        coalesce(m.peak_bytes, 0),
        greatest(coalesce(m.request_bytes, 0), coalesce(m.peak_bytes, 0)) + p.oom_bump_bytes,
        greatest(coalesce(m.request_bytes, 0), coalesce(m.peak_bytes, 0)) * p.oom_bump_ratio
      )
      else m.peak_bytes
    end::double as value,
    pow(2, -(m.windows_back * 86400.0) / p.half_life_seconds) as weight
  from memory_windows as m
  cross join params as p
  where m.windows_back < p.memory_windows
),
samples as (
  select s.*, p.cpu_first as first_bucket, 1000.0 as max_value, p.growth, p.cpu_percentile as target_percentile
  from cpu_samples as s cross join params as p
  union all
  select s.*, p.memory_first, 1e12, p.growth, p.memory_percentile
  from memory_samples as s cross join params as p
),
bucketed as (
  select
    *,
    case when growth = 0 then ceil(max_value / first_bucket) + 1
      else ceil(ln(max_value * growth / first_bucket + 1) / ln(1 + growth)) + 1 end as buckets,
    case
      when value < first_bucket then 0
      when growth = 0 then floor(value / first_bucket)
      else floor(ln(value * growth / first_bucket + 1) / ln(1 + growth))
    end as raw_bucket
  from samples
),
histogram as (
  select
    cluster, namespace, workload_kind, workload_name, container_name, resource,
    least(raw_bucket, buckets - 1) as bucket,
    any_value(buckets) as buckets,
    any_value(first_bucket) as first_bucket,
    any_value(growth) as growth,
    any_value(target_percentile) as target_percentile,
    sum(weight) as weight
  from bucketed
  group by all
),
cumulative as (
  select
    *,
    sum(weight) over (partition by cluster, namespace, workload_kind, workload_name, container_name, resource order by bucket) as running,
    sum(weight) over (partition by cluster, namespace, workload_kind, workload_name, container_name, resource) as total
  from histogram
),
percentiles as (
  select
    cluster, namespace, workload_kind, workload_name, container_name, resource,
    any_value(buckets) as buckets,
    any_value(first_bucket) as first_bucket,
    any_value(growth) as growth,
    min(bucket) filter (where running >= 0.5 * total) as p50_bucket,
    min(bucket) filter (where running >= target_percentile * total) as target_bucket,
    min(bucket) filter (where running >= 0.95 * total) as p95_bucket
  from cumulative
  group by all
),
-- The end of bucket b is the start of bucket b + 1; the last bucket has no end, so its start.
edges as (
  select
    *,
    list_transform([p50_bucket, target_bucket, p95_bucket], b ->
      case
        when growth = 0 then least(b + 1, buckets - 1) * first_bucket
        else first_bucket * (pow(1 + growth, least(b + 1, buckets - 1)) - 1) / growth
      end) as values
  from percentiles
)
select
  cluster,
  namespace,
  workload_kind,
  workload_name,
  container_name,
  max(values[1]) filter (where resource = 'cpu') as cpu_lower_cores,
  max(values[2]) filter (where resource = 'cpu') as cpu_target_cores,
  max(values[3]) filter (where resource = 'cpu') as cpu_upper_cores,
  max(values[1]) filter (where resource = 'memory') as memory_lower_bytes,
  max(values[2]) filter (where resource = 'memory') as memory_target_bytes,
  max(values[3]) filter (where resource = 'memory') as memory_upper_bytes
from edges
group by all
