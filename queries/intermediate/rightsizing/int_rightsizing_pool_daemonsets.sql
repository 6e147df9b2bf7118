-- What each DaemonSet asks on every node of an EC2 capacity pool, per container: the largest
-- requests of its pods running there (the re-pack applies the containers' recommendations and
-- counts init containers and native sidecars as the scheduler does).
select
  n.cluster,
  n.capacity_pool,
  p.namespace,
  p.workload_name,
  c.container_name,
  c.container_type,
  max(c.cpu_request_cores) as cpu_request_cores,
  max(c.memory_request_bytes)::double as memory_request_bytes
from stg_kubernetes__pods as p
join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
join stg_kubernetes__containers as c on c.cluster = p.cluster and c.namespace = p.namespace and c.pod_name = p.pod_name
where p.phase = 'Running'
  and p.workload_kind = 'DaemonSet'
  and n.compute_type <> 'fargate'
group by all
