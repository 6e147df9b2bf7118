select
  cluster,
  name as volume_name,
  storage_class,
  phase,
  capacity_bytes,
  claim_namespace,
  claim_name,
  csi_driver,
  volume_handle,
  zone,
  created_at
from k8s_pvs
where run_id = getvariable('run_id')
