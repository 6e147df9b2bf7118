-- Prices from the Price List API for a cluster ($1) and region ($2) fetched since $3, from the
-- latest run that has them: reused instead of asking again (prices change rarely).
with latest as (
  select p.run_id
  from aws_prices as p
  join runs as r using (run_id)
  where p.cluster = $1 and p.region = $2 and p.source = 'pricing-api' and p.fetched_at >= $3::timestamp
  order by r.started_at desc
  limit 1
)
select cluster, region, product, instance_type, usage_type, unit, price_usd::varchar as price_usd, source, as_of, fetched_at
from aws_prices
where run_id = (select run_id from latest) and cluster = $1 and region = $2 and source = 'pricing-api'
