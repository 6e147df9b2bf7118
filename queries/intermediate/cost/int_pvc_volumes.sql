-- One row per bound PVC: the EBS volume type it is billed as, its GB-month price, the IOPS and
-- throughput it is provisioned with and billed for beyond what its type includes (with their
-- monthly prices), and whom it is charged to. The type is its StorageClass's `type` parameter,
-- else read from the storage class name (gp3, gp2, io1, io2, st1, sc1), else
-- from the provisioner's default (the EBS CSI driver creates gp3, the in-tree aws-ebs plugin
-- gp2); other volumes (EFS, FSx, local disks) are not EBS and stay unpriced. IOPS are the class's
-- `iops`, else its `iopsPerGB` × the size; throughput its `throughput` (MiB/s). Without the
-- StorageClass (not read), IOPS and throughput are NULL: `performance_known` is false. A PVC is charged to
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
    ebs_volume_type(p.storage_class, v.csi_driver, c.ebs_type) as volume_type,
    c.storage_class is not null as performance_known,
    coalesce(c.iops, c.iops_per_gib * p.size_gib) as iops,
    c.throughput_mibps
  from stg_kubernetes__pvcs as p
  left join stg_kubernetes__pvs as v on v.cluster = p.cluster and v.volume_name = p.volume_name
  left join stg_kubernetes__storage_classes as c
    on c.cluster = p.cluster and c.storage_class = coalesce(p.storage_class, v.storage_class)
  where p.phase = 'Bound'
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
  t.performance_known,
  t.iops,
  t.throughput_mibps,
  case when t.performance_known then ebs_billed_iops(t.volume_type, t.iops) end as billed_iops,
  case when t.performance_known then ebs_billed_throughput_mibps(t.volume_type, t.throughput_mibps) end
    as billed_throughput_mibps,
  -- The month's price of the billed IOPS (io2 by its tiers) and throughput; NULL when unpriced.
  ebs_iops_usd_per_month(
    t.volume_type, t.iops, e.gp3_usd_per_iops_month, e.io1_usd_per_iops_month, e.io2_usd_per_iops_month,
    e.io2_tier2_usd_per_iops_month, e.io2_tier3_usd_per_iops_month
  ) as iops_usd_per_month,
  ebs_throughput_usd_per_month(t.volume_type, t.throughput_mibps, e.gp3_usd_per_mibps_month)
    as throughput_usd_per_month,
  coalesce(m.mounted, false) as mounted,
  coalesce(m.workload_kind, unmounted_pvc_kind()) as workload_kind,
  coalesce(m.workload_name, t.pvc_name) as workload_name,
  m.pod_name
from typed as t
left join int_ebs_prices as e on e.cluster = t.cluster and e.volume_type = t.volume_type
left join mounted_by as m on m.cluster = t.cluster and m.namespace = t.namespace and m.pvc_name = t.pvc_name
