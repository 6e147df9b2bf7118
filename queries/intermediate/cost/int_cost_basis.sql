-- Which Cost Explorer metric each cluster's bill is compared on: AmortizedCost when the bill has
-- it (Savings Plans and RI fees spread over the hours they covered: what the model prices
-- on-demand hours at, int_commitment_rates, and what AWS's split cost allocation starts from),
-- else UnblendedCost. The other metric is shown beside it, never instead.
select
  cluster,
  case when bool_or(metric = 'AmortizedCost') then 'AmortizedCost' else 'UnblendedCost' end as cost_metric,
  case when bool_or(metric = 'AmortizedCost') then 'UnblendedCost' end as other_metric
from stg_aws__costs
where group_by = 'SERVICE,USAGE_TYPE' and metric in ('UnblendedCost', 'AmortizedCost')
group by cluster
