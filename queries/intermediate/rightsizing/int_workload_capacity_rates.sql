-- What a unit of request costs each workload, priced on the capacity its pods actually ran on:
-- for pods on EC2 nodes, their nodes' per-core and per-GiB hourly rates weighted by pod-hours
-- (and the capacity pool most of those hours were in); for Fargate pods, the billed size and the
-- Fargate rates. Average replicas are pod-hours ÷ hours in the window.
with ec2 as (
  select
    c.cluster,
    c.namespace,
    c.workload_kind,
    c.workload_name,
    count(*) as pod_hours,
    avg(n.usd_per_core_hour) as usd_per_core_hour,
    avg(n.usd_per_gib_hour) as usd_per_gib_hour,
    mode(c.capacity_pool) as capacity_pool,
    mode(c.capacity_type) as capacity_type
  from int_pod_hours_charged as c
  join int_node_hours_priced as n using (cluster, node_name, hour)
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
    any_value(h.usd_per_gb_hour) as usd_per_gb_hour
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
  (coalesce(e.pod_hours, 0) + coalesce(f.pod_hours, 0)) / w.hours_in_window as avg_replicas
from ec2 as e
full outer join fargate as f using (cluster, namespace, workload_kind, workload_name)
cross join int_window as w
