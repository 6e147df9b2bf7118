select
  cluster,
  namespace,
  name as pod_name,
  phase,
  node_name,
  qos_class,
  workload_kind,
  workload_name,
  created_at,
  has_empty_dir,
  has_host_path,
  termination_grace_seconds,
  safe_to_evict,
  pvc_names,
  capacity_provisioned,
  fargate_profile,
  do_not_disrupt,
  arch_selector,
  labels,
  annotations
from k8s_pods
where run_id = getvariable('run_id')
