-- Modeled against billed, per cluster and day, from Cost Explorer's cost grouped by SERVICE ×
-- USAGE_TYPE, on the cluster's cost metric (int_cost_basis: AmortizedCost when the bill has it,
-- else UnblendedCost; the other is kept beside as `billed_other_metric_usd`). Compared: EC2
-- instance usage by purchase type (BoxUsage & co. for on-demand, SpotUsage for spot), Fargate and
-- the EKS cluster fee (standard and extended support), against the model's node-hours, Fargate
-- pod-hours and fee-hours; the gap is the billed minus the modeled sum. EBS volume usage is set
-- beside the modeled PVC storage; what the model does not price at all is listed by usage type
-- in mart_bill_lines.
-- Only whole UTC days are compared: Cost Explorer bills a day whole, so a day the window cuts
-- (11:00 on day 1 to 11:00 on day 9) has hours the model never saw. Such days are modeled and
-- shown (`whole_day` false) but `compared` is false and no total or factor counts them.
with billed as (
  select
    c.cluster,
    c.date,
    any_value(b.cost_metric) as cost_metric,
    sum(c.amount) filter (where c.metric = b.cost_metric and c.cost_kind = 'on-demand') as billed_on_demand_usd,
    sum(c.amount) filter (where c.metric = b.cost_metric and c.cost_kind = 'spot') as billed_spot_usd,
    sum(c.amount) filter (where c.metric = b.cost_metric and c.cost_kind = 'fargate') as billed_fargate_usd,
    sum(c.amount) filter (where c.metric = b.cost_metric and c.cost_kind = 'control-plane') as billed_eks_fee_usd,
    sum(c.amount) filter (where c.metric = b.cost_metric and c.cost_kind = 'storage') as billed_storage_usd,
    sum(c.amount) filter (where c.metric = b.cost_metric and c.cost_kind = 'other') as billed_other_usd,
    -- The compared kinds on the other metric (UnblendedCost when the basis is AmortizedCost).
    sum(c.amount) filter (where c.metric = b.other_metric and c.cost_kind in ('on-demand', 'spot', 'fargate', 'control-plane'))
      as billed_other_metric_usd,
    bool_or(c.estimated) filter (where c.metric = b.cost_metric) as estimated
  from stg_aws__costs as c
  join int_cost_basis as b using (cluster)
  where c.group_by = 'SERVICE,USAGE_TYPE' and c.metric in (b.cost_metric, b.other_metric)
  group by c.cluster, c.date
  having count(*) filter (where c.metric = b.cost_metric) > 0
),
modeled as (
  select
    cluster,
    date,
    sum(cost_usd) filter (where cost_kind = 'spot') as modeled_spot_usd,
    sum(cost_usd) filter (where cost_kind = 'fargate') as modeled_fargate_usd,
    sum(cost_usd) filter (where cost_kind = 'control-plane') as modeled_eks_fee_usd,
    sum(cost_usd) filter (where cost_kind = 'storage') as modeled_storage_usd,
    sum(cost_usd) filter (where cost_kind = 'on-demand') as modeled_on_demand_usd
  from int_cost_lines_daily
  group by cluster, date
),
joined as (
  select
    coalesce(m.cluster, b.cluster) as cluster,
    coalesce(m.date, b.date) as date,
    coalesce(m.modeled_on_demand_usd, 0) as modeled_on_demand_usd,
    coalesce(m.modeled_spot_usd, 0) as modeled_spot_usd,
    coalesce(m.modeled_fargate_usd, 0) as modeled_fargate_usd,
    coalesce(m.modeled_eks_fee_usd, 0) as modeled_eks_fee_usd,
    coalesce(m.modeled_storage_usd, 0) as modeled_storage_usd,
    b.billed_on_demand_usd,
    b.billed_spot_usd,
    b.billed_fargate_usd,
    b.billed_eks_fee_usd,
    b.billed_storage_usd,
    b.billed_other_usd,
    b.billed_other_metric_usd,
    b.cost_metric,
    b.cluster is not null as has_bill,
    coalesce(b.estimated, false) as estimated
  from modeled as m
  full outer join billed as b using (cluster, date)
)
select
  j.*,
  j.date::timestamp >= w.window_start and j.date::timestamp + interval 1 day <= w.window_end as whole_day,
  j.has_bill and j.date::timestamp >= w.window_start and j.date::timestamp + interval 1 day <= w.window_end
    as compared,
  -- The hours of the day the window holds (24 on a whole day).
  (epoch(least(j.date::timestamp + interval 1 day, w.window_end))
    - epoch(greatest(j.date::timestamp, w.window_start))) / 3600.0 as window_hours,
  modeled_on_demand_usd + modeled_spot_usd + modeled_fargate_usd + modeled_eks_fee_usd as modeled_usd,
  coalesce(billed_on_demand_usd, 0) + coalesce(billed_spot_usd, 0) + coalesce(billed_fargate_usd, 0)
    + coalesce(billed_eks_fee_usd, 0) as billed_usd,
  -- The day's billed compute and fee as a monthly run-rate; their mean over the billed days is
  -- the bill's run-rate.
  (coalesce(billed_on_demand_usd, 0) + coalesce(billed_spot_usd, 0) + coalesce(billed_fargate_usd, 0)
    + coalesce(billed_eks_fee_usd, 0)) * hours_per_month() / 24 as billed_monthly_rate_usd,
  coalesce(billed_on_demand_usd, 0) + coalesce(billed_spot_usd, 0) + coalesce(billed_fargate_usd, 0)
    + coalesce(billed_eks_fee_usd, 0)
    - (modeled_on_demand_usd + modeled_spot_usd + modeled_fargate_usd + modeled_eks_fee_usd) as gap_usd,
  coalesce(billed_storage_usd, 0) - modeled_storage_usd as storage_gap_usd,
  billed_other_metric_usd
    - (modeled_on_demand_usd + modeled_spot_usd + modeled_fargate_usd + modeled_eks_fee_usd) as gap_other_metric_usd
from joined as j
cross join int_window as w
