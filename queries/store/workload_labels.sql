-- The labels of every workload and pod of a run ($1), for `-l/--selector`: a workload's own
-- labels, and for a bare pod (workload kind Pod) the pod's. Labels as a JSON object text.
select cluster, namespace, kind as workload_kind, name as workload_name, labels::varchar as labels
from k8s_workloads
where run_id = $1
union all
select cluster, namespace, 'Pod' as workload_kind, name as workload_name, labels::varchar as labels
from k8s_pods
where run_id = $1
