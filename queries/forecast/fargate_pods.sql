-- The pods of the run that run on Fargate, each container with its requests, in the shape of
-- int_rightsizing_pool_pods (which holds the EC2 pools' pods): their pool is `fargate`, where
-- each pod is a micro-VM of its own billed size. Run after the models, on the temp catalog.
select
  p.cluster,
  'fargate' as capacity_pool,
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
  and n.compute_type = 'fargate'
order by p.cluster, p.namespace, p.pod_name, c.container_name
