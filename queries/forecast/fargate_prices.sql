-- Fargate's price per vCPU-hour and per GB-hour for each cluster of the run (as
-- int_fargate_pod_hours prices the pods), with the sizes Fargate offers.
select
  cluster,
  max(price_usd) filter (where unit = 'vCPU-Hours') as usd_per_vcpu_hour,
  max(price_usd) filter (where unit = 'GB-Hours') as usd_per_gb_hour
from stg_aws__prices
where product = 'fargate'
group by cluster
