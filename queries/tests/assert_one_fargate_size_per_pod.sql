select cluster, namespace, pod_name, count(*) as n
from int_fargate_pod_sizes
group by all
having count(*) > 1
