-- One row per node of the run, with memory in GiB beside bytes and the capacity pool named: its
-- node group, NodePool or `fargate`; a node of none is pooled with its like (plain_node_pool).
select
  cluster,
  name as node_name,
  instance_type,
  region,
  zone,
  arch,
  os,
  capacity_type,
  compute_type,
  nodegroup,
  nodepool,
  coalesce(
    nodegroup, nodepool, case when compute_type = 'fargate' then 'fargate' end,
    plain_node_pool(labels, instance_type, capacity_type)
  ) as capacity_pool,
  cpu_capacity_cores,
  memory_capacity_bytes,
  memory_capacity_bytes / 1073741824.0 as memory_capacity_gib,
  cpu_allocatable_cores,
  memory_allocatable_bytes,
  pods_allocatable,
  created_at,
  instance_id
from k8s_nodes
where run_id = getvariable('run_id')
