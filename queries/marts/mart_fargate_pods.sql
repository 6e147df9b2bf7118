-- Fargate pods: requested, computed and billed sizes, and whether the annotation agrees.
select
  s.cluster,
  s.namespace,
  s.pod_name,
  s.workload_name,
  s.cpu_request_cores,
  s.memory_request_bytes,
  s.computed_vcpu,
  s.computed_memory_gib,
  s.capacity_provisioned,
  s.annotation_valid,
  s.annotation_matches,
  s.billed_vcpu,
  s.billed_memory_gib,
  s.billed_basis,
  coalesce(h.cost_usd, 0) * w.monthly_factor as monthly_cost_usd
from int_fargate_pod_sizes as s
left join (
  select cluster, namespace, pod_name, sum(cpu_cost_usd + memory_cost_usd) as cost_usd
  from int_fargate_pod_hours
  group by all
) as h using (cluster, namespace, pod_name)
cross join int_window as w
