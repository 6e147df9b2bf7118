-- Every priced dollar is allocated exactly once: the cost allocation (idle, fee and unmounted
-- volume rows included) adds up to the priced EC2 node-hours, the priced Fargate pod-hours (with
-- their ephemeral storage above 20 GiB), the
-- EKS fee-hours and the PVC storage-hours, to the tolerance of a sum (macros/money.sql).
with allocated as (select coalesce(sum(cost_usd), 0) as usd from mart_cost_allocation),
priced as (
  select
    (select coalesce(sum(cost_usd), 0) from int_node_hours_priced)
    + (select coalesce(sum(cpu_cost_usd + memory_cost_usd + ephemeral_cost_usd), 0) from int_fargate_pod_hours)
    + (select coalesce(sum(other_cost_usd), 0) from int_service_cost_hours) as usd
)
select allocated.usd as allocated_usd, priced.usd as priced_usd
from allocated, priced
where abs(allocated.usd - priced.usd) > usd_tolerance(priced.usd)
