-- Every surrogate key (queries/macros/keys.sql) stands for one pod, node or workload: a hash shared
-- by two names would merge their hours, so it fails the analysis rather than move a figure.
select 'pod' as key_of, pod_key as key, count(*) as names
from int_pod_keys
group by pod_key
having count(*) > 1
union all
select 'node', node_key, count(*)
from int_node_keys
group by node_key
having count(*) > 1
union all
select 'workload', workload_key, count(*)
from int_workload_keys
group by workload_key
having count(*) > 1
