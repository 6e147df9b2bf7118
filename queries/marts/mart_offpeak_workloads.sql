-- Off-peak scale-down per scalable workload: its daily demand curve (hour of day, UTC) against the
-- replicas it held, and whether held capacity stays flat while demand falls below
-- offpeak_peak_share of the peak hour's for at least offpeak_min_hours hours a day. Status:
--   flat_offpeak: held flat while demand falls; cause no_hpa | hpa_min_too_high | hpa_not_scaling;
--   at_floor: held flat, but the off-peak need and offpeak_min_replicas keep the replicas it has;
--   scales: held replicas already follow demand; no_offpeak: demand does not fall long enough;
--   insufficient_data: too few days, or no CPU request (replicas needed cannot be computed);
--   not_eligible: not a Deployment or Rollout (a StatefulSet's replicas carry identity and data).
-- monthly_request_savings_usd prices the replicas removed off-peak at the workload's rates (EC2
-- pool rates or its Fargate size): context; the pools' node re-pack (mart_offpeak_pools) is the money.
with days as (
  select cluster, namespace, workload_kind, workload_name, count(distinct hour::date) as days
  from int_offpeak_workload_hours
  group by all
),
by_day as (
  select cluster, namespace, workload_kind, workload_name, day_of_week, avg(cpu_usage_cores) as demand_cores
  from int_offpeak_workload_hours
  group by all
),
day_shares as (
  select
    *,
    demand_cores / nullif(max(demand_cores) over (partition by cluster, namespace, workload_kind, workload_name), 0) as share
  from by_day
),
weekly as (
  select
    cluster,
    namespace,
    workload_kind,
    workload_name,
    avg(demand_cores) filter (where day_of_week >= 6)
      / nullif(avg(demand_cores) filter (where day_of_week < 6), 0) as weekend_demand_ratio,
    -- Monday to Sunday, each day's average demand as a share of the busiest day's (`1:0.98,…`).
    string_agg(day_of_week || ':' || coalesce(round(share, 3)::varchar, ''), ',' order by day_of_week) as demand_by_day_of_week
  from day_shares
  group by all
),
curve as (
  select
    cluster,
    namespace,
    workload_kind,
    workload_name,
    max(demand_cores) as peak_demand_cores,
    -- Hours of equal demand: the earliest is the peak (arg_max alone picks any, run to run).
    arg_max(hour_of_day, (demand_cores, -hour_of_day)) as peak_hour_of_day,
    arg_max(replicas_held, (demand_cores, -hour_of_day)) as replicas_held_at_peak,
    count(*) filter (where off_peak) as offpeak_hours,
    coalesce(string_agg(hour_of_day::varchar, ',' order by hour_of_day) filter (where off_peak), '') as offpeak_hours_of_day,
    coalesce(avg(replicas_held) filter (where off_peak), 0) as replicas_held_offpeak,
    max(replicas_needed) filter (where off_peak) as replicas_needed_offpeak,
    max(replicas_needed) as replicas_needed_at_peak,
    min(share_of_peak) as trough_share_of_peak,
    -- Summed exactly (DECIMAL): a double sum depends on the threads' order, run to run.
    avg(cpu_request_per_pod_cores::decimal(38, 12))::double as cpu_request_per_pod_cores,
    avg(memory_request_per_pod_bytes) as memory_request_per_pod_bytes
  from int_offpeak_profile
  group by all
),
joined as (
  select
    c.*,
    d.days,
    k.weekend_demand_ratio,
    k.demand_by_day_of_week,
    h.hpa_name,
    h.hpa_min_replicas,
    h.hpa_max_replicas,
    h.cpu_target_percent as hpa_cpu_target_percent,
    w.pdb_min_available,
    r.runs_on,
    r.capacity_pool,
    coalesce(
      c.cpu_request_per_pod_cores * r.usd_per_core_hour
        + coalesce(c.memory_request_per_pod_bytes, 0) / 1073741824.0 * r.usd_per_gib_hour,
      r.fargate_billed_vcpu * r.fargate_usd_per_vcpu_hour + r.fargate_billed_memory_gib * r.fargate_usd_per_gb_hour
    ) as pod_usd_per_hour,
    round(c.replicas_held_offpeak)::integer as held_offpeak,
    greatest(
      least(round(c.replicas_held_offpeak)::integer, getvariable('offpeak_min_replicas')::integer),
      coalesce(c.replicas_needed_offpeak, 0)
    )::integer as recommended_offpeak_replicas
  from curve as c
  join days as d using (cluster, namespace, workload_kind, workload_name)
  join weekly as k using (cluster, namespace, workload_kind, workload_name)
  left join int_workload_hpas as h using (cluster, namespace, workload_kind, workload_name)
  left join stg_kubernetes__workloads as w using (cluster, namespace, workload_kind, workload_name)
  left join int_workload_capacity_rates as r using (cluster, namespace, workload_kind, workload_name)
),
judged as (
  select
    *,
    case
      when workload_kind not in ('Deployment', 'Rollout') then 'not_eligible'
      when days < getvariable('offpeak_min_days') then 'insufficient_data'
      when coalesce(cpu_request_per_pod_cores, 0) = 0 then 'insufficient_data'
      when offpeak_hours < getvariable('offpeak_min_hours') then 'no_offpeak'
      when replicas_held_offpeak < getvariable('offpeak_flat_share') * replicas_held_at_peak then 'scales'
      when recommended_offpeak_replicas >= held_offpeak then 'at_floor'
      else 'flat_offpeak'
    end as status,
    case
      when hpa_name is null then 'no_hpa'
      when hpa_min_replicas >= held_offpeak then 'hpa_min_too_high'
      else 'hpa_not_scaling'
    end as cause
  from joined
)
select
  cluster,
  namespace,
  workload_kind,
  workload_name,
  runs_on,
  capacity_pool,
  days,
  peak_hour_of_day,
  peak_demand_cores,
  trough_share_of_peak,
  weekend_demand_ratio,
  demand_by_day_of_week,
  offpeak_hours,
  offpeak_hours_of_day,
  replicas_held_at_peak,
  replicas_held_offpeak,
  replicas_needed_at_peak,
  replicas_needed_offpeak,
  recommended_offpeak_replicas,
  cpu_request_per_pod_cores,
  hpa_name,
  hpa_min_replicas,
  hpa_max_replicas,
  hpa_cpu_target_percent,
  pdb_min_available,
  status,
  case when status = 'flat_offpeak' then cause end as cause,
  case status
    when 'not_eligible' then format('a {}: its replicas carry identity and data, not scaled on a schedule here', workload_kind)
    when 'insufficient_data' then
      case
        when days < getvariable('offpeak_min_days') then format('{} days of history; {} needed for a daily curve', days, getvariable('offpeak_min_days'))
        else 'no CPU request: the replicas its demand needs cannot be computed'
      end
    when 'no_offpeak' then format(
      'demand stays above {}% of its peak except {} hours a day (at least {} needed)',
      round(getvariable('offpeak_peak_share') * 100)::integer, offpeak_hours, getvariable('offpeak_min_hours')
    )
    when 'scales' then format(
      'held replicas follow demand: {} at the peak hour, {} off-peak',
      round(replicas_held_at_peak, 1), round(replicas_held_offpeak, 1)
    )
    when 'at_floor' then format(
      'held flat at {} replicas through {} off-peak hours, but the off-peak need ({}) and the floor of {} keep it there',
      held_offpeak, offpeak_hours, replicas_needed_offpeak, getvariable('offpeak_min_replicas')
    )
    else format(
      '{} replicas held through {} off-peak hours a day (demand down to {}% of peak) where {} are needed: {}{}',
      held_offpeak, offpeak_hours, round(trough_share_of_peak * 100)::integer, recommended_offpeak_replicas,
      case cause
        when 'no_hpa' then 'no HPA scales it'
        when 'hpa_min_too_high' then format('the HPA''s minReplicas ({}) holds it up', hpa_min_replicas)
        else format('its HPA (min {}) does not scale it down', hpa_min_replicas)
      end,
      case
        when pdb_min_available >= held_offpeak
          then format('; its PDB (minAvailable {}) also blocks draining its nodes', pdb_min_available)
        else ''
      end
    )
  end as reason,
  case
    when status = 'flat_offpeak'
      then (held_offpeak - recommended_offpeak_replicas) * coalesce(pod_usd_per_hour, 0) * offpeak_hours * hours_per_month() / 24
    else 0
  end as monthly_request_savings_usd
from judged
