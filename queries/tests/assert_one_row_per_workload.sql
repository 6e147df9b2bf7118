select cluster, namespace, workload_kind, workload_name, count(*) as n
from mart_cost_allocation
group by all
having count(*) > 1
