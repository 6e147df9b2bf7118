select
  cluster,
  namespace,
  pod as pod_name,
  container as container_name,
  container_type,
  image,
  cpu_request_cores,
  cpu_limit_cores,
  memory_request_bytes,
  memory_limit_bytes,
  ephemeral_request_bytes,
  restart_count,
  last_termination_reason,
  last_termination_at
from k8s_containers
where run_id = getvariable('run_id')
