-- Pod-hours no node-hour of the inventory holds (a node gone before the snapshot, or a name
-- reused by a newer node) and that are not Fargate pod-hours: they ran, and were billed, on a
-- node the model cannot price. Read by mart_coverage (the whole window) and by the
-- reconciliation's evidence (the compared days). Found on the keys (queries/macros/keys.sql),
-- then named: few rows come out of the anti-joins.
with unplaced as (
  select p.pod_key, p.node_key, p.hour
  from int_pod_hours_keyed as p
  anti join int_node_hours_priced as n on n.node_key = p.node_key and n.hour = p.hour
  anti join (select pod_key(cluster, namespace, pod_name) as pod_key, hour from int_fargate_pod_hours) as f
    on f.pod_key = p.pod_key and f.hour = p.hour
  where p.node_key is not null
)
select pk.cluster, pk.namespace, pk.pod_name, nk.node_name, u.hour
from unplaced as u
join int_pod_keys as pk using (pod_key)
join int_node_keys as nk using (node_key)
