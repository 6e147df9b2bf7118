-- Modeled against billed, per cluster and day. Billed compute is Cost Explorer's UnblendedCost
-- for EC2 instance usage (BoxUsage, SpotUsage, …) and Fargate; the EKS fee and the lines the
-- model does not price (EBS, data transfer, …) are shown apart so the gap is compute against
-- compute.
with billed as (
  select
    cluster,
    date,
    sum(amount) filter (where key2 like '%BoxUsage%' or key2 like '%DedicatedUsage%' or key2 like '%HostUsage%') as billed_on_demand_usd,
    sum(amount) filter (where key2 like '%SpotUsage%') as billed_spot_usd,
    sum(amount) filter (where key2 like '%Fargate%') as billed_fargate_usd,
    sum(amount) filter (where key2 like '%AmazonEKS-Hours%') as billed_eks_fee_usd,
    sum(amount) filter (
      where not (key2 like '%BoxUsage%' or key2 like '%DedicatedUsage%' or key2 like '%HostUsage%'
        or key2 like '%SpotUsage%' or key2 like '%Fargate%' or key2 like '%AmazonEKS-Hours%')
    ) as billed_other_usd,
    bool_or(estimated) as estimated
  from stg_aws__costs
  where metric = 'UnblendedCost' and group_by = 'SERVICE,USAGE_TYPE'
  group by cluster, date
),
modeled as (
  select
    cluster,
    hour::date as date,
    sum(cost_usd) filter (where capacity_type = 'spot') as modeled_spot_usd,
    sum(cost_usd) filter (where capacity_type = 'fargate') as modeled_fargate_usd,
    sum(cost_usd) filter (where capacity_type not in ('spot', 'fargate')) as modeled_on_demand_usd
  from int_cost_lines_hourly
  group by cluster, hour::date
)
select
  coalesce(m.cluster, b.cluster) as cluster,
  coalesce(m.date, b.date) as date,
  coalesce(m.modeled_on_demand_usd, 0) as modeled_on_demand_usd,
  coalesce(m.modeled_spot_usd, 0) as modeled_spot_usd,
  coalesce(m.modeled_fargate_usd, 0) as modeled_fargate_usd,
  coalesce(m.modeled_on_demand_usd, 0) + coalesce(m.modeled_spot_usd, 0) + coalesce(m.modeled_fargate_usd, 0) as modeled_usd,
  b.billed_on_demand_usd,
  b.billed_spot_usd,
  b.billed_fargate_usd,
  coalesce(b.billed_on_demand_usd, 0) + coalesce(b.billed_spot_usd, 0) + coalesce(b.billed_fargate_usd, 0) as billed_usd,
  b.billed_eks_fee_usd,
  b.billed_other_usd,
  b.cluster is not null as has_bill,
  coalesce(b.estimated, false) as estimated,
  coalesce(b.billed_on_demand_usd, 0) + coalesce(b.billed_spot_usd, 0) + coalesce(b.billed_fargate_usd, 0)
    - (coalesce(m.modeled_on_demand_usd, 0) + coalesce(m.modeled_spot_usd, 0) + coalesce(m.modeled_fargate_usd, 0)) as gap_usd
from modeled as m
full outer join billed as b using (cluster, date)
