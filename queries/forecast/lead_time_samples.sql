-- The run's lead-time samples of one cluster ($1), in seconds, per capacity pool (the pre-scale
-- plan's "when", lead-time.ts): a node's creation to its Ready condition (node_ready), a pod's
-- scheduling to its last container running, i.e. image pull and start (pod_start), and a Fargate
-- pod's creation to running (fargate_pod, pool `fargate`). DaemonSet pods are left out (they start
-- with their node, not with demand). A sample below zero or over an hour is a condition that moved
-- since (a node that flapped NotReady and back; lastTransitionTime is the last move): left out.
-- Run after the models, on the temp catalog.
with samples as (
  select n.capacity_pool, 'node_ready' as sample_kind,
    date_diff('millisecond', k.created_at, k.ready_at) / 1000.0 as lead_seconds
  from k8s_nodes as k
  join stg_kubernetes__nodes as n on n.cluster = k.cluster and n.node_name = k.name
  where k.run_id = getvariable('run_id') and k.cluster = $1
    and k.ready_at is not null and n.compute_type <> 'fargate'
  union all
  select
    case when n.compute_type = 'fargate' then 'fargate' else n.capacity_pool end,
    case when n.compute_type = 'fargate' then 'fargate_pod' else 'pod_start' end,
    date_diff(
      'millisecond',
      case when n.compute_type = 'fargate' then p.created_at else p.scheduled_at end,
      p.containers_started_at
    ) / 1000.0
  from k8s_pods as p
  join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
  where p.run_id = getvariable('run_id') and p.cluster = $1
    and p.workload_kind <> 'DaemonSet'
    and p.containers_started_at is not null
    and (n.compute_type = 'fargate' or p.scheduled_at is not null)
)
select capacity_pool, sample_kind, lead_seconds
from samples
where lead_seconds between 0 and 3600
order by capacity_pool, sample_kind, lead_seconds
