select
  cluster,
  region,
  zone,
  instance_type,
  price_usd::double as price_usd_per_hour,
  valid_from
from aws_spot_prices
where run_id = getvariable('run_id')
