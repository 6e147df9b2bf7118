-- Pods are never charged more than their node costs (oversubscription is scaled down): no hour of
-- idle is negative beyond the rounding of its sum (macros/money.sql).
select cluster, node_name, date, min_hour_cost_usd
from int_cost_lines_daily
where workload_kind = idle_kind() and min_hour_cost_usd < -usd_tolerance(cost_usd)
