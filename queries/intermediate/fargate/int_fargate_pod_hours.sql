-- Fargate pod-hours priced at the billed size × the region's Fargate rates (per vCPU-hour and
-- per GB-hour), and the ephemeral storage the pod requests above the 20 GiB Fargate includes (up
-- to its 175 GiB maximum) per GB-hour (`ephemeral_cost_usd`). Hours come from the usage history,
-- or the pod's lifetime in the window.
with rates as (
  select
    cluster,
    max(price_usd) filter (where unit = 'vCPU-Hours') as usd_per_vcpu_hour,
    max(price_usd) filter (where unit = 'GB-Hours') as usd_per_gb_hour,
    any_value(price_source) as price_source
  from stg_aws__prices
  where product = 'fargate'
  group by cluster
),
ephemeral_rate as (
  select cluster, max(price_usd) as usd_per_ephemeral_gb_hour
  from stg_aws__prices
  where product = 'fargate-ephemeral'
  group by cluster
),
ephemeral as (
  -- The pod's ephemeral storage request (its containers' sum, or its largest init container's), in
  -- GiB above the 20 included, capped at Fargate's 175 GiB.
  select
    cluster,
    namespace,
    pod_name,
    greatest(least(pod_request(ephemeral_request_bytes, container_type) / 1073741824.0, 175) - 20, 0)
      as extra_ephemeral_gib
  from stg_kubernetes__containers
  group by all
),
hours as (
  select distinct s.cluster, s.namespace, s.pod_name, p.hour, p.pod_hours
  from int_pod_hours_keyed as p
  join int_fargate_pod_sizes as s on p.pod_key = pod_key(s.cluster, s.namespace, s.pod_name)
)
select
  s.cluster,
  s.namespace,
  s.workload_kind,
  s.workload_name,
  s.pod_name,
  h.hour,
  h.pod_hours,
  s.billed_vcpu,
  s.billed_memory_gib,
  s.init_cpu_request_cores,
  s.init_memory_request_bytes,
  coalesce(r.price_source, 'unpriced') as price_source,
  r.usd_per_vcpu_hour,
  r.usd_per_gb_hour,
  s.billed_vcpu * coalesce(r.usd_per_vcpu_hour, 0) * h.pod_hours as cpu_cost_usd,
  s.billed_memory_gib * coalesce(r.usd_per_gb_hour, 0) * h.pod_hours as memory_cost_usd,
  coalesce(e.extra_ephemeral_gib, 0) as extra_ephemeral_gib,
  coalesce(e.extra_ephemeral_gib, 0) * coalesce(q.usd_per_ephemeral_gb_hour, 0) * h.pod_hours as ephemeral_cost_usd
from int_fargate_pod_sizes as s
join hours as h using (cluster, namespace, pod_name)
left join rates as r using (cluster)
left join ephemeral as e using (cluster, namespace, pod_name)
left join ephemeral_rate as q using (cluster)
