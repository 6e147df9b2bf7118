-- Per cluster and kind of cost, the factor that takes the modeled dollars to what Cost Explorer
-- billed for them over the days the bill covers: EC2 on-demand, EC2 spot, Fargate and the EKS
-- fee apart (whole days only: mart_reconciliation's `compared`), so a gap in spot is not spread over on-demand. With allocation.scaleToBill
-- (`applied`), cost allocation shows figures scaled by these beside the modeled ones. PVC storage
-- is never scaled (the bill's EBS lines include volumes the model does not see); idle EC2 capacity
-- scales with its purchase type. The factor is null where there is no bill or nothing modeled.
with days as (
  select cluster,
    sum(modeled_on_demand_usd) as on_demand_m, sum(billed_on_demand_usd) as on_demand_b,
    sum(modeled_spot_usd) as spot_m, sum(billed_spot_usd) as spot_b,
    sum(modeled_fargate_usd) as fargate_m, sum(billed_fargate_usd) as fargate_b,
    sum(modeled_eks_fee_usd) as fee_m, sum(billed_eks_fee_usd) as fee_b
  from mart_reconciliation
  where compared
  group by cluster
),
kinds as (
  select cluster, 'on-demand' as cost_kind, on_demand_m as modeled_usd, on_demand_b as billed_usd from days
  union all select cluster, 'spot', spot_m, spot_b from days
  union all select cluster, 'fargate', fargate_m, fargate_b from days
  union all select cluster, 'control-plane', fee_m, fee_b from days
)
select
  cluster,
  cost_kind,
  modeled_usd,
  coalesce(billed_usd, 0) as billed_usd,
  coalesce(billed_usd, 0) / nullif(modeled_usd, 0) as factor,
  coalesce(getvariable('allocation_scale_to_bill')::boolean, false) as applied
from kinds
