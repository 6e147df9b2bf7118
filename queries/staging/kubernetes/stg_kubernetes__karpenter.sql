-- Karpenter NodePools and NodeClaims of the run (requirements, limits and disruption as JSON).
select
  cluster,
  kind,
  name,
  nodepool,
  node_name,
  instance_type,
  capacity_type,
  zone,
  requirements,
  limits,
  disruption,
  weight
from k8s_karpenter
where run_id = getvariable('run_id')
