-- What commitments paid per instance-hour, per cluster, day and instance type, from Cost
-- Explorer's PURCHASE_TYPE × INSTANCE_TYPE lines under the cluster's tag: the hours Savings Plans
-- or Reserved Instances covered (UsageQuantity), their AmortizedCost (the commitment's fee spread
-- over the hours it covered), hence the effective rate, and the share of the type's non-spot
-- hours they covered that day. Savings Plans float between clusters and instance types from day
-- to day, so rate and share hold for their own day only and are never carried to another.
with lines as (
  select cluster, date, key1 as purchase_type, key2 as instance_type, metric, amount
  from stg_aws__costs
  where group_by = 'PURCHASE_TYPE,INSTANCE_TYPE'
    and coalesce(key2, '') <> ''
    and key1 not ilike '%spot%'
),
per_type as (
  select
    cluster,
    date,
    instance_type,
    sum(amount) filter (where metric = 'UsageQuantity') as billed_hours,
    sum(amount) filter (where metric = 'UsageQuantity' and is_commitment(purchase_type)) as committed_hours,
    sum(amount) filter (where metric = 'AmortizedCost' and is_commitment(purchase_type)) as committed_amortized_usd,
    string_agg(distinct purchase_type, ', ' order by purchase_type) filter (where is_commitment(purchase_type))
      as commitment_types
  from lines
  group by all
)
select
  cluster,
  date,
  instance_type,
  billed_hours,
  committed_hours,
  committed_amortized_usd,
  commitment_types,
  committed_amortized_usd / committed_hours as committed_usd_per_hour,
  least(1.0, committed_hours / billed_hours) as covered_share
from per_type
where committed_hours > 0 and committed_amortized_usd is not null
