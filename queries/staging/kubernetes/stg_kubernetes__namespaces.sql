select
  cluster,
  name as namespace,
  phase,
  labels,
  created_at
from k8s_namespaces
where run_id = getvariable('run_id')
