select
  cluster,
  namespace,
  name as service_name,
  type as service_type,
  ready_endpoints,
  not_ready_endpoints,
  load_balancer,
  selector,
  annotations,
  created_at
from k8s_services
where run_id = getvariable('run_id')
