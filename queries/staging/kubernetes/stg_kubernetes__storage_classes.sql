-- StorageClasses with the EBS parameters the cost model reads. Parameter keys and values are read
-- case-insensitively, as the EBS CSI driver reads them: `type`, `iops`, `iopsPerGB`, `throughput`
-- (MiB/s). NULL where the class does not set one.
with params as (
  select cluster, name, provisioner, lower(parameters) as p from k8s_storage_classes
  where run_id = getvariable('run_id')
)
select
  cluster,
  name as storage_class,
  provisioner,
  nullif(json_extract_string(p, '$.type'), '') as ebs_type,
  try_cast(json_extract_string(p, '$.iops') as double) as iops,
  try_cast(json_extract_string(p, '$.iopspergb') as double) as iops_per_gib,
  try_cast(json_extract_string(p, '$.throughput') as double) as throughput_mibps
from params
