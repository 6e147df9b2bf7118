select
  cluster,
  namespace,
  name as pvc_name,
  storage_class,
  phase,
  coalesce(capacity_bytes, requested_bytes) as size_bytes,
  coalesce(capacity_bytes, requested_bytes) / 1073741824.0 as size_gib,
  volume_name,
  created_at
from k8s_pvcs
where run_id = getvariable('run_id')
