-- Autoscaler health of every HPA: one row per HPA and finding, or one `ok` row.
--   no_request: it scales on a resource's utilisation, but a container of its pods has no
--     request for it: utilisation cannot be computed (the HPA reports ScalingActive=False,
--     FailedGetResourceMetric) and the replicas stay where they are;
--   no_metrics_server: no metrics-server in the cluster: resource metrics cannot be read;
--   min_equals_max: minReplicas = maxReplicas: it never moves;
--   at_max: at maxReplicas for more than autoscaling_at_max_share of the window's hours:
--     capacity-capped; monthly_usd is the replicas its demand needed above the max, priced at
--     the workload's rates (demand left unserved: a reliability cost, not a saving);
--   never_moves: replicas constant over the window while usage swings by autoscaling_swing_ratio;
--   limits_near_requests: a CPU target over containers whose CPU limit is at most
--     autoscaling_limit_to_request_ratio × the request: throttling caps the signal;
--   scaling_inactive / unable_to_scale: the HPA itself reports ScalingActive=False (it cannot
--     compute a replica count: its metrics API did not answer) or AbleToScale=False (it cannot
--     read or set its target's scale), with the controller's reason and message and what to do
--     (hpa_condition_advice).
with hpas as (
  select h.*, r.usd_per_core_hour, r.usd_per_gib_hour,
    r.fargate_billed_vcpu * r.fargate_usd_per_vcpu_hour + r.fargate_billed_memory_gib * r.fargate_usd_per_gb_hour as fargate_pod_usd_per_hour
  from int_workload_hpas as h
  left join int_workload_capacity_rates as r using (cluster, namespace, workload_kind, workload_name)
),
specs as (
  select
    cluster, namespace, workload_kind, workload_name,
    bool_or(cpu_request_cores is null or cpu_request_cores = 0) as cpu_request_missing,
    bool_or(memory_request_bytes is null or memory_request_bytes = 0) as memory_request_missing,
    max(cpu_limit_cores / nullif(cpu_request_cores, 0)) as max_cpu_limit_to_request,
    bool_and(cpu_limit_cores is not null) as every_cpu_limited
  from int_container_specs
  group by all
),
hours as (
  select
    h.cluster, h.namespace, h.workload_kind, h.workload_name,
    count(*) as hours,
    count(*) filter (where u.replicas_held >= h.hpa_max_replicas) as hours_at_max,
    min(u.replicas_held) as min_replicas_held,
    max(u.replicas_held) as max_replicas_held,
    max(u.cpu_usage_cores) / nullif(min(u.cpu_usage_cores), 0) as usage_swing,
    sum(greatest(0, u.replicas_needed - h.hpa_max_replicas)
      * coalesce(u.cpu_request_per_pod_cores * h.usd_per_core_hour
          + coalesce(u.memory_request_per_pod_bytes, 0) / 1073741824.0 * h.usd_per_gib_hour, h.fargate_pod_usd_per_hour))
      filter (where u.replicas_held >= h.hpa_max_replicas) as unserved_usd,
    max(u.replicas_needed) as peak_replicas_needed
  from hpas as h
  join int_offpeak_workload_hours as u using (cluster, namespace, workload_kind, workload_name)
  group by all
),
conditions as (
  select w.cluster, w.namespace, w.workload_kind, w.workload_name, c.type, c.reason, c.message
  from stg_kubernetes__workloads as w,
    unnest(from_json(w.hpa_conditions, '[{"type":"VARCHAR","status":"VARCHAR","reason":"VARCHAR","message":"VARCHAR"}]')) as u(c)
  where w.hpa_name is not null and c.status = 'False' and c.type in ('ScalingActive', 'AbleToScale')
),
metrics_server as (
  select cluster, bool_or(workload_name like '%metrics-server%') as present
  from stg_kubernetes__workloads
  group by all
),
findings as (
  select h.cluster, h.namespace, h.workload_kind, h.workload_name, 'no_request' as finding,
    format('scales on {} utilisation, but a container has no {} request: utilisation cannot be computed and its replicas stay where they are (ScalingActive=False, FailedGetResourceMetric)',
      case when h.cpu_target_percent is not null and s.cpu_request_missing then 'CPU' else 'memory' end,
      case when h.cpu_target_percent is not null and s.cpu_request_missing then 'CPU' else 'memory' end) as reason,
    null::double as monthly_usd
  from hpas as h join specs as s using (cluster, namespace, workload_kind, workload_name)
  where (h.cpu_target_percent is not null and s.cpu_request_missing)
     or (h.memory_target_percent is not null and s.memory_request_missing)
  union all
  select h.cluster, h.namespace, h.workload_kind, h.workload_name, 'no_metrics_server',
    'no metrics-server Deployment in the cluster: the resource metrics API it scales on is not there', null
  from hpas as h join metrics_server as m using (cluster)
  where not m.present and (h.cpu_target_percent is not null or h.memory_target_percent is not null)
  union all
  select cluster, namespace, workload_kind, workload_name, 'min_equals_max',
    format('minReplicas = maxReplicas = {}: it never scales', hpa_min_replicas), null
  from hpas
  where hpa_min_replicas = hpa_max_replicas
  union all
  select h.cluster, h.namespace, h.workload_kind, h.workload_name, 'at_max',
    format('at maxReplicas ({}) for {} of {} hours ({}%); its demand needed up to {} replicas',
      h.hpa_max_replicas, u.hours_at_max, u.hours, round(100.0 * u.hours_at_max / u.hours)::integer, u.peak_replicas_needed::integer),
    coalesce(u.unserved_usd, 0) * w.monthly_factor
  from hpas as h
  join hours as u using (cluster, namespace, workload_kind, workload_name)
  cross join int_window as w
  where u.hours_at_max > getvariable('autoscaling_at_max_share') * u.hours
    and h.hpa_min_replicas is distinct from h.hpa_max_replicas
  union all
  select h.cluster, h.namespace, h.workload_kind, h.workload_name, 'never_moves',
    format('{} replicas every hour of the window while its CPU usage swung {}×', u.min_replicas_held, round(u.usage_swing, 1)),
    null
  from hpas as h
  join hours as u using (cluster, namespace, workload_kind, workload_name)
  left join specs as s using (cluster, namespace, workload_kind, workload_name)
  where u.min_replicas_held = u.max_replicas_held
    and not (h.cpu_target_percent is not null and coalesce(s.cpu_request_missing, false))
    and u.usage_swing >= getvariable('autoscaling_swing_ratio')
    and h.hpa_min_replicas is distinct from h.hpa_max_replicas
    and u.max_replicas_held < h.hpa_max_replicas
  union all
  select h.cluster, h.namespace, h.workload_kind, h.workload_name, 'limits_near_requests',
    format('scales on CPU at {}% of requests, but CPU limits are at most {}× the requests: throttling caps the usage it sees',
      h.cpu_target_percent::integer, round(s.max_cpu_limit_to_request, 2)),
    null
  from hpas as h join specs as s using (cluster, namespace, workload_kind, workload_name)
  where h.cpu_target_percent is not null and s.every_cpu_limited
    and s.max_cpu_limit_to_request <= getvariable('autoscaling_limit_to_request_ratio')
  union all
  select c.cluster, c.namespace, c.workload_kind, c.workload_name,
    case c.type when 'ScalingActive' then 'scaling_inactive' else 'unable_to_scale' end,
    format('{}=False ({}): {}; {}', c.type, coalesce(c.reason, 'no reason given'),
      coalesce(c.message, 'no message'), hpa_condition_advice(c.type, c.reason)),
    null
  from conditions as c
  join hpas as h using (cluster, namespace, workload_kind, workload_name)
)
select
  h.cluster, h.namespace, h.workload_kind, h.workload_name, h.hpa_name, h.hpa_min_replicas, h.hpa_max_replicas,
  h.cpu_target_percent,
  coalesce(f.finding, 'ok') as finding,
  coalesce(f.reason, 'scales within its bounds') as reason,
  f.monthly_usd
from hpas as h
left join findings as f using (cluster, namespace, workload_kind, workload_name)
