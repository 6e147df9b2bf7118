-- materialized: table
-- Every priced dollar of the window as one line per pod-hour (EC2 and Fargate), per node-hour
-- of idle capacity (node cost minus what its pods were charged, on its own line, never spread),
-- and per hour of the EKS cluster fee and of each PVC's EBS volume (`other_cost_usd`).
-- Beside it, `idle_share_usd` is each EC2 pod's part of its node-hour's idle cost, per resource in
-- proportion to what the pod was charged for it (AWS split cost allocation's "unused cost"), so
-- that a cost including idle (AWS's total split cost) can be shown too; idle lines carry minus
-- the part spread, so totals never count it twice.
with ec2 as (
  select
    cluster, namespace, workload_kind, workload_name, pod_name, node_name, hour, capacity_type, capacity_pool,
    price_source, cpu_cost_usd, memory_cost_usd
  from int_pod_hours_charged
),
fargate as (
  select
    cluster, namespace, workload_kind, workload_name, pod_name, null as node_name, hour, 'fargate' as capacity_type,
    'fargate' as capacity_pool, price_source, cpu_cost_usd, memory_cost_usd
  from int_fargate_pod_hours
),
allocated as (
  select cluster, node_name, hour, sum(cpu_cost_usd) as cpu_usd, sum(memory_cost_usd) as memory_usd
  from ec2
  group by cluster, node_name, hour
),
idle as (
  select
    n.cluster,
    '(idle)' as namespace,
    'Idle' as workload_kind,
    n.capacity_pool as workload_name,
    null as pod_name,
    n.node_name,
    n.hour,
    n.capacity_type,
    n.capacity_pool,
    n.price_source,
    n.usd_per_core_hour * n.vcpu * n.node_hours - coalesce(a.cpu_usd, 0) as cpu_cost_usd,
    n.usd_per_gib_hour * n.memory_gib * n.node_hours - coalesce(a.memory_usd, 0) as memory_cost_usd
  from int_node_hours_priced as n
  left join allocated as a using (cluster, node_name, hour)
)
,
idle_rates as (
  -- Idle dollars per charged dollar, per node-hour and resource.
  select
    i.cluster, i.node_name, i.hour,
    i.cpu_cost_usd / nullif(a.cpu_usd, 0) as cpu_idle_per_usd,
    i.memory_cost_usd / nullif(a.memory_usd, 0) as memory_idle_per_usd,
    case when a.cpu_usd > 0 then i.cpu_cost_usd else 0 end
      + case when a.memory_usd > 0 then i.memory_cost_usd else 0 end as spread_usd
  from idle as i
  join allocated as a using (cluster, node_name, hour)
)
select
  e.*,
  0.0 as other_cost_usd,
  e.cpu_cost_usd + e.memory_cost_usd as cost_usd,
  coalesce(e.cpu_cost_usd * r.cpu_idle_per_usd, 0) + coalesce(e.memory_cost_usd * r.memory_idle_per_usd, 0) as idle_share_usd
from ec2 as e
left join idle_rates as r using (cluster, node_name, hour)
union all by name
select *, 0.0 as other_cost_usd, cpu_cost_usd + memory_cost_usd as cost_usd, 0.0 as idle_share_usd from fargate
union all by name
select i.*, 0.0 as other_cost_usd, i.cpu_cost_usd + i.memory_cost_usd as cost_usd, -coalesce(r.spread_usd, 0) as idle_share_usd
from idle as i
left join idle_rates as r using (cluster, node_name, hour)
union all by name
select *, 0.0 as cpu_cost_usd, 0.0 as memory_cost_usd, other_cost_usd as cost_usd, 0.0 as idle_share_usd
from int_service_cost_hours
