-- Every priced dollar of the window as one line per pod-hour (EC2 and Fargate), per node-hour
-- of idle capacity (node cost minus what its pods were charged, on its own line, never spread),
-- and per hour of the EKS cluster fee and of each PVC's EBS volume (`other_cost_usd`). Read only
-- by int_cost_lines_daily, so it is computed once and never stored. EC2 pod lines (the bulk: one a
-- pod-hour) name their pod, workload and node by key only (`pod_key`, `workload_key`, `node_key`;
-- their name columns are null): int_cost_lines_daily joins the names back per day.
-- Beside it, `idle_share_usd` is each EC2 pod's part of its node-hour's idle cost, per resource in
-- proportion to what the pod was charged for it (AWS split cost allocation's "unused cost"), so
-- that a cost including idle (AWS's total split cost) can be shown too; idle lines carry minus
-- the part spread, so totals never count it twice. EC2 pod lines keep their node's rates
-- (`usd_per_core_hour`, `usd_per_gib_hour`) for what the right-sizing prices requests at.
with idle as (
  select
    n.cluster,
    idle_namespace() as namespace,
    idle_kind() as workload_kind,
    n.capacity_pool as workload_name,
    null as pod_name,
    n.node_name,
    n.hour,
    n.capacity_type,
    n.capacity_pool,
    n.price_source,
    -- A node-hour without pods is idle whole.
    coalesce(c.cpu_idle_usd, n.usd_per_core_hour * n.vcpu * n.node_hours) as cpu_cost_usd,
    coalesce(c.memory_idle_usd, n.usd_per_gib_hour * n.memory_gib * n.node_hours) as memory_cost_usd,
    -- What the pods' idle shares took: the idle of a resource some pod was charged for.
    case when c.cpu_allocated_usd > 0 then c.cpu_idle_usd else 0 end
      + case when c.memory_allocated_usd > 0 then c.memory_idle_usd else 0 end as spread_usd
  from int_node_hours_priced as n
  left join int_node_hour_charges as c using (node_key, hour)
)
select
  pod_key, workload_key, node_key, hour, capacity_type, capacity_pool,
  price_source, cpu_cost_usd, memory_cost_usd, 0.0 as other_cost_usd, cpu_cost_usd + memory_cost_usd as cost_usd,
  idle_share_usd, usd_per_core_hour, usd_per_gib_hour
from int_pod_hours_charged
union all by name
select
  cluster, namespace, workload_kind, workload_name, pod_name, null as node_name, hour, 'fargate' as capacity_type,
  'fargate' as capacity_pool, price_source, cpu_cost_usd, memory_cost_usd,
  -- Ephemeral storage above the 20 GiB included (int_fargate_pod_hours).
  ephemeral_cost_usd as other_cost_usd,
  cpu_cost_usd + memory_cost_usd + ephemeral_cost_usd as cost_usd, 0.0 as idle_share_usd
from int_fargate_pod_hours
union all by name
select * exclude (spread_usd), 0.0 as other_cost_usd, cpu_cost_usd + memory_cost_usd as cost_usd, -spread_usd as idle_share_usd
from idle
union all by name
select *, 0.0 as cpu_cost_usd, 0.0 as memory_cost_usd, other_cost_usd as cost_usd, 0.0 as idle_share_usd
from int_service_cost_hours
