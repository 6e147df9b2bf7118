-- Where the EC2 gap comes from, per cluster, purchase type and instance type, over the days the
-- bill covers whole (mart_reconciliation's `compared` days: a day the window cuts is left out):
-- instance-hours and dollars billed (Cost Explorer's UsageQuantity and the cluster's cost metric,
-- int_cost_basis, of BoxUsage:<type> / SpotUsage:<type>) against the model's node-hours and dollars. The gap splits
-- into hours (nodes billed that the inventory does not have, e.g. replaced or scaled away before
-- the snapshot, priced at the billed rate) and rate (the same hours at another price, e.g. spot
-- prices or Savings Plans).
with compared_days as (
  select cluster, date from mart_reconciliation where compared
),
billed_lines as (
  select
    cluster,
    date,
    cost_kind as purchase,
    nullif(regexp_extract(key2, '(?:BoxUsage|SpotUsage|DedicatedUsage|HostUsage):(.+)$', 1), '') as instance_type,
    case when metric = 'UsageQuantity' then metric else 'cost' end as metric,
    amount
  from stg_aws__costs
  join int_cost_basis using (cluster)
  semi join compared_days using (cluster, date)
  where group_by = 'SERVICE,USAGE_TYPE'
    and metric in (cost_metric, 'UsageQuantity')
    and cost_kind in ('on-demand', 'spot')
),
billed as (
  select
    cluster,
    purchase,
    coalesce(instance_type, 'unknown') as instance_type,
    sum(amount) filter (where metric = 'UsageQuantity') as billed_hours,
    sum(amount) filter (where metric = 'cost') as billed_usd
  from billed_lines
  group by all
),
modeled as (
  select
    n.cluster,
    case when n.capacity_type = 'spot' then 'spot' else 'on-demand' end as purchase,
    coalesce(n.instance_type, 'unknown') as instance_type,
    sum(n.node_hours) as modeled_hours,
    sum(n.cost_usd) as modeled_usd
  from int_node_hours_priced as n
  join compared_days as d on d.cluster = n.cluster and d.date = n.hour::date
  group by all
)
select
  coalesce(b.cluster, m.cluster) as cluster,
  coalesce(b.purchase, m.purchase) as purchase,
  coalesce(b.instance_type, m.instance_type) as instance_type,
  coalesce(b.billed_hours, 0) as billed_hours,
  coalesce(b.billed_usd, 0) as billed_usd,
  coalesce(m.modeled_hours, 0) as modeled_hours,
  coalesce(m.modeled_usd, 0) as modeled_usd,
  coalesce(b.billed_usd, 0) - coalesce(m.modeled_usd, 0) as gap_usd,
  coalesce(b.billed_hours, 0) - coalesce(m.modeled_hours, 0) as hours_gap,
  -- Missing (or extra) hours priced at the billed rate, or the modeled rate when nothing was billed.
  (coalesce(b.billed_hours, 0) - coalesce(m.modeled_hours, 0))
    * coalesce(b.billed_usd / nullif(b.billed_hours, 0), m.modeled_usd / nullif(m.modeled_hours, 0), 0) as hours_gap_usd
from billed as b
full outer join modeled as m using (cluster, purchase, instance_type)
