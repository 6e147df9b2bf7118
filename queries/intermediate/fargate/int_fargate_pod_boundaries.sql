-- Per Fargate pod: what its billed size costs beyond what it needs (slack = billed − needed, the
-- need being its requests plus Fargate's 256 MiB), and the billed size a small cut of its requests
-- would reach (CPU by at most analyzers.fargate.stepCutShare; memory by at most that share or
-- stepCutMemoryBytes, whichever is more). The cut's new requests are the least cut that reaches
-- the smaller size: the pod's requests, capped at the smaller size's vCPU and memory − 256 MiB.
with settings as (
  select
    getvariable('fargate_step_cut_share')::double as cut_share,
    getvariable('fargate_step_cut_memory_bytes')::double as cut_bytes
),
hours as (
  select
    cluster, namespace, pod_name,
    sum(pod_hours) as pod_hours,
    any_value(usd_per_vcpu_hour) as usd_per_vcpu_hour,
    any_value(usd_per_gb_hour) as usd_per_gb_hour,
    any_value(price_source) as price_source
  from int_fargate_pod_hours
  group by all
),
pods as (
  select
    s.*,
    coalesce(h.pod_hours, 0) as pod_hours,
    h.usd_per_vcpu_hour,
    h.usd_per_gb_hour,
    coalesce(h.price_source, 'unpriced') as price_source,
    fargate_size(
      s.cpu_request_cores * (1 - x.cut_share),
      greatest(s.memory_request_bytes - greatest(s.memory_request_bytes * x.cut_share, x.cut_bytes), 0)
    ) as cut_size
  from int_fargate_pod_sizes as s
  left join hours as h using (cluster, namespace, pod_name)
  cross join settings as x
)
select
  p.* exclude (cut_size),
  p.cpu_request_cores as cpu_needed_cores,
  p.billed_vcpu - p.cpu_request_cores as cpu_slack_cores,
  p.billed_memory_gib - p.memory_needed_gib as memory_slack_gib,
  -- The cut only counts when it lands on a smaller configuration than the one billed.
  case when p.cut_size.vcpu * 1000 + p.cut_size.memory_gib < p.billed_vcpu * 1000 + p.billed_memory_gib
    then p.cut_size.vcpu end as step_vcpu,
  case when p.cut_size.vcpu * 1000 + p.cut_size.memory_gib < p.billed_vcpu * 1000 + p.billed_memory_gib
    then p.cut_size.memory_gib end as step_memory_gib,
  case when p.cut_size.vcpu * 1000 + p.cut_size.memory_gib < p.billed_vcpu * 1000 + p.billed_memory_gib
    then least(p.cpu_request_cores, p.cut_size.vcpu) end as step_cpu_request_cores,
  case when p.cut_size.vcpu * 1000 + p.cut_size.memory_gib < p.billed_vcpu * 1000 + p.billed_memory_gib
    then least(p.memory_request_bytes, p.cut_size.memory_gib * 1073741824 - fargate_overhead_bytes())::bigint
  end as step_memory_request_bytes
from pods as p
