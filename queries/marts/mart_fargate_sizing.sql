-- One row per Fargate pod: its billed size against its need, what the slack costs a month, and
-- what would drop the billed size (int_fargate_pod_boundaries), with a status and its reason:
--   rightsize_fits: the workload's right-sized requests (mart_rightsizing) fit a smaller size;
--     the saving is right-sizing's and is counted there, not again here;
--   step_down: a small cut of the requests (at most stepCutShare, or stepCutMemoryBytes of
--     memory) drops the billed size a step; the saving is the difference in billed size;
--   no_change: no such cut reaches a smaller size; unpriced: no Fargate price for the region.
-- annotation_status says whether the CapacityProvisioned annotation agrees with the computed
-- size: matches | differs | unparseable (not a vCPU/GB pair Fargate offers) | absent.
with rightsized as (
  select
    cluster, namespace, workload_kind, workload_name,
    any_value(fargate_new_vcpu) as new_vcpu,
    any_value(fargate_new_memory_gib) as new_memory_gib,
    sum(coalesce(rec_cpu_request_cores, cpu_request_cores)) as new_cpu_request_cores,
    sum(coalesce(rec_memory_request_bytes, memory_request_bytes))::bigint as new_memory_request_bytes,
    count(*) filter (where status in ('ok', 'hpa_managed')) as recommending
  from mart_rightsizing
  where runs_on = 'fargate'
  group by all
),
pods as (
  select
    b.*,
    r.recommending > 0 and r.new_vcpu * 1000 + r.new_memory_gib < b.billed_vcpu * 1000 + b.billed_memory_gib
      as rightsize_fits,
    r.new_vcpu as rightsized_vcpu,
    r.new_memory_gib as rightsized_memory_gib,
    r.new_cpu_request_cores as rightsized_cpu_request_cores,
    r.new_memory_request_bytes as rightsized_memory_request_bytes,
    w.monthly_factor
  from int_fargate_pod_boundaries as b
  left join rightsized as r using (cluster, namespace, workload_kind, workload_name)
  cross join int_window as w
),
priced as (
  select
    *,
    coalesce(rightsize_fits, false) as fits,
    (cpu_slack_cores * usd_per_vcpu_hour + memory_slack_gib * usd_per_gb_hour) * pod_hours * monthly_factor
      as monthly_slack_usd,
    (billed_vcpu * usd_per_vcpu_hour + billed_memory_gib * usd_per_gb_hour) * pod_hours * monthly_factor
      as monthly_cost_usd,
    ((billed_vcpu - step_vcpu) * usd_per_vcpu_hour + (billed_memory_gib - step_memory_gib) * usd_per_gb_hour)
      * pod_hours * monthly_factor as step_savings_usd,
    ((billed_vcpu - rightsized_vcpu) * usd_per_vcpu_hour + (billed_memory_gib - rightsized_memory_gib) * usd_per_gb_hour)
      * pod_hours * monthly_factor as rightsize_savings_usd
  from pods
),
decided as (
  select
    *,
    case
      when usd_per_vcpu_hour is null then 'unpriced'
      when fits then 'rightsize_fits'
      when step_vcpu is not null then 'step_down'
      else 'no_change'
    end as status,
    case
      when capacity_provisioned is null then 'absent'
      when not annotation_valid then 'unparseable'
      when annotation_matches then 'matches'
      else 'differs'
    end as annotation_status
  from priced
)
select
  cluster,
  namespace,
  pod_name,
  workload_kind,
  workload_name,
  known_from,
  cpu_request_cores,
  memory_request_bytes::bigint as memory_request_bytes,
  memory_needed_gib,
  computed_vcpu,
  computed_memory_gib,
  capacity_provisioned,
  annotation_status,
  billed_vcpu,
  billed_memory_gib,
  billed_basis,
  price_source,
  pod_hours,
  coalesce(monthly_cost_usd, 0) as monthly_cost_usd,
  coalesce(monthly_slack_usd, 0) as monthly_slack_usd,
  cpu_slack_cores,
  memory_slack_gib,
  status,
  case status
    when 'unpriced' then 'no Fargate price for the region: its cost and slack are unknown'
    when 'rightsize_fits' then format(
      'right-sized requests ({}m CPU, {} Mi) fit {:g} vCPU / {:g} GB instead of {:g} vCPU / {:g} GB (the saving is counted under right-sizing)',
      round(rightsized_cpu_request_cores * 1000)::bigint, round(rightsized_memory_request_bytes / 1048576)::bigint,
      rightsized_vcpu, rightsized_memory_gib, billed_vcpu, billed_memory_gib)
    when 'step_down' then format(
      'requests of {}m CPU and {} Mi (from {}m and {} Mi) are billed as {:g} vCPU / {:g} GB instead of {:g} vCPU / {:g} GB',
      round(step_cpu_request_cores * 1000)::bigint, round(step_memory_request_bytes / 1048576)::bigint,
      round(cpu_request_cores * 1000)::bigint, round(memory_request_bytes / 1048576)::bigint,
      step_vcpu, step_memory_gib, billed_vcpu, billed_memory_gib)
    else format(
      'billed {:g} vCPU / {:g} GB for a need of {}m CPU and {} Mi; no cut of at most {}% (or {} Mi of memory) reaches a smaller size',
      billed_vcpu, billed_memory_gib, round(cpu_request_cores * 1000)::bigint, round(memory_needed_gib * 1024)::bigint,
      round(getvariable('fargate_step_cut_share')::double * 100)::bigint,
      round(getvariable('fargate_step_cut_memory_bytes')::double / 1048576)::bigint)
  end
  || case annotation_status
    when 'differs' then format('; AWS provisioned {} (billed), the requests give {:g} vCPU / {:g} GB', capacity_provisioned, computed_vcpu, computed_memory_gib)
    when 'unparseable' then format('; its CapacityProvisioned annotation is unparseable: billed at the computed {:g} vCPU / {:g} GB', computed_vcpu, computed_memory_gib)
    else ''
  end as reason,
  case when status = 'step_down' then step_vcpu when status = 'rightsize_fits' then rightsized_vcpu end as recommended_vcpu,
  case when status = 'step_down' then step_memory_gib when status = 'rightsize_fits' then rightsized_memory_gib end
    as recommended_memory_gib,
  case when status = 'step_down' then step_cpu_request_cores when status = 'rightsize_fits' then rightsized_cpu_request_cores end
    as recommended_cpu_request_cores,
  case when status = 'step_down' then step_memory_request_bytes when status = 'rightsize_fits' then rightsized_memory_request_bytes end
    as recommended_memory_request_bytes,
  case status when 'step_down' then step_savings_usd when 'rightsize_fits' then rightsize_savings_usd else 0 end
    as monthly_savings_usd,
  -- Only a step-down is this family's saving; right-sizing counts its own.
  case when status = 'step_down' then step_savings_usd else 0 end as counted_savings_usd
from decided
