-- The EBS cost of the volumes attached to each EC2 node that no PV names (its root volume, and
-- any other volume made outside Kubernetes: a volume whose id is a PV's volumeHandle is priced as
-- its PVC instead), hour by hour of the node: one line per charge EBS bills (storage, and
-- provisioned IOPS and throughput beyond what its type includes), each monthly figure prorated
-- over the hours of that calendar month (ebs_usd_per_hour, the one EBS rule) times the fraction
-- of the hour the node was up. Empty when the volumes were not read (ec2:DescribeVolumes).
with pv_volumes as (
  select distinct cluster, regexp_extract(volume_handle, 'vol-[0-9a-zA-Z]+') as volume_id
  from stg_kubernetes__pvs
  where volume_handle is not null
),
volumes as (
  select
    v.*,
    n.node_name,
    e.usd_per_gb_month,
    coalesce(e.price_source, 'unpriced') as price_source,
    ebs_iops_usd_per_month(
      v.volume_type, v.iops, e.gp3_usd_per_iops_month, e.io1_usd_per_iops_month, e.io2_usd_per_iops_month,
      e.io2_tier2_usd_per_iops_month, e.io2_tier3_usd_per_iops_month
    ) as iops_usd_per_month,
    ebs_throughput_usd_per_month(v.volume_type, v.throughput_mibps, e.gp3_usd_per_mibps_month)
      as throughput_usd_per_month
  from stg_eks__node_volumes as v
  join stg_kubernetes__nodes as n on n.cluster = v.cluster and n.instance_id = v.instance_id
  left join int_ebs_prices as e on e.cluster = v.cluster and e.volume_type = v.volume_type
  anti join pv_volumes as p on p.cluster = v.cluster and p.volume_id = v.volume_id
),
charges as (
  select *, 'storage' as ebs_charge, size_gib as quantity, usd_per_gb_month as usd_per_unit_month
  from volumes
  union all by name
  select *, 'iops' as ebs_charge, 1.0 as quantity, iops_usd_per_month as usd_per_unit_month
  from volumes
  where iops_usd_per_month > 0
  union all by name
  select *, 'throughput' as ebs_charge, 1.0 as quantity, throughput_usd_per_month as usd_per_unit_month
  from volumes
  where throughput_usd_per_month > 0
)
select
  c.cluster,
  c.node_name,
  c.volume_id,
  c.device,
  c.volume_type,
  c.size_gib,
  c.ebs_charge,
  c.price_source,
  h.hour,
  h.node_hours,
  -- NULL when the volume type has no price (the reconciliation counts such volumes).
  ebs_usd_per_hour(c.quantity, c.usd_per_unit_month, h.hour) * h.node_hours as cost_usd
from charges as c
join int_node_hours as h on h.cluster = c.cluster and h.node_name = c.node_name
