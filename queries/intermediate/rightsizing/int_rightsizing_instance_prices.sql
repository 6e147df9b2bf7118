-- What an EC2 node costs per hour in each cluster, per instance type and capacity type: on-demand
-- from the run's stored prices (the Pricing API's, or the snapshot's where the run fell back to it:
-- price_source says which), spot as the average of the run's spot price history over its zones.
select cluster, instance_type, 'on-demand' as capacity_type, avg(price_usd) as usd_per_hour, any_value(price_source) as price_source
from stg_aws__prices
where product = 'ec2' and unit = 'Hrs' and instance_type is not null
group by all
union all
select cluster, instance_type, 'spot' as capacity_type, avg(price_usd_per_hour) as usd_per_hour, 'spot-history' as price_source
from stg_aws__spot_prices
group by all
