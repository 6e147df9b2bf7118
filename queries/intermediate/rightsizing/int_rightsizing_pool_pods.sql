-- The pods the right-sizing re-pack places: per EC2 capacity pool, every running pod of a
-- workload (DaemonSets aside: they come with each node, int_rightsizing_pool_daemonsets) with each
-- of its containers' current requests; the recommended ones come from mart_rightsizing.
select
  n.cluster,
  n.capacity_pool,
  p.namespace,
  p.pod_name,
  p.workload_kind,
  p.workload_name,
  c.container_name,
  c.container_type,
  c.cpu_request_cores,
  c.memory_request_bytes::double as memory_request_bytes
from stg_kubernetes__pods as p
join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
join stg_kubernetes__containers as c on c.cluster = p.cluster and c.namespace = p.namespace and c.pod_name = p.pod_name
where p.phase = 'Running'
  and p.workload_kind <> 'DaemonSet'
  and n.compute_type <> 'fargate'
