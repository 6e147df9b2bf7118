-- Spot prices per instance type and zone over the window: each price change holds until the
-- next one, so the average is weighted by how long each price was in effect inside the window.
with changes as (
  select
    cluster,
    instance_type,
    zone,
    price_usd_per_hour,
    valid_from,
    lead(valid_from) over (partition by cluster, instance_type, zone order by valid_from) as valid_to
  from stg_aws__spot_prices
),
clipped as (
  select
    c.*,
    (epoch(least(coalesce(c.valid_to, w.window_end), w.window_end)) - epoch(greatest(c.valid_from, w.window_start))) / 3600.0 as hours
  from changes as c
  cross join int_window as w
)
select
  cluster,
  instance_type,
  zone,
  sum(price_usd_per_hour * hours) / sum(hours) as avg_usd_per_hour,
  min(price_usd_per_hour) as min_usd_per_hour,
  max(price_usd_per_hour) as max_usd_per_hour,
  count(*) as price_changes,
  sum(hours) as hours_covered
from clipped
where hours > 0
group by cluster, instance_type, zone
