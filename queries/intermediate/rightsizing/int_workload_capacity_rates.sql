-- What a unit of request costs each workload, priced on the capacity its pods actually ran on:
-- for pods on EC2 nodes, their nodes' per-core and per-GiB hourly rates weighted by pod-hours
-- (and the capacity pool most of those hours were in); for Fargate pods, the billed size and the
-- Fargate rates, with the largest init container of its pods (right-sizing keeps it, and it may
-- be what holds the pod at its size). Average replicas are pod-hours ÷ hours in the window.
with ec2_pools as (
  select
    cluster, namespace, workload_kind, workload_name, capacity_pool, capacity_type,
    sum(ec2_pod_hours) as pod_hours,
    sum(sum_usd_per_core_hour) as sum_usd_per_core_hour,
    sum(sum_usd_per_gib_hour) as sum_usd_per_gib_hour
  from int_cost_lines_daily
  where ec2_pod_hours > 0
  group by all
),
ec2 as (
  select
    cluster,
    namespace,
    workload_kind,
    workload_name,
    sum(pod_hours) as pod_hours,
    sum(sum_usd_per_core_hour) / sum(pod_hours) as usd_per_core_hour,
    sum(sum_usd_per_gib_hour) / sum(pod_hours) as usd_per_gib_hour,
    -- Pools of equal pod-hours: decided by name, the same row for both (arg_max alone picks any).
    arg_max(capacity_pool, (pod_hours, capacity_pool)) as capacity_pool,
    arg_max(capacity_type, (pod_hours, capacity_pool)) as capacity_type
  from ec2_pools
  group by all
),
fargate as (
  select
    h.cluster,
    h.namespace,
    h.workload_kind,
    h.workload_name,
    sum(h.pod_hours) as pod_hours,
    any_value(h.billed_vcpu) as billed_vcpu,
    any_value(h.billed_memory_gib) as billed_memory_gib,
    any_value(h.usd_per_vcpu_hour) as usd_per_vcpu_hour,
    any_value(h.usd_per_gb_hour) as usd_per_gb_hour,
    max(h.init_cpu_request_cores) as init_cpu_request_cores,
    max(h.init_memory_request_bytes) as init_memory_request_bytes
  from int_fargate_pod_hours as h
  group by all
)
select
  coalesce(e.cluster, f.cluster) as cluster,
  coalesce(e.namespace, f.namespace) as namespace,
  coalesce(e.workload_kind, f.workload_kind) as workload_kind,
  coalesce(e.workload_name, f.workload_name) as workload_name,
  case when coalesce(f.pod_hours, 0) > coalesce(e.pod_hours, 0) then 'fargate' else 'ec2' end as runs_on,
  e.capacity_pool,
  e.capacity_type,
  e.usd_per_core_hour,
  e.usd_per_gib_hour,
  f.billed_vcpu as fargate_billed_vcpu,
  f.billed_memory_gib as fargate_billed_memory_gib,
  f.usd_per_vcpu_hour as fargate_usd_per_vcpu_hour,
  f.usd_per_gb_hour as fargate_usd_per_gb_hour,
  f.init_cpu_request_cores as fargate_init_cpu_request_cores,
  f.init_memory_request_bytes as fargate_init_memory_request_bytes,
  (coalesce(e.pod_hours, 0) + coalesce(f.pod_hours, 0)) / w.hours_in_window as avg_replicas
from ec2 as e
full outer join fargate as f using (cluster, namespace, workload_kind, workload_name)
cross join int_window as w
