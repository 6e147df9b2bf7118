-- What each DaemonSet takes on every node of an EC2 capacity pool: the largest need (init
-- containers and native sidecars counted as the scheduler counts them) of its pods running there.
with pods as (
  select
    n.cluster,
    n.capacity_pool,
    p.namespace,
    p.workload_name,
    p.pod_name,
    pod_request(c.cpu_request_cores, c.container_type) as cpu_request_cores,
    pod_request(c.memory_request_bytes, c.container_type)::double as memory_request_bytes
  from stg_kubernetes__pods as p
  join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
  join stg_kubernetes__containers as c on c.cluster = p.cluster and c.namespace = p.namespace and c.pod_name = p.pod_name
  where p.phase = 'Running'
    and p.workload_kind = 'DaemonSet'
    and n.compute_type <> 'fargate'
  group by all
)
select
  cluster,
  capacity_pool,
  namespace || '/' || workload_name as daemonset,
  max(cpu_request_cores) as cpu_request_cores,
  max(memory_request_bytes) as memory_request_bytes
from pods
group by all
