-- Every container of every workload has exactly one right-sizing row.
select cluster, namespace, workload_kind, workload_name, container_name, count(*) as n
from mart_rightsizing
group by all
having count(*) <> 1
