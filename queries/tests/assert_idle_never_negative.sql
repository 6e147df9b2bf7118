-- Pods are never charged more than their node costs (oversubscription is scaled down).
select cluster, node_name, hour, cost_usd
from int_cost_lines_hourly
where workload_kind = 'Idle' and cost_usd < -1e-9
