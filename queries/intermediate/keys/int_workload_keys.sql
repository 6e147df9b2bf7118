-- One row per workload the run knows (its pods' owners, in the inventory or the usage history):
-- its surrogate key (queries/macros/keys.sql) and its names.
select distinct
  workload_key(cluster, namespace, workload_kind, workload_name) as workload_key,
  cluster,
  namespace,
  workload_kind,
  workload_name
from (
  select cluster, namespace, workload_kind, workload_name from int_usage_names
  union all
  select cluster, namespace, workload_kind, workload_name from stg_kubernetes__pods
)
where workload_kind is not null or workload_name is not null
