-- Pods Pending per hour (kube_pod_status_phase{phase="Pending"}): the share of the hour each was.
select
  cluster,
  hour,
  namespace,
  pod as pod_name,
  workload_kind,
  workload_name,
  pending_ratio
from prom_pending_pods_hourly
where run_id = getvariable('run_id')
