-- materialized: table
-- Every combination of names the usage history holds for a pod (its node, its workload), read
-- once: the key tables (int_pod_keys, int_node_keys, int_workload_keys) join names back to the
-- surrogate keys of the hourly grains from it, so that no later model reads the usage for them.
select distinct cluster, namespace, pod_name, node_name, workload_kind, workload_name
from stg_prometheus__usage_hourly
