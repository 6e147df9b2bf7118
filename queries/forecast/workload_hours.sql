-- Each workload's hourly demand over every run the file keeps for the cluster ($1), up to the end
-- of the run forecast from ($2): an hour a later run also stored is taken from the latest run that
-- has it (runs overlap when their windows do), so every hour counts once. CPU is the sum of the
-- containers' hourly average, memory the sum of their average working set, replicas the pods
-- seen that hour. Workloads whose pods an HPA or their owner scales (Deployment, StatefulSet,
-- Argo Rollout); DaemonSets follow the nodes, Jobs and CronJobs their schedule.
with picked as (
  select
    u.*,
    row_number() over (
      partition by u.hour, u.namespace, u.pod, u.container
      order by r.started_at desc nulls last, u.run_id desc
    ) as pick
  from prom_usage_hourly as u
  -- Hours a kept run refers to stay after their run is pruned (prom_usage_reused): oldest then.
  left join runs as r using (run_id)
  where u.cluster = $1
    and u.hour < $2
    and u.workload_kind in ('Deployment', 'StatefulSet', 'Rollout')
)
select
  namespace,
  workload_kind,
  workload_name,
  epoch_ms(hour) as hour_ms,
  sum(cpu_avg_cores) as cpu_cores,
  sum(memory_avg_bytes) as memory_bytes,
  count(distinct pod) as replicas
from picked
where pick = 1
group by all
having sum(cpu_avg_cores) is not null and sum(memory_avg_bytes) is not null
order by namespace, workload_kind, workload_name, hour_ms
