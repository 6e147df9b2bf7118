-- One right-sizing row per container of every workload (current and deleted pods alike), with
-- the strategy's recommendation, a status and its reason, and what it is worth in USD a month:
--   request_savings: the change in requests priced on the capacity the pods ran on (their nodes'
--     per-core and per-GiB rates, or the Fargate size they would be billed at), × average replicas
--     × hours_per_month(). On Fargate the pod is what is billed: its saving is the price of its
--     billed size before minus the size the same rule (queries/macros/fargate.sql) gives after the
--     change, init containers and native sidecars counted as the billed size counts them, shared
--     evenly by the containers that have a recommendation (one without data takes no part). A resource an HPA scales on saves nothing: the HPA adds replicas instead.
--   What the change is worth in nodes (freed requests become money only when whole nodes go
--     away) is not SQL's to say: the rightsizing analyzer's compute step re-packs each pool with
--     the node simulator and writes mart_rightsizing_pools (src/analyze/rightsizing/repack.ts).
with settings as (
  select
    getvariable('rightsizing_strategy') as strategy,
    getvariable('rightsizing_cpu_percentile')::double as cpu_percentile,
    getvariable('rightsizing_memory_margin')::double as memory_margin,
    getvariable('rightsizing_min_cpu_cores')::double as min_cpu,
    getvariable('rightsizing_min_memory_bytes')::double as min_memory,
    getvariable('rightsizing_oom_bump_bytes')::double as oom_bump_bytes,
    getvariable('rightsizing_oom_bump_ratio')::double as oom_bump_ratio,
    getvariable('rightsizing_min_hours')::double as min_hours,
    getvariable('rightsizing_min_points')::double as min_points,
    getvariable('rightsizing_throttling_threshold')::double as throttling_threshold,
    getvariable('rightsizing_no_change_tolerance')::double as tolerance,
    getvariable('rightsizing_target_utilization')::double as target_utilization,
    getvariable('rightsizing_vpa_margin')::double as vpa_margin,
    getvariable('rightsizing_vpa_cpu_percentile')::double as vpa_cpu_percentile,
    getvariable('rightsizing_vpa_memory_percentile')::double as vpa_memory_percentile,
    getvariable('rightsizing_vpa_pod_min_cpu_cores')::double as vpa_pod_min_cpu,
    getvariable('rightsizing_vpa_pod_min_memory_bytes')::double as vpa_pod_min_memory
),
containers as (
  select cluster, namespace, workload_kind, workload_name, container_name from int_container_usage_window
  union
  select cluster, namespace, workload_kind, workload_name, container_name from int_container_specs
),
base as (
  select
    k.*,
    coalesce(u.usage_hours, 0) as usage_hours,
    coalesce(u.span_hours, 0) as span_hours,
    coalesce(u.points, 0) as points,
    coalesce(u.pods_seen, 0) as pods_seen,
    u.cpu_percentile_cores,
    u.cpu_max_cores,
    u.memory_peak_bytes,
    coalesce(u.oom_kills, 0) as oom_kills,
    coalesce(u.restarts, 0) as restarts,
    u.cpu_throttled_ratio,
    coalesce(s.cpu_request_cores, u.last_cpu_request_cores) as cpu_request_cores,
    s.cpu_limit_cores,
    coalesce(s.memory_request_bytes, u.last_memory_request_bytes)::double as memory_request_bytes,
    s.memory_limit_bytes::double as memory_limit_bytes,
    coalesce(s.containers_per_pod, 1) as containers_per_pod,
    coalesce(s.current_pods, 0) as current_pods,
    s.hpa_name,
    s.hpa_min_replicas,
    s.hpa_max_replicas,
    s.hpa_cpu_target_percent,
    s.hpa_memory_target_percent,
    v.cpu_target_cores as vpa_cpu_cores,
    v.memory_target_bytes as vpa_memory_bytes,
    r.runs_on,
    r.capacity_pool,
    coalesce(r.usd_per_core_hour, 0) as usd_per_core_hour,
    coalesce(r.usd_per_gib_hour, 0) as usd_per_gib_hour,
    r.fargate_billed_vcpu,
    r.fargate_billed_memory_gib,
    r.fargate_usd_per_vcpu_hour,
    r.fargate_usd_per_gb_hour,
    r.fargate_init_cpu_request_cores,
    r.fargate_init_memory_request_bytes,
    coalesce(r.avg_replicas, 0) as avg_replicas,
    h.peak_pods as hpa_peak_replicas,
    h.peak_cpu_usage_cores as hpa_peak_cpu_usage_cores,
    h.peak_cpu_request_cores / nullif(h.peak_pods, 0) as hpa_peak_pod_cpu_request_cores
  from containers as k
  left join int_container_usage_window as u using (cluster, namespace, workload_kind, workload_name, container_name)
  left join int_container_specs as s using (cluster, namespace, workload_kind, workload_name, container_name)
  left join int_container_vpa_estimates as v using (cluster, namespace, workload_kind, workload_name, container_name)
  left join int_workload_capacity_rates as r using (cluster, namespace, workload_kind, workload_name)
  left join int_rightsizing_hpa_peaks as h using (cluster, namespace, workload_kind, workload_name)
),
raw as (
  select
    b.*,
    x.*,
    -- History is its span and its points, not its hours of usage: a job that runs an hour a night
    -- for a week has days of history and enough samples for its running time.
    b.span_hours < x.min_hours or b.points < x.min_points or b.memory_peak_bytes is null or b.cpu_percentile_cores is null
      as insufficient,
    b.oom_kills > 0 as oom_risk,
    coalesce(b.cpu_throttled_ratio, 0) > x.throttling_threshold as throttle_risk,
    case x.strategy
      when 'vpa' then greatest(b.vpa_cpu_cores * (1 + x.vpa_margin), x.vpa_pod_min_cpu / b.containers_per_pod)
      when 'target-utilization' then b.cpu_max_cores / x.target_utilization
      else b.cpu_percentile_cores
    end as cpu_raw,
    case x.strategy
      when 'vpa' then greatest(b.vpa_memory_bytes * (1 + x.vpa_margin), x.vpa_pod_min_memory / b.containers_per_pod)
      when 'target-utilization' then b.memory_peak_bytes / x.target_utilization
      else b.memory_peak_bytes * (1 + x.memory_margin)
    end as memory_raw
  from base as b
  cross join settings as x
),
floored as (
  select
    *,
    -- Rounded up to clean values: CPU to 5 millicores, memory to MiB.
    ceil(greatest(cpu_raw, min_cpu) * 200 - 1e-9) / 200 as cpu_rec,
    ceil(
      greatest(
        memory_raw,
        min_memory,
        -- The VPA recommender's OOM rule; the vpa strategy has it in its histogram already.
        case when oom_risk and strategy <> 'vpa' then greatest(
          memory_peak_bytes + oom_bump_bytes,
          coalesce(memory_limit_bytes, memory_request_bytes, memory_peak_bytes) * oom_bump_ratio
        ) end
      ) / 1048576 - 1e-9
    ) * 1048576 as memory_rec
  from raw
),
decided as (
  select
    *,
    case
      when insufficient then 'insufficient_data'
      when oom_risk or throttle_risk then 'at_risk'
      when cpu_keep and memory_keep then 'no_change'
      when hpa_cpu_target_percent is not null or hpa_memory_target_percent is not null then 'hpa_managed'
      else 'ok'
    end as status
  from (
    select
      *,
      not (oom_risk or throttle_risk) and cpu_request_cores > 0 and abs(cpu_rec - cpu_request_cores) <= tolerance * cpu_request_cores
        as cpu_keep,
      not (oom_risk or throttle_risk) and memory_request_bytes > 0
        and abs(memory_rec - memory_request_bytes) <= tolerance * memory_request_bytes as memory_keep
    from floored
  )
),
recommended as (
  select
    *,
    case
      when status = 'insufficient_data' then null
      when cpu_keep then cpu_request_cores
      -- Throttled usage understates need: a throttled container's CPU request never goes down.
      when throttle_risk then greatest(cpu_rec, coalesce(cpu_request_cores, 0))
      else cpu_rec
    end as rec_cpu_request_cores,
    case
      when status = 'insufficient_data' then null
      when throttle_risk then null
      when cpu_keep then cpu_limit_cores
      when cpu_limit_cores is null then null
      when coalesce(cpu_request_cores, 0) > 0 then ceil(cpu_rec * cpu_limit_cores / cpu_request_cores * 200 - 1e-9) / 200
      else cpu_limit_cores
    end as rec_cpu_limit_cores,
    case when status = 'insufficient_data' then null when memory_keep then memory_request_bytes else memory_rec end
      as rec_memory_request_bytes,
    case when status = 'insufficient_data' then null when memory_keep then memory_limit_bytes else memory_rec end
      as rec_memory_limit_bytes
  from decided
),
-- An HPA on CPU keeps average usage ÷ request at its target: at the window's peak, with the pod's
-- request less what this container frees, it would want ceil(replicas × usage ÷ (request ×
-- target)) replicas (none when within its 10 % tolerance), within its min and max; the target
-- that keeps today's replicas scales by the old request over the new one.
hpa as (
  select
    *,
    case when hpa_new_ratio is not null then
      case when abs(hpa_new_ratio - 1) <= 0.1 then hpa_peak_replicas else ceil(hpa_peak_replicas * hpa_new_ratio - 1e-9)::bigint end
    end as hpa_replicas_wanted
  from (
    select
      *,
      hpa_peak_cpu_usage_cores
        / nullif(hpa_peak_replicas * (hpa_peak_pod_cpu_request_cores - (coalesce(cpu_request_cores, 0) - rec_cpu_request_cores))
          * hpa_cpu_target_percent / 100, 0) as hpa_new_ratio,
      round(hpa_cpu_target_percent * hpa_peak_pod_cpu_request_cores
        / nullif(hpa_peak_pod_cpu_request_cores - (coalesce(cpu_request_cores, 0) - rec_cpu_request_cores), 0))::bigint
        as hpa_target_to_keep_replicas_percent
    from recommended
    where hpa_cpu_target_percent is not null and status <> 'insufficient_data'
  )
),
recommended_hpa as (
  select
    r.*,
    h.hpa_replicas_wanted,
    least(greatest(h.hpa_replicas_wanted, coalesce(r.hpa_min_replicas, 1)), coalesce(r.hpa_max_replicas, h.hpa_replicas_wanted))
      as hpa_replicas_at_new_request,
    h.hpa_replicas_wanted > r.hpa_max_replicas as hpa_max_replicas_reached,
    h.hpa_target_to_keep_replicas_percent
  from recommended as r
  left join hpa as h using (cluster, namespace, workload_kind, workload_name, container_name)
),
-- Per pod and hour, what the change frees (positive) or adds, with a resource an HPA scales on
-- left out: lowering its request makes the HPA run more replicas, not fewer cores.
deltas as (
  select
    *,
    case when status = 'insufficient_data' or hpa_cpu_target_percent is not null then 0
      else coalesce(cpu_request_cores, 0) - rec_cpu_request_cores end as freed_cores,
    case when status = 'insufficient_data' or hpa_memory_target_percent is not null then 0
      else (coalesce(memory_request_bytes, 0) - rec_memory_request_bytes) / 1073741824.0 end as freed_gib
  from recommended_hpa
),
-- Fargate bills the pod's size: the workload's pod after the change, its long-running containers
-- and native sidecars at their new requests (what they free taken off: the current request where
-- there is no recommendation or an HPA scales on the resource), its init containers as they are.
fargate_sizes as (
  select
    d.cluster, d.namespace, d.workload_kind, d.workload_name,
    pod_need(sum(coalesce(d.cpu_request_cores, 0) - d.freed_cores), any_value(d.fargate_init_cpu_request_cores))
      as cpu_cores,
    pod_need(
      sum(coalesce(d.memory_request_bytes, 0) - d.freed_gib * 1073741824.0),
      any_value(d.fargate_init_memory_request_bytes)
    ) as memory_bytes,
    count(*) filter (where d.status <> 'insufficient_data') as recommending
  from deltas as d
  where d.runs_on = 'fargate'
  group by all
),
fargate_new as (
  select
    f.cluster, f.namespace, f.workload_kind, f.workload_name, f.recommending,
    fargate_size(f.cpu_cores, f.memory_bytes).vcpu as new_vcpu,
    fargate_size(f.cpu_cores, f.memory_bytes).memory_gib as new_memory_gib
  from fargate_sizes as f
),
priced as (
  select
    d.*,
    n.new_vcpu as fargate_new_vcpu,
    n.new_memory_gib as fargate_new_memory_gib,
    case
      when d.status = 'insufficient_data' then 0
      when d.runs_on = 'fargate' then
        ((d.fargate_billed_vcpu - n.new_vcpu) * coalesce(d.fargate_usd_per_vcpu_hour, 0)
          + (d.fargate_billed_memory_gib - n.new_memory_gib) * coalesce(d.fargate_usd_per_gb_hour, 0))
          / n.recommending * d.avg_replicas * hours_per_month()
      else (d.freed_cores * d.usd_per_core_hour + d.freed_gib * d.usd_per_gib_hour) * d.avg_replicas * hours_per_month()
    end as request_savings_usd
  from deltas as d
  left join fargate_new as n using (cluster, namespace, workload_kind, workload_name)
)
select
  p.cluster,
  p.namespace,
  p.workload_kind,
  p.workload_name,
  p.container_name,
  p.strategy,
  p.status,
  case
    when p.status = 'insufficient_data' and p.usage_hours = 0 then 'no usage history for this container: requests are kept'
    when p.status = 'insufficient_data' then format(
      'only {} h of history and {} samples of usage (needs {} h and {}): requests are kept',
      p.span_hours::bigint, p.points, p.min_hours::bigint, p.min_points::bigint)
    when p.oom_risk then format(
      'OOM-killed {} time{} in the window, peak {} Mi {}: raise memory to {} Mi (a reliability fix, not a saving)',
      p.oom_kills, case when p.oom_kills = 1 then '' else 's' end, round(p.memory_peak_bytes / 1048576)::bigint,
      case
        when p.memory_limit_bytes is not null then format('under its {} Mi limit', round(p.memory_limit_bytes / 1048576)::bigint)
        when p.memory_request_bytes is not null then format('with no memory limit and a {} Mi request', round(p.memory_request_bytes / 1048576)::bigint)
        else 'with no memory request nor limit'
      end,
      round(p.rec_memory_request_bytes / 1048576)::bigint)
      || case when p.throttle_risk then format('; also throttled in {}% of CFS periods', round(p.cpu_throttled_ratio * 100)::bigint) else '' end
    when p.throttle_risk then format('throttled in {}% of CFS periods ', round(p.cpu_throttled_ratio * 100)::bigint)
      || case
        when p.cpu_limit_cores is not null then format(
          'under its {}m CPU limit (peak {}m): remove the limit, or raise it well above {}m',
          round(p.cpu_limit_cores * 1000)::bigint, round(coalesce(p.cpu_max_cores, 0) * 1000)::bigint,
          round(p.cpu_limit_cores * 1000)::bigint)
          -- Throttled while its peak rate stays well under the limit: bursts shorter than the rate window.
          || case when coalesce(p.cpu_max_cores, 0) < 0.9 * p.cpu_limit_cores then
            '; its bursts are shorter than the rate window we read (its peak rate stays under the limit), so the data cannot show how high they go'
          else '' end
        else format(
          'though its spec sets no CPU limit (peak {}m): the pods ran with one (a LimitRange default, or an earlier spec): check the limit they get and remove it',
          round(coalesce(p.cpu_max_cores, 0) * 1000)::bigint)
      end
      || format('; the CPU request is not lowered ({}m), since throttled usage understates need',
        round(p.rec_cpu_request_cores * 1000)::bigint)
    when p.status = 'no_change' then format('within {}% of the current requests', round(p.tolerance * 100)::bigint)
    else case p.strategy
        when 'vpa' then format('VPA estimate: CPU p{} {}m, memory p{} of daily peaks {} Mi, +{}%',
          round(p.vpa_cpu_percentile * 100)::bigint, round(p.vpa_cpu_cores * 1000)::bigint,
          round(p.vpa_memory_percentile * 100)::bigint, round(p.vpa_memory_bytes / 1048576)::bigint,
          round(p.vpa_margin * 100)::bigint)
        when 'target-utilization' then format('peak CPU {}m and memory {} Mi at {}% target utilisation',
          round(p.cpu_max_cores * 1000)::bigint, round(p.memory_peak_bytes / 1048576)::bigint, round(p.target_utilization * 100)::bigint)
        else format('CPU p{} {}m, memory peak {} Mi + {}%',
          round(p.cpu_percentile * 100)::bigint, round(p.cpu_percentile_cores * 1000)::bigint,
          round(p.memory_peak_bytes / 1048576)::bigint, round(p.memory_margin * 100)::bigint)
      end
      || case
        when p.usage_hours < p.span_hours * 0.5 then format(
          ' over {} h of running time in {} days of history ({} samples) of {} pod(s): sized for when it runs, its saving priced by its running hours',
          p.usage_hours, regexp_replace(round(p.span_hours / 24, 1)::varchar, '\.0$', ''), p.points, p.pods_seen)
        else format(' over {} h of {} pod(s)', p.usage_hours, p.pods_seen)
      end
      || case
        when p.hpa_cpu_target_percent is not null and p.hpa_replicas_wanted is not null then format(
          '; HPA {} scales on CPU at {}% of requests: at the window''s peak it ran {} replica(s); with {}m instead of {}m and the same target it would run {}{}, so set its target to {}% with the new request to keep its replicas (no CPU saving is counted)',
          p.hpa_name, p.hpa_cpu_target_percent::bigint, p.hpa_peak_replicas,
          round(p.rec_cpu_request_cores * 1000)::bigint, round(coalesce(p.cpu_request_cores, 0) * 1000)::bigint,
          p.hpa_replicas_at_new_request,
          case when p.hpa_max_replicas_reached then format(' (maxReplicas {} reached: it wants {}, and its pods would run hot)', p.hpa_max_replicas, p.hpa_replicas_wanted) else '' end,
          p.hpa_target_to_keep_replicas_percent)
        when p.hpa_cpu_target_percent is not null and p.rec_cpu_request_cores > 0 and coalesce(p.cpu_request_cores, 0) > 0 then format(
          '; HPA {} scales on CPU at {}% of requests: with {}m instead of {}m it runs about {:.3g}x the replicas for the same load (within {}..{}), so no CPU saving is counted',
          p.hpa_name, p.hpa_cpu_target_percent::bigint, round(p.rec_cpu_request_cores * 1000)::bigint,
          round(p.cpu_request_cores * 1000)::bigint, p.cpu_request_cores / p.rec_cpu_request_cores,
          p.hpa_min_replicas, p.hpa_max_replicas)
        when p.hpa_memory_target_percent is not null then format(
          '; HPA {} scales on memory at {}% of requests: no memory saving is counted', p.hpa_name, p.hpa_memory_target_percent::bigint)
        else ''
      end
  end as reason,
  p.cpu_request_cores,
  p.cpu_limit_cores,
  p.memory_request_bytes::bigint as memory_request_bytes,
  p.memory_limit_bytes::bigint as memory_limit_bytes,
  p.cpu_percentile_cores,
  p.cpu_max_cores,
  p.memory_peak_bytes,
  p.oom_kills,
  p.restarts,
  p.cpu_throttled_ratio,
  p.usage_hours,
  p.span_hours,
  p.points,
  p.pods_seen,
  p.current_pods,
  p.avg_replicas,
  p.rec_cpu_request_cores,
  p.rec_cpu_limit_cores,
  p.rec_memory_request_bytes::bigint as rec_memory_request_bytes,
  p.rec_memory_limit_bytes::bigint as rec_memory_limit_bytes,
  p.hpa_name,
  p.hpa_peak_replicas,
  p.hpa_replicas_at_new_request,
  p.hpa_max_replicas_reached,
  p.hpa_target_to_keep_replicas_percent,
  p.hpa_cpu_target_percent,
  p.hpa_memory_target_percent,
  p.runs_on,
  p.capacity_pool,
  p.fargate_billed_vcpu,
  p.fargate_billed_memory_gib,
  p.fargate_new_vcpu,
  p.fargate_new_memory_gib,
  p.request_savings_usd
from priced as p
