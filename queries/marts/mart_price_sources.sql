-- Where the run's prices came from: per price source and as-of date, what it priced (instance
-- types, or the product for prices without one: fargate, eks, EBS volume types).
select
  price_source,
  as_of,
  string_agg(distinct coalesce(instance_type, product), ', ' order by coalesce(instance_type, product)) as products
from stg_aws__prices
group by all
