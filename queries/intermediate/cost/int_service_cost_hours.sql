-- The cluster's costs beside compute, one line per hour of the window: the EKS control plane fee
-- (per cluster-hour), the EKS Auto Mode management fee per Auto Mode node-hour, the extended-support surcharge on its own line for the hours the cluster's
-- version was past standard support (int_eks_support_hours), and the EBS volumes behind bound PVCs (int_pvc_hours: GB-month, and provisioned IOPS and
-- throughput beyond what the volume type includes, prorated by the hour over the hours of that
-- month, as EBS bills), and the EBS volumes of the EC2 nodes no PV names (int_node_volume_hours:
-- root volumes, per hour of their node) on a "node volumes" line of their own, shared like the fee.
-- Lines have the columns of the compute lines; their dollars are in `other_cost_usd`.
with hours as (
  select unnest(generate_series(window_start, window_end - interval 1 hour, interval 1 hour)) as hour
  from int_window
),
clusters as (
  select distinct cluster from stg_kubernetes__nodes
),
fee as (
  select cluster, max(price_usd) as usd_per_hour, any_value(price_source) as price_source
  from stg_aws__prices
  where product = 'eks' and coalesce(usage_type, '') not like '%extendedSupport%'
  group by cluster
)
select
  c.cluster,
  control_plane_namespace() as namespace,
  control_plane_kind() as workload_kind,
  'EKS cluster fee' as workload_name,
  null as pod_name,
  null as node_name,
  h.hour,
  'control-plane' as capacity_type,
  'eks' as capacity_pool,
  f.price_source,
  f.usd_per_hour as other_cost_usd
from clusters as c
join fee as f using (cluster)
cross join hours as h
union all by name
select
  s.cluster,
  control_plane_namespace() as namespace,
  control_plane_kind() as workload_kind,
  'EKS extended support' as workload_name,
  null as pod_name,
  null as node_name,
  s.hour,
  'control-plane' as capacity_type,
  'eks' as capacity_pool,
  s.price_source,
  s.surcharge_usd_per_hour as other_cost_usd
from int_eks_support_hours as s
-- Without a price (no Price List answer and no snapshot for the region) the surcharge is not a
-- cost line, as the standard fee is not; the reconciliation names what the bill carries for it.
where s.support_tier = 'extended' and s.surcharge_usd_per_hour is not null
union all by name
-- The EKS Auto Mode management fee of the nodes Auto Mode manages (int_auto_mode_fee_hours), on
-- its own line beside the cluster fee, never spread over workloads.
select
  a.cluster,
  control_plane_namespace() as namespace,
  control_plane_kind() as workload_kind,
  'EKS Auto Mode fee' as workload_name,
  null as pod_name,
  a.node_name,
  a.hour,
  'control-plane' as capacity_type,
  'eks-auto-mode' as capacity_pool,
  a.price_source,
  a.cost_usd as other_cost_usd
from int_auto_mode_fee_hours as a
where a.cost_usd is not null
union all by name
select
  v.cluster,
  v.namespace,
  v.workload_kind,
  v.workload_name,
  v.pod_name,
  null as node_name,
  v.hour,
  'storage' as capacity_type,
  -- Storage as ebs-<type>; provisioned IOPS and throughput as ebs-<type>-iops, ebs-<type>-throughput.
  'ebs-' || v.volume_type || case when v.ebs_charge = 'storage' then '' else '-' || v.ebs_charge end as capacity_pool,
  v.price_source,
  v.cost_usd as other_cost_usd
from int_pvc_hours as v
union all by name
select
  v.cluster,
  control_plane_namespace() as namespace,
  node_volume_kind() as workload_kind,
  'node volumes' as workload_name,
  null as pod_name,
  v.node_name,
  v.hour,
  'storage' as capacity_type,
  'ebs-' || v.volume_type || '-node' || case when v.ebs_charge = 'storage' then '' else '-' || v.ebs_charge end
    as capacity_pool,
  v.price_source,
  v.cost_usd as other_cost_usd
from int_node_volume_hours as v
where v.cost_usd is not null
