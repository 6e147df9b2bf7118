-- The EBS prices of each cluster by volume type: the GB-month (with its source) and the cluster's
-- provisioned IOPS-month (io2 by tier: io2-tier2, io2-tier3) and gp3 throughput MiB/s-month
-- prices, read by every EBS volume the model prices (PVCs, node volumes).
with ebs as (
  select cluster, instance_type as volume_type, max(price_usd) as usd_per_gb_month, any_value(price_source) as price_source
  from stg_aws__prices
  where product = 'ebs'
  group by all
),
performance as (
  select
    cluster,
    max(price_usd) filter (where product = 'ebs-iops' and instance_type = 'gp3') as gp3_usd_per_iops_month,
    max(price_usd) filter (where product = 'ebs-iops' and instance_type = 'io1') as io1_usd_per_iops_month,
    max(price_usd) filter (where product = 'ebs-iops' and instance_type = 'io2') as io2_usd_per_iops_month,
    max(price_usd) filter (where product = 'ebs-iops' and instance_type = 'io2-tier2') as io2_tier2_usd_per_iops_month,
    max(price_usd) filter (where product = 'ebs-iops' and instance_type = 'io2-tier3') as io2_tier3_usd_per_iops_month,
    max(price_usd) filter (where product = 'ebs-throughput' and instance_type = 'gp3') as gp3_usd_per_mibps_month
  from stg_aws__prices
  where product in ('ebs-iops', 'ebs-throughput')
  group by cluster
)
select e.*, f.* exclude (cluster)
from ebs as e
left join performance as f using (cluster)
