select
  cluster,
  region,
  product,
  instance_type,
  usage_type,
  unit,
  price_usd::double as price_usd,
  source as price_source,
  as_of
from aws_prices
where run_id = getvariable('run_id')
