-- Pod-hours no node-hour of the inventory holds (a node gone before the snapshot, or a name
-- reused by a newer node) and that are not Fargate pod-hours: they ran, and were billed, on a
-- node the model cannot price. Read by mart_coverage (the whole window) and by the
-- reconciliation's evidence (the compared days).
select p.cluster, p.namespace, p.pod_name, p.node_name, p.hour
from int_pod_hours as p
anti join int_node_hours_priced as n on n.cluster = p.cluster and n.node_name = p.node_name and n.hour = p.hour
anti join int_fargate_pod_hours as f
  on f.cluster = p.cluster and f.namespace = p.namespace and f.pod_name = p.pod_name and f.hour = p.hour
where p.node_name is not null
