-- The dated on-demand EC2 price snapshot (data/reference/ec2-ondemand-prices.csv: Linux, shared
-- tenancy, USD per hour, from the AWS Pricing API through Karpenter's generated table).
select region, instance_type, usd_per_hour::double as usd_per_hour
from ref_ec2_prices
where usd_per_hour is not null
