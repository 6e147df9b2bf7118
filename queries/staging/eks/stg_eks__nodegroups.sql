-- One row per managed node group the EKS API described in the run, with its Auto Scaling sizes:
-- the right-sizing re-pack never goes below min_size nor above max_size.
select
  cluster,
  nodegroup,
  instance_types,
  case capacity_type when 'SPOT' then 'spot' when 'ON_DEMAND' then 'on-demand' else lower(capacity_type) end
    as capacity_type,
  ami_type,
  min_size,
  max_size,
  desired_size,
  labels,
  taints,
  status
from eks_nodegroups
where run_id = getvariable('run_id')
