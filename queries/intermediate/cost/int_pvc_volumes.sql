-- One row per bound PVC: the EBS volume type it is billed as, its GB-month price, and whom it is
-- charged to. The type is read from the storage class name (gp3, gp2, io1, io2, st1, sc1), else
-- from the provisioner's default (the EBS CSI driver creates gp3, the in-tree aws-ebs plugin
-- gp2); other volumes (EFS, FSx, local disks) are not EBS and stay unpriced. A PVC is charged to
-- the workload whose pod mounts it (a running pod first, then the newest); one no pod mounts is
-- charged to its namespace on a line of its own.
with mounts as (
  select
    cluster,
    namespace,
    unnest(from_json(pvc_names, '["VARCHAR"]')) as pvc_name,
    workload_kind,
    workload_name,
    pod_name,
    phase in ('Running', 'Pending', 'Unknown') as live,
    created_at
  from stg_kubernetes__pods
),
mounted_by as (
  select
    cluster,
    namespace,
    pvc_name,
    arg_max(workload_kind, (live, created_at)) as workload_kind,
    arg_max(workload_name, (live, created_at)) as workload_name,
    arg_max(pod_name, (live, created_at)) as pod_name,
    bool_or(live) as mounted
  from mounts
  group by all
),
typed as (
  select
    p.cluster,
    p.namespace,
    p.pvc_name,
    p.storage_class,
    p.size_gib,
    p.created_at,
    v.csi_driver,
    ebs_volume_type(p.storage_class, v.csi_driver) as volume_type
  from stg_kubernetes__pvcs as p
  left join stg_kubernetes__pvs as v on v.cluster = p.cluster and v.volume_name = p.volume_name
  where p.phase = 'Bound'
),
ebs as (
  select cluster, instance_type as volume_type, max(price_usd) as usd_per_gb_month, any_value(price_source) as price_source
  from stg_aws__prices
  where product = 'ebs'
  group by all
)
select
  t.cluster,
  t.namespace,
  t.pvc_name,
  t.storage_class,
  t.size_gib,
  t.created_at,
  t.volume_type,
  e.usd_per_gb_month,
  coalesce(e.price_source, 'unpriced') as price_source,
  coalesce(m.mounted, false) as mounted,
  coalesce(m.workload_kind, unmounted_pvc_kind()) as workload_kind,
  coalesce(m.workload_name, t.pvc_name) as workload_name,
  m.pod_name
from typed as t
left join ebs as e on e.cluster = t.cluster and e.volume_type = t.volume_type
left join mounted_by as m on m.cluster = t.cluster and m.namespace = t.namespace and m.pvc_name = t.pvc_name
