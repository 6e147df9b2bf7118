-- One row per node the run knows (the inventory's nodes, those its pods name and those the usage
-- history names, gone ones included): its surrogate key (queries/macros/keys.sql) and its name.
select distinct node_key(cluster, node_name) as node_key, cluster, node_name
from (
  select cluster, node_name from int_usage_names
  union all
  select cluster, node_name from stg_kubernetes__nodes
  union all
  select cluster, node_name from stg_kubernetes__pods
)
where node_name is not null
