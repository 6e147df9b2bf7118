select
  cluster,
  namespace,
  name as ingress_name,
  ingress_class,
  backend_services,
  load_balancer,
  annotations,
  created_at
from k8s_ingresses
where run_id = getvariable('run_id')
