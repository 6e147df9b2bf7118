-- What the data shows about the compared days (mart_reconciliation's whole, billed days), per
-- cluster: each explanation of a gap is drawn from one of these figures, so a cause the data does
-- not show is never named. Node-hours the usage history has on nodes the inventory lacks (gone
-- before the snapshot), the EC2 node-hours of the inventory (each EC2 node boots from an EBS root
-- volume the PVCs do not include), the EC2 spend billed without the cluster's tag, the hours commitments covered
-- (and how far the model's price of them is below the list price; where the covered share moved
-- between days), the PVCs' provisioned IOPS and throughput modeled from their StorageClass (and the
-- PVCs whose class was not read), the EBS volumes of the EC2 nodes no PV names (root volumes, read
-- from EC2 DescribeVolumes) modeled on the compared days, the cluster's EBS snapshots (counted, and
-- their Standard tier priced at the source volumes' size where a snapshot price is at hand: an upper
-- bound, since EC2 does not report the changed blocks they bill), and the days left out of the
-- comparison with their hours.
with compared_days as (
  select cluster, date from mart_reconciliation where compared
),
unplaced as (
  select
    u.cluster,
    count(*) as unknown_node_hours,
    count(distinct u.node_name) as unknown_nodes,
    string_agg(distinct u.node_name, ', ' order by u.node_name) as unknown_node_names
  from (select distinct cluster, node_name, hour from int_pod_hours_unplaced) as u
  join compared_days as d on d.cluster = u.cluster and d.date = u.hour::date
  group by u.cluster
),
ec2 as (
  select n.cluster, sum(n.node_hours) as ec2_node_hours, count(distinct n.node_name) as ec2_nodes
  from int_node_hours_priced as n
  join compared_days as d on d.cluster = n.cluster and d.date = n.hour::date
  where n.capacity_type <> 'fargate'
  group by n.cluster
),
untagged as (
  select c.cluster, sum(c.amount) as untagged_ec2_usd
  from stg_aws__costs as c
  semi join compared_days using (cluster, date)
  where c.group_by = 'UNTAGGED_EC2' and c.metric = 'UnblendedCost'
  group by c.cluster
),
commitments as (
  select
    n.cluster,
    sum(n.node_hours * n.commitment_covered_share) as committed_node_hours,
    sum(n.node_hours * (n.list_usd_per_hour - n.price_usd_per_hour)) as commitment_saving_usd
  from int_node_hours_priced as n
  join compared_days as d on d.cluster = n.cluster and d.date = n.hour::date
  where n.commitment_covered_share is not null
  group by n.cluster
),
coverage as (
  select
    r.cluster,
    string_agg(distinct r.commitment_types, ', ' order by r.commitment_types) as commitment_types,
    sum(r.committed_hours) as committed_billed_hours
  from int_commitment_rates as r
  semi join compared_days using (cluster, date)
  group by r.cluster
),
coverage_moves as (
  -- Instance types whose covered share changed between compared days by a percentage point or more.
  select cluster, string_agg(moved, '; ' order by moved) as coverage_moves
  from (
    select r.cluster, r.instance_type || ' ' || round(100 * min(coalesce(r.covered_share, 0)))::int::varchar || '–'
      || round(100 * max(coalesce(r.covered_share, 0)))::int::varchar || ' %' as moved
    from (
      select d.cluster, d.date, t.instance_type, c.covered_share
      from compared_days as d
      join (select distinct cluster, instance_type from int_commitment_rates) as t using (cluster)
      left join int_commitment_rates as c using (cluster, date, instance_type)
    ) as r
    group by r.cluster, r.instance_type
    having max(coalesce(r.covered_share, 0)) - min(coalesce(r.covered_share, 0)) >= 0.01
  )
  group by cluster
),
support as (
  -- The cluster's EKS support tier over the compared days (int_eks_support_hours).
  select
    s.cluster,
    any_value(s.version) as eks_version,
    any_value(s.support_type) as eks_support_type,
    count(*) filter (where s.support_tier = 'extended') as extended_support_hours,
    count(*) filter (where s.support_tier = 'unknown') as unknown_support_hours
  from int_eks_support_hours as s
  join compared_days as d on d.cluster = s.cluster and d.date = s.hour::date
  group by s.cluster
),
pvc_performance as (
  -- The PVCs' provisioned IOPS and throughput beyond their volume type's baseline (from their
  -- StorageClass) modeled on the compared days, and the EBS PVCs whose StorageClass was not read.
  select
    v.cluster,
    sum(l.cost_usd) as pvc_performance_usd,
    count(distinct v.namespace || '/' || v.pvc_name) filter (where l.cost_usd > 0) as pvc_performance_count,
    count(distinct v.namespace || '/' || v.pvc_name) filter (where v.volume_type is not null and not v.performance_known)
      as pvcs_performance_unknown
  from int_pvc_volumes as v
  left join (
    select h.cluster, h.namespace, h.pvc_name, sum(h.cost_usd) as cost_usd
    from int_pvc_hours as h
    join compared_days as d on d.cluster = h.cluster and d.date = h.hour::date
    where h.ebs_charge <> 'storage'
    group by all
  ) as l using (cluster, namespace, pvc_name)
  group by v.cluster
),
node_volumes as (
  -- The nodes' own EBS volumes (int_node_volume_hours) on the compared days: their dollars, how
  -- many, on how many nodes, and how many have no price for their type.
  select
    n.cluster,
    coalesce(sum(n.cost_usd), 0) as node_volumes_usd,
    count(distinct n.volume_id) as node_volumes,
    count(distinct n.node_name) as node_volume_nodes,
    count(distinct n.volume_id) filter (where n.cost_usd is null) as node_volumes_unpriced
  from int_node_volume_hours as n
  join compared_days as d on d.cluster = n.cluster and d.date = n.hour::date
  group by n.cluster
),
snapshots as (
  -- The snapshots under the cluster's tag that existed by the window's end, and their source
  -- volumes' GiB (an upper bound on what they bill), by tier.
  select
    s.cluster,
    count(*) as snapshots,
    sum(s.volume_size_gib) as snapshot_volume_gib,
    count(*) filter (where s.storage_tier = 'archive') as snapshots_archived
  from stg_eks__snapshots as s
  cross join int_window as w
  where s.started_at is null or s.started_at < w.window_end
  group by s.cluster
),
snapshot_prices as (
  -- The Standard tier's price per GB-month (Price List usage type EBS:SnapshotUsage, or the snapshot).
  select cluster, max(price_usd) as usd_per_gb_month, min(price_source) as price_source
  from stg_aws__prices
  where product = 'ebs-snapshot'
  group by cluster
),
snapshot_hours as (
  -- Each Standard-tier snapshot over the compared days' hours from the hour it was taken, at its
  -- source volume's GiB by the one EBS rule (ebs_usd_per_hour): the most it can bill, since AWS
  -- bills only the changed blocks each keeps. A snapshot deleted before the run is not seen.
  select s.cluster, sum(ebs_usd_per_hour(s.volume_size_gib, p.usd_per_gb_month, h.hour)) as snapshot_upper_bound_usd
  from stg_eks__snapshots as s
  join snapshot_prices as p using (cluster)
  join (
    select cluster, unnest(generate_series(date::timestamp, date::timestamp + interval 23 hour, interval 1 hour)) as hour
    from compared_days
  ) as h on h.cluster = s.cluster
  where s.storage_tier = 'standard' and (s.started_at is null or date_trunc('hour', s.started_at) <= h.hour)
  group by s.cluster
),
snapshot_billed as (
  -- What the bill has for the Standard tier's snapshot storage on the compared days.
  select c.cluster, sum(c.amount) as snapshot_billed_usd
  from stg_aws__costs as c
  semi join compared_days using (cluster, date)
  where c.group_by = 'SERVICE,USAGE_TYPE' and c.metric = 'UnblendedCost' and c.key2 like '%EBS:SnapshotUsage'
  group by c.cluster
),
auto_mode as (
  -- Node-hours of the nodes EKS Auto Mode manages on the compared days, the management fee modeled
  -- on them, and the hours without a fee price.
  select
    a.cluster,
    sum(a.node_hours) as auto_mode_node_hours,
    coalesce(sum(a.cost_usd), 0) as auto_mode_fee_usd,
    coalesce(sum(a.node_hours) filter (where a.cost_usd is null), 0) as auto_mode_unpriced_hours
  from int_auto_mode_fee_hours as a
  join compared_days as d on d.cluster = a.cluster and d.date = a.hour::date
  group by a.cluster
),
control_plane as (
  -- A Provisioned Control Plane tier (anything but standard) the EKS API reports.
  select cluster, any_value(control_plane_tier) as control_plane_tier
  from stg_eks__clusters
  where control_plane_tier <> 'standard'
  group by cluster
),
left_out as (
  select
    cluster,
    count(*) filter (where not compared) as days_left_out,
    string_agg(strftime(date, '%Y-%m-%d') || ' (' || round(window_hours, 2)::varchar || ' h)', ', ' order by date)
      filter (where not compared and not whole_day) as partial_days,
    count(*) filter (where compared) as days_compared
  from mart_reconciliation
  group by cluster
)
select
  l.cluster,
  l.days_compared,
  l.days_left_out,
  l.partial_days,
  coalesce(u.unknown_node_hours, 0) as unknown_node_hours,
  coalesce(u.unknown_nodes, 0) as unknown_nodes,
  u.unknown_node_names,
  coalesce(e.ec2_node_hours, 0) as ec2_node_hours,
  coalesce(e.ec2_nodes, 0) as ec2_nodes,
  t.untagged_ec2_usd,
  coalesce(m.committed_node_hours, 0) as committed_node_hours,
  coalesce(m.commitment_saving_usd, 0) as commitment_saving_usd,
  v.commitment_types,
  coalesce(v.committed_billed_hours, 0) as committed_billed_hours,
  cm.coverage_moves,
  s.eks_version,
  s.eks_support_type,
  coalesce(s.extended_support_hours, 0) as extended_support_hours,
  coalesce(s.unknown_support_hours, 0) as unknown_support_hours,
  coalesce(p.pvc_performance_usd, 0) as pvc_performance_usd,
  coalesce(p.pvc_performance_count, 0) as pvc_performance_count,
  coalesce(p.pvcs_performance_unknown, 0) as pvcs_performance_unknown,
  coalesce(nv.node_volumes_usd, 0) as node_volumes_usd,
  coalesce(nv.node_volumes, 0) as node_volumes,
  coalesce(nv.node_volume_nodes, 0) as node_volume_nodes,
  coalesce(nv.node_volumes_unpriced, 0) as node_volumes_unpriced,
  coalesce(sn.snapshots, 0) as snapshots,
  coalesce(sn.snapshot_volume_gib, 0) as snapshot_volume_gib,
  coalesce(sn.snapshots_archived, 0) as snapshots_archived,
  sh.snapshot_upper_bound_usd,
  sp.usd_per_gb_month as snapshot_usd_per_gb_month,
  sp.price_source as snapshot_price_source,
  sb.snapshot_billed_usd,
  coalesce(am.auto_mode_node_hours, 0) as auto_mode_node_hours,
  coalesce(am.auto_mode_fee_usd, 0) as auto_mode_fee_usd,
  coalesce(am.auto_mode_unpriced_hours, 0) as auto_mode_unpriced_hours,
  cp.control_plane_tier
from left_out as l
left join unplaced as u using (cluster)
left join ec2 as e using (cluster)
left join untagged as t using (cluster)
left join commitments as m using (cluster)
left join coverage as v using (cluster)
left join coverage_moves as cm using (cluster)
left join support as s using (cluster)
left join pvc_performance as p using (cluster)
left join node_volumes as nv using (cluster)
left join snapshots as sn using (cluster)
left join snapshot_prices as sp using (cluster)
left join snapshot_hours as sh using (cluster)
left join snapshot_billed as sb using (cluster)
left join auto_mode as am using (cluster)
left join control_plane as cp using (cluster)
