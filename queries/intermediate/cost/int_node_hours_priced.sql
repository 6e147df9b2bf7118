-- materialized: table
-- Node-hours priced where the price really came from: spot nodes at the spot price in effect at
-- that hour for their type and zone (an as-of join on the price history), everything else at the
-- on-demand price, or, where Cost Explorer shows Savings Plans or Reserved Instances covering a
-- share of the type's hours that day (int_commitment_rates), at what was paid: that share at the
-- commitment's amortized rate and the rest at the list price (kept beside as list_usd_per_hour,
-- with commitment_covered_share). The hourly price is split into a per-core and a per-GiB rate:
--   unit = price / (w × vCPU + GiB); per core-hour = w × unit; per GiB-hour = unit
-- where w = 9 (AWS split cost allocation: 1 vCPU weighs as 9 GB, the Fargate price ratio) or
-- OpenCost's default CPU:RAM price ratio 0.031611 / 0.004237 ≈ 7.46 (allocation.splitMethod).
with hours as (
  select h.*, p.vcpu, p.memory_gib, p.on_demand_usd_per_hour, p.on_demand_source
  from int_node_hours as h
  join int_node_prices as p using (cluster, node_name)
),
spot as (
  select h.node_key, h.hour, s.price_usd_per_hour as spot_usd_per_hour
  from hours as h
  asof join stg_aws__spot_prices as s
    on s.cluster = h.cluster
    and s.instance_type = h.instance_type
    and s.zone = h.zone
    and h.hour >= s.valid_from
  where h.capacity_type = 'spot'
),
priced as (
  select
    h.*,
    case
      when h.capacity_type = 'spot' and s.spot_usd_per_hour is not null then s.spot_usd_per_hour
      when h.capacity_type <> 'spot' and c.covered_share is not null
        then c.covered_share * c.committed_usd_per_hour + (1 - c.covered_share) * h.on_demand_usd_per_hour
      else h.on_demand_usd_per_hour
    end as price_usd_per_hour,
    case when h.capacity_type <> 'spot' then c.covered_share end as commitment_covered_share,
    case
      when h.capacity_type = 'spot' and s.spot_usd_per_hour is not null then 'spot-history'
      when h.on_demand_usd_per_hour is null then 'unpriced'
      when h.capacity_type <> 'spot' and c.covered_share is not null
        then h.on_demand_source || ' + commitment rate (Cost Explorer AmortizedCost)'
      when h.capacity_type = 'spot' then h.on_demand_source || ' (on-demand: no spot price for the type and zone)'
      else h.on_demand_source
    end as price_source,
    case getvariable('allocation_split_method') when 'opencost-ratio' then 0.031611 / 0.004237 else 9.0 end as cpu_weight
  from hours as h
  left join spot as s using (node_key, hour)
  left join int_commitment_rates as c
    on c.cluster = h.cluster and c.instance_type = h.instance_type and c.date = h.hour::date
)
select
  cluster,
  node_name,
  node_key,
  instance_type,
  zone,
  capacity_type,
  capacity_pool,
  hour,
  node_hours,
  vcpu,
  memory_gib,
  price_usd_per_hour,
  on_demand_usd_per_hour as list_usd_per_hour,
  commitment_covered_share,
  price_source,
  coalesce(price_usd_per_hour, 0) * node_hours as cost_usd,
  cpu_weight * coalesce(price_usd_per_hour, 0) / (cpu_weight * vcpu + memory_gib) as usd_per_core_hour,
  coalesce(price_usd_per_hour, 0) / (cpu_weight * vcpu + memory_gib) as usd_per_gib_hour
from priced
