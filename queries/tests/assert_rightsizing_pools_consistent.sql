-- Per capacity pool, the re-pack's figures agree: an EC2 pool has node counts and its nodes saved
-- are its simulated cost per hour before minus after, by the month; only Fargate has a billed-size
-- saving and no nodes; every figure is finite.
select *
from mart_rightsizing_pools
where not isfinite(request_savings_usd)
  or not isfinite(nodes_saved_usd)
  or not isfinite(fargate_savings_usd)
  or (pool_kind = 'fargate' and (nodes_saved_usd <> 0 or nodes_before is not null))
  or (pool_kind <> 'fargate' and (fargate_savings_usd <> 0 or nodes_before is null or nodes_after is null
    or abs(nodes_saved_usd - (usd_per_hour_before - usd_per_hour_after) * hours_per_month()) > 1e-6))
