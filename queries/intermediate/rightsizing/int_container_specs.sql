-- materialized: table
-- What each container of each workload asks for today: requests and limits of its newest running
-- or pending pod (init containers are not right-sized: they do not run beside the others), how
-- many long-running containers that pod has, and whether an HPA scales the workload on CPU or
-- memory utilisation (then the request is the HPA's yardstick).
with newest as (
  select
    c.cluster,
    c.namespace,
    p.workload_kind,
    p.workload_name,
    c.container_name,
    arg_max(
      {
        'cpu_request_cores': c.cpu_request_cores,
        'cpu_limit_cores': c.cpu_limit_cores,
        'memory_request_bytes': c.memory_request_bytes,
        'memory_limit_bytes': c.memory_limit_bytes,
        'pod_name': p.pod_name
      },
      p.created_at
    ) as spec,
    count(distinct p.pod_name) as current_pods
  from stg_kubernetes__containers as c
  join stg_kubernetes__pods as p using (cluster, namespace, pod_name)
  where c.container_type <> 'init'
    and p.phase in ('Running', 'Pending')
    and p.workload_name is not null
  group by all
),
containers_per_pod as (
  select cluster, namespace, pod_name, count(*) as containers
  from stg_kubernetes__containers
  where container_type <> 'init'
  group by all
),
hpa as (
  select * from int_workload_hpas
)
select
  n.cluster,
  n.namespace,
  n.workload_kind,
  n.workload_name,
  n.container_name,
  n.spec.cpu_request_cores as cpu_request_cores,
  n.spec.cpu_limit_cores as cpu_limit_cores,
  n.spec.memory_request_bytes as memory_request_bytes,
  n.spec.memory_limit_bytes as memory_limit_bytes,
  n.current_pods,
  coalesce(k.containers, 1) as containers_per_pod,
  h.hpa_name,
  h.hpa_min_replicas,
  h.hpa_max_replicas,
  h.cpu_target_percent as hpa_cpu_target_percent,
  h.memory_target_percent as hpa_memory_target_percent
from newest as n
left join containers_per_pod as k on k.cluster = n.cluster and k.namespace = n.namespace and k.pod_name = n.spec.pod_name
left join hpa as h
  on h.cluster = n.cluster
  and h.namespace = n.namespace
  and h.workload_kind = n.workload_kind
  and h.workload_name = n.workload_name
