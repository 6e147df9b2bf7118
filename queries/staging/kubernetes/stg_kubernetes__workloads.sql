select
  cluster,
  namespace,
  kind as workload_kind,
  name as workload_name,
  replicas_desired,
  replicas_ready,
  selector,
  hpa_name,
  hpa_min_replicas,
  hpa_max_replicas,
  hpa_metrics,
  hpa_conditions,
  pdb_name,
  pdb_min_available,
  pdb_max_unavailable,
  pvc_templates,
  labels,
  annotations
from k8s_workloads
where run_id = getvariable('run_id')
