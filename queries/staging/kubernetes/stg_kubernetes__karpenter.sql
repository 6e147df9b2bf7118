-- Karpenter's NodePools and NodeClaims of the run: requirements, limits and disruption as the JSON
-- the collector stored.
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
  disruption
from k8s_karpenter
where run_id = getvariable('run_id')
