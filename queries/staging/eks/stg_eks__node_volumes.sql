-- One row per EBS volume attachment to one of the cluster's EC2 nodes (EC2 DescribeVolumes
-- filtered by the nodes' instance ids), as the EKS source read them in the run.
select
  cluster,
  volume_id,
  instance_id,
  device,
  volume_type,
  size_gib,
  iops,
  throughput_mibps,
  zone,
  delete_on_termination,
  attached_at,
  created_at
from eks_node_volumes
where run_id = getvariable('run_id')
