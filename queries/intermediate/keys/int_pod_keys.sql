-- One row per pod the run knows (its usage history or its inventory): its surrogate key
-- (queries/macros/keys.sql) and its names.
select distinct pod_key(cluster, namespace, pod_name) as pod_key, cluster, namespace, pod_name
from (
  select cluster, namespace, pod_name from int_usage_names
  union all
  select cluster, namespace, pod_name from stg_kubernetes__pods
)
